//! Second order: the Hessian, Laplacian and divergence at the point.

use super::format::sort_floats;
use crate::core::{Matrix, Tape};

/// The Hessian, its eigenvalues (ascending; empty beyond `linear::DENSE_WORK`) and the
/// Laplacian.
pub type HessianParts = (Matrix, Vec<f64>, f64);

#[derive(Clone, Debug, PartialEq)]
pub struct SecondOrder {
    /// For m = 1 within `Part::Hessian`'s budget: the Hessian, its eigenvalues (ascending)
    /// and the Laplacian.
    pub hessian: Option<HessianParts>,
    /// For n = m: the divergence (trace of J).
    pub divergence: Option<f64>,
}

pub fn second_order(tape: &Tape, at: &[f64], j: &Matrix) -> SecondOrder {
    let hessian = (tape.m() == 1 && super::budget::Part::Hessian.fits(tape)).then(|| {
        let h = crate::core::hessian::hessian(tape, at, 0);
        let n = tape.n();
        // No eigenvalues beyond `DENSE_WORK` (an empty list, which the view explains).
        let eig = if !super::linear::dense_fits(n, n) {
            Vec::new()
        } else if h.h.data.iter().all(|v| v.is_finite()) {
            let mut e: Vec<f64> =
                nalgebra::DMatrix::from_row_slice(n, n, &h.h.data).symmetric_eigenvalues().iter().copied().collect();
            sort_floats(&mut e);
            e
        } else {
            vec![f64::NAN; n]
        };
        (h.h, eig, h.laplacian)
    });
    let divergence = (tape.n() == tape.m()).then(|| (0..tape.n()).map(|i| j.get(i, i)).sum());
    SecondOrder { hessian, divergence }
}
