//! What the Jacobian is for: Newton's method for f(x) = y* (n = m), and Gauss–Newton for
//! the least-squares fit ‖f(x) − y*‖² where there are more outputs than inputs (m > n).
//! Each step solves the linear model f(x) + J·Δ ≈ y* with the exact J: LU for a square J,
//! QR for a tall one (nalgebra). The iteration stops converged, at a J that is singular to
//! rounding (the step is undefined there: said, not taken), when the iterates run away, or
//! after `MAX_STEPS`.

use super::{choose, jacobian, Tape, Workspace};
use nalgebra::{DMatrix, DVector};

/// The most steps taken: Newton near a simple root doubles its digits each step, so a
/// start that needs more is not converging quadratically.
pub const MAX_STEPS: usize = 20;

/// A J whose smallest singular value is below this fraction of its largest is singular to
/// rounding: the step it gives is noise.
const SINGULAR: f64 = 1e-12;

/// One iterate.
#[derive(Clone, Debug, PartialEq)]
pub struct Iterate {
    pub x: Vec<f64>,
    /// ‖f(x) − y*‖.
    pub residual: f64,
    /// What the linear model at the previous iterate predicted f(x) − y* would be here
    /// (0 for Newton; the least-squares residual for Gauss–Newton), as a norm: the gap
    /// between it and `residual` is what the model left out.
    pub predicted: Option<f64>,
    /// f and J here: the linear model the next step is taken on.
    pub f: Vec<f64>,
    pub j: super::matrix::Matrix,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// ‖f(x) − y*‖ within rounding of 0 (Newton), or the step within rounding of 0
    /// (Gauss–Newton: at a least-squares fit the residual need not vanish).
    Converged,
    /// J is singular to rounding at this iterate.
    Singular(usize),
    /// The iterates or f left the finite numbers, or the residual grew a millionfold.
    RanAway(usize),
    /// Not converged after `MAX_STEPS`.
    Unfinished,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Newton {
    pub iterates: Vec<Iterate>,
    pub outcome: Outcome,
    /// Gauss–Newton (m > n) rather than Newton.
    pub least_squares: bool,
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Newton's (or Gauss–Newton's) iterates from `x0` towards f(x) = `target`, or why the
/// method does not apply (m < n, or a target of the wrong length).
pub fn newton(tape: &Tape, x0: &[f64], target: &[f64]) -> Result<Newton, String> {
    let (n, m) = (tape.n(), tape.m());
    if target.len() != m {
        return Err(format!(
            "the target needs {m} number{} (one per output), not {}",
            if m == 1 { "" } else { "s" },
            target.len()
        ));
    }
    if m < n {
        return Err(format!("Newton's method needs as many outputs as inputs (m = {m} < n = {n}: the solutions form a set, not a point)"));
    }
    let least_squares = m > n;
    let mut ws = Workspace::default();
    let strategy = choose(tape).0;
    let mut x = x0.to_vec();
    let mut iterates = Vec::new();
    let mut predicted = None;
    let scale = norm(target).max(1.0);
    for k in 0..=MAX_STEPS {
        let r = jacobian(tape, &x, strategy, &mut ws);
        let res: Vec<f64> = r.f.iter().zip(target).map(|(f, t)| f - t).collect();
        let residual = norm(&res);
        iterates.push(Iterate { x: x.clone(), residual, predicted, f: r.f.clone(), j: r.j.clone() });
        if !residual.is_finite()
            || x.iter().any(|v| !v.is_finite())
            || residual > 1e6 * iterates[0].residual.max(1e-300)
        {
            return Ok(Newton { iterates, outcome: Outcome::RanAway(k), least_squares });
        }
        if residual <= 4.0 * f64::EPSILON * scale {
            return Ok(Newton { iterates, outcome: Outcome::Converged, least_squares });
        }
        if k == MAX_STEPS {
            break;
        }
        let j = DMatrix::from_row_slice(m, n, &r.j.data);
        let sv = j.singular_values();
        let (big, small) = (sv.max(), sv.min());
        // (NaN singular values count as singular.)
        if small.is_nan() || small <= SINGULAR * big {
            return Ok(Newton { iterates, outcome: Outcome::Singular(k), least_squares });
        }
        let rhs = DVector::from_column_slice(&res);
        let step = if least_squares {
            let qr = j.clone().qr();
            qr.r().solve_upper_triangular(&(qr.q().transpose() * &rhs))
        } else {
            j.clone().lu().solve(&rhs)
        };
        let Some(step) = step else {
            return Ok(Newton { iterates, outcome: Outcome::Singular(k), least_squares });
        };
        // The model's prediction of f − y* after the step: r − J·Δ (0 for a square J).
        predicted = Some((&rhs - &j * &step).norm());
        for (xi, d) in x.iter_mut().zip(step.iter()) {
            *xi -= d;
        }
        if least_squares && step.norm() <= 4.0 * f64::EPSILON * norm(&x).max(1.0) {
            let r = jacobian(tape, &x, strategy, &mut ws);
            let residual = norm(&r.f.iter().zip(target).map(|(f, t)| f - t).collect::<Vec<_>>());
            iterates.push(Iterate { x: x.clone(), residual, predicted, f: r.f, j: r.j });
            return Ok(Newton { iterates, outcome: Outcome::Converged, least_squares });
        }
    }
    Ok(Newton { iterates, outcome: Outcome::Unfinished, least_squares })
}
