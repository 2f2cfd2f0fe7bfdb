//! Every way of getting J, by name: the exact strategies (sweeps over one linearization,
//! `jacobian.rs`) and the approximate ones (finite differences, complex step), which one
//! is cheapest for a tape (`choose`), and one entry point that runs any of them.

use super::complex;
use super::eval::Linearization;
use super::fd::{self, FdKind};
use super::jacobian as exact;
use super::matrix::{Cost, Matrix};
use super::tape::Tape;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// One JVP pass per input: n passes.
    Forward,
    /// One VJP pass per output: m passes (the torch.autograd.grad loop).
    Reverse,
    /// All n tangents in one forward sweep.
    BatchedForward,
    /// All m adjoint seeds in one reverse sweep (the "repeat the input m times and
    /// backprop an identity" trick, vectorised).
    BatchedReverse,
    /// Compressed sweeps over a colouring of the sparsity pattern.
    Sparse,
    FdForward,
    FdCentral,
    ComplexStep,
}

impl Strategy {
    pub const ALL: [Strategy; 8] = [
        Strategy::Forward,
        Strategy::Reverse,
        Strategy::BatchedForward,
        Strategy::BatchedReverse,
        Strategy::Sparse,
        Strategy::FdForward,
        Strategy::FdCentral,
        Strategy::ComplexStep,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Forward => "forward",
            Strategy::Reverse => "reverse",
            Strategy::BatchedForward => "batched_forward",
            Strategy::BatchedReverse => "batched_reverse",
            Strategy::Sparse => "sparse",
            Strategy::FdForward => "fd_forward",
            Strategy::FdCentral => "fd_central",
            Strategy::ComplexStep => "complex_step",
        }
    }
    /// The name the page and the reasons use.
    pub fn label(self) -> &'static str {
        match self {
            Strategy::Forward => "forward by columns",
            Strategy::Reverse => "reverse by rows",
            Strategy::BatchedForward => "batched forward",
            Strategy::BatchedReverse => "batched reverse",
            Strategy::Sparse => "sparse colouring",
            Strategy::FdForward => "forward differences",
            Strategy::FdCentral => "central differences",
            Strategy::ComplexStep => "complex step",
        }
    }
    pub fn is_exact(self) -> bool {
        !matches!(self, Strategy::FdForward | Strategy::FdCentral | Strategy::ComplexStep)
    }
}

#[derive(Clone, Debug)]
pub struct JacobianResult {
    pub strategy: Strategy,
    pub f: Vec<f64>,
    pub j: Matrix,
    pub cost: Cost,
}

impl JacobianResult {
    pub fn empty() -> JacobianResult {
        JacobianResult { strategy: Strategy::Forward, f: Vec::new(), j: Matrix::zeros(0, 0), cost: Cost::default() }
    }
}

/// What `auto` measured for one tape.
#[derive(Clone, Debug)]
pub struct Settled {
    /// The tape it was measured on: where its nodes live, and its sizes (a new tape that
    /// happened to reuse the address would have to match every size too, and even then
    /// only speed is at stake: every exact strategy gives the same J).
    pub key: [usize; 5],
    pub strategy: Strategy,
    pub reason: String,
}

/// Scratch buffers reused across calls, so a repeated Jacobian allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    pub lin: Linearization,
    buf: Vec<f64>,
    compressed: Option<Matrix>,
    /// What `auto::auto` measured for the last tape it was unsure of.
    pub settled: Option<Settled>,
}

/// The most memory a strategy's sweep buffer may take (directions × (nodes + 1) doubles)
/// before the command line refuses it: a batched forward sweep over 10 000 inputs of a
/// 30 000-node tape would otherwise ask for 2.4 GB.
pub const MAX_SWEEP_BYTES: usize = 1 << 30;

/// Bytes of the sweep buffer `strategy` needs on this tape (the directions it carries at
/// once, times the nodes and the ground slot).
pub fn sweep_bytes(tape: &Tape, strategy: Strategy) -> usize {
    let directions = match strategy {
        Strategy::BatchedForward => tape.n(),
        Strategy::BatchedReverse => tape.m(),
        Strategy::Sparse => tape.col_colouring.count.min(tape.row_colouring.count),
        _ => 1,
    };
    directions.max(1).saturating_mul(tape.len() + 1).saturating_mul(8)
}

/// Which exact strategy is cheapest for this tape, and why, in words.
pub fn choose(tape: &Tape) -> (Strategy, String) {
    let (n, m) = (tape.n(), tape.m());
    let sparse = tape.col_colouring.count.min(tape.row_colouring.count);
    // Fewer directions pay only when the visits they save outweigh taking the compressed
    // J apart (a few operations per nonzero): on a tiny tape they do not.
    if sparse < n.min(m) && (n.min(m) - sparse).saturating_mul(tape.work()) > 2 * tape.nonzeros() {
        let reason = format!(
            "J is sparse ({} of {} entries can be nonzero): {sparse} compressed direction{} in one sweep instead of {}",
            tape.nonzeros(),
            n * m,
            if sparse == 1 { "" } else { "s" },
            n.min(m)
        );
        return (Strategy::Sparse, reason);
    }
    let (s, mut reason) = if n <= m {
        let what = if n == 1 { "1 tangent direction".to_string() } else { format!("{n} tangent directions") };
        (Strategy::BatchedForward, format!("n = {n} ≤ m = {m}: forward mode, {what} in one sweep"))
    } else {
        let what = if m == 1 { "1 adjoint seed".to_string() } else { format!("{m} adjoint seeds") };
        (Strategy::BatchedReverse, format!("n = {n} > m = {m}: reverse mode, {what} in one sweep"))
    };
    if sparse < n.min(m) {
        // Short: the line under J says it too, and an embed has little room.
        reason += &format!("; too small for {sparse} sparse direction{} to pay", if sparse == 1 { "" } else { "s" });
    }
    (s, reason)
}

pub fn jacobian(tape: &Tape, x: &[f64], strategy: Strategy, ws: &mut Workspace) -> JacobianResult {
    let mut out = JacobianResult::empty();
    jacobian_into(tape, x, strategy, ws, &mut out);
    out
}

/// As `jacobian`, writing into `out` and reusing its buffers.
pub fn jacobian_into(tape: &Tape, x: &[f64], strategy: Strategy, ws: &mut Workspace, out: &mut JacobianResult) {
    out.strategy = strategy;
    if !strategy.is_exact() {
        let (j, cost) = match strategy {
            Strategy::FdForward => fd::fd_jacobian(tape, x, FdKind::Forward, None, &mut ws.buf),
            Strategy::FdCentral => fd::fd_jacobian(tape, x, FdKind::Central, None, &mut ws.buf),
            _ => complex::complex_step_jacobian(tape, x),
        };
        tape.eval_into(x, &mut ws.buf);
        out.f.clear();
        out.f.extend(tape.outputs.iter().map(|&o| ws.buf[o as usize]));
        out.j = j;
        out.cost = cost;
        return;
    }
    let (len, work) = (tape.len(), tape.work());
    tape.linearize_into(x, &mut ws.lin);
    let (lin, buf) = (&ws.lin, &mut ws.buf);
    let sweep = match strategy {
        Strategy::Forward => exact::forward_columns_into(tape, lin, buf, &mut out.j),
        Strategy::Reverse => exact::reverse_rows_into(tape, lin, buf, &mut out.j),
        Strategy::BatchedForward => exact::batched_forward_into(tape, lin, buf, &mut out.j),
        Strategy::BatchedReverse => exact::batched_reverse_into(tape, lin, buf, &mut out.j),
        _ => {
            let c = ws.compressed.get_or_insert_with(|| Matrix::zeros(0, 0));
            exact::sparse_into(tape, lin, buf, c, &mut out.j)
        }
    };
    let extra = exact::reconcile_non_finite(tape, lin, buf, &mut out.j);
    out.cost = Cost {
        passes: sweep.passes + extra,
        primal: 1,
        node_visits: work + sweep.node_visits + extra * work,
        bytes: 3 * (len + 1) * 8 + sweep.bytes,
    };
    out.f.clear();
    out.f.extend(tape.outputs.iter().map(|&o| ws.lin.vals[o as usize]));
}
