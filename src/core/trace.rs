//! Step-by-step records of one forward pass (a column of J) and one reverse pass (a row),
//! for views that let a learner step through them: the sweeps of `sweep.rs` with an
//! observer that records one node per step.

use super::eval::Linearization;
use super::sweep::{self, mul0};
use super::tape::Tape;

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub node: usize,
    pub value: f64,
    /// Tangent (forward) or final adjoint (reverse) of `node` at this step.
    pub deriv: f64,
    /// Reverse only: what this step adds to each operand's adjoint.
    pub pushes: Vec<(usize, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// The input (forward) or output (reverse) this pass is for.
    pub direction: usize,
    pub steps: Vec<Step>,
    /// The column J[:, j] (forward) or row J[i, :] (reverse) the pass produces.
    pub result: Vec<f64>,
}

/// Forward pass for input `col`: nodes in recording order, each with its tangent.
pub fn forward_trace(tape: &Tape, lin: &Linearization, col: usize) -> Trace {
    let mut t = Vec::new();
    sweep::zeroed(tape, 1, &mut t);
    t[col] = 1.0;
    let mut steps = Vec::with_capacity(tape.len());
    for (k, &deriv) in t[..tape.first_op].iter().enumerate() {
        steps.push(Step { node: k, value: lin.vals[k], deriv, pushes: Vec::new() });
    }
    sweep::forward(tape, lin, 1, &mut t, |k, row| {
        steps.push(Step { node: k, value: lin.vals[k], deriv: row[0], pushes: Vec::new() });
    });
    let result = tape.outputs.iter().map(|&o| t[o as usize]).collect();
    Trace { direction: col, steps, result }
}

/// Reverse pass for output `row`: operations from last to first, each with its final
/// adjoint and the amounts the sweep pushes to its operands.
pub fn reverse_trace(tape: &Tape, lin: &Linearization, row: usize) -> Trace {
    let len = tape.len();
    let mut adj = Vec::new();
    sweep::zeroed(tape, 1, &mut adj);
    adj[tape.outputs[row] as usize] = 1.0;
    let mut steps = Vec::with_capacity(len);
    sweep::reverse(tape, lin, 1, &mut adj, |k, g, _| {
        let g = g[0];
        let pushes = tape.partials(k, &lin.vals, &lin.da, &lin.db).into_iter().map(|(j, p)| (j, mul0(p, g))).collect();
        steps.push(Step { node: k, value: lin.vals[k], deriv: g, pushes });
    });
    Trace { direction: row, steps, result: adj[..tape.n()].to_vec() }
}

/// Every node's adjoint after the first `taken` steps of a reverse trace.
pub fn adjoints_after(tape: &Tape, trace: &Trace, taken: usize) -> Vec<f64> {
    let mut adj = vec![0.0; tape.len()];
    adj[tape.outputs[trace.direction] as usize] = 1.0;
    for step in trace.steps.iter().take(taken) {
        for &(target, amount) in &step.pushes {
            adj[target] += amount;
        }
    }
    adj
}
