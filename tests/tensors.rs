//! Vectors and matrices in the language: shapes, broadcasting, `@`, indexing, the tensor
//! functions and the seeded weights, each against the same function written out in scalars
//! or against its closed form; shape errors at the operator, naming both shapes.

mod common;
use common::*;
use jacobian_playground::core::compile::MAX_NODES;
use jacobian_playground::core::hessian::hessian;
use jacobian_playground::core::tensor::Generator;
use jacobian_playground::core::{compile_source, Matrix, Strategy};
use proptest::prelude::*;
use proptest::strategy::Strategy as _;

fn errors(src: &str) -> Vec<(String, String)> {
    match compile_source(src) {
        Ok(_) => panic!("{src}: compiled"),
        Err(ds) => ds.iter().map(|d| (src[d.span.start..d.span.end].to_string(), d.message.clone())).collect(),
    }
}

fn values(src: &str, at: &[f64]) -> Vec<f64> {
    let t = tape(src);
    let mut out = Vec::new();
    t.eval_into(at, &mut out);
    t.outputs.iter().map(|&o| out[o as usize]).collect()
}

/// Every exact strategy and complex step give one J (to `rel` of J's largest entry).
fn agreed(src: &str, at: &[f64], rel: f64) -> Matrix {
    let t = tape(src);
    let want = jac(&t, at, Strategy::Reverse);
    let rows: Vec<Vec<f64>> = want.rows_iter().map(|r| r.to_vec()).collect();
    for s in EXACT.into_iter().chain([Strategy::ComplexStep]) {
        assert_close(&jac(&t, at, s), &rows, rel, rel, &format!("{src} by {}", s.name()));
    }
    want
}

#[test]
fn inputs_are_numbers_vectors_or_matrices_and_j_has_a_column_per_entry() {
    let t = tape("f(x[3], t, W[2, 2]) = sum(x) * t + sum(W)");
    assert_eq!(t.inputs, ["x[0]", "x[1]", "x[2]", "t", "W[0, 0]", "W[0, 1]", "W[1, 0]", "W[1, 1]"]);
    assert_eq!(t.output_names, ["f"]);
    let j = agreed("f(x[3], t, W[2, 2]) = sum(x) * t + sum(W)", &[1.0, 2.0, 3.0, 10.0, 0.0, 0.0, 0.0, 0.0], 0.0);
    assert_eq!(j.data, [10.0, 10.0, 10.0, 6.0, 1.0, 1.0, 1.0, 1.0]);
    // A vector output is labelled by its entries, 0-based; the written-out list keeps f1, f2.
    assert_eq!(tape("net(x[2]) = 2 * x").output_names, ["net[0]", "net[1]"]);
    assert_eq!(tape("f(x[2]) = [[1, 0], [0, 1], [1, 1]] @ x").output_names, ["f[0]", "f[1]", "f[2]"]);
    assert_eq!(tape("g(W[2, 2]) = transpose(W)").output_names, ["g[0, 0]", "g[0, 1]", "g[1, 0]", "g[1, 1]"]);
    assert_eq!(tape("f(x, y) = [x*y, x+y]").output_names, ["f1", "f2"]);
    assert_eq!(tape("f(x[2]) = [x[0]*x[1], x[0]]").output_names, ["f1", "f2"]);
}

#[test]
fn a_layer_equals_the_same_layer_written_out_weight_by_weight() {
    let tensor = "W = [[0.5, -1, 2], [1.5, 0.25, -0.75]]\nb = [0.1, -0.2]\nf(x[3]) = tanh(W @ x + b)";
    let scalar = "f(x0, x1, x2) = [tanh(0.5*x0 + -1*x1 + 2*x2 + 0.1), tanh(1.5*x0 + 0.25*x1 + -0.75*x2 + -0.2)]";
    let at = [0.3, -0.7, 0.2];
    for s in EXACT {
        assert_eq!(jac(&tape(tensor), &at, s).data, jac(&tape(scalar), &at, s).data, "{}", s.name());
    }
    assert_eq!(values(tensor, &at), values(scalar, &at));
}

/// A random two-layer network with literal weights, its hand-scalarised twin, a point, and
/// a bound on the size of the terms that J's entries sum (Σ|W2|·(Σ|W1| + 1)): where they
/// cancel, strategies that add them in other orders differ by rounding of that size.
fn network() -> impl proptest::strategy::Strategy<Value = (String, String, Vec<f64>, f64)> {
    (1usize..5, 1usize..5, 1usize..4).prop_flat_map(|(n, h, m)| {
        let w = |r: usize, c: usize| prop::collection::vec(prop::collection::vec(-2.0f64..2.0, c), r);
        (w(h, n), prop::collection::vec(-1.0f64..1.0, h), w(m, h), prop::collection::vec(-2.0f64..2.0, n)).prop_map(
            move |(w1, b1, w2, x)| {
                let lit = |w: &Vec<Vec<f64>>| {
                    format!(
                        "[{}]",
                        w.iter()
                            .map(|r| format!("[{}]", r.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", ")))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let vec_lit =
                    |v: &Vec<f64>| format!("[{}]", v.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", "));
                let tensor = format!(
                    "W1 = {}\nb1 = {}\nW2 = {}\nh = tanh(W1 @ x + b1)\nf(x[{n}]) = W2 @ h * sigmoid(sum(x))",
                    lit(&w1),
                    vec_lit(&b1),
                    lit(&w2)
                );
                let hs: Vec<String> = (0..h)
                    .map(|i| {
                        let terms: Vec<String> = (0..n).map(|k| format!("{:?}*x{k}", w1[i][k])).collect();
                        format!("h{i} = tanh({} + {:?})", terms.join(" + "), b1[i])
                    })
                    .collect();
                let outs: Vec<String> = (0..m)
                    .map(|i| {
                        let terms: Vec<String> = (0..h).map(|k| format!("{:?}*h{k}", w2[i][k])).collect();
                        let xs: Vec<String> = (0..n).map(|k| format!("x{k}")).collect();
                        format!("({}) * sigmoid({})", terms.join(" + "), xs.join(" + "))
                    })
                    .collect();
                let params: Vec<String> = (0..n).map(|k| format!("x{k}")).collect();
                let scalar = format!("{}\nf({}) = [{}]", hs.join("\n"), params.join(", "), outs.join(", "));
                let terms = w2
                    .iter()
                    .map(|r| {
                        r.iter().zip(&w1).map(|(a, w)| a.abs() * (w.iter().map(|v| v.abs()).sum::<f64>() + 1.0)).sum()
                    })
                    .fold(0.0f64, f64::max);
                (tensor, scalar, x, terms)
            },
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn a_random_network_and_its_scalar_twin_give_one_j_under_every_strategy((tensor, scalar, x, terms) in network()) {
        // Strategy by strategy, the two programs' Jacobians agree to 2e-15 of the entry and of
        // the terms it sums (the tensor form's `W @ h` is a dense block, whose products sum
        // in another order than the written-out one, and the product rule's two terms may
        // meet in the other order: where they cancel, the entry keeps fewer digits than the
        // terms had; a random draw found 16 ulps of a J entry of 1e-2 from terms of 0.5).
        let (t, s) = (tape(&tensor), tape(&scalar));
        for st in EXACT.into_iter().chain([Strategy::ComplexStep]) {
            for (g, w) in jac(&t, &x, st).data.iter().zip(&jac(&s, &x, st).data) {
                prop_assert!((g - w).abs() <= 2e-15 * (w.abs() + terms), "{tensor}\nat {x:?} by {}: {g:e} vs {w:e}", st.name());
            }
        }
        // Across strategies: to 1e-14 of the entry, or of the terms where they cancel.
        let want = jac(&t, &x, Strategy::Reverse);
        for st in EXACT.into_iter().chain([Strategy::ComplexStep]) {
            for (g, w) in jac(&t, &x, st).data.iter().zip(&want.data) {
                prop_assert!((g - w).abs() <= 1e-14 * w.abs().max(terms), "{tensor}\nat {x:?} by {}: {g:e} vs {w:e}", st.name());
            }
        }
    }
}

#[test]
fn softmax_j_is_diag_p_minus_p_p_transposed() {
    let at = [0.3, -1.2, 2.5, 0.0, 1.0];
    let j = agreed("f(z[5]) = softmax(z)", &at, 1e-15);
    let p = values("f(z[5]) = softmax(z)", &at);
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    for i in 0..5 {
        for k in 0..5 {
            let want = if i == k { p[i] } else { 0.0 } - p[i] * p[k];
            assert!((j.get(i, k) - want).abs() <= 1e-16, "J[{i}][{k}] = {} want {want}", j.get(i, k));
        }
    }
    // Stable at sizes where exp overflows; log_softmax and logsumexp agree with it.
    let big = values("f(z[3]) = softmax(z)", &[1000.0, 1001.0, 999.0]);
    assert!(big.iter().all(|v| v.is_finite()) && (big[1] - 0.6652409557748219).abs() < 1e-15, "{big:?}");
    let ls = values("f(z[3]) = log_softmax(z)", &[1000.0, 1001.0, 999.0]);
    for (l, p) in ls.iter().zip(&big) {
        assert!((l - p.ln()).abs() < 1e-14);
    }
    let lse = values("f(z[3]) = logsumexp(z)", &[1000.0, 1001.0, 999.0])[0];
    assert!((lse - (1001.0 + (1.0 + (-1.0f64).exp() + (-2.0f64).exp()).ln())).abs() < 1e-12);
    // A matrix: each row on its own (PyTorch's dim = -1).
    let rows = values("f(Z[2, 2]) = softmax(Z)", &[0.0, 0.0, 1.0, 1.0]);
    assert_eq!(rows, [0.5, 0.5, 0.5, 0.5]);
}

#[test]
fn reductions_products_and_reshapes_compute_what_numpy_does() {
    let at = [1.0, -2.0, 3.0, 4.0];
    let v = |src: &str| values(src, &at);
    assert_eq!(v("f(x[4]) = sum(x)"), [6.0]);
    assert_eq!(v("f(x[4]) = mean(x)"), [1.5]);
    assert_eq!(v("f(x[4]) = max(x)"), [4.0]);
    assert_eq!(v("f(x[4]) = min(x)"), [-2.0]);
    assert_eq!(v("f(x[4]) = max(x, 0)"), [1.0, 0.0, 3.0, 4.0], "two arguments: entry by entry");
    assert_eq!(v("f(x[4]) = norm(x)"), [30f64.sqrt()]);
    assert_eq!(v("f(x[4]) = dot(x, [1, 1, 0, 0])"), [-1.0]);
    assert_eq!(v("f(x[4]) = x @ x"), [30.0]);
    assert_eq!(v("f(x[4]) = outer(x[0:2], [1, 10])"), [1.0, 10.0, -2.0, -20.0]);
    assert_eq!(v("f(x[4]) = diag(x[1:3])"), [-2.0, 0.0, 0.0, 3.0]);
    assert_eq!(v("f(x[4]) = diag(reshape(x, 2, 2))"), [1.0, 4.0]);
    assert_eq!(v("f(x[4]) = transpose(reshape(x, 2, 2))"), [1.0, 3.0, -2.0, 4.0]);
    assert_eq!(v("f(x[4]) = flatten(reshape(x, 2, 2) * 2)"), [2.0, -4.0, 6.0, 8.0]);
    assert_eq!(v("f(x[4]) = concat(x[3], x[0:2], 7)"), [4.0, 1.0, -2.0, 7.0]);
    assert_eq!(v("f(x[4]) = concat(reshape(x, 2, 2), [[5, 6]])"), [1.0, -2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(v("f(x[4]) = eye(2) @ x[2:]"), [3.0, 4.0]);
    assert_eq!(v("f(x[4]) = x[-1] + x[:1]"), [5.0]);
    assert_eq!(v("f(x[4]) = reshape(x, 2, 2)[1]"), [3.0, 4.0], "a matrix's row");
    assert_eq!(v("f(x[4]) = reshape(x, 2, 2)[:, 0]"), [1.0, 3.0], "a matrix's column");
    assert_eq!(v("f(x[4]) = reshape(x, 2, 2)[1, 0]"), [3.0]);
    assert_eq!(v("n = 3\nf(x[4]) = x[n - 1]"), [3.0], "an index may be any constant");
    // Broadcasting: a number with anything, a matrix with a row or a column.
    assert_eq!(v("f(x[4]) = reshape(x, 2, 2) + [10, 20]"), [11.0, 18.0, 13.0, 24.0]);
    assert_eq!(v("f(x[4]) = reshape(x, 2, 2) * [[1], [0]]"), [1.0, -2.0, 0.0, 0.0]);
    assert_eq!(v("f(x[4]) = 1 - x"), [0.0, 3.0, -2.0, -3.0]);
    assert_eq!(v("f(x[4]) = x ^ 2"), [1.0, 4.0, 9.0, 16.0]);
    assert_eq!(v("f(x[4]) = zeros(2) + ones(2)"), [1.0, 1.0]);
    // Derivatives of each against complex step and each other.
    for src in [
        "f(x[4]) = norm(x) * mean(x)",
        "f(x[4]) = reshape(x, 2, 2) @ reshape(x, 2, 2)",
        "f(x[4]) = outer(x, x[1:3]) @ [1, -1]",
        "f(x[4]) = logsumexp(x) - max(x)",
        "f(x[4]) = log_softmax(x * 0.5)",
        "f(x[4]) = sin(x[0:2]) @ transpose(reshape(x, 2, 2)) @ [0, 1]",
    ] {
        agreed(src, &at, 1e-13);
    }
}

#[test]
fn numpy_and_pytorch_spellings_read_as_the_languages_own() {
    let at = [0.3, -0.7, 0.2, 1.1];
    for (spelled, plain) in [
        ("W = [[1, 2], [3, 4]]\nf(x[2, 2]) = W.T @ x", "W = [[1, 2], [3, 4]]\nf(x[2, 2]) = transpose(W) @ x"),
        ("f(x[4]) = torch.tanh(x).sum()", "f(x[4]) = sum(tanh(x))"),
        (
            "f(x[2, 2]) = x.t() @ x.reshape([4]).reshape(2, 2)",
            "f(x[2, 2]) = transpose(x) @ reshape(reshape(x, 4), 2, 2)",
        ),
        ("f(x[4]) = F.softplus(x).mean() * np.pi + math.e", "f(x[4]) = mean(softplus(x)) * pi + e"),
        ("f(x[4]) = torch.nn.functional.relu(-x.T) + x.dot(x)", "f(x[4]) = relu(-transpose(x)) + dot(x, x)"),
        ("def f(x[4]):\n    return jnp.exp(x) / jnp.exp(x).sum()", "f(x[4]) = exp(x) / sum(exp(x))"),
        (
            "W = np.array([[1, 2], [3, 4]])\nf(x[2, 2]) = torch.tensor([[1., 0.], [0., 1.]], dtype=torch.float64) @ W @ x",
            "W = [[1, 2], [3, 4]]\nf(x[2, 2]) = [[1, 0], [0, 1]] @ W @ x",
        ),
        (
            "f(x[4]) = np.maximum(x, 0) + torch.minimum(x, 1) + np.linalg.norm(x) + torch.matmul(x, x) + x.view(2, 2)[0, 1]",
            "f(x[4]) = max(x, 0) + min(x, 1) + norm(x) + x @ x + reshape(x, 2, 2)[0, 1]",
        ),
    ] {
        let (a, b) = (tape(spelled), tape(plain));
        assert_eq!(a.print(None, None), b.print(None, None), "{spelled}");
        assert_eq!(jac(&a, &at, Strategy::Reverse).data, jac(&b, &at, Strategy::Reverse).data, "{spelled}");
    }
    assert_eq!(values("f(x[4]) = reshape(x, [2, 2])[1]", &at), [0.2, 1.1], "NumPy's sizes as one list");
    // Along one axis: PyTorch's dim= and NumPy's axis=, or the axis as the second argument.
    let v = |src: &str| values(src, &[1.0, -2.0, 3.0, 4.0]);
    assert_eq!(v("f(x[2, 2]) = sum(x, dim=0)"), [4.0, 2.0], "columns");
    assert_eq!(v("f(x[2, 2]) = x.sum(1)"), [-1.0, 7.0], "rows");
    assert_eq!(v("f(x[2, 2]) = mean(x, axis=-1)"), [-0.5, 3.5]);
    assert_eq!(v("f(x[4]) = x.sum(dim=0)"), [6.0], "a vector's one axis: a number");
    assert_eq!(v("f(x[2, 2]) = logsumexp(x, 1)"), v("f(x[2, 2]) = [logsumexp(x[0]), logsumexp(x[1])]"));
    // max and min reduce along an axis given by name (PyTorch's amax: values only); with
    // a second value and no name they are elementwise, as NumPy's maximum.
    assert_eq!(v("f(x[2, 2]) = max(x, dim=0)"), [3.0, 4.0]);
    assert_eq!(v("f(x[2, 2]) = x.amin(1)"), [-2.0, 3.0]);
    assert_eq!(v("f(x[2, 2]) = max(x, 1)"), [1.0, 1.0, 3.0, 4.0]);
    // PyTorch's and NumPy's spellings mean what they mean there: a whole number after the
    // value is an axis (`x.max(1)`, `torch.max(x, 1)`, `np.min(x, -1)`), a value is the
    // entrywise maximum (`torch.max(x, y)`, `x.max(y)`).
    assert_eq!(v("f(x[2, 2]) = x.max(1)"), [1.0, 4.0]);
    assert_eq!(v("f(x[2, 2]) = torch.max(x, 0)"), [3.0, 4.0]);
    assert_eq!(v("f(x[2, 2]) = np.min(x, -1)"), [-2.0, 3.0]);
    assert_eq!(v("f(x[2, 2]) = torch.max(x, x * 0.5)"), [1.0, -1.0, 3.0, 4.0]);
    assert_eq!(v("f(x[2, 2]) = x.min(0.5)"), [0.5, -2.0, 0.5, 0.5]);
    assert_eq!(v("f(x[2, 2]) = torch.maximum(x, 1)"), [1.0, 1.0, 3.0, 4.0]);
    assert_eq!(v("f(x[2, 2]) = x.max()"), [4.0]);
    assert_eq!(v("f(x[2, 2]) = norm(x, dim=1)"), [5f64.sqrt(), 5.0]);
    for (spelled, plain) in [
        ("f(x[2, 2]) = softmax(x, dim=0)", "f(x[2, 2]) = transpose(softmax(transpose(x)))"),
        ("f(x[2, 2]) = F.log_softmax(x, dim=-1)", "f(x[2, 2]) = log_softmax(x)"),
        ("f(x[4]) = torch.softmax(x, dim=0)", "f(x[4]) = softmax(x)"),
    ] {
        assert_eq!(v(spelled), v(plain), "{spelled}");
        let j = agreed(spelled, &at, 1e-13);
        assert_eq!(j.data, jac(&tape(plain), &at, Strategy::Reverse).data, "{spelled}");
    }
    for (src, msg) in [
        ("f(x[3]) = sum(x, dim=1)", "dim 1 is not an axis here: dim is 0 (or -1) for a vector of 3"),
        ("f(x[2, 2]) = softmax(x, 2)", "dim is 0 or 1 (or -2 or -1)"),
        ("f(x[3]) = softmax(x, keepdim=1)", "keepdim= is not read"),
        ("f(x[3]) = dot(x, x, dim=0)", "dot takes no dim=: sum, mean, max, min, norm"),
        ("f(x[3]) = softmax(x, dim=x[0])", "dim must be a whole number"),
    ] {
        let e = errors(src);
        assert!(e.len() == 1 && e[0].1.contains(msg), "{src}: {e:?}");
    }
    let e = errors("f(x[3]) = x.shape");
    assert_eq!(e[0].0, "shape");
    assert!(e[0].1.contains("followed by T or a call"), "{}", e[0].1);
    assert!(errors("f(x[3]) = x.")[0].1.contains("expected a name after '.'"));
    assert!(
        errors("f(x[3]) = x.sum(dtype=1)")[0].1.contains("dtype= is not read"),
        "dtype= only where a tensor is made"
    );
    assert!(errors("f(x[4]) = reshape(x, [2, 2, 1])")[0].1.contains("one or two whole numbers"));
}

#[test]
fn shape_errors_point_at_the_operator_and_name_both_shapes() {
    let e = errors("W1 = randn(32, 64, 1)\nf(x[10]) = W1 @ x");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "@");
    assert!(e[0].1.contains("W1 is a 32×64 matrix but x has 10 entries"), "{}", e[0].1);
    let e = errors("f(x[3], y[4]) = x + y");
    assert_eq!(e[0].0, "+");
    assert!(e[0].1.contains("x is a vector of 3 but y is a vector of 4"), "{}", e[0].1);
    let e = errors("f(x[3]) = x @ 2");
    assert!(e[0].1.contains("use *"), "{}", e[0].1);
    let e = errors("f(x[3]) = x[3]");
    assert_eq!(e[0].0, "x[3]");
    assert!(e[0].1.contains("out of range") && e[0].1.contains("0 to 2"), "{}", e[0].1);
    let e = errors("f(x, y) = x[0] + y");
    assert!(e[0].1.contains("x is a number"), "{}", e[0].1);
    let e = errors("f(x[3]) = x[x[0]]");
    assert!(e[0].1.contains("whole number written in the program"), "{}", e[0].1);
    let e = errors("f(x[3]) = [[1, 2], [3]] @ x");
    assert!(e[0].1.contains("entry 0 is a vector of 2 but entry 1 is a vector of 1"), "{}", e[0].1);
    let e = errors("f(x[3]) = reshape(x, 2, 2)");
    assert!(e[0].1.contains("has 3"), "{}", e[0].1);
    let e = errors("f(x[3]) = [x, 1]");
    assert!(e[0].1.contains("each entry of the output list is a number"), "{}", e[0].1);
    // One mistake, one message: what is built on a failed operation stays quiet.
    let e = errors("f(x[3], y[2]) = softmax(tanh(x + y) * 2) @ [1, 2, 3]");
    assert_eq!(e.len(), 1, "{e:?}");
    // A name defined below its use is one message, not one more from the '@' it reaches.
    let e = errors("f(x[2]) = W @ x\nW = [[1, 2], [3, 4]]");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].1.contains("used before it is defined"), "{}", e[0].1);
    // Names of tensor functions are taken, as the scalar ones are.
    assert!(errors("sum = 1\nf(x) = x")[0].1.contains("built-in function"));
    assert!(errors("f(x[0]) = x")[0].1.contains("a whole number from 1"));
    assert!(errors("f(x[2, 2, 2]) = x")[0].1.contains("more than two axes"));
}

#[test]
fn huge_tensors_are_an_error_not_a_hang() {
    let t = std::time::Instant::now();
    let e = errors("W = randn(2000, 2000, 1)\nf(x[2000]) = W @ (W @ x)");
    assert!(e.iter().any(|(_, m)| m.contains(&format!("past {MAX_NODES}"))), "{e:?}");
    assert!(errors("f(x[100, 101]) = x")[0].1.contains("at most 10000"));
    // Every operation counts, reductions and softmax too, not only the ones sized up front.
    for src in ["f(x) = sum(randn(800, 800, 1)) * x", "f(x) = softmax(randn(800, 800, 1) * x)"] {
        let e = errors(src);
        assert!(e.iter().any(|(_, m)| m.contains(&format!("past {MAX_NODES}"))), "{src}: {e:?}");
    }
    assert!(t.elapsed().as_secs_f64() < 5.0, "{:?}", t.elapsed());
}

/// The first numbers of seed 1: fixed by the algorithm (SplitMix64, the polar method, musl's
/// log), the same in the browser (tests/e2e/tensors.test.mjs reads them off the page).
pub const RANDN_SEED_1: [f64; 3] = [0.42945220538400686, 1.5857725335739927, 0.4564552075888475];

#[test]
fn seeded_weights_are_reproducible_and_distributed_as_named() {
    assert_eq!(Generator::new(1).normals(3), RANDN_SEED_1);
    assert_eq!(values("f(x) = randn(3, 1) * x", &[1.0]), RANDN_SEED_1);
    assert_eq!(values("f(x) = flatten(randn(1, 3, 1)) * x", &[1.0]), RANDN_SEED_1, "a shape reads the same stream");
    assert_ne!(values("f(x) = randn(3, 2) * x", &[1.0]), RANDN_SEED_1);
    let z = Generator::new(7).normals(100_000);
    let mean = z.iter().sum::<f64>() / z.len() as f64;
    let var = z.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / z.len() as f64;
    assert!(mean.abs() < 0.01 && (var - 1.0).abs() < 0.02, "mean {mean}, variance {var}");
    let mut g = Generator::new(7);
    let u: Vec<f64> = (0..100_000).map(|_| g.uniform()).collect();
    assert!(u.iter().all(|v| (0.0..1.0).contains(v)));
    assert!((u.iter().sum::<f64>() / 1e5 - 0.5).abs() < 0.005);
}

#[test]
fn a_three_line_network_compiles_and_differentiates() {
    let src = "W1 = randn(16, 8, 1) / sqrt(8)\nW2 = randn(4, 16, 2) / 4\nnet(x[8]) = softmax(W2 @ tanh(W1 @ x) + 0.1)";
    let at: Vec<f64> = (0..8).map(|k| (k as f64 - 3.5) / 4.0).collect();
    let j = agreed(src, &at, 1e-14);
    assert_eq!((j.rows, j.cols), (4, 8));
    // Softmax outputs sum to one, so J's columns sum to zero.
    for c in 0..8 {
        let s: f64 = (0..4).map(|r| j.get(r, c)).sum();
        assert!(s.abs() < 1e-16, "column {c} sums to {s}");
    }
}

#[test]
fn the_hessian_of_a_tensor_program_is_its_closed_form_and_the_jacobian_of_its_gradient() {
    // f = logsumexp(W x): ∇f = Wᵀp and H = Wᵀ (diag(p) − ppᵀ) W, with p = softmax(W x).
    let w = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]];
    let src = "W = [[0.5, -1, 2], [1.5, 0.25, -0.75]]\nf(x[3]) = logsumexp(W @ x)";
    let x = [0.3, -0.7, 0.2];
    let t = tape(src);
    let h = hessian(&t, &x, 0);
    let z: Vec<f64> = w.iter().map(|r| r.iter().zip(&x).map(|(a, b)| a * b).sum()).collect();
    let zmax = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|v| (v - zmax).exp()).collect();
    let p: Vec<f64> = e.iter().map(|v| v / e.iter().sum::<f64>()).collect();
    for i in 0..3 {
        let g: f64 = (0..2).map(|k| w[k][i] * p[k]).sum();
        assert!((h.gradient[i] - g).abs() < 1e-15, "∇f[{i}]");
        for j in 0..3 {
            let mut want = 0.0;
            for a in 0..2 {
                for b in 0..2 {
                    want += w[a][i] * (if a == b { p[a] } else { 0.0 } - p[a] * p[b]) * w[b][j];
                }
            }
            assert!((h.h.get(i, j) - want).abs() < 1e-15, "H[{i}][{j}] = {} want {want}", h.h.get(i, j));
        }
    }
    // And against central differences of the exact gradient.
    for j in 0..3 {
        let (mut up, mut down) = (x.to_vec(), x.to_vec());
        up[j] += 1e-5;
        down[j] -= 1e-5;
        for i in 0..3 {
            let fd = (jac(&t, &up, Strategy::Reverse).get(0, i) - jac(&t, &down, Strategy::Reverse).get(0, i)) / 2e-5;
            assert!((h.h.get(i, j) - fd).abs() < 1e-9, "H[{i}][{j}] vs differences {fd}");
        }
    }
}

/// A shape error counts in words that agree with the number: "1 row", "2 rows".
#[test]
fn matmul_errors_say_one_row_and_one_entry() {
    for (src, says) in [
        ("f(X[3, 2]) = X @ [[0, 1]]", "the right side has 1 row"),
        ("f(W[2, 1], x[3]) = W @ x", "needs x to have 1 entry, one per column of W"),
        ("f(W[2, 3], x[2]) = W @ x", "needs x to have 3 entries"),
    ] {
        let e = jacobian_playground::core::compile_source(src).unwrap_err();
        assert!(e[0].message.contains(says), "{src}: {}", e[0].message);
    }
}

/// The joiners, `unsqueeze`, `keepdim=` and stepped slices give NumPy's and PyTorch's
/// values (written here as NumPy prints them), a J every strategy agrees on, and a form
/// "how it was read" shows that reads back as the same function.
#[test]
fn joiners_unsqueeze_keepdim_and_steps_compute_what_numpy_and_pytorch_do() {
    use jacobian_playground::core::parser::parse;
    use jacobian_playground::view::editor::explicit_form;
    let xy = [1.0, 2.0, 3.0, 4.0];
    let m23 = [1.0, 2.0, 3.0, 4.0, 5.0, 9.0];
    // (program, point, output shape, output values)
    type Case<'a> = (&'a str, &'a [f64], &'a [usize], &'a [f64]);
    let cases: &[Case] = &[
        ("f(x[2], y[2]) = torch.cat([x, y])", &xy, &[4], &[1.0, 2.0, 3.0, 4.0]),
        ("f(x[2], y[2]) = torch.cat((x, y), dim=-1)", &xy, &[4], &[1.0, 2.0, 3.0, 4.0]),
        ("f(x[2], y[2]) = np.concatenate([y, x], axis=0)", &xy, &[4], &[3.0, 4.0, 1.0, 2.0]),
        ("f(x[2], y[2]) = torch.stack([x, y])", &xy, &[2, 2], &[1.0, 2.0, 3.0, 4.0]),
        ("f(x[2], y[2]) = torch.stack((x, y), dim=1)", &xy, &[2, 2], &[1.0, 3.0, 2.0, 4.0]),
        ("f(x[2], y[2]) = np.stack([x[0], y[1]])", &xy, &[2], &[1.0, 4.0]),
        ("f(x[2], y[2]) = np.vstack([x, y, x])", &xy, &[3, 2], &[1.0, 2.0, 3.0, 4.0, 1.0, 2.0]),
        ("f(x[2], y[2]) = np.hstack([x, y, 7])", &xy, &[5], &[1.0, 2.0, 3.0, 4.0, 7.0]),
        ("f(x[2], y[2]) = np.column_stack([x, y])", &xy, &[2, 2], &[1.0, 3.0, 2.0, 4.0]),
        (
            "f(X[2, 2], y[2]) = np.column_stack([X, y])",
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            &[2, 3],
            &[1.0, 2.0, 5.0, 3.0, 4.0, 6.0],
        ),
        (
            "f(X[2, 2], Y[2, 1]) = torch.cat([X, Y], dim=1)",
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            &[2, 3],
            &[1.0, 2.0, 5.0, 3.0, 4.0, 6.0],
        ),
        (
            "f(X[2, 2], Y[1, 2]) = torch.cat([X, Y])",
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            &[3, 2],
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        ),
        ("f(X[1, 2], y[2]) = np.vstack((X, y))", &xy, &[2, 2], &[1.0, 2.0, 3.0, 4.0]),
        ("f(x[3]) = x.unsqueeze(0)", &[1.0, 2.0, 3.0], &[1, 3], &[1.0, 2.0, 3.0]),
        (
            "f(x[3]) = torch.unsqueeze(x, -1) * [10, 20]",
            &[1.0, 2.0, 3.0],
            &[3, 2],
            &[10.0, 20.0, 20.0, 40.0, 30.0, 60.0],
        ),
        ("f(x[3]) = np.expand_dims(sum(x), 0)", &[1.0, 2.0, 3.0], &[1], &[6.0]),
        ("f(X[2, 3]) = X - X.max(dim=1, keepdim=True)", &m23, &[2, 3], &[-2.0, -1.0, 0.0, -5.0, -4.0, 0.0]),
        ("f(X[2, 3]) = X.sum(0, keepdim=True)", &m23, &[1, 3], &[5.0, 7.0, 12.0]),
        ("f(X[2, 3]) = np.sum(X, axis=1, keepdims=True)", &m23, &[2, 1], &[6.0, 18.0]),
        (
            "f(X[2, 3]) = X / X.norm(dim=-1, keepdim=True)",
            &[3.0, 0.0, 4.0, 0.0, 5.0, 0.0],
            &[2, 3],
            &[0.6, 0.0, 0.8, 0.0, 1.0, 0.0],
        ),
        ("f(x[5]) = x[::2]", &[1.0, 2.0, 3.0, 4.0, 5.0], &[3], &[1.0, 3.0, 5.0]),
        ("f(x[5]) = x[::-1]", &[1.0, 2.0, 3.0, 4.0, 5.0], &[5], &[5.0, 4.0, 3.0, 2.0, 1.0]),
        ("f(x[5]) = x[3:0:-2]", &[1.0, 2.0, 3.0, 4.0, 5.0], &[2], &[4.0, 2.0]),
        ("f(x[5]) = x[-2::-3]", &[1.0, 2.0, 3.0, 4.0, 5.0], &[2], &[4.0, 1.0]),
        ("f(x[5]) = x[1:100:3]", &[1.0, 2.0, 3.0, 4.0, 5.0], &[2], &[2.0, 5.0]),
        (
            "f(X[3, 3]) = X[::2, ::-1]",
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
            &[2, 3],
            &[3.0, 2.0, 1.0, 9.0, 8.0, 7.0],
        ),
        ("f(x, y) = sum(torch.tensor((x, y, 1.0)) * (2, 3, 4))", &[1.0, 2.0], &[], &[12.0]),
    ];
    for &(src, at, shape, want) in cases {
        let t = tape(src);
        assert_eq!(t.output_shape, shape, "{src}");
        assert_eq!(values(src, at), want, "{src}");
        // J against the same function's values by complex step and every exact strategy,
        // and against a central difference (each output is linear in the inputs, or nearly).
        let j = agreed(src, at, 1e-15);
        assert_eq!((j.rows, j.cols), (want.len(), at.len()), "{src}");
        let (program, e) = parse(src);
        assert!(e.is_empty(), "{src}");
        let read = explicit_form(&program);
        assert_eq!(values(&read, at), want, "{src} read as {read}");
        assert_eq!(jac(&tape(&read), at, Strategy::Reverse).data, j.data, "{src} read as {read}");
    }
    // A selection's J is a 0/1 matrix: x[::-1]'s is the reversal.
    let j = agreed("f(x[3]) = x[::-1]", &[1.0, 2.0, 3.0], 0.0);
    assert_eq!(j.data, [0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0]);
    for (src, at, msg) in [
        ("f(x[2], y[2]) = torch.stack([x, y], dim=2)", "2", "stack joins along dim 0 or 1 (or -1): a value has at most two axes, not dim 2"),
        ("f(x[2], y[2]) = torch.cat([x, y], dim=x[0])", "x[0]", "cat's dim= is a whole number written out"),
        ("f(x[2], y[3]) = torch.stack([x, y])", "stack([x, y])", "stack joins values of one shape: argument 0 is a vector of 2 but argument 1 is a vector of 3"),
        ("f(X[2, 2]) = torch.stack([X, X])", "stack([X, X])", "three axes"),
        ("f(X[2, 2], y[3]) = np.vstack([X, y])", "vstack([X, y])", "vstack joins values of one width: argument 0 is a 2×2 matrix but argument 1 is a vector of 3"),
        ("f(X[2, 2], y[2]) = np.hstack([X, y])", "hstack([X, y])", "hstack joins vectors end to end or matrices, not both: argument 0 is a 2×2 matrix but argument 1 is a vector of 2"),
        ("f(X[2, 3], Y[2, 2]) = torch.cat([X, Y])", "cat([X, Y])", "concat joins values of one width: argument 0 is a 2×3 matrix but argument 1 is a 2×2 matrix"),
        ("f(X[2, 3], Y[3, 3]) = torch.cat([X, Y], dim=1)", "cat([X, Y], dim=1)", "hstack joins values of one height: argument 0 is a 2×3 matrix but argument 1 is a 3×3 matrix"),
        ("f(X[2, 2]) = X.unsqueeze(0)", "X.unsqueeze(0)", "a third axis"),
        ("f(x[2]) = x.unsqueeze(2)", "x.unsqueeze(2)", "unsqueeze's axis is 0 or 1 (or -2 or -1) for a vector of 2, not 2"),
        ("f(X[2, 2]) = X.sum(keepdim=True)", "True", "keepdim=True keeps the axis a reduction runs along"),
        ("f(X[2, 2]) = max(X, 1, keepdim=True)", "True", "keepdim= is for a reduction along an axis"),
        ("f(X[2, 2]) = X.sum(0, keepdim=2)", "2", "keepdim= is True or False"),
        ("f(x[4]) = x[::0]", "x[::0]", "a slice's step cannot be 0"),
        ("f(x[4]) = x[::x[0]]", "x[::x[0]]", "an index must be a whole number"),
        ("f(x[4]) = x[3:1:1]", "x[3:1:1]", "this slice of x is empty"),
        ("f(x[2]) = np.hstack([x, x], axis=0)", "axis", "hstack takes no axis="),
    ] {
        let e = errors(src);
        assert!(e.len() == 1 && e[0].1.contains(msg) && e[0].0 == at, "{src}: {e:?}");
    }
}
