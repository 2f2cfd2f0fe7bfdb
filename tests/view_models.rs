//! The view models behind the linearisation panel and the Jacobian field, against
//! hand-derived values.
mod common;
use common::tape;
use jacobian_playground::core::{jacobian, Matrix, Strategy, Workspace};
use jacobian_playground::view::field::{field, FieldKind};
use jacobian_playground::view::linear::{linear_view, output_box, singular_values};

fn exact_j(src: &str, at: &[f64]) -> Matrix {
    jacobian(&tape(src), at, Strategy::Forward, &mut Workspace::default()).j
}

#[test]
fn classic_block_det_and_singular_values() {
    let src = "f(x1, x2, x3) = [x1 + x2, x1 * x3, x2^3]";
    let at = [3.0, 4.0, 5.0];
    let j = exact_j(src, &at);
    let v = linear_view(&tape(src), &at, &j, (0, 1), (0, 1), 0.1);
    assert_eq!(v.block, vec![vec![1.0, 1.0], vec![5.0, 0.0]]);
    assert_eq!(v.block_det, Some(-5.0));
    // σ₁σ₂ = |det| and σ₁² + σ₂² = ‖block‖_F² = 27.
    let s = &v.block_singular;
    assert!((s[0] * s[1] - 5.0).abs() < 1e-13 && (s[0] * s[0] + s[1] * s[1] - 27.0).abs() < 1e-12, "{s:?}");
    // The ellipse semi-axes are σ_k·r long and orthogonal.
    let [(a0, a1), (b0, b1)] = [v.ellipse_axes[0], v.ellipse_axes[1]];
    assert!((a0.hypot(a1) - 0.1 * s[0]).abs() < 1e-14 && (a0 * b0 + a1 * b1).abs() < 1e-14);
    // Full J = [[1,1,0],[5,0,3],[0,48,0]]: σ₁σ₂σ₃ = |det J| = 48·|1·3 − 0·5| = 144.
    let full = &v.singular;
    assert!((full.iter().product::<f64>() - 144.0).abs() < 1e-10, "{full:?}");
    assert!(full.windows(2).all(|w| w[0] >= w[1]));
    // The linear image of the circle lies on the ellipse: |U^T y| / σ has unit norm.
    for line in &v.circle_lin {
        for &(y0, y1) in line {
            let (u1, u2) = (v.ellipse_axes[0], v.ellipse_axes[1]);
            let c1 = (y0 * u1.0 + y1 * u1.1) / (u1.0 * u1.0 + u1.1 * u1.1);
            let c2 = (y0 * u2.0 + y1 * u2.1) / (u2.0 * u2.0 + u2.1 * u2.1);
            assert!((c1 * c1 + c2 * c2 - 1.0).abs() < 1e-12, "({y0}, {y1})");
        }
    }
    // x2³ bends the grid: the gap shrinks like r (second order over r).
    let small = linear_view(&tape(src), &at, &j, (0, 1), (0, 2), 1e-3).gap;
    let big = linear_view(&tape(src), &at, &j, (0, 1), (0, 2), 1e-1).gap;
    assert!(big / small > 50.0 && big / small < 200.0, "{small} {big}");
}

#[test]
fn linear_map_is_its_own_linearisation() {
    let src = "f(x, y) = [2*x + y, x - 3*y]";
    let at = [0.7, -1.3];
    let j = exact_j(src, &at);
    let v = linear_view(&tape(src), &at, &j, (0, 1), (0, 1), 0.5);
    assert!(v.gap < 1e-14, "{}", v.gap);
    assert_eq!(v.grid_f.len(), v.grid_lin.len());
    let b = output_box(&v);
    assert!(b.2 > 0.0 && b.2.is_finite());
}

#[test]
fn undefined_points_split_lines_not_panic() {
    // log is undefined left of 0: part of the grid around x = 0.05 maps to NaN.
    let src = "f(x, y) = [log(x), y]";
    let at = [0.05, 0.0];
    let j = exact_j(src, &at);
    let v = linear_view(&tape(src), &at, &j, (0, 1), (0, 1), 0.1);
    assert!(v.grid_f.iter().flatten().all(|p| p.0.is_finite() && p.1.is_finite()));
    let count = |ls: &Vec<Vec<(f64, f64)>>| ls.iter().map(Vec::len).sum::<usize>();
    assert!(count(&v.grid_f) < count(&v.grid_lin), "undefined points are dropped");
    // NaN in J: singular values are NaN, said as such, not garbage.
    assert!(singular_values(1, 2, &[f64::NAN, 1.0]).iter().all(|s| s.is_nan()));
}

#[test]
fn one_input_and_one_output() {
    let src = "f(x) = x^2";
    let at = [1.5];
    let j = exact_j(src, &at);
    let v = linear_view(&tape(src), &at, &j, (0, 1), (0, 1), 0.25);
    assert_eq!((v.inputs, v.outputs), ((0, 0), (0, 0)));
    assert_eq!(v.block, vec![vec![3.0]]);
    assert_eq!(v.block_det, None);
    assert_eq!(v.block_singular, vec![3.0]);
}

#[test]
fn polar_det_field_is_r() {
    let src = "f(r, t) = [r*cos(t), r*sin(t)]";
    let t = tape(src);
    let fv =
        field(&t, &[1.0, 0.5], (0, 1), ((0.0, 2.0), (-3.0, 3.0)), FieldKind::Det, &mut Workspace::default()).unwrap();
    let res = fv.res;
    assert_eq!(fv.values.len(), res * res);
    for row in [0, res / 2, res - 1] {
        for col in 0..res {
            let r = 2.0 * (col as f64 + 0.5) / res as f64;
            let got = fv.values[row * res + col];
            assert!((got - r).abs() < 1e-14, "det at col {col} = {got}, want {r}");
        }
    }
    assert_eq!(fv.rgba.len(), 4 * res * res);
    // Rows run top (largest t) to bottom: the entry ∂x/∂t = −r sin t flips sign across t = 0.
    let e =
        field(&t, &[1.0, 0.5], (0, 1), ((0.0, 2.0), (-3.0, 3.0)), FieldKind::Entry(0, 1), &mut Workspace::default())
            .unwrap();
    assert!(e.values[res - 1] < 0.0 && e.values[(res - 1) * res + res - 1] > 0.0);
}

#[test]
fn field_kinds_that_do_not_fit_give_nothing() {
    let t = tape("f(x, y, z) = x*y + z");
    let ws = &mut Workspace::default();
    assert!(field(&t, &[1.0, 2.0, 3.0], (0, 1), ((0.0, 1.0), (0.0, 1.0)), FieldKind::Det, ws).is_none());
    assert!(field(&t, &[1.0, 2.0, 3.0], (0, 1), ((0.0, 1.0), (0.0, 1.0)), FieldKind::Entry(1, 0), ws).is_none());
    assert!(field(&t, &[1.0, 2.0, 3.0], (0, 1), ((0.0, 1.0), (0.0, 1.0)), FieldKind::Off, ws).is_none());
    // σ₁ of a 1×3 row is |∇f| = |(y, x, 1)|.
    let s = field(&t, &[1.0, 2.0, 3.0], (0, 1), ((0.0, 1.0), (0.0, 1.0)), FieldKind::SigmaMax, ws).unwrap();
    let res = s.res;
    let (x, y) = (0.5 / res as f64, 1.0 - 0.5 / res as f64);
    assert!((s.values[0] - (y * y + x * x + 1.0).sqrt()).abs() < 1e-14);
    for k in [FieldKind::Off, FieldKind::Det, FieldKind::SigmaMax, FieldKind::Entry(2, 7)] {
        assert_eq!(FieldKind::from_key(&k.key()), Some(k));
    }
    assert_eq!(FieldKind::from_key("J1"), None);
    assert_eq!(FieldKind::choices(&["x".into(), "y".into()], &["f".into()], FieldKind::Off).len(), 1 + 1 + 2);
}

#[test]
fn spectra_sort_ascending_with_nan_last() {
    let mut v = [3.0, -1.0, f64::NAN, 0.0, -7.5, 2.0];
    jacobian_playground::view::sort_floats(&mut v);
    assert_eq!(&v[..5], &[-7.5, -1.0, 0.0, 2.0, 3.0]);
    assert!(v[5].is_nan());
}

#[test]
fn the_live_region_sentence() {
    let t = tape("f(x1, x2, x3) = [x1 + x2, x1 * x3, x2^3]");
    let s = jacobian_playground::view::snapshot(&t, &[3.0, 4.0, 5.0], &mut Workspace::default());
    assert_eq!(
        jacobian_playground::view::announce(&s),
        "At (3, 4, 5), J is 3 by 3: row f1: 1, 1, 0; row f2: 5, 0, 3; row f3: 0, 48, 0."
    );
}

#[test]
fn det_says_singular_to_rounding_where_the_smallest_singular_value_is_noise() {
    use jacobian_playground::view::linear::det_to_rounding;
    // Every output mixes d_k = sin(x_k - x_{k+1}) (cyclic), so J·(1, …, 1) = 0 at every
    // point; the dense mixing leaves LU with rounding noise instead of an exact 0.
    let n = 20;
    let bindings: String = (0..n).map(|k| format!("d{k} = sin(x{k} - x{})\n", (k + 1) % n)).collect();
    let mix = |i: usize| {
        (0..n)
            .map(|k| format!("{}*d{k}", ((i * 31 + k * 17).pow(2) % 97) as f64 / 50.0 - 0.9))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let src = format!(
        "{bindings}f({}) = [{}]",
        (0..n).map(|k| format!("x{k}")).collect::<Vec<_>>().join(", "),
        (0..n).map(mix).collect::<Vec<_>>().join(", ")
    );
    let t = common::tape(&src);
    let at: Vec<f64> = (0..n).map(|k| 0.1 + 0.37 * k as f64 % 1.3).collect();
    let j = common::jac(&t, &at, jacobian_playground::core::Strategy::Reverse);
    let lu = nalgebra::DMatrix::from_row_slice(n, n, &j.data).determinant();
    assert!(lu != 0.0, "LU alone gives rounding noise ({lu:e}), which the page must not show as a value");
    assert_eq!(det_to_rounding(n, &j.data), (0.0, true));
    let snap = jacobian_playground::view::snapshot(&t, &at, &mut Default::default());
    assert_eq!(snap.det, Some((0.0, true)));
    // Ill-conditioned but not singular to rounding, and an ordinary J: the determinant.
    assert_eq!(det_to_rounding(2, &[1.0, 0.0, 0.0, 1e-10]), (1e-10, false));
    assert!(!det_to_rounding(3, &[1.0, 1.0, 0.0, 5.0, 0.0, 3.0, 0.0, 48.0, 0.0]).1);
    assert_eq!(det_to_rounding(2, &[0.0; 4]), (0.0, true));
    // Exactly rank one with entries of very different sizes.
    assert!(det_to_rounding(2, &[1e-200, 2e-200, 3e200, 6e200]).1);
}

#[test]
fn timings_are_medians_of_batches_and_carry_their_spread() {
    use jacobian_playground::view::{format_timing, time_call};
    use std::cell::Cell;
    // A clock in ms that f advances: 10 µs a call, with one 3 ms pause in the middle.
    let clock = Cell::new(0.0);
    let calls = Cell::new(0u64);
    let f = || {
        calls.set(calls.get() + 1);
        clock.set(clock.get() + if calls.get() == 5000 { 3.0 } else { 0.01 });
    };
    let t = time_call(&|| clock.get(), 12.0, f);
    assert!((t.micros - 10.0).abs() < 1e-6, "the median batch: {} µs", t.micros);
    assert!(t.spread < 0.01, "one pause is not the noise: spread {}", t.spread);
    assert_eq!(format_timing(t, |v| format!("{v:.1}")), "10.0");
    // A noisy clock says so; one slow call gives too few batches to tell.
    let n = Cell::new(0u64);
    let noisy = time_call(&|| clock.get(), 12.0, || {
        n.set(n.get() + 1);
        clock.set(clock.get() + if n.get() % 700 < 350 { 0.005 } else { 0.015 });
    });
    assert!(noisy.spread > 0.1, "{}", noisy.spread);
    assert!(format_timing(noisy, |v| format!("{v:.1}")).contains('±'));
    let slow_calls = Cell::new(0);
    let slow = time_call(&|| clock.get(), 12.0, || {
        slow_calls.set(slow_calls.get() + 1);
        clock.set(clock.get() + 30.0)
    });
    assert_eq!(format_timing(slow, |v| format!("{v:.0}")), "≈30000");
    assert_eq!(slow_calls.get(), 1, "a call over the budget is not run again");
    // Under the budget, a slow call is warmed up once and timed again.
    let medium_calls = Cell::new(0);
    time_call(&|| clock.get(), 12.0, || {
        medium_calls.set(medium_calls.get() + 1);
        clock.set(clock.get() + 8.0)
    });
    assert_eq!(medium_calls.get(), 3);
    // A stall in the first call (compiling, another task) on a clock of 0.1 ms steps: the
    // calibration does not stop at one call, whose batches that clock would see as 0.
    let real = Cell::new(0.0);
    let stalled = Cell::new(0u64);
    let coarse = time_call(&|| (real.get() / 0.1f64).floor() * 0.1, 12.0, || {
        stalled.set(stalled.get() + 1);
        real.set(real.get() + if stalled.get() == 1 { 2.0 } else { 0.001 });
    });
    assert!(coarse.micros > 0.5 && coarse.micros < 2.0, "{} µs", coarse.micros);
}

#[test]
fn the_pad_view_zooms_about_a_value_and_follows_a_point_off_it() {
    use jacobian_playground::view::{follow, from_unit, zoom_range};
    assert_eq!(zoom_range((0.0, 10.0), 5.0, 0.5), (2.5, 7.5));
    assert_eq!(zoom_range((0.0, 10.0), 2.0, 2.0), (-2.0, 18.0), "2 keeps its place a fifth of the way across");
    let tiny = zoom_range((0.0, 1e-300), 0.0, 1e-30);
    assert!(tiny.1 > tiny.0, "never a zero-width view");
    assert_eq!(follow((-1.0, 3.0), 2.0, 0.0), (-1.0, 3.0));
    assert_eq!(follow((-1.0, 3.0), 10.0, 0.0), (8.0, 12.0), "the same width, centred on the point");
    // Typed at the edge (the margin): centred; stepped to the edge: left as it is.
    assert_eq!(follow((-1.0, 3.0), 3.0, 0.1), (1.0, 5.0));
    assert_eq!(follow((-1.0, 3.0), 3.0, 0.0), (-1.0, 3.0));
    // Dragging to the edge lands within the view, rounding and all: it does not move.
    let r = zoom_range((-1.0, 3.0), 0.3, 0.37);
    assert_eq!(follow(r, from_unit(1.0, r), 0.0), r);
    assert_eq!(follow(r, f64::NAN, 0.1), r);
}
