//! Finite differences against AD: the error of each entry at a chosen step and the error-
//! against-h curves.

use crate::core::Tape;

/// What the finite-difference view shows at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct FdView {
    /// Per entry |J_fd − J_ad| at the tuned steps, forward and central.
    pub forward_err: Vec<Vec<f64>>,
    pub central_err: Vec<Vec<f64>>,
    /// Max entry error against h = 1e-1 … 1e-12, forward and central.
    pub sweep: Vec<crate::core::fd::StepError>,
    /// The h with the smallest central error, and that error.
    pub best_central: (f64, f64),
    pub best_forward: (f64, f64),
    pub complex_err: f64,
    /// The relative steps of the heat maps, forward and central.
    pub steps: (f64, f64),
}

/// The view at `at`, with the heat maps at relative step `h` (None: the tuned steps).
pub fn fd_view(tape: &Tape, at: &[f64], exact: &crate::core::Matrix, h: Option<f64>) -> FdView {
    use crate::core::fd::{fd_jacobian, max_abs_diff, step_sweep, tuned_step, FdKind};
    let mut buf = Vec::new();
    let mut err = |kind: FdKind| {
        let j = fd_jacobian(tape, at, kind, h, &mut buf).0;
        (0..j.rows).map(|i| (0..j.cols).map(|c| (j.get(i, c) - exact.get(i, c)).abs()).collect()).collect()
    };
    let forward_err = err(FdKind::Forward);
    let central_err = err(FdKind::Central);
    let complex_err = max_abs_diff(&crate::core::complex::complex_step_jacobian(tape, at).0, exact);
    let sweep = step_sweep(tape, at, exact);
    let best = |f: fn(&crate::core::fd::StepError) -> f64| {
        sweep
            .iter()
            .filter(|s| f(s).is_finite())
            .map(|s| (s.h, f(s)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((f64::NAN, f64::NAN))
    };
    FdView {
        forward_err,
        central_err,
        best_central: best(|s| s.central),
        best_forward: best(|s| s.forward),
        sweep,
        complex_err,
        steps: match h {
            Some(h) => (h, h),
            None => (tuned_step(FdKind::Forward), tuned_step(FdKind::Central)),
        },
    }
}

/// The fixed steps the finite-difference heat maps can use besides the tuned ones.
pub const FD_STEPS: [f64; 12] = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12];
