//! Property tests on random programs: every exact strategy gives the same J, complex step
//! agrees, the Hessian is symmetric and matches differences of the gradient, and finite
//! differences behave as theory says.

mod common;
use common::*;
use jacobian_playground::core::fd::{fd_jacobian, step_sweep, tuned_step, FdKind};
use jacobian_playground::core::hessian::hessian;
use jacobian_playground::core::jacobian::forward_columns;
use jacobian_playground::core::sweep::{jvp_into, vjp_into};
use jacobian_playground::core::{choose, Matrix, Strategy};
use jacobian_playground::fuzzing::{exact_agree, path_magnitude};
use proptest::prelude::*;
use proptest::strategy::Strategy as Gen;

/// Random smooth expressions over inputs x0..x{n-1}, bounded so values stay moderate.
fn expr(n: usize) -> impl Gen<Value = String> {
    smooth_expr(n, &[], 5, 40)
}

/// Random expressions with infinite local partials and exact cancellations on either side
/// of them (sqrt(a - a): before; sqrt(a) - sqrt(a): after), at points with exact zeros.
fn singular_expr(n: usize) -> impl Gen<Value = String> {
    let leaf = prop_oneof![(0..n).prop_map(|j| format!("x{j}")), (-2i32..3).prop_map(|c| format!("{c}")),];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} - {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} * {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} / {b})")),
            inner.clone().prop_map(|a| format!("sqrt({a} - {a})")),
            inner.clone().prop_map(|a| format!("(sqrt({a}) - sqrt({a}))")),
            inner.clone().prop_map(|a| format!("sqrt({a})")),
            inner.clone().prop_map(|a| format!("cbrt({a})")),
            inner.clone().prop_map(|a| format!("log({a})")),
            inner.clone().prop_map(|a| format!("abs({a})")),
            inner.clone().prop_map(|a| format!("asin({a})")),
            inner.clone().prop_map(|a| format!("{a}^0.5")),
            inner.clone().prop_map(|a| format!("sin({a})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("hypot({a}, {b})")),
        ]
    })
}

fn singular_programs() -> impl Gen<Value = (String, Vec<f64>)> {
    programs_of(1..4, 1..4, singular_expr, || prop_oneof![Just(0.0), Just(1.0), Just(-1.0), -2.0f64..2.0])
}

fn program() -> impl Gen<Value = (String, Vec<f64>)> {
    programs(1..5)
}

fn programs(outputs: std::ops::Range<usize>) -> impl Gen<Value = (String, Vec<f64>)> {
    programs_of(1..5, outputs, expr, || -2.0f64..2.0)
}

/// `f(x0, …) = [e1, …]` with n inputs and m outputs from the given ranges, each output from
/// `expr(n)`, and a point from `coord`.
fn programs_of<E: Gen<Value = String>, C: Gen<Value = f64>>(
    inputs: std::ops::Range<usize>,
    outputs: std::ops::Range<usize>,
    expr: fn(usize) -> E,
    coord: fn() -> C,
) -> impl Gen<Value = (String, Vec<f64>)> {
    (inputs, outputs).prop_flat_map(move |(n, m)| {
        (proptest::collection::vec(expr(n), m), proptest::collection::vec(coord(), n)).prop_map(move |(outs, x)| {
            let params: Vec<String> = (0..n).map(|j| format!("x{j}")).collect();
            (format!("f({}) = [{}]", params.join(", "), outs.join(", ")), x)
        })
    })
}

fn close(a: &Matrix, b: &Matrix, rel: f64) -> Result<(), String> {
    close_scaled(a, b, rel, a.max_abs().max(b.max_abs()).max(1e-300))
}

fn close_scaled(a: &Matrix, b: &Matrix, rel: f64, scale: f64) -> Result<(), String> {
    for (k, (x, y)) in a.data.iter().zip(&b.data).enumerate() {
        if (x - y).abs() > rel * scale {
            return Err(format!("entry {k}: {x:e} vs {y:e} (scale {scale:e})"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, max_global_rejects: 1_000_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn exact_strategies_agree((src, x) in program()) {
        let t = tape(&src);
        let reference = jac(&t, &x, Strategy::Forward);
        // Outside a primitive's domain (log1p of < -1, …) f is NaN and only AD's partials
        // are defined; those points are not for comparing methods.
        prop_assume!(t.eval(&x).iter().all(|v| v.is_finite()));
        prop_assume!(reference.data.iter().all(|v| v.is_finite()));
        // Strategies sum the same path products in different orders, so they agree to
        // round-off of the products' magnitudes: the Jacobian of |partials|.
        let mut lin = t.linearize(&x);
        lin.da.iter_mut().chain(lin.db.iter_mut()).for_each(|p| *p = p.abs());
        let magnitude = forward_columns(&t, &lin, &mut Vec::new()).0.max_abs();
        for s in EXACT {
            close_scaled(&jac(&t, &x, s), &reference, 1e-15, magnitude).map_err(|e| TestCaseError::fail(format!("{src} [{}]: {e}", s.name())))?;
        }
        let (auto, _) = choose(&t);
        prop_assert!(auto.is_exact());
        // Complex step's own error is O(h²) with h = 1e-20·|x| (an absolute floor of 1e-20),
        // and its real parts (complex hypot, sin …) round differently from libm's by an ulp,
        // which ill-conditioned programs such as sin(hypot(..)^3) amplify ~1000×.
        close_scaled(&jac(&t, &x, Strategy::ComplexStep), &reference, 1e-11, magnitude.max(1e-20)).map_err(|e| TestCaseError::fail(format!("{src} [complex step]: {e}")))?;
        // Differences lose digits against |f|, not |J|: scale by both. Where f oscillates
        // faster than the tuned step resolves (cos(x^9)), halving the step changes the
        // estimate, and differences are no reference there.
        let fscale = t.eval(&x).iter().fold(1.0f64, |m, v| m.max(v.abs()));
        let scale = reference.max_abs().max(fscale);
        let fd = jac(&t, &x, Strategy::FdCentral);
        let half = fd_jacobian(&t, &x, FdKind::Central, Some(tuned_step(FdKind::Central) / 2.0), &mut Vec::new()).0;
        prop_assume!(close_scaled(&fd, &half, 1e-6, scale).is_ok());
        close_scaled(&fd, &reference, 1e-5, scale).map_err(|e| TestCaseError::fail(format!("{src} [central fd]: {e}")))?;
    }

    #[test]
    fn hessian_is_the_jacobian_of_the_gradient((src, x) in programs(1..2)) {
        let t = tape(&src);
        prop_assume!(t.m() == 1);
        prop_assume!(t.eval(&x).iter().all(|v| v.is_finite()));
        let h = hessian(&t, &x, 0);
        prop_assume!(h.h.data.iter().all(|v| v.is_finite()));
        let n = t.n();
        let grad = jac(&t, &x, Strategy::Reverse);
        prop_assume!(grad.data.iter().all(|v| v.is_finite()));
        for j in 0..n {
            prop_assert!((h.gradient[j] - grad.get(0, j)).abs() <= 1e-15 * grad.max_abs().max(1.0));
        }
        // Central differences of the exact gradient: O(h²) ≈ 1e-10 relative.
        let step = 1e-5;
        let scale = h.h.max_abs().max(1.0);
        let central = |j: usize, i: usize, h: f64| {
            let (mut up, mut down) = (x.clone(), x.clone());
            up[j] += h;
            down[j] -= h;
            (jac(&t, &up, Strategy::Reverse).get(0, i) - jac(&t, &down, Strategy::Reverse).get(0, i)) / (2.0 * h)
        };
        for j in 0..n {
            for i in 0..n {
                let fd = central(j, i, step);
                // Where the gradient oscillates too fast for this step (sin(x^27)), halving
                // the step changes the estimate: there differences are no reference.
                prop_assume!((fd - central(j, i, step / 2.0)).abs() <= 1e-7 * scale);
                prop_assert!((h.h.get(i, j) - fd).abs() <= 1e-6 * scale, "{src}: H[{i}][{j}] = {} vs {fd}", h.h.get(i, j));
                prop_assert!((h.h.get(i, j) - h.h.get(j, i)).abs() <= 1e-14 * scale, "symmetric");
            }
        }
    }
}

proptest! {
    // Cheap cases (tiny programs), so the count the issue asks about is run every time.
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    /// Where a partial is ∞ or NaN, every exact strategy gives the same J, and an entry is
    /// non-finite only when neither a forward nor a reverse pass finds it finite.
    #[test]
    fn exact_strategies_agree_through_infinite_partials((src, x) in singular_programs()) {
        let t = tape(&src);
        let lin = t.linearize(&x);
        let magnitude = path_magnitude(&t, &lin);
        let reference = jac(&t, &x, Strategy::Forward);
        for s in EXACT {
            exact_agree(&jac(&t, &x, s), &reference, &magnitude, 1e-13).map_err(|e| TestCaseError::fail(format!("{src} at {x:?} [{}]: {e}", s.name())))?;
        }
        let (mut tangent, mut adjoint) = (Vec::new(), Vec::new());
        for col in 0..t.n() {
            jvp_into(&t, &lin, col, &mut tangent);
            for row in 0..t.m() {
                vjp_into(&t, &lin, row, &mut adjoint);
                let (fwd, rev, got) = (tangent[t.outputs[row] as usize], adjoint[col], reference.get(row, col));
                prop_assert!(got.is_finite() || (!fwd.is_finite() && !rev.is_finite()), "{src} at {x:?}: J[{row}][{col}] = {got}, forward pass {fwd}, reverse pass {rev}");
            }
        }
    }
}

#[test]
fn sparse_colouring_needs_fewer_sweeps_on_a_sparse_jacobian() {
    // A chained map: output i depends on x_i and x_{i+1} only: two colours suffice.
    let n = 12;
    let params: Vec<String> = (0..n).map(|j| format!("x{j}")).collect();
    let outs: Vec<String> = (0..n - 1).map(|i| format!("sin(x{i}) * x{}", i + 1)).collect();
    let t = tape(&format!("f({}) = [{}]", params.join(", "), outs.join(", ")));
    assert_eq!(t.col_colouring.count, 2);
    let (s, reason) = choose(&t);
    assert_eq!(s, Strategy::Sparse, "{reason}");
    let x: Vec<f64> = (0..n).map(|j| j as f64 * 0.1).collect();
    close(&jac(&t, &x, Strategy::Sparse), &jac(&t, &x, Strategy::Reverse), 0.0).unwrap();
}

#[test]
fn auto_picks_forward_for_wide_and_reverse_for_tall() {
    let wide = tape("f(a, b) = [a, b, a*b, a+b, a-b, sin(a*b), cos(a+b), a/b]");
    assert_eq!(choose(&wide).0, Strategy::BatchedForward);
    let tall = tape("f(a, b, c, d, e1, g, h, k) = a*b*c*d*e1*g*h*k");
    assert_eq!(choose(&tall).0, Strategy::BatchedReverse);
}

#[test]
fn finite_difference_errors_follow_theory() {
    let t = tape("f(x) = sin(x)");
    let x = [1.0];
    let exact = jac(&t, &x, Strategy::Forward);
    let sweep = step_sweep(&t, &x, &exact);
    let at = |h: f64| *sweep.iter().find(|s| (s.h / h - 1.0).abs() < 1e-9).unwrap();
    // Truncation: forward O(h), central O(h²).
    let fwd = at(1e-2).forward / at(1e-3).forward;
    let cen = at(1e-2).central / at(1e-3).central;
    assert!((8.0..12.0).contains(&fwd), "forward ratio {fwd}");
    assert!((80.0..120.0).contains(&cen), "central ratio {cen}");
    // Round-off: past the best step the error grows again.
    assert!(at(1e-12).forward > 10.0 * at(1e-8).forward);
    assert!(at(1e-12).central > 10.0 * at(1e-5).central);
    // The tuned steps are near √ε and ∛ε and lose digits: ~1e-8 and ~1e-11.
    let fd = jac(&t, &x, Strategy::FdForward);
    let err = (fd.get(0, 0) - exact.get(0, 0)).abs();
    assert!(err < 1e-7 && err > 1e-12, "forward error {err}");
    assert!((tuned_step(FdKind::Central) - 6.06e-6).abs() < 1e-7);
}

#[test]
fn non_finite_values_propagate_honestly() {
    let t = tape("f(x) = [log(x), sqrt(x), sin(sqrt(x))]");
    let j = jac(&t, &[0.0], Strategy::Forward);
    assert_eq!(j.get(0, 0), f64::INFINITY);
    assert_eq!(j.get(1, 0), f64::INFINITY);
    assert_eq!(j.get(2, 0), f64::INFINITY, "no 0·∞ = NaN from a unary op");
    for s in EXACT {
        let j = jac(&t, &[-1.0], s);
        assert!(j.get(0, 0) == -1.0 && j.get(1, 0).is_nan(), "{}: a NaN elsewhere stays out of row 0", s.name());
        // sqrt(y) + x at y = 0: ∂/∂x is 1 (strong zero), ∂/∂y is ∞.
        let j = jac(&tape("f(x, y) = sqrt(y) + x"), &[1.0, 0.0], s);
        assert_eq!((j.get(0, 0), j.get(0, 1)), (1.0, f64::INFINITY), "{}", s.name());
        // f does not depend on x, whichever side of the infinite partial the cancellation is:
        // before it (forward sees the zero tangent), after it (reverse sees the zero adjoint).
        let j = jac(&tape("f(x, y) = sqrt(x - x) + y"), &[1.0, 2.0], s);
        assert_eq!((j.get(0, 0), j.get(0, 1)), (0.0, 1.0), "{}: sqrt(x - x) + y", s.name());
        let j = jac(&tape("f(x, y) = [sqrt(x) - sqrt(x) + y, sqrt(x)]"), &[0.0, 2.0], s);
        assert_eq!(
            (j.get(0, 0), j.get(0, 1), j.get(1, 0)),
            (0.0, 1.0, f64::INFINITY),
            "{}: sqrt(x) - sqrt(x)",
            s.name()
        );
    }
}
