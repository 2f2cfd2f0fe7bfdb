//! The product of two variable matrices as one tensor node (`core::product`): against its
//! twin with every product written out in scalars, under every strategy, complex step,
//! double-double and second order; its structural pattern; ∞ and NaN among the factors;
//! its printed line and its trace.

mod common;
use common::*;
use jacobian_playground::core::dense::Kind;
use jacobian_playground::core::hessian::hessian;
use jacobian_playground::core::product::Known;
use jacobian_playground::core::trace::reverse_trace;
use jacobian_playground::core::Strategy;
use jacobian_playground::fuzzing::{exact_agree, path_magnitude};
use proptest::prelude::*;
use proptest::strategy::Strategy as _;

/// Entry names of the twin: `a1_2` for A[1, 2].
fn at(m: &str, i: usize, k: usize) -> String {
    format!("{m}{i}_{k}")
}

/// A program whose products have two variable factors, in tensor form and as its twin in
/// scalars (each entry a left-to-right sum of products, as `@` sums), and its point.
/// The forms: inputs times inputs, functions of them (operations, read through gathers),
/// a matrix times its own transpose, a matrix times a vector, and a dot of two vectors.
fn program() -> impl proptest::strategy::Strategy<Value = (String, String, Vec<f64>)> {
    (1usize..4, 1usize..5, 1usize..4, 0usize..6).prop_flat_map(|(r, c, q, form)| {
        let (r, q) = match form {
            2 => (r, r),
            4 => (r, 1),
            5 => (1, 1),
            _ => (r, q),
        };
        let b_size = if form == 2 { 0 } else { c * q };
        prop::collection::vec(-1.5f64..1.5, r * c + b_size).prop_map(move |x| {
            // The factors' entries in the twin, from its inputs' names.
            let a_of = |i: usize, k: usize| match form {
                1 | 3 => at("ta", i, k),
                _ => at("a", i, k),
            };
            let b_of = |k: usize, j: usize| match form {
                1 => at("tb", k, j),
                2 => at("a", j, k),
                _ => at("b", k, j),
            };
            let mut lines = Vec::new();
            for i in 0..r {
                for k in 0..c {
                    if matches!(form, 1 | 3) {
                        let f = if form == 1 { "tanh" } else { "sin" };
                        lines.push(format!("{} = {f}({})", at("ta", i, k), at("a", i, k)));
                    }
                }
            }
            if form == 1 {
                for k in 0..c {
                    for j in 0..q {
                        lines.push(format!("{} = {} * {}", at("tb", k, j), at("b", k, j), at("b", k, j)));
                    }
                }
            }
            let entries: Vec<String> = (0..r)
                .flat_map(|i| (0..q).map(move |j| (i, j)))
                .map(|(i, j)| {
                    let terms: Vec<String> = (0..c).map(|k| format!("{} * {}", a_of(i, k), b_of(k, j))).collect();
                    let sum = terms.join(" + ");
                    if form == 1 {
                        format!("exp({sum})")
                    } else {
                        sum
                    }
                })
                .collect();
            let mut inputs: Vec<String> = (0..r).flat_map(|i| (0..c).map(move |k| at("a", i, k))).collect();
            if form != 2 {
                inputs.extend((0..c).flat_map(|k| (0..q).map(move |j| at("b", k, j))));
            }
            lines.push(format!("f({}) = [{}]", inputs.join(", "), entries.join(", ")));
            let scalar = lines.join("\n");
            let tensor = match form {
                0 => format!("f(A[{r}, {c}], B[{c}, {q}]) = A @ B"),
                1 => format!("f(A[{r}, {c}], B[{c}, {q}]) = exp(tanh(A) @ (B * B))"),
                2 => format!("f(A[{r}, {c}]) = A @ A.T"),
                3 => format!("f(A[{r}, {c}], B[{c}, {q}]) = sin(A) @ B"),
                4 => format!("f(A[{r}, {c}], B[{c}]) = A @ B"),
                _ => format!("f(A[{c}], B[{c}]) = dot(A, B)"),
            };
            (tensor, scalar, x)
        })
    })
}

/// A batch through known weights, `tanh(X @ W)` (rows of X) or `tanh(W @ X)` (columns),
/// in tensor form and as its twin in scalars with the weights as numbers; its point.
fn known_program() -> impl proptest::strategy::Strategy<Value = (String, String, Vec<f64>)> {
    (1usize..4, 1usize..5, 1usize..4, any::<bool>()).prop_flat_map(|(r, c, q, left)| {
        let (wr, wc, xr, xc) = if left { (r, c, c, q) } else { (c, q, r, c) };
        let w = prop::collection::vec(-1.0f64..1.0, wr * wc);
        let x = prop::collection::vec(-1.5f64..1.5, xr * xc);
        (w, x).prop_map(move |(w, x)| {
            let rows: Vec<String> = (0..wr)
                .map(|i| {
                    format!("[{}]", (0..wc).map(|k| format!("{:?}", w[i * wc + k])).collect::<Vec<_>>().join(", "))
                })
                .collect();
            let literal = format!("[{}]", rows.join(", "));
            let tensor = match left {
                true => format!("f(X[{xr}, {xc}]) = tanh({literal} @ X)"),
                false => format!("f(X[{xr}, {xc}]) = tanh(X @ {literal})"),
            };
            let (yr, yc, inner) = (r, q, c);
            let entries: Vec<String> = (0..yr)
                .flat_map(|i| (0..yc).map(move |j| (i, j)))
                .map(|(i, j)| {
                    let terms: Vec<String> = (0..inner)
                        .map(|k| match left {
                            true => format!("{:?} * {}", w[i * wc + k], at("x", k, j)),
                            false => format!("{} * {:?}", at("x", i, k), w[k * wc + j]),
                        })
                        .collect();
                    format!("tanh({})", terms.join(" + "))
                })
                .collect();
            let inputs: Vec<String> = (0..xr).flat_map(|i| (0..xc).map(move |k| at("x", i, k))).collect();
            let scalar = format!("f({}) = [{}]", inputs.join(", "), entries.join(", "));
            (tensor, scalar, x)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn a_batch_through_known_weights_is_one_node_and_agrees_with_its_twin((tensor, scalar, x) in known_program()) {
        let (t, s) = (tape(&tensor), tape(&scalar));
        let product = t.blocks.iter().find(|b| b.kind == Kind::Product);
        prop_assert!(product.is_some_and(|b| b.dims().known != Known::Neither), "{tensor}: a product with known weights");
        prop_assert!(!t.ops.contains(&jacobian_playground::core::ops::Op::Const), "{tensor}: the weights are data");
        prop_assert_eq!(t.eval(&x), s.eval(&x), "{}", tensor);
        prop_assert_eq!(&t.pattern, &s.pattern, "{}", tensor);
        let r = agrees_with_twin(&t, &s, &x, 8e-15);
        prop_assert!(r.is_ok(), "{tensor}\n{}", r.unwrap_err());
        let (ht, hs) = (hessian(&t, &x, 0), hessian(&s, &x, 0));
        let scale = hs.h.data.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        for (a, b) in ht.h.data.iter().zip(&hs.h.data) {
            prop_assert!((a - b).abs() <= 1e-14 * scale, "{tensor}\nat {x:?}: H {a} vs {b}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn a_product_node_and_its_written_out_twin_give_one_f_one_j_and_one_hessian((tensor, scalar, x) in program()) {
        let (t, s) = (tape(&tensor), tape(&scalar));
        prop_assert!(t.blocks.iter().any(|b| b.kind == Kind::Product), "{tensor}: one product node");
        prop_assert!(!t.ops.contains(&jacobian_playground::core::ops::Op::Add), "{tensor}: no sum of products written out");
        // Each entry sums as the twin's, left to right: the same bits.
        prop_assert_eq!(t.eval(&x), s.eval(&x), "{}", tensor);
        // Each output reads A's row and B's column only: J's pattern is the twin's.
        prop_assert_eq!(&t.pattern, &s.pattern, "{}", tensor);
        let r = agrees_with_twin(&t, &s, &x, 8e-15);
        prop_assert!(r.is_ok(), "{tensor}\n{}", r.unwrap_err());
        // H of each output: the product's second-order term (1 for each A[i,k]·B[k,j]).
        for row in 0..t.m() {
            let (ht, hs) = (hessian(&t, &x, row), hessian(&s, &x, row));
            let scale = hs.h.data.iter().fold(1.0f64, |m, v| m.max(v.abs()));
            for (a, b) in ht.h.data.iter().zip(&hs.h.data) {
                prop_assert!((a - b).abs() <= 1e-14 * scale, "{tensor}\nat {x:?}: H[{row}] {a} vs {b}");
            }
        }
    }
}

/// ∞, NaN and zeros among the factors: the node carries them as the products written out
/// carry them (a strong zero: a zero tangent times an infinite factor adds nothing).
#[test]
fn infinity_and_nan_reach_j_as_through_the_written_out_products() {
    let t = tape("f(A[2, 2], x[2]) = A @ x");
    let s = tape("f(a0, a1, a2, a3, x0, x1) = [a0 * x0 + a1 * x1, a2 * x0 + a3 * x1]");
    let inf = f64::INFINITY;
    for at in [
        [inf, 1.0, 0.0, 2.0, 0.0, 1.0],
        [inf, -inf, 1.0, 0.0, 1.0, 1.0],
        [f64::NAN, 1.0, 2.0, 3.0, 0.0, 1.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [1e308, 1e308, -1e308, 1.0, 10.0, 0.5],
    ] {
        let want = jac(&s, &at, Strategy::Reverse);
        let mag = path_magnitude(&t, &t.linearize(&at));
        assert_eq!(format!("{:?}", t.eval(&at)), format!("{:?}", s.eval(&at)), "{at:?}");
        for st in EXACT {
            let r = exact_agree(&jac(&t, &at, st), &want, &mag, 1e-15);
            assert!(r.is_ok(), "{at:?} by {}: {}", st.name(), r.unwrap_err());
        }
    }
}

/// Attention's scores and weighted values: two product nodes, each one printed line, with
/// the gathers that make their factors consecutive; where the factors already are, no
/// gather. The reverse trace steps through the node to J's row.
#[test]
fn products_print_as_one_line_and_trace_to_js_row() {
    let t = tape("f(X[4, 3]) = softmax(X @ X.T, dim=1) @ X");
    let printed = t.print(None, None);
    for line in ["= matmul 4×3 @ 3×4 v12…v23 @ v24…v35\n", "= matmul 4×4 @ 4×3 "] {
        assert!(printed.contains(line), "{line} in\n{printed}");
    }
    assert!(printed.lines().count() <= 12, "{printed}");
    let d = tape("f(x[3], y[3]) = dot(x, y)");
    assert!(d.print(None, None).contains("v6 = matmul 1×3 @ 3×1 x[0]…x[2] @ y[0]…y[2]\n"), "{}", d.print(None, None));
    assert_eq!(d.len(), 7);
    let x: Vec<f64> = (0..12).map(|k| (k as f64 * 0.37).sin()).collect();
    for row in [0, 5, 11] {
        let tr = reverse_trace(&t, &t.linearize(&x), row);
        assert_eq!(tr.result, jac(&t, &x, Strategy::Reverse).row(row));
    }
    // The partials the views show: ∂(x·y)/∂x[k] = y[k] and ∂/∂y[k] = x[k].
    let lin = d.linearize(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let p = d.partials(6, &lin.vals, &lin.da, &lin.db);
    assert_eq!(p, vec![(0, 4.0), (1, 5.0), (2, 6.0), (3, 1.0), (4, 2.0), (5, 3.0)]);
}

/// A product's Hessian against finite differences of its exact gradient, through a
/// nonlinearity on both sides (its second-order term and the maps' together).
#[test]
fn a_product_hessian_is_the_gradients_derivative() {
    let t = tape("f(A[2, 3], x[3]) = logsumexp(tanh(A) @ sin(x))");
    let x = [0.3, -0.2, 0.5, 0.1, 0.9, -0.4, 0.7, -1.1, 0.25];
    hessian_is_the_gradients_derivative(&t, &x, 1e-8);
}

/// With B known and rows of eight or more terms, each entry sums as the compiler sums the
/// same row written out with known weights (a linear row's four running sums), so the
/// node's values are the written-out program's to the bit there too; and a batch through
/// two layers is one node per layer, its weights data.
#[test]
fn a_batch_through_known_weights_sums_as_the_rows_written_out() {
    let w: Vec<f64> = (0..30).map(|k| ((k * 7 % 11) as f64 - 5.0) / 7.0).collect();
    let literal = |k0: usize, q: usize| {
        let rows: Vec<String> = (0..10)
            .map(|k| {
                format!(
                    "[{}]",
                    (0..q).map(|j| format!("{:?}", w[(k0 + k * q + j) % 30])).collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        format!("[{}]", rows.join(", "))
    };
    let t = tape(&format!("f(X[2, 10]) = X @ {}", literal(0, 3)));
    let entries: Vec<String> = (0..2)
        .flat_map(|i| (0..3).map(move |j| (i, j)))
        .map(|(i, j)| {
            (0..10).map(|k| format!("{:?} * {}", w[(k * 3 + j) % 30], at("x", i, k))).collect::<Vec<_>>().join(" + ")
        })
        .collect();
    let inputs: Vec<String> = (0..2).flat_map(|i| (0..10).map(move |k| at("x", i, k))).collect();
    let s = tape(&format!("f({}) = [{}]", inputs.join(", "), entries.join(", ")));
    assert!(s.blocks.iter().all(|b| b.kind == Kind::Linear) && !s.blocks.is_empty(), "the twin's rows are linear rows");
    let x: Vec<f64> = (0..20).map(|k| (k as f64 * 0.71).sin() * 1e3).collect();
    assert_eq!(t.eval(&x), s.eval(&x));
    let two = tape(&format!("W = {}\nf(X[2, 10]) = tanh(tanh(X @ W) @ [[1, -2], [0.5, 3], [-1, 1]])", literal(0, 3)));
    assert_eq!(two.blocks.len(), 2);
    assert!(two.blocks.iter().all(|b| b.kind == Kind::Product && b.dims().known == Known::B));
    assert!(!two.ops.contains(&jacobian_playground::core::ops::Op::Const));
    assert!(
        two.print(None, None).contains("= matmul 2×10 @ 10×3 X[0, 0]…X[1, 9] @ weights\n"),
        "{}",
        two.print(None, None)
    );
}
