//! Dense blocks: `W @ x` with known weights is one node per row and a matrix of data, not
//! rows × cols scalar products. Each block-form program is checked against its twin written
//! out in scalars (the same rows as `dot`s, which the compiler never turns into a block),
//! under every strategy, complex step, the Hessian, the digits check and the traces.

mod common;
use common::*;
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
    assert_eq!(block_count(&ts), 0, "{scalar}: the twin must stay scalar");
    assert_eq!(tb.eval(at), ts.eval(at), "values: a block row sums as `dot` does");
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
    assert_eq!(block_count(&t), 2);
    assert_eq!((t.blocks[0].rows, t.blocks[0].cols, t.blocks[1].rows, t.blocks[1].cols), (128, 784, 10, 128));
    // 784 inputs, the layers' rows and their tanh, softmax's few nodes per output; no weight.
    assert!(t.len() < 1_200, "{} nodes", t.len());
    assert!(t.ops.iter().filter(|&&op| op == Op::Const).count() < 10);
    assert_eq!(t.work(), t.len() + 128 * 783 + 10 * 127);
    let printed = t.print(None, None);
    assert!(printed.contains(" = dense 128×784 · x[0]…x[783]\n"), "{}", &printed[printed.len().saturating_sub(600)..]);
    assert_eq!(printed.matches("dense").count(), 2, "one line per block");
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
    // Operands out of order, a weight that is not a finite number, weights that are
    // inputs: written out in scalars, and still right.
    for (src, at) in [
        ("f(x[2]) = [[1, 2], [3, 4]] @ [x[1], x[0]]", vec![0.5, 2.0]),
        ("f(x[2]) = [[1, 0/0], [3, 4]] @ x", vec![0.5, 2.0]),
        ("f(W[2, 2]) = W @ [1, 2]", vec![1.0, 2.0, 3.0, 4.0]),
        ("f(x[2]) = [[1, 2], [3, 4]] @ [x[0], 1]", vec![0.5, 2.0]),
    ] {
        let t = tape(src);
        assert_eq!(block_count(&t), 0, "{src}");
        let j = jac(&t, &at, Strategy::Reverse);
        for s in EXACT {
            assert_eq!(format!("{:?}", jac(&t, &at, s).data), format!("{:?}", j.data), "{src}: {}", s.name());
        }
    }
    assert_eq!(
        jac(&tape("f(x[2]) = [[1, 2], [3, 4]] @ [x[1], x[0]]"), &[0.5, 2.0], Strategy::Forward).data,
        [2.0, 1.0, 4.0, 3.0]
    );
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

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
