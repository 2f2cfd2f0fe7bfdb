//! max, min and norm as tensor nodes (`core::reduce`): against their twins written out as
//! folds of the binary functions (max, min, hypot), under every strategy, in second order
//! and double-double; ties, NaN, the float64 range's ends; along an axis.

mod common;
use common::*;
use jacobian_playground::core::dense::Kind;
use jacobian_playground::core::hessian::hessian;
use jacobian_playground::core::trace::reverse_trace;
use jacobian_playground::core::Strategy;
use proptest::prelude::*;
use proptest::strategy::Strategy as _;

/// A random layer's z = W·x + b reduced by the kind, as a tensor program and as its twin
/// in scalars (the binary function folded left to right); the point.
fn program() -> impl proptest::strategy::Strategy<Value = (Kind, String, String, Vec<f64>)> {
    let kinds = prop_oneof![Just(Kind::Max), Just(Kind::Min), Just(Kind::Norm)];
    (1usize..4, 2usize..9, kinds).prop_flat_map(|(n, k, kind)| {
        let w = prop::collection::vec(prop::collection::vec(-1.0f64..1.0, n), k);
        let b = prop::collection::vec(-3.0f64..3.0, k);
        let x = prop::collection::vec(-1.5f64..1.5, n);
        (w, b, x).prop_map(move |(w, b, x)| {
            let row = |r: &Vec<f64>| format!("[{}]", r.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", "));
            let rows: Vec<String> = w.iter().map(row).collect();
            let tensor = format!("W = [{}]\nb = {}\nf(x[{n}]) = {}(W @ x + b)", rows.join(", "), row(&b), kind.name());
            let zs: Vec<String> = (0..k)
                .map(|i| {
                    let terms: Vec<String> = (0..n).map(|j| format!("{:?}*x{j}", w[i][j])).collect();
                    format!("z{i} = {} + {:?}", terms.join(" + "), b[i])
                })
                .collect();
            let f = if kind == Kind::Norm { "hypot" } else { kind.name() };
            let fold = (1..k).fold("z0".to_string(), |acc, i| format!("{f}({acc}, z{i})"));
            let xs: Vec<String> = (0..n).map(|j| format!("x{j}")).collect();
            let scalar = format!("{}\nf({}) = {fold}", zs.join("\n"), xs.join(", "));
            (kind, tensor, scalar, x)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn each_kind_and_its_folded_twin_give_one_j_and_one_hessian((kind, tensor, scalar, x) in program()) {
        let (t, s) = (tape(&tensor), tape(&scalar));
        prop_assert!(t.blocks.iter().any(|b| b.kind == kind), "{tensor}: one node of its kind");
        let (ft, fs) = (t.eval(&x)[0], s.eval(&x)[0]);
        // The node's value is the twin's fold, to the bit.
        prop_assert!(ft == fs, "{tensor}: f {ft} vs {fs}");
        let r = agrees_with_twin(&t, &s, &x, 8e-15);
        prop_assert!(r.is_ok(), "{tensor}\n{}", r.unwrap_err());
        // H: the norm's (I − ggᵀ)/‖z‖ through the layer; max and min are piecewise linear.
        let (ht, hs) = (hessian(&t, &x, 0), hessian(&s, &x, 0));
        let scale = hs.h.data.iter().fold(1.0f64 / ft.abs().max(1e-300), |m, v| m.max(v.abs()));
        for (a, b) in ht.h.data.iter().zip(&hs.h.data) {
            prop_assert!((a - b).abs() <= 1e-13 * scale, "{tensor}\nat {x:?}: H {a} vs {b}");
        }
    }
}

/// Equal largest entries share the derivative evenly (PyTorch's amax), under every
/// exact strategy and the trace; a fold of binary max would give them ¼, ¼, ½. (Complex
/// step picks one of them, as it does for binary max: a tie is where max has no
/// derivative, and the check's own choice.)
#[test]
fn ties_share_the_derivative_evenly() {
    for (src, at) in [("f(x[3]) = max(x)", [2.0, 2.0, 2.0]), ("f(x[3]) = min(x)", [-1.0, 5.0, -1.0])] {
        let t = tape(src);
        assert_eq!(t.blocks.len(), 1, "{src}");
        let want: Vec<f64> = at.iter().map(|&v| if v == at[0] { 1.0 } else { 0.0 }).collect();
        let ties = want.iter().sum::<f64>();
        for st in EXACT {
            let j = jac(&t, &at, st);
            for (g, w) in j.data.iter().zip(&want) {
                assert!((g - w / ties).abs() < 1e-16, "{src} by {}: {:?}", st.name(), j.data);
            }
        }
        let tr = reverse_trace(&t, &t.linearize(&at), 0);
        assert_eq!(tr.result, jac(&t, &at, Strategy::Reverse).row(0), "{src}");
    }
}

/// A NaN entry makes the value NaN and J's row NaN in each direction that reaches it;
/// ∞ is the max, with the derivative 1.
#[test]
fn nan_and_infinity() {
    let t = tape("f(x[3]) = [max(x), min(x), norm(x)]");
    let at = [1.0, f64::NAN, 2.0];
    assert!(t.eval(&at).iter().all(|v| v.is_nan()));
    for st in EXACT {
        assert!(jac(&t, &at, st).data.iter().all(|v| v.is_nan()), "{}", st.name());
    }
    let at = [1.0, f64::INFINITY, 2.0];
    assert_eq!(t.eval(&at), vec![f64::INFINITY, 1.0, f64::INFINITY]);
    for st in EXACT {
        let j = jac(&t, &at, st);
        assert_eq!(j.row(0), vec![0.0, 1.0, 0.0], "{}", st.name());
        assert_eq!(j.row(1), vec![1.0, 0.0, 0.0], "{}", st.name());
    }
}

/// The norm keeps float64's range as hypot does: entries of 1e200 or 1e-200, whose
/// squares overflow or vanish, and the zero vector (gradient 0, as hypot's).
#[test]
fn the_norm_neither_overflows_nor_underflows() {
    let t = tape("f(x[2]) = norm(x)");
    for scale in [1e200, 1e-200, 1e-310, 1.0] {
        let at = [3.0 * scale, 4.0 * scale];
        let f = t.eval(&at)[0];
        assert!((f - 5.0 * scale).abs() <= 2e-16 * 5.0 * scale + 5e-324, "{scale}: {f}");
        // Complex step's own step is far larger than subnormal entries: not there.
        let complex = if scale > 1e-300 { Some(Strategy::ComplexStep) } else { None };
        for st in EXACT.into_iter().chain(complex) {
            let j = jac(&t, &at, st);
            assert!(
                (j.get(0, 0) - 0.6).abs() < 1e-15 && (j.get(0, 1) - 0.8).abs() < 1e-15,
                "{scale} by {}: {:?}",
                st.name(),
                j.data
            );
        }
    }
    assert_eq!(t.eval(&[0.0, 0.0]), vec![0.0]);
    for st in EXACT {
        assert_eq!(jac(&t, &[0.0, 0.0], st).data, vec![0.0, 0.0]);
    }
    assert_eq!(tape("f(x[3]) = norm(x)").eval(&[f64::INFINITY, 1.0, 0.0]), vec![f64::INFINITY]);
}

/// The Hessian through a norm node against finite differences of the exact gradient.
#[test]
fn a_norm_hessian_is_the_gradients_derivative() {
    let src = "W = [[1, -0.5], [0.3, 2], [-1, 0.7]]\nf(x[2]) = norm(W @ x + [0.1, 0.2, 0.3]) + max(x * x)";
    hessian_is_the_gradients_derivative(&tape(src), &[0.4, -0.9], 1e-7);
}

/// One line on the printed tape each; along an axis, a node per lane, reading a matrix's
/// columns (not consecutive nodes) through a gather. `x.max(dim=…)`, `amax` and `amin`
/// are the same reductions; `max(a, b)` stays elementwise.
#[test]
fn reductions_print_as_one_line_and_reduce_along_an_axis() {
    let t = tape("f(x[6]) = max(x)");
    assert!(t.print(None, None).contains("v6 = max x[0]…x[5]\n"), "{}", t.print(None, None));
    let t = tape("f(M[2, 3]) = concat(M.max(dim=0), min(M, dim=1), norm(M, axis=-1), [amax(M), torch.amin(M)])");
    let printed = t.print(None, None);
    for line in [
        "v6…v7 = gather [M[0, 0], M[1, 0]]\nv8 = max v6…v7\n",
        "v15 = min M[0, 0]…M[0, 2]\n",
        "v18 = norm M[1, 0]…M[1, 2]\n",
        "v19 = max M[0, 0]…M[1, 2]\n",
    ] {
        assert!(printed.contains(line), "{line}in\n{printed}");
    }
    let at = [1.0, 5.0, 3.0, 4.0, 2.0, 6.0];
    let f = t.eval(&at);
    assert_eq!(&f[..5], &[4.0, 5.0, 6.0, 1.0, 2.0]);
    assert!((f[5] - 35f64.sqrt()).abs() < 1e-15 && (f[6] - 56f64.sqrt()).abs() < 1e-15);
    assert_eq!(&f[7..], &[6.0, 1.0]);
    let j = jac(&t, &at, Strategy::Reverse);
    assert_eq!(j.row(0), vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    assert_eq!(j.row(8), vec![1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    let elementwise = tape("f(x[2]) = max(x, 0.5)");
    assert_eq!(elementwise.eval(&[0.0, 2.0]), vec![0.5, 2.0]);
}

/// Along a matrix's columns, entries that are not consecutive nodes: each lane is read
/// through a gather. Against the same kind along the rows of the transposed matrix (no
/// gather: its rows are consecutive), entry for entry, under every strategy, with complex
/// step and in second order.
fn columns() -> impl proptest::strategy::Strategy<Value = (String, usize, usize, Vec<f64>, Vec<f64>)> {
    let kinds = prop_oneof![
        Just("softmax"),
        Just("log_softmax"),
        Just("logsumexp"),
        Just("max"),
        Just("min"),
        Just("norm"),
        Just("sum")
    ];
    (2usize..5, 1usize..4, kinds).prop_flat_map(|(r, c, kind)| {
        let m = prop::collection::vec(-3.0f64..3.0, r * c);
        let w = prop::collection::vec(-2.0f64..2.0, r * c);
        (Just(kind.to_string()), Just(r), Just(c), m, w)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn a_kind_along_columns_is_the_kind_along_the_transposes_rows((kind, r, c, m, w) in columns()) {
        let per_entry = kind.ends_with("softmax");
        let a = tape(&format!("f(M[{r}, {c}]) = {kind}(M, dim=0)"));
        let b = tape(&format!("f(T[{c}, {r}]) = {kind}(T, dim=1)"));
        // (One column is consecutive already; a sum of a column is a dense row.)
        if kind != "sum" && c > 1 {
            prop_assert!(a.blocks.iter().any(|b| b.kind == Kind::Gather), "{kind}: read through a gather");
        }
        let t: Vec<f64> = (0..r * c).map(|k| m[(k % r) * c + k / r]).collect();
        // Output o of A is output `out(o)` of B; input M[i, j] is B's T[j, i].
        let out = |o: usize| if per_entry { (o % c) * r + o / c } else { o };
        let col = |k: usize| (k % c) * r + k / c;
        let jb = jac(&b, &t, Strategy::Reverse);
        for st in EXACT.into_iter().chain([Strategy::ComplexStep]) {
            let ja = jac(&a, &m, st);
            for o in 0..a.m() {
                for k in 0..r * c {
                    let (x, y) = (ja.get(o, k), jb.get(out(o), col(k)));
                    prop_assert!((x - y).abs() <= 4e-15 * y.abs().max(1.0), "{kind} {r}×{c} by {}: J[{o}][{k}] {x} vs {y}", st.name());
                }
            }
        }
        // Second order: Σ W ⊙ kind(M), one number.
        let weights = |rows: usize, cols: usize, v: &dyn Fn(usize) -> f64| {
            let rows_s: Vec<String> = (0..rows)
                .map(|i| format!("[{}]", (0..cols).map(|j| format!("{:?}", v(i * cols + j))).collect::<Vec<_>>().join(", ")))
                .collect();
            format!("[{}]", rows_s.join(", "))
        };
        let (wa, wb) = if per_entry {
            (weights(r, c, &|k| w[k]), weights(c, r, &|k| w[(k % r) * c + k / r]))
        } else {
            (weights(1, c, &|k| w[k]).trim_matches(['[', ']']).to_string(), weights(1, c, &|k| w[k]).trim_matches(['[', ']']).to_string())
        };
        let (wa, wb) = if per_entry { (wa, wb) } else { (format!("[{wa}]"), format!("[{wb}]")) };
        let ha = hessian(&tape(&format!("f(M[{r}, {c}]) = sum({wa} * {kind}(M, dim=0))")), &m, 0).h;
        let hb = hessian(&tape(&format!("f(T[{c}, {r}]) = sum({wb} * {kind}(T, dim=1))")), &t, 0).h;
        let scale = hb.data.iter().fold(1.0f64, |s, v| s.max(v.abs()));
        for k in 0..r * c {
            for l in 0..r * c {
                let (x, y) = (ha.get(k, l), hb.get(col(k), col(l)));
                prop_assert!((x - y).abs() <= 1e-14 * scale, "{kind} {r}×{c}: H[{k}][{l}] {x} vs {y}");
            }
        }
    }
}
