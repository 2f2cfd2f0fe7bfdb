//! Everything beside J at one point, computed together so the side views share one exact
//! J.

use super::budget::Part;
use super::cost::{cost_rows, CostRow};
use super::fd::{fd_view, FdView};
use super::linear;
use super::second::{second_order, SecondOrder};
use crate::core::{jacobian, Strategy, Tape, Workspace};

/// What the panels beside the Jacobian show at one point (finite differences, second
/// order, linearisation, cost): computed together so they share one exact J.
#[derive(Clone, Debug, PartialEq)]
pub struct Panels {
    /// None beyond `Part::Fd`'s budget; the cost rows are empty beyond `Part::Cost`'s.
    pub fd: Option<FdView>,
    pub second: SecondOrder,
    pub linear: linear::LinearView,
    pub cost: Vec<CostRow>,
}

/// Neighbourhood radii of the linearisation view, as fractions of the pad inputs'
/// half-ranges, with their names.
pub const LIN_SCALES: [(f64, &str); 4] = [(0.02, "tiny"), (0.15, "small"), (0.4, "medium"), (1.0, "large")];

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanelChoices {
    /// The finite-difference step for the heat maps (None: tuned).
    pub fd_h: Option<f64>,
    pub inputs: (usize, usize),
    pub outputs: (usize, usize),
    pub radius: f64,
}

pub fn panels(tape: &Tape, at: &[f64], c: PanelChoices, ws: &mut Workspace) -> Panels {
    let j = jacobian(tape, at, Strategy::Forward, ws).j;
    let rows = j.to_rows();
    Panels {
        fd: Part::Fd.fits(tape).then(|| fd_view(tape, at, &j, c.fd_h)),
        second: second_order(tape, at, &rows),
        linear: linear::linear_view(tape, at, &rows, c.inputs, c.outputs, c.radius),
        cost: if Part::Cost.fits(tape) { cost_rows(tape, at, &j, ws) } else { Vec::new() },
    }
}
