//! softmax, log_softmax and logsumexp as tensor nodes (`core::softmax`): against their
//! twins written out in scalars (max, differences, exponentials, a sum), under every
//! strategy, in second order, in double-double and where values are not finite.

mod common;
use common::*;
use jacobian_playground::core::dense::Kind;
use jacobian_playground::core::digits;
use jacobian_playground::core::hessian::hessian;
use jacobian_playground::core::trace::{forward_trace, reverse_trace};
use jacobian_playground::core::Strategy;
use proptest::prelude::*;
use proptest::strategy::Strategy as _;

/// The kind's name in the language and its twin over entries named `z0`…: the largest
/// entry, each exponential of the difference from it, their sum, then the kind's formula.
fn twin(kind: Kind, n: usize) -> (String, String) {
    let z: Vec<String> = (0..n).map(|i| format!("z{i}")).collect();
    let m = z.iter().skip(1).fold(z[0].clone(), |m, v| format!("max({m}, {v})"));
    let mut lines = vec![format!("m = {m}")];
    lines.extend((0..n).map(|i| format!("e{i} = exp(z{i} - m)")));
    let sum: Vec<String> = (0..n).map(|i| format!("e{i}")).collect();
    lines.push(format!("s = {}", sum.join(" + ")));
    let out = match kind {
        Kind::Softmax => format!("[{}]", (0..n).map(|i| format!("e{i} / s")).collect::<Vec<_>>().join(", ")),
        Kind::LogSoftmax => {
            format!("[{}]", (0..n).map(|i| format!("z{i} - m - log(s)")).collect::<Vec<_>>().join(", "))
        }
        _ => "m + log(s)".into(),
    };
    (kind.name().to_string(), format!("{}\n{out}", lines.join("\n")))
}

/// A random layer's logits z = W·x + b with the kind on top, as a tensor program and as
/// its twin in scalars; the point, and whether the output is one number (for Hessians);
/// and the size of the terms H's entries sum (Σ|c|·(max Σ|W|)²), which cancel where c's
/// signs differ.
fn program() -> impl proptest::strategy::Strategy<Value = (String, String, Vec<f64>, bool, f64)> {
    let kinds = prop_oneof![Just(Kind::Softmax), Just(Kind::LogSoftmax), Just(Kind::LogSumExp)];
    (1usize..4, 1usize..7, kinds, 0.5f64..12.0, any::<bool>()).prop_flat_map(|(n, k, kind, spread, weighted)| {
        let w = prop::collection::vec(prop::collection::vec(-1.0f64..1.0, n), k);
        let b = prop::collection::vec(-spread..spread, k);
        let c = prop::collection::vec(-2.0f64..2.0, k);
        let x = prop::collection::vec(-1.5f64..1.5, n);
        (w, b, c, x).prop_map(move |(w, b, c, x)| {
            let row = |r: &Vec<f64>| format!("[{}]", r.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", "));
            let rows: Vec<String> = w.iter().map(row).collect();
            let (name, body) = twin(kind, k);
            // One number out (a weighted sum) or the kind's own vector.
            let one = weighted || kind == Kind::LogSumExp;
            let tensor_out = match (kind, one) {
                (Kind::LogSumExp, _) => format!("{name}(W @ x + b)"),
                (_, true) => format!("dot({}, {name}(W @ x + b))", row(&c)),
                _ => format!("{name}(W @ x + b)"),
            };
            let tensor = format!("W = [{}]\nb = {}\nf(x[{n}]) = {tensor_out}", rows.join(", "), row(&b));
            let zs: Vec<String> = (0..k)
                .map(|i| {
                    let terms: Vec<String> = (0..n).map(|j| format!("{:?}*x{j}", w[i][j])).collect();
                    format!("z{i} = {} + {:?}", terms.join(" + "), b[i])
                })
                .collect();
            let (body, out) = body.rsplit_once('\n').unwrap();
            let out = if one && kind != Kind::LogSumExp {
                let entries: Vec<&str> = out.trim_matches(['[', ']']).split(", ").collect();
                let terms: Vec<String> = entries.iter().zip(&c).map(|(e, c)| format!("{c:?}*({e})")).collect();
                terms.join(" + ")
            } else {
                out.to_string()
            };
            let xs: Vec<String> = (0..n).map(|j| format!("x{j}")).collect();
            let scalar = format!("{}\n{body}\nf({}) = {out}", zs.join("\n"), xs.join(", "));
            let wide = w.iter().map(|r| r.iter().map(|v| v.abs()).sum::<f64>()).fold(0.0, f64::max);
            let weights = if kind == Kind::LogSumExp || !one { 1.0 } else { c.iter().map(|v| v.abs()).sum() };
            (tensor, scalar, x, one, weights * wide * wide)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn each_kind_and_its_scalar_twin_give_one_j_and_one_hessian((tensor, scalar, x, one, terms) in program()) {
        let (t, s) = (tape(&tensor), tape(&scalar));
        prop_assert!(t.blocks.iter().any(|b| b.kind != Kind::Linear), "{tensor}: one node of its kind");
        let (ft, fs) = (t.eval(&x), s.eval(&x));
        for (a, b) in ft.iter().zip(&fs) {
            prop_assert!((a - b).abs() <= 1e-15 * b.abs().max(1.0), "{tensor}: f {a} vs {b}");
        }
        // J: each strategy on the node against the twin by reverse mode, to a few units of
        // rounding of the paths' magnitudes (Σ|path products|: the twin's tangents pass
        // through the max's, the node's are taken relative to it, and `dot` sums terms of
        // both signs; the same terms, summed apart); and double-double's J, the node's
        // rules in 32 digits, the same to float64's.
        let r = agrees_with_twin(&t, &s, &x, 8e-15);
        prop_assert!(r.is_ok(), "{tensor}\n{}", r.unwrap_err());
        if one {
            let (ht, hs) = (hessian(&t, &x, 0), hessian(&s, &x, 0));
            for (a, b) in ht.h.data.iter().zip(&hs.h.data) {
                prop_assert!((a - b).abs() <= 1e-14 * (b.abs() + terms), "{tensor}\nat {x:?}: H {a} vs {b}");
            }
        }
    }
}

/// The Hessian through a softmax node against finite differences of the exact gradient.
#[test]
fn a_softmax_hessian_is_the_gradients_derivative() {
    let src = "W = [[1, -0.5], [0.3, 2], [-1, 0.7]]\nf(x[2]) = dot([1, -2, 0.5], softmax(W @ x)) + logsumexp(x * x)";
    let h = hessian_is_the_gradients_derivative(&tape(src), &[0.4, -0.9], 1e-8);
    // Symmetric to rounding.
    assert!((h.get(0, 1) - h.get(1, 0)).abs() < 1e-15);
}

/// A confident softmax (p ≈ 1 for one class): its J entries of size 1e-9 keep their
/// digits, where forming ẋₘ − ⟨p, ẋ⟩ would cancel.
#[test]
fn a_confident_softmax_keeps_its_small_entries_digits() {
    let src = "f(z[3]) = softmax(z)";
    let t = tape(src);
    let z = [0.0, 21.0, 1.5];
    let truth = digits::truth(&t, &z).unwrap();
    for s in EXACT {
        let j = jac(&t, &z, s);
        for (k, w) in j.data.iter().enumerate() {
            let d = digits::digits(*w, truth.j[k]).unwrap();
            assert!(d >= 14, "{} J[{k}] = {w:e} has {d} digits", s.name());
        }
    }
}

/// The local partials the traces show (and the path magnitudes the fuzz target bounds
/// rounding by) keep the same digits: 1 − pₘ at p ≈ 1 − 1e-122 is 1e-122, not 0 (the fuzzer
/// found a log_softmax whose path magnitude was 0 under a J entry of 6e-121).
#[test]
fn a_confident_log_softmax_partial_is_not_cancelled() {
    let t = tape("f(z[3]) = log_softmax(z)");
    let z = [0.0, -280.0, -300.0];
    let lin = t.linearize(&z);
    let top = t.partials(t.outputs[0] as usize, &lin.vals, &lin.da, &lin.db);
    let j = jac(&t, &z, Strategy::Reverse);
    assert!(top[0].1 > 1e-122 && (top[0].1 - j.get(0, 0)).abs() <= 1e-16 * j.get(0, 0), "{top:?} vs {}", j.get(0, 0));
    let t = tape("f(z[3]) = softmax(z)");
    let lin = t.linearize(&z);
    let top = t.partials(t.outputs[0] as usize, &lin.vals, &lin.da, &lin.db);
    assert!(top[0].1 > 1e-122, "{top:?}");
}

/// ∞ and NaN: softmax of an infinite entry is NaN as the twin's is; an infinite partial
/// below the node reaches J as it does through scalar rules, and a direction that does
/// not reach it stays 0.
#[test]
fn non_finite_values_and_partials_pass_through_as_through_scalar_rules() {
    let t = tape("f(z[3]) = softmax(z)");
    assert!(t.eval(&[f64::INFINITY, 0.0, 1.0]).iter().all(|v| v.is_nan()));
    assert!(t.eval(&[f64::NAN, 0.0, 1.0]).iter().all(|v| v.is_nan()));
    let t = tape("f(a, b) = softmax([sqrt(a), b])");
    let s =
        tape("m = max(sqrt(a), b)\ne0 = exp(sqrt(a) - m)\ne1 = exp(b - m)\nf(a, b) = [e0 / (e0 + e1), e1 / (e0 + e1)]");
    let want = jac(&s, &[0.0, 0.5], Strategy::Reverse);
    for st in EXACT {
        let j = jac(&t, &[0.0, 0.5], st);
        for (g, w) in j.data.iter().zip(&want.data) {
            assert!(
                g == w || (g - w).abs() < 1e-15 || (g.is_nan() && w.is_nan()),
                "{}: {:?} vs {:?}",
                st.name(),
                j.data,
                want.data
            );
        }
        assert!(
            j.get(0, 1).is_finite() && (j.get(0, 1) + j.get(1, 1)).abs() < 1e-16,
            "{}: b's column sums to 0",
            st.name()
        );
    }
}

/// The traces the pass view steps through: a node's row pushes its partials, which are
/// the local Jacobian diag(p) − ppᵀ, and the traces end at the sweeps' J.
#[test]
fn the_traces_step_through_the_node_with_its_local_jacobian() {
    let t = tape("f(z[3]) = softmax(z)");
    let z = [0.2, -0.4, 1.1];
    let lin = t.linearize(&z);
    let p = t.eval(&z);
    let j = jac(&t, &z, Strategy::Reverse);
    for row in 0..3 {
        let tr = reverse_trace(&t, &lin, row);
        assert_eq!(tr.result, j.row(row), "row {row}");
        let step = tr.steps.iter().find(|s| s.node == t.outputs[row] as usize).unwrap();
        for &(operand, amount) in &step.pushes {
            let want = p[row] * (if operand == row { 1.0 } else { 0.0 } - p[operand]);
            assert!((amount - want).abs() < 1e-16, "∂p{row}/∂z{operand}");
        }
    }
    for col in 0..3 {
        let tr = forward_trace(&t, &lin, col);
        let want: Vec<f64> = (0..3).map(|i| j.get(i, col)).collect();
        for (a, b) in tr.result.iter().zip(&want) {
            assert!((a - b).abs() < 1e-16);
        }
    }
}
