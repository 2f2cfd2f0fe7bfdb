//! Digits you can trust. AD is exact for the float64 *program*, but the program itself
//! rounds: `1 - cos(x)` at x = 1e-4 keeps 8 of its 16 digits, and every derivative built on
//! it inherits the loss. This module re-runs the same tape, the same rule table and the
//! same sweeps in double-double arithmetic (about 32 digits) and counts, for each value of
//! f and each entry of J, how many leading digits the float64 result shares with it.
//!
//! The point and the program's constants are taken as the float64 numbers they are, so
//! what is measured is the rounding of the arithmetic, not the conversion of the input.

use super::dd::Dd;
use super::eval::Linearization;
use super::real::Real;
use super::sweep::{jvp_into, vjp_into};
use super::tape::Tape;

/// Entries with fewer right digits than this are marked as having lost digits: a float64
/// result normally keeps 15 or 16, and a handful of well-conditioned operations cost one
/// or two.
pub const TRUSTED: u32 = 10;

/// The most node visits (tape length × derivative directions) the check spends: beyond
/// it the page says the check was skipped rather than stall a drag.
pub const MAX_VISITS: usize = 400_000;

/// f and J at a point, to about 32 digits. `j` is row-major m × n.
#[derive(Clone, Debug, PartialEq)]
pub struct Truth {
    pub f: Vec<Dd>,
    pub j: Vec<Dd>,
}

/// The double-double f and J, or None when the tape is too large to check within
/// `MAX_VISITS`. J comes from n forward or m reverse passes, whichever is fewer.
pub fn truth(tape: &Tape, x: &[f64]) -> Option<Truth> {
    let (n, m, work) = (tape.n(), tape.m(), tape.work());
    if work.saturating_mul(n.min(m) + 1) > MAX_VISITS {
        return None;
    }
    let mut lin = Linearization::<Dd>::default();
    tape.linearize_into(x, &mut lin);
    let mut j = vec![Dd::ZERO; m * n];
    let mut buf = Vec::new();
    if n <= m {
        for col in 0..n {
            jvp_into(tape, &lin, col, &mut buf);
            for (i, &o) in tape.outputs.iter().enumerate() {
                j[i * n + col] = buf[o as usize];
            }
        }
    } else {
        for row in 0..m {
            vjp_into(tape, &lin, row, &mut buf);
            j[row * n..(row + 1) * n].copy_from_slice(&buf[..n]);
        }
    }
    Some(Truth { f: tape.outputs.iter().map(|&o| lin.vals[o as usize]).collect(), j })
}

/// How many leading significant digits of `float` are right (0 to 16), or None when
/// either number is not finite (nothing to compare: the engine says ∞ or NaN itself).
pub fn digits(float: f64, truth: Dd) -> Option<u32> {
    if !float.is_finite() || !truth.is_finite() {
        return None;
    }
    if truth.hi == 0.0 {
        return Some(if float == 0.0 { 16 } else { 0 });
    }
    let rel = (Dd::of(float) - truth).hi.abs() / truth.hi.abs();
    if rel == 0.0 {
        return Some(16);
    }
    Some((-rel.log10()).round().clamp(0.0, 16.0) as u32)
}

/// Whether an entry lost digits to rounding in the program.
pub fn lost(float: f64, truth: Dd) -> bool {
    digits(float, truth).is_some_and(|d| d < TRUSTED)
}

/// About how many digits of the double-double value itself are right (0 to 31). The
/// program's rounding errors are amplified by the same factor κ in either arithmetic, and
/// float64's relative error ≈ κ·2⁻⁵³ measures κ, so double-double keeps about
/// 32 − log₁₀ κ digits: the check says how far it can be believed too.
pub fn truth_digits(float: f64, truth: Dd) -> u32 {
    if !float.is_finite() || !truth.is_finite() {
        return 0;
    }
    if truth.hi == 0.0 {
        return if float == 0.0 { 31 } else { 0 };
    }
    let rel = (Dd::of(float) - truth).hi.abs() / truth.hi.abs();
    let kappa = (rel / f64::EPSILON * 2.0).max(1.0);
    (-(kappa * 2f64.powi(-106)).log10()).floor().clamp(0.0, 31.0) as u32
}
