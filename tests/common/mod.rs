#![allow(dead_code)]
use jacobian_playground::core::{compile_source, Tape};
use jacobian_playground::core::{jacobian, Matrix, Strategy, Workspace};

pub fn tape(src: &str) -> Tape {
    compile_source(src).unwrap_or_else(|e| panic!("{src}: {}", e.iter().map(|d| d.render(src)).collect::<String>()))
}

pub fn jac(t: &Tape, x: &[f64], s: Strategy) -> Matrix {
    jacobian(t, x, s, &mut Workspace::default()).j
}

/// The exact Hessian of output 0 against central differences (step 1e-6) of the exact
/// gradient, entry by entry within `tol`; returns the Hessian.
pub fn hessian_is_the_gradients_derivative(t: &Tape, x: &[f64], tol: f64) -> Matrix {
    let h = jacobian_playground::core::hessian::hessian(t, x, 0).h;
    let step = 1e-6;
    for j in 0..x.len() {
        let (mut up, mut down) = (x.to_vec(), x.to_vec());
        up[j] += step;
        down[j] -= step;
        let (gu, gd) = (jac(t, &up, Strategy::Reverse), jac(t, &down, Strategy::Reverse));
        for i in 0..x.len() {
            let fd = (gu.get(0, i) - gd.get(0, i)) / (2.0 * step);
            assert!((fd - h.get(i, j)).abs() < tol, "H[{i}][{j}] = {} vs {fd}", h.get(i, j));
        }
    }
    h
}

/// A tensor program `t` against its twin written out in scalars `s` at `x`: J by every
/// exact strategy and complex step, and double-double's J, each within `rel` of the
/// paths' magnitude (Σ|path products|) of the twin's J by reverse mode.
pub fn agrees_with_twin(t: &Tape, s: &Tape, x: &[f64], rel: f64) -> Result<(), String> {
    use jacobian_playground::fuzzing::{exact_agree, path_magnitude};
    let want = jac(s, x, Strategy::Reverse);
    let mag = path_magnitude(t, &t.linearize(x));
    for st in EXACT.into_iter().chain([Strategy::ComplexStep]) {
        exact_agree(&jac(t, x, st), &want, &mag, rel).map_err(|e| format!("at {x:?} by {}: {e}", st.name()))?;
    }
    let truth = jacobian_playground::core::digits::truth(t, x).ok_or("double-double's J was not computed")?;
    for (k, w) in want.data.iter().enumerate() {
        if (truth.j[k].hi - w).abs() > rel * mag.data[k] {
            return Err(format!("double-double's J[{k}] {} vs {w}", truth.j[k].hi));
        }
    }
    Ok(())
}

pub const EXACT: [Strategy; 5] =
    [Strategy::Forward, Strategy::Reverse, Strategy::BatchedForward, Strategy::BatchedReverse, Strategy::Sparse];

/// |got − want| ≤ rel·|want| + abs_scale·max|J| for every entry (NaN only matches NaN).
pub fn assert_close(got: &Matrix, want: &[Vec<f64>], rel: f64, abs_scale: f64, what: &str) {
    assert_eq!(got.rows, want.len(), "{what}: rows");
    let scale = want.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
    for (i, row) in want.iter().enumerate() {
        assert_eq!(got.cols, row.len(), "{what}: cols");
        for (j, &w) in row.iter().enumerate() {
            let g = got.get(i, j);
            if w.is_nan() {
                assert!(g.is_nan(), "{what}: J[{i}][{j}] = {g}, want NaN");
                continue;
            }
            let tol = rel * w.abs() + abs_scale * scale;
            assert!(
                (g - w).abs() <= tol,
                "{what}: J[{i}][{j}] = {g:e}, want {w:e} (diff {:e}, tol {tol:e})",
                (g - w).abs()
            );
        }
    }
}

/// Random smooth expressions over inputs x0..x{n-1} (and the names in `extra`), nested up
/// to `depth` levels and about `size` nodes, bounded so values stay moderate.
pub fn smooth_expr(
    n: usize,
    extra: &'static [&'static str],
    depth: u32,
    size: u32,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let names: Vec<String> = (0..n).map(|j| format!("x{j}")).chain(extra.iter().map(|s| s.to_string())).collect();
    let leaf = prop_oneof![proptest::sample::select(names), (-3.0f64..3.0).prop_map(|c| format!("{c:.3}")),];
    leaf.prop_recursive(depth, size, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} - {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} * {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} / (1.5 + sin({b})))")),
            inner.clone().prop_map(|a| format!("sin({a})")),
            inner.clone().prop_map(|a| format!("tanh({a})")),
            inner.clone().prop_map(|a| format!("exp(cos({a}))")),
            inner.clone().prop_map(|a| format!("sigmoid({a})")),
            inner.clone().prop_map(|a| format!("softplus({a})")),
            inner.clone().prop_map(|a| format!("atan({a})")),
            inner.clone().prop_map(|a| format!("log1p({a}^2)")),
            inner.clone().prop_map(|a| format!("sqrt(1 + {a}^2)")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("hypot({a}, 1 + {b}^2)")),
            inner.clone().prop_map(|a| format!("-{a}^3")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("atan2({a}, 2 + cos({b}))")),
        ]
    })
}
