//! Dense blocks: `W @ x` with known weights is one node per row and a matrix of data, not
//! rows × cols scalar products, and so is an affine sum written out in scalars (of at least
//! `MIN_TERMS` operands). Each block-form program is checked against its twin written out
//! as `dot`s (scalar nodes below `MIN_TERMS` operands, a block recognised from the written
//! sums above), under every strategy, complex step, the Hessian, the digits check and the
//! traces; the written-out sums against hand-derived Jacobians.

mod common;
use common::*;
use jacobian_playground::core::compile::MIN_TERMS;
use jacobian_playground::core::dense::Kind;
use jacobian_playground::core::digits;
use jacobian_playground::core::hessian::hessian;
use jacobian_playground::core::ops::Op;
use jacobian_playground::core::trace::{forward_trace, reverse_trace};
use jacobian_playground::core::{Matrix, Strategy, Tape};
use proptest::prelude::*;

/// `rows` × `cols` weights as a literal matrix, from a seeded sequence in (-1, 1).
fn weights(rows: usize, cols: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut s = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..rows)
        .map(|_| {
            (0..cols)
                .map(|_| {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
                })
                .collect()
        })
        .collect()
}

fn literal(w: &[Vec<f64>]) -> String {
    let rows: Vec<String> =
        w.iter().map(|r| format!("[{}]", r.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", "))).collect();
    format!("[{}]", rows.join(", "))
}

/// The same layer twice: `W @ h` (a block) and `[dot(W[0], h), …]` (scalar products).
fn twins(w: &[Vec<f64>], body: &str, inner: &str) -> (String, String) {
    let rows = w.len();
    let block = format!("W = {}\n{}", literal(w), body.replace("LAYER", &format!("(W @ {inner})")));
    let dots: Vec<String> = (0..rows).map(|i| format!("dot(W[{i}], {inner})")).collect();
    let scalar = format!("W = {}\n{}", literal(w), body.replace("LAYER", &format!("[{}]", dots.join(", "))));
    (block, scalar)
}

fn block_count(t: &Tape) -> usize {
    t.blocks.len()
}

/// Every exact strategy and complex step on the block form against reverse mode on the
/// scalar twin, to `rel` of the entry (and of J's largest entry, for cancelled sums).
fn agree(block: &str, scalar: &str, at: &[f64], rel: f64) {
    let (tb, ts) = (tape(block), tape(scalar));
    assert!(block_count(&tb) > 0, "{block}: no dense block");
    let short = scalar.matches("dot(").count() > 0 && tb.blocks.iter().all(|b| (b.cols as usize) < MIN_TERMS);
    assert!(!short || block_count(&ts) == 0, "{scalar}: a short twin stays scalar");
    // A block row sums in four running sums, a written-out one left to right: the same
    // to rounding, judged against the largest value where a sum cancels.
    let (fb, fs) = (tb.eval(at), ts.eval(at));
    let largest = fs.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (a, b) in fb.iter().zip(&fs) {
        assert!((a - b).abs() <= rel * largest, "values: {a} vs {b}");
    }
    let want = jac(&ts, at, Strategy::Reverse);
    let rows: Vec<Vec<f64>> = want.rows_iter().map(|r| r.to_vec()).collect();
    for s in EXACT.into_iter().chain([Strategy::ComplexStep]) {
        assert_close(&jac(&tb, at, s), &rows, rel, rel, &format!("{block}\nby {}", s.name()));
    }
}

#[test]
fn a_layer_is_one_node_per_row_and_its_weights_are_data() {
    let src = "W1 = randn(128, 784, 1) * 0.05\nW2 = randn(10, 128, 2) * 0.1\n\
               net(x[784]) = softmax(W2 @ tanh(W1 @ x) )";
    let t = tape(src);
    // The two layers, and softmax: one node of its own kind over the ten logits.
    assert_eq!(block_count(&t), 3);
    assert_eq!((t.blocks[0].rows, t.blocks[0].cols, t.blocks[1].rows, t.blocks[1].cols), (128, 784, 10, 128));
    assert_eq!((t.blocks[2].kind, t.blocks[2].rows, t.blocks[2].cols), (Kind::Softmax, 10, 10));
    assert!(t.blocks[2].a.is_empty(), "softmax has no weights");
    // 784 inputs, the layers' rows and their tanh, softmax's ten rows; no weight.
    assert_eq!(t.len(), 784 + 128 + 128 + 10 + 10);
    assert!(t.ops.iter().all(|&op| op != Op::Const));
    // Softmax's sweep costs O(n) per direction: 2·(10 + 10), not 10 × 10.
    assert_eq!(t.work(), t.len() + 128 * 783 + 10 * 127 + (40 - 10));
    let printed = t.print(None, None);
    assert!(printed.contains(" = dense 128×784 · x[0]…x[783]\n"), "{}", &printed[printed.len().saturating_sub(600)..]);
    assert_eq!(printed.matches("dense").count(), 2, "one line per block");
    // One line per tensor operation: the input, two layers, tanh, softmax, the outputs.
    assert!(printed.starts_with("x[0]…x[783] = input 0…783 (784)\n"), "{}", &printed[..200]);
    assert!(printed.contains("\nv1050…v1059 = softmax v1040…v1049\n"), "{printed}");
    assert_eq!(printed.lines().count(), 6, "{printed}");
}

#[test]
fn matrix_times_vector_and_vector_times_matrix_match_their_scalar_twins() {
    let w = weights(5, 4, 7);
    let at = [0.3, -0.7, 0.2, 1.1];
    let (b, s) = twins(&w, "f(x[4]) = tanh(LAYER + 0.1)", "x");
    agree(&b, &s, &at, 1e-15);
    // x @ V with V = Wᵀ: the block's rows are V's columns.
    let wt: Vec<Vec<f64>> = (0..4).map(|j| (0..5).map(|i| w[i][j]).collect()).collect();
    let vec_mat = format!("V = {}\nf(x[4]) = tanh(x @ V + 0.1)", literal(&wt));
    assert_eq!(block_count(&tape(&vec_mat)), 1);
    agree(&vec_mat, &s, &at, 1e-15);
}

#[test]
fn a_constant_bias_is_the_rows_constant_term() {
    let w = weights(6, 4, 5);
    let at = [0.3, -0.7, 0.2, 1.1];
    let bias = [1.0, -2.0, 3.0, 0.5, 0.0, 4.0];
    let (b, s) = twins(&w, "f(x[4]) = tanh(LAYER + [1, -2, 3, 0.5, 0, 4])", "x");
    agree(&b, &s, &at, 1e-15);
    let t = tape(&b);
    assert!(!t.ops.contains(&Op::Add), "no add is left:\n{}", t.print(None, None));
    assert_eq!(t.consts[t.blocks[0].outputs()], bias);
    // Wx + b in that order, as written: the value is the add's to the bit.
    let lit = literal(&w);
    let wx = tape(&format!("W = {lit}\nf(x[4]) = W @ x")).eval(&at);
    let pre = tape(&format!("W = {lit}\nf(x[4]) = W @ x + [1, -2, 3, 0.5, 0, 4]")).eval(&at);
    assert_eq!(pre, (0..6).map(|i| wx[i] + bias[i]).collect::<Vec<_>>());
    // Subtracting a bias folds as adding its negative.
    let (b, s) = twins(&w, "f(x[4]) = tanh(LAYER - [1, -2, 3, 0.5, 0, 4])", "x");
    agree(&b, &s, &at, 1e-15);
    assert_eq!(tape(&b).consts[tape(&b).blocks[0].outputs()], bias.map(|c| -c));
    // A row read elsewhere too, and a bias minus the row, keep their adds.
    let shared = tape(&format!("W = {lit}\nh = W @ x\nf(x[4]) = (h + 1) * h"));
    assert_eq!(shared.ops.iter().filter(|&&op| op == Op::Add).count(), 6);
    let minus = tape(&format!("W = {lit}\nf(x[4]) = 1 - W @ x"));
    assert_eq!(minus.ops.iter().filter(|&&op| op == Op::Sub).count(), 6);
    assert!(minus.consts.iter().all(|&c| c == 0.0 || c == 1.0));
}

#[test]
fn two_layers_chain_blocks_through_elementwise_nodes() {
    let (w1, w2) = (weights(6, 3, 1), weights(2, 6, 2));
    let block = format!("W1 = {}\nW2 = {}\nf(x[3]) = W2 @ tanh(W1 @ x + 0.5)", literal(&w1), literal(&w2));
    let t = tape(&block);
    assert_eq!(block_count(&t), 2);
    let scalar = format!(
        "W1 = {}\nW2 = {}\nh = tanh([{}] + 0.5)\nf(x[3]) = [{}]",
        literal(&w1),
        literal(&w2),
        (0..6).map(|i| format!("dot(W1[{i}], x)")).collect::<Vec<_>>().join(", "),
        (0..2).map(|i| format!("dot(W2[{i}], h)")).collect::<Vec<_>>().join(", ")
    );
    agree(&block, &scalar, &[0.4, -0.2, 0.9], 1e-15);
    // The Hessian of one output through both blocks equals the twin's.
    let one = |src: &str| src.replace("f(x[3]) = W2 @", "f(x[3]) = sum(W2 @").replace("+ 0.5)", "+ 0.5))");
    let sc = scalar.replace("f(x[3]) = [", "f(x[3]) = sum([").trim_end().to_string() + ")";
    let (hb, hs) = (hessian(&tape(&one(&block)), &[0.4, -0.2, 0.9], 0), hessian(&tape(&sc), &[0.4, -0.2, 0.9], 0));
    let rows: Vec<Vec<f64>> = hs.h.rows_iter().map(|r| r.to_vec()).collect();
    assert_close(&hb.h, &rows, 1e-14, 1e-15, "Hessian through blocks");
}

#[test]
fn many_directions_go_through_one_matrix_product() {
    // 40 inputs and 40 outputs: batched forward and reverse carry 40 directions through
    // each block (the GEMM path), the loops one (the dot path); all agree with the twin.
    let w = weights(40, 40, 3);
    let (b, s) = twins(&w, "f(x[40]) = sin(LAYER)", "x");
    let at: Vec<f64> = (0..40).map(|j| (j as f64 * 0.37).sin()).collect();
    agree(&b, &s, &at, 1e-14);
}

#[test]
fn an_infinite_tangent_times_a_zero_weight_adds_nothing() {
    // sqrt'(0) = ∞. Row 0 weighs sqrt(x[0]) by 0: ∂f0/∂x0 is 0 (strong zero), row 1's ∞.
    let block = "f(x[2]) = [[0, 1], [1, 1]] @ sqrt(x)";
    let scalar = "f(x[2]) = [dot([0, 1], sqrt(x)), dot([1, 1], sqrt(x))]";
    assert_eq!(block_count(&tape(block)), 1);
    for s in EXACT {
        let (jb, js) = (jac(&tape(block), &[0.0, 1.0], s), jac(&tape(scalar), &[0.0, 1.0], s));
        assert_eq!(format!("{:?}", jb.data), format!("{:?}", js.data), "{}", s.name());
        assert_eq!(jb.get(0, 0), 0.0);
        assert_eq!(jb.get(1, 0), f64::INFINITY);
    }
}

#[test]
fn blocks_are_made_only_where_they_stand_for_the_products_exactly() {
    // A weight that is not a finite number, a constant among the operands: written out
    // in scalars, and still right.
    for (src, at) in [
        ("f(x[2]) = [[1, 0/0], [3, 4]] @ x", vec![0.5, 2.0]),
        ("f(x[2]) = [[1, 2], [3, 4]] @ [x[0], 1]", vec![0.5, 2.0]),
    ] {
        let t = tape(src);
        assert_eq!(block_count(&t), 0, "{src}");
        let j = jac(&t, &at, Strategy::Reverse);
        for s in EXACT {
            assert_eq!(format!("{:?}", jac(&t, &at, s).data), format!("{:?}", j.data), "{src}: {}", s.name());
        }
    }
    // Operands out of order (read through a gather), weights that are the inputs: a
    // product node (`core::product`) whose known factor is its data.
    for (src, at, want) in [
        ("f(x[2]) = [[1, 2], [3, 4]] @ [x[1], x[0]]", vec![0.5, 2.0], vec![2.0, 1.0, 4.0, 3.0]),
        ("f(W[2, 2]) = W @ [1, 2]", vec![1.0, 2.0, 3.0, 4.0], vec![1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0]),
    ] {
        let t = tape(src);
        assert!(t.blocks.iter().any(|b| b.kind == jacobian_playground::core::dense::Kind::Product), "{src}");
        for s in EXACT {
            assert_eq!(jac(&t, &at, s).data, want, "{src}: {}", s.name());
        }
    }
}

#[test]
fn traces_digits_and_the_printed_values_see_the_block() {
    let w = weights(3, 4, 9);
    let (b, s) = twins(&w, "f(x[4]) = exp(LAYER)", "x");
    let at = [0.1, 0.2, -0.3, 0.4];
    let (tb, ts) = (tape(&b), tape(&s));
    let (lb, ls) = (tb.linearize(&at), ts.linearize(&at));
    // The reverse trace pushes each weight times the row's adjoint to the operands.
    let (rb, rs) = (reverse_trace(&tb, &lb, 1), reverse_trace(&ts, &ls, 1));
    assert_eq!(rb.result.len(), 4);
    for (x, y) in rb.result.iter().zip(&rs.result) {
        assert!((x - y).abs() <= 1e-15 * y.abs(), "{:?} vs {:?}", rb.result, rs.result);
    }
    let dense_step = rb.steps.iter().find(|s| tb.ops[s.node] == Op::Dense).unwrap();
    assert_eq!(dense_step.pushes.len(), 4);
    let fb = forward_trace(&tb, &lb, 2);
    assert_eq!(fb.steps.len(), tb.len());
    let fs = forward_trace(&ts, &ls, 2);
    for (x, y) in fb.result.iter().zip(&fs.result) {
        assert!((x - y).abs() <= 1e-15 * y.abs());
    }
    // Double-double through the block: every digit of this well-conditioned J is right.
    let truth = digits::truth(&tb, &at).expect("small enough to check");
    let j = jac(&tb, &at, Strategy::BatchedForward);
    assert_eq!(truth.j.len(), 12);
    for (v, &got) in truth.j.iter().zip(&j.data) {
        assert!((v.hi - got).abs() <= 4e-16 * v.hi.abs(), "{} vs {got}", v.hi);
    }
    let printed = tb.print(Some(&lb.vals), Some((&lb.da, &lb.db)));
    assert!(printed.contains("dense 3×4 · x[0]…x[3]  → ["), "{printed}");
}

/// `thin::at_b` on c0 (m × n) gives c0 + Aᵀ·b (A k × m, row stride cs) to the rounding of
/// its sums, where it does the product (it declines without the instructions).
fn at_b_is_the_product(
    m: usize,
    k: usize,
    n: usize,
    a: &[f64],
    cs: usize,
    b: &[f64],
    c0: &[f64],
) -> Result<(), String> {
    let mut c = c0.to_vec();
    if !jacobian_playground::core::thin::at_b(m, k, n, a, cs, b, &mut c) {
        return Ok(());
    }
    for i in 0..m {
        for s in 0..n {
            let (mut want, mut size) = (c0[i * n + s], c0[i * n + s].abs());
            for p in (0..k).rev() {
                want += a[p * cs + i] * b[p * n + s];
                size += (a[p * cs + i] * b[p * n + s]).abs();
            }
            let got = c[i * n + s];
            if (got - want).abs() > 4.0 * f64::EPSILON * (k as f64) * size {
                return Err(format!("c[{i}][{s}] = {got} vs {want}"));
            }
        }
    }
    Ok(())
}

/// Big enough to run on two threads (`core::pair`): a block's values are still each row's
/// own sum to the bit, and the reverse product is Aᵀ·b to the rounding of its sums.
#[test]
fn big_products_on_two_threads_are_the_same_sums() {
    use jacobian_playground::core::dense::Block;
    let val = |i: usize| ((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 53) as f64 / 1024.0 - 1.0;
    for (rows, cols, n) in [(128, 784, 10), (100, 700, 4), (257, 255, 5)] {
        let a: Vec<f64> = (0..rows * cols).map(val).collect();
        let x: Vec<f64> = (0..cols).map(|i| val(i + 1_000_000)).collect();
        let block = Block::linear(0, rows as u32, 0, cols as u32, a.clone());
        let mut y = vec![0.0; rows];
        for _ in 0..3 {
            block.values(&x, &mut y);
            for (r, v) in y.iter().enumerate() {
                assert_eq!(v.to_bits(), block.value(r, &x).to_bits(), "{rows}×{cols}: row {r}");
            }
        }
        // c (cols × n) += Aᵀ·b, A being the block's rows × cols weights.
        let b: Vec<f64> = (0..rows * n).map(|i| val(i + 2_000_000)).collect();
        let c0: Vec<f64> = (0..cols * n).map(|i| val(i + 3_000_000)).collect();
        at_b_is_the_product(cols, rows, n, &a, cols, &b, &c0).unwrap();
    }
}

/// Both halves run, whichever thread takes the second, and a panic in either reaches the
/// caller once both are done.
#[test]
fn the_second_thread_runs_its_half_and_passes_on_a_panic() {
    use jacobian_playground::core::pair::both;
    for _ in 0..200 {
        let (mut a, mut b) = (0, 0);
        both(|| a += 1, || b += 2);
        assert_eq!((a, b), (1, 2));
    }
    let caught = std::panic::catch_unwind(|| both(|| (), || panic!("in the second half")));
    assert!(caught.is_err());
    let caught = std::panic::catch_unwind(|| both(|| panic!("in the first half"), || ()));
    assert!(caught.is_err());
    let mut after = 0;
    both(|| after += 1, || ());
    assert_eq!(after, 1, "the worker still answers after a panic");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The reverse product through a wide layer (`core::thin`, where the processor has the
    /// instructions) is Aᵀ·b to the rounding of its sums, for every width up to 16, rows
    /// that do not fill a vector and weights with a row stride wider than the product.
    #[test]
    fn thin_reverse_product_is_the_product(m in 8usize..40, k in 1usize..12, n in 1usize..17, pad in 0usize..3, seed in 0u64..1000) {
        let cs = m + pad;
        let val = |i: usize| (((i as u64 + 1).wrapping_mul(seed + 0x9E37_79B9) >> 7) % 2001) as f64 / 1000.0 - 1.0;
        let a: Vec<f64> = (0..k * cs).map(val).collect();
        let b: Vec<f64> = (0..k * n).map(|i| val(i + 5000)).collect();
        let c0: Vec<f64> = (0..m * n).map(|i| val(i + 9000)).collect();
        let r = at_b_is_the_product(m, k, n, &a, cs, &b, &c0);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    /// A block's rows computed together (eight, then four at a time) are each row's own sum, to the
    /// bit, whatever the shape, and with ∞, NaN and signed zeros among the operands.
    #[test]
    fn rows_together_are_each_row_s_own_sum(rows in 1usize..21, cols in 1usize..23, seed in 0u64..1000) {
        use jacobian_playground::core::dense::Block;
        let pick = |k: u64| -> f64 {
            let h = (seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ k.wrapping_mul(0xBF58_476D_1CE4_E5B9)) >> 11;
            match h % 23 {
                0 => f64::INFINITY,
                1 => f64::NAN,
                2 => -0.0,
                _ => (h % 2001) as f64 / 1000.0 - 1.0,
            }
        };
        let a: Vec<f64> = (0..rows * cols).map(|k| { let v = pick(k as u64); if v.is_finite() { v } else { 0.5 } }).collect();
        let x: Vec<f64> = (0..cols).map(|k| pick(10_000 + k as u64)).collect();
        let block = Block::linear(0, rows as u32, 0, cols as u32, a);
        let mut together = vec![0.0; rows];
        block.values(&x, &mut together);
        for (r, v) in together.iter().enumerate() {
            // A NaN's payload is not part of its value (which NaN an add keeps is the
            // processor's choice); every other value is compared bit for bit.
            let own = block.value(r, &x);
            prop_assert!(v.to_bits() == own.to_bits() || (v.is_nan() && own.is_nan()), "row {} of {}×{}: {} vs {}", r, rows, cols, v, own);
        }
    }

    /// Random layer sizes, weights, point and function: the block form and its scalar
    /// twin give one J under every strategy.
    #[test]
    fn random_layers_match_their_scalar_twins(
        rows in 1usize..9, cols in 1usize..9, seed in 0u64..1000,
        f in prop::sample::select(vec!["tanh", "sin", "exp", "sigmoid"]),
        x in prop::collection::vec(-2.0f64..2.0, 8),
    ) {
        let w = weights(rows, cols, seed);
        let (b, s) = twins(&w, &format!("f(x[{cols}]) = {f}(LAYER) * 2"), "x");
        agree(&b, &s, &x[..cols], 1e-14);
    }
}

#[test]
fn the_cost_counts_a_block_by_its_weights() {
    let w = weights(20, 30, 4);
    let (b, _) = twins(&w, "f(x[30]) = LAYER", "x");
    let t = tape(&b);
    let r = jacobian_playground::core::jacobian(&t, &vec![0.5; 30], Strategy::Reverse, &mut Default::default());
    assert_eq!(r.cost.node_visits, t.work() * 21, "20 row sweeps and the linearisation");
    let _: Matrix = r.j;
}

/// `f(x0, …, x{n-1}) = [row, …]` with each row `Σ w·xj + b` written out.
fn written_out(w: &[Vec<f64>], bias: &[f64], wrap: &str) -> String {
    let n = w[0].len();
    let rows: Vec<String> = w
        .iter()
        .zip(bias)
        .map(|(r, b)| {
            let sum: Vec<String> = r.iter().enumerate().map(|(j, v)| format!("{v:?}*x{j}")).collect();
            wrap.replace("ROW", &format!("{} + {b:?}", sum.join(" + ")))
        })
        .collect();
    let params: Vec<String> = (0..n).map(|j| format!("x{j}")).collect();
    format!("f({}) = [{}]", params.join(", "), rows.join(", "))
}

#[test]
fn a_layer_written_weight_by_weight_is_one_block_and_j_is_its_weights() {
    let (w, b) = (weights(12, 10, 5), weights(1, 12, 6).remove(0));
    let t = tape(&written_out(&w, &b, "ROW"));
    assert_eq!(block_count(&t), 1, "{}", t.print(None, None));
    assert_eq!((t.blocks[0].rows, t.blocks[0].cols), (12, 10));
    assert_eq!(t.len(), 10 + 12, "inputs and one node a row: no product and no partial sum is left");
    let x: Vec<f64> = (0..10).map(|j| 0.3 - 0.1 * j as f64).collect();
    for s in EXACT {
        let j = jac(&t, &x, s);
        for (i, row) in w.iter().enumerate() {
            assert_eq!(j.row(i), &row[..], "{}: a linear layer's J is its weights, exactly", s.name());
        }
    }
    // The bias is the row's constant term.
    let f = t.eval(&x);
    for i in 0..12 {
        let want: f64 = w[i].iter().zip(&x).map(|(a, v)| a * v).sum::<f64>() + b[i];
        assert!((f[i] - want).abs() <= 1e-15 * want.abs().max(1.0), "f[{i}] = {} want {want}", f[i]);
    }
    // Through tanh: J[i][j] = (1 − tanh²(zᵢ))·W[i][j], computed here directly.
    let t = tape(&written_out(&w, &b, "tanh(ROW)"));
    assert_eq!(block_count(&t), 1);
    let j = jac(&t, &x, Strategy::BatchedForward);
    for i in 0..12 {
        let z: f64 = w[i].iter().zip(&x).map(|(a, v)| a * v).sum::<f64>() + b[i];
        for (k, &wik) in w[i].iter().enumerate() {
            let want = (1.0 - z.tanh().powi(2)) * wik;
            assert!(
                (j.get(i, k) - want).abs() <= 1e-14 * want.abs().max(1e-3),
                "J[{i}][{k}]: {} vs {want}",
                j.get(i, k)
            );
        }
    }
    agree_with_complex_step(&t, &x);
}

fn agree_with_complex_step(t: &Tape, x: &[f64]) {
    let want = jac(t, x, Strategy::ComplexStep);
    let rows: Vec<Vec<f64>> = want.rows_iter().map(|r| r.to_vec()).collect();
    for s in EXACT {
        assert_close(&jac(t, x, s), &rows, 1e-14, 1e-15, s.name());
    }
}

#[test]
fn two_layers_written_out_are_two_blocks_laid_out_by_depth() {
    let (w1, w2) = (weights(9, 9, 1), weights(9, 9, 2));
    let mut src = String::new();
    for (i, r) in w1.iter().enumerate() {
        let sum: Vec<String> = r.iter().enumerate().map(|(j, v)| format!("{v:?}*x{j}")).collect();
        src.push_str(&format!("h{i} = tanh({} + 0.1)\n", sum.join(" + ")));
    }
    let outs: Vec<String> = w2
        .iter()
        .map(|r| r.iter().enumerate().map(|(j, v)| format!("{v:?}*h{j}")).collect::<Vec<_>>().join(" - "))
        .collect();
    src.push_str(&format!(
        "f({}) = [{}]",
        (0..9).map(|j| format!("x{j}")).collect::<Vec<_>>().join(", "),
        outs.join(", ")
    ));
    let t = tape(&src);
    assert_eq!(block_count(&t), 2, "{}", t.print(None, None));
    // The second block's operands are the nine tanh nodes, together after the first block.
    let b = &t.blocks[1];
    assert!(b.operands().all(|k| t.names[k].as_deref().is_some_and(|n| n.starts_with('h'))));
    // `a - b - c …`: every weight after the first enters negated.
    assert_eq!(b.row(0)[0], w2[0][0]);
    assert_eq!(b.row(0)[1], -w2[0][1]);
    agree_with_complex_step(&t, &[0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9]);
}

#[test]
fn short_sums_scattered_inputs_and_shared_terms_stay_as_written() {
    // Seven terms: below the block size, the pass view keeps its steps.
    let short = "f(x0, x1, x2, x3, x4, x5, x6) = x0 + 2*x1 + 3*x2 + 4*x3 + 5*x4 + 6*x5 + 7*x6";
    assert_eq!(block_count(&tape(short)), 0);
    // Every other input: the operands can never be one run.
    let params: Vec<String> = (0..16).map(|j| format!("x{j}")).collect();
    let evens: Vec<String> = (0..16).step_by(2).map(|j| format!("{}*x{j}", j + 1)).collect();
    let scattered = format!("f({}) = {}", params.join(", "), evens.join(" + "));
    let t = tape(&scattered);
    assert_eq!(block_count(&t), 0);
    let j = jac(&t, &[0.5; 16], Strategy::Reverse);
    assert_eq!(j.row(0)[..4], [1.0, 0.0, 3.0, 0.0]);
    // A term used elsewhere too is one operand of the row (its product is not absorbed),
    // and a weight written twice is summed.
    let shared = "f(x0, x1, x2, x3, x4, x5, x6, x7) = [x0*x1 + x0*x1 + 2*x2 + x3 + x4 + x5 + x6 + x7 + 1 - x2, x0*x1]";
    let t = tape(shared);
    assert_eq!(block_count(&t), 0, "the operands x0*x1, x2 … x7 are not one run: {}", t.print(None, None));
    let at = [0.5, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    assert_eq!(jac(&t, &at, Strategy::Forward).row(0), [4.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
    let dup = "f(x0, x1, x2, x3, x4, x5, x6, x7) = x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + 3*x0 - x7";
    let t = tape(dup);
    assert_eq!(block_count(&t), 1);
    assert_eq!(jac(&t, &[1.0; 8], Strategy::Reverse).row(0), [4.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0]);
}

#[test]
fn the_printed_tape_has_a_line_per_tensor_operation() {
    let t = tape("W1 = randn(4, 3, 1)\nb = [1, 2, 3, 4]\nh = tanh(W1 @ x + b)\nf(x[3]) = 2 * h");
    let lin = t.linearize(&[0.1, 0.2, 0.3]);
    let printed = t.print(Some(&lin.vals), None);
    let lines: Vec<&str> = printed.lines().filter(|l| !l.starts_with("x[") && !l.contains("= const")).collect();
    // The bias is the block's constant term, not a line of adds.
    assert_eq!(lines.len(), 4, "dense + bias, tanh, mul, out:\n{printed}");
    assert!(lines[0].contains("= dense 4×3 · x[0]…x[2] + [1, 2, 3, …]  → ["), "{}", lines[0]);
    assert!(lines[1].starts_with("h[0]…h[3] = tanh ×4 v"), "{}", lines[1]);
    // The constant 2 broadcast to every entry (one node: it reads as b[1], the same number).
    assert!(lines[2].contains(" = mul ×4 b[1] h[0]…h[3]  → ["), "{}", lines[2]);
}

/// Two affine sums found after compiling, the later-found one earlier on the tape: the
/// blocks must still run in tape order (every strategy once gave a zero row for the sum
/// of squares here, and its adjoint went to the wrong output).
#[test]
fn blocks_found_out_of_order_run_in_tape_order() {
    let src = "f(x[10]) = [sum(x^2), mean(x), 3*x[9]]";
    let t = tape(src);
    assert!(t.blocks.windows(2).all(|w| w[0].first < w[1].first), "{:?}", t.blocks);
    let x: Vec<f64> = (0..10).map(|k| 0.5 + k as f64 * 0.25).collect();
    let mut want = vec![x.iter().map(|v| 2.0 * v).collect::<Vec<_>>(), vec![0.1; 10], vec![0.0; 10]];
    want[2][9] = 3.0;
    for s in EXACT.into_iter().chain([Strategy::ComplexStep]) {
        assert_close(&jac(&t, &x, s), &want, 1e-15, 1e-15, &format!("{src} by {}", s.name()));
    }
}

/// A layer's bias folded into its rows' constant terms must not be added again where
/// another block reads the sum (`V @ (W @ x + b)`: f was 60 for 30 at x = 0), nor reach a
/// block that reads the rows without it (`h = W @ x` read by `V @ h` and by `h + b`).
#[test]
fn a_bias_is_added_once_where_a_block_reads_the_layer() {
    let layers = "W = [[1.0], [2.0]]\nV = [[1.0, 1.0]]\nb = [10, 20]\n";
    let t = tape(&format!("{layers}f(x[1]) = V @ (W @ x + b)"));
    assert_eq!(t.eval(&[0.0]), [30.0]);
    assert_eq!(t.eval(&[1.0]), [33.0]);
    let t = tape(&format!("{layers}h = W @ x\nf(x[1]) = concat(V @ h, h + b)"));
    assert_eq!(t.eval(&[1.0]), [3.0, 11.0, 22.0]);
    // The same with softmax reading the sum, as one node of its kind.
    let t = tape(&format!("{layers}f(x[1]) = softmax(W @ x + b)"));
    let want = tape(&format!("{layers}f(x[1]) = softmax([(W @ x + b)[1], (W @ x + b)[0]])")).eval(&[0.5]);
    assert_eq!(t.eval(&[0.5]), [want[1], want[0]]);
    for s in EXACT {
        assert_eq!(jac(&tape(&format!("{layers}f(x[1]) = V @ (W @ x + b)")), &[0.5], s).data, [3.0], "{}", s.name());
    }
}
