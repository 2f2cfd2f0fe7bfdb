//! Finite differences: the approximations AD is measured against. Forward differences
//! have O(h) truncation error, central O(h²); both gain round-off error ~ε/h, which is
//! why the best step is near √ε (forward) or ∛ε (central) and digits are lost anyway.

use super::matrix::{Cost, Matrix};
use super::tape::Tape;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdKind {
    Forward,
    Central,
}

/// The tuned relative step: √ε for forward, ∛ε for central differences.
pub fn tuned_step(kind: FdKind) -> f64 {
    match kind {
        FdKind::Forward => f64::EPSILON.sqrt(),
        FdKind::Central => f64::EPSILON.cbrt(),
    }
}

/// J by finite differences with relative step `h` (the tuned one if None): the step for
/// input j is h·max(1, |x_j|), rounded so that x + step is exactly representable.
pub fn fd_jacobian(tape: &Tape, x: &[f64], kind: FdKind, h: Option<f64>, vals: &mut Vec<f64>) -> (Matrix, Cost) {
    let (n, m) = (tape.n(), tape.m());
    let h = h.unwrap_or_else(|| tuned_step(kind));
    let mut j = Matrix::zeros(m, n);
    tape.eval_into(x, vals);
    let f0 = tape.output_values(vals);
    let mut xp = x.to_vec();
    for col in 0..n {
        let step = h * x[col].abs().max(1.0);
        let up = x[col] + step;
        let down = x[col] - step;
        xp[col] = up;
        tape.eval_into(&xp, vals);
        let fu = tape.output_values(vals);
        match kind {
            FdKind::Forward => {
                let dx = up - x[col];
                for i in 0..m {
                    j.set(i, col, (fu[i] - f0[i]) / dx);
                }
            }
            FdKind::Central => {
                xp[col] = down;
                tape.eval_into(&xp, vals);
                let fd = tape.output_values(vals);
                let dx = up - down;
                for i in 0..m {
                    j.set(i, col, (fu[i] - fd[i]) / dx);
                }
            }
        }
        xp[col] = x[col];
    }
    let evals = match kind {
        FdKind::Forward => n + 1,
        FdKind::Central => 2 * n + 1,
    };
    // f at the point is the primal evaluation; the others are perturbed.
    (j, Cost { passes: evals - 1, primal: 1, node_visits: evals * tape.work(), bytes: (tape.len() + 1) * 8 })
}

/// One row of the step sweep: the largest entrywise error against the exact J.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepError {
    pub h: f64,
    pub forward: f64,
    pub central: f64,
}

/// Errors of forward and central differences for h = 1e-1 … 1e-12, against `exact`.
pub fn step_sweep(tape: &Tape, x: &[f64], exact: &Matrix) -> Vec<StepError> {
    let mut vals = Vec::new();
    (1..=12)
        .map(|k| {
            let h = 10f64.powi(-k);
            let mut err = |kind| max_abs_diff(&fd_jacobian(tape, x, kind, Some(h), &mut vals).0, exact);
            StepError { h, forward: err(FdKind::Forward), central: err(FdKind::Central) }
        })
        .collect()
}

/// Largest |a - b| over all entries; NaN if any entry of either is NaN.
pub fn max_abs_diff(a: &Matrix, b: &Matrix) -> f64 {
    a.data.iter().zip(&b.data).fold(0.0, |m: f64, (x, y)| {
        let d = (x - y).abs();
        if d.is_nan() || m.is_nan() {
            f64::NAN
        } else {
            m.max(d)
        }
    })
}
