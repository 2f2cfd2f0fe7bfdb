//! What J's panel shows for one point: f, J, det J and the chosen
//! strategy; and the live region's sentence.

use super::format::{entries, format_entry, join_bounded};
use super::linear;
use crate::core::{auto, jacobian, Matrix, Strategy, Tape, Workspace};

/// Everything the walking-skeleton view shows for one point.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub at: Vec<f64>,
    pub f: Vec<f64>,
    pub j: Matrix,
    /// det J (n = m, up to `linear::DENSE_WORK`), and whether J is singular to rounding
    /// (then det is 0).
    pub det: Option<(f64, bool)>,
    pub strategy: String,
    pub reason: String,
}

pub fn snapshot(tape: &Tape, at: &[f64], ws: &mut Workspace) -> Snapshot {
    let (strategy, reason) = auto(tape, at, ws);
    let r = jacobian(tape, at, strategy, ws);
    let det = (tape.n() == tape.m() && linear::dense_fits(tape.n(), tape.n()))
        .then(|| linear::det_to_rounding(tape.n(), &r.j.data));
    Snapshot {
        inputs: tape.inputs.clone(),
        outputs: tape.output_names.clone(),
        at: at.to_vec(),
        f: r.f,
        j: r.j,
        det,
        strategy: strategy_label(strategy).into(),
        reason,
    }
}

/// The inputs no output depends on (their columns of J are exactly zero): a property of
/// the function, so it is found once per function, not per point.
pub fn zero_column_names(tape: &Tape) -> Vec<String> {
    tape.zero_columns().iter().map(|&c| tape.inputs[c].clone()).collect()
}

/// The sentence a screen reader hears: the point, then J row by row.
pub fn announce(s: &Snapshot) -> String {
    let list = |v: &[f64]| entries(v, format_entry);
    let rows = join_bounded(s.outputs.iter().zip(s.j.rows_iter()).map(|(o, r)| format!("row {o}: {}", list(r))), "; ");
    format!("At ({}), J is {} by {}: {}.", list(&s.at), s.outputs.len(), s.inputs.len(), rows)
}

pub fn strategy_label(s: Strategy) -> &'static str {
    s.label()
}
