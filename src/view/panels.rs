//! Everything beside J at one point, computed together so the side views share one exact
//! J.

use super::cost::{cost_rows, CostRow};
use super::fd::{fd_view, FdView};
use super::linear;
use super::second::{second_order, SecondOrder};
use crate::core::{jacobian, Strategy, Tape, Workspace};

/// What the panels beside the Jacobian show at one point (finite differences, second
/// order, linearisation, cost): computed together so they share one exact J.
#[derive(Clone, Debug, PartialEq)]
pub struct Panels {
    pub fd: FdView,
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

/// Node visits the side panels may cost per point: they are recomputed as the point moves,
/// so their work stays within about one frame's time.
pub const PANEL_VISITS: usize = 50_000_000;

/// The side panels' node visits at one point, roughly: the finite-difference maps and
/// their step sweep (≈ 45 evaluations per input), every strategy once for the cost table
/// (≈ 6 per input and 2 per output), and the Hessian's sweeps (3 per input, m = 1).
pub fn panel_visits(tape: &Tape) -> usize {
    let (n, m) = (tape.n(), tape.m());
    tape.len().saturating_mul(54 * n + 2 * m + 8)
}

/// Why the side panels are not computed for this function, or None when they are.
pub fn panels_too_large(tape: &Tape) -> Option<String> {
    let visits = panel_visits(tape);
    (visits > PANEL_VISITS).then(|| {
        format!(
            "Not computed as you move the point: f has {} operations and {} inputs, so these views would take about {} million operation evaluations per point (the limit is {} million). J above is exact.",
            tape.len(),
            tape.n(),
            visits / 1_000_000,
            PANEL_VISITS / 1_000_000
        )
    })
}

pub fn panels(tape: &Tape, at: &[f64], c: PanelChoices, ws: &mut Workspace) -> Panels {
    let j = jacobian(tape, at, Strategy::Forward, ws).j;
    let rows = j.to_rows();
    Panels {
        fd: fd_view(tape, at, &j, c.fd_h),
        second: second_order(tape, at, &rows),
        linear: linear::linear_view(tape, at, &rows, c.inputs, c.outputs, c.radius),
        cost: cost_rows(tape, at, &j, ws),
    }
}
