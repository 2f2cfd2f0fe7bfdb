//! Every way of getting J, each returning the full m × n matrix and what it cost.
//! All exact strategies run the same linear recurrences over one linearization:
//! forward  ṫ_k = ∂k/∂a·ṫ_a + ∂k/∂b·ṫ_b   (one input direction per pass)
//! reverse  ā_a += ∂k/∂a·ā_k, ā_b += ∂k/∂b·ā_k   (one output seed per pass)
//! and the batched forms carry w directions per node, stored contiguously.
//!
//! Products in these sweeps use *strong zero* (`mul0`): 0 times an infinite or NaN partial
//! is 0. A zero tangent or adjoint means "does not depend" (or a zero slope on the path),
//! so sqrt(y) + x at y = 0 has ∂f/∂x = 1, not NaN, and forward and reverse agree.

use super::eval::Linearization;
use super::real::Real;
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
    pub fn is_exact(self) -> bool {
        !matches!(
            self,
            Strategy::FdForward | Strategy::FdCentral | Strategy::ComplexStep
        )
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    /// Derivative sweeps over the tape (a batched sweep carrying k directions is one), or
    /// the perturbed evaluations of f for finite differences and the complex step.
    pub passes: usize,
    /// Plain evaluations of f at the point besides those (the primal sweep): 0 or 1.
    pub primal: usize,
    pub node_visits: usize,
    /// Bytes of tangent / adjoint (or perturbed value) storage.
    pub bytes: usize,
}

/// Row-major m × n.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[i * self.cols + j] = v;
    }
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }
    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        (0..self.rows).map(|i| self.row(i).to_vec()).collect()
    }
    /// Resizes to rows × cols and zeroes, reusing the allocation.
    pub fn reset(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.clear();
        self.data.resize(rows * cols, 0.0);
    }
    pub fn max_abs(&self) -> f64 {
        self.data.iter().fold(0.0, |m, v| m.max(v.abs()))
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
        JacobianResult {
            strategy: Strategy::Forward,
            f: Vec::new(),
            j: Matrix::zeros(0, 0),
            cost: Cost::default(),
        }
    }
}

/// Scratch buffers reused across calls, so a repeated Jacobian allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    pub lin: Linearization,
    buf: Vec<f64>,
    compressed: Option<Matrix>,
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
    directions
        .max(1)
        .saturating_mul(tape.len() + 1)
        .saturating_mul(8)
}

/// Which exact strategy is cheapest for this tape, and why, in words.
pub fn choose(tape: &Tape) -> (Strategy, String) {
    let (n, m) = (tape.n(), tape.m());
    let sparse = tape.col_colouring.count.min(tape.row_colouring.count);
    if sparse < n.min(m) {
        return (
            Strategy::Sparse,
            format!("J is sparse ({} of {} entries can be nonzero): {sparse} compressed direction{} in one sweep instead of {}", tape.nonzeros(), n * m, if sparse == 1 { "" } else { "s" }, n.min(m)),
        );
    }
    if n <= m {
        let what = if n == 1 {
            "1 tangent direction".to_string()
        } else {
            format!("{n} tangent directions")
        };
        (
            Strategy::BatchedForward,
            format!("n = {n} ≤ m = {m}: forward mode, {what} in one sweep"),
        )
    } else {
        let what = if m == 1 {
            "1 adjoint seed".to_string()
        } else {
            format!("{m} adjoint seeds")
        };
        (
            Strategy::BatchedReverse,
            format!("n = {n} > m = {m}: reverse mode, {what} in one sweep"),
        )
    }
}

pub fn jacobian(tape: &Tape, x: &[f64], strategy: Strategy, ws: &mut Workspace) -> JacobianResult {
    let mut out = JacobianResult::empty();
    jacobian_into(tape, x, strategy, ws, &mut out);
    out
}

/// As `jacobian`, writing into `out` and reusing its buffers.
pub fn jacobian_into(
    tape: &Tape,
    x: &[f64],
    strategy: Strategy,
    ws: &mut Workspace,
    out: &mut JacobianResult,
) {
    let len = tape.len();
    out.strategy = strategy;
    match strategy {
        Strategy::FdForward | Strategy::FdCentral | Strategy::ComplexStep => {
            let (j, cost) = match strategy {
                Strategy::FdForward => {
                    super::fd::fd_jacobian(tape, x, super::fd::FdKind::Forward, None, &mut ws.buf)
                }
                Strategy::FdCentral => {
                    super::fd::fd_jacobian(tape, x, super::fd::FdKind::Central, None, &mut ws.buf)
                }
                _ => super::complex::complex_step_jacobian(tape, x),
            };
            tape.eval_into(x, &mut ws.buf);
            out.f.clear();
            out.f
                .extend(tape.outputs.iter().map(|&o| ws.buf[o as usize]));
            out.j = j;
            out.cost = cost;
            return;
        }
        _ => {}
    }
    tape.linearize_into(x, &mut ws.lin);
    let (lin, buf) = (&ws.lin, &mut ws.buf);
    let sweep = match strategy {
        Strategy::Forward => forward_columns_into(tape, lin, buf, &mut out.j),
        Strategy::Reverse => reverse_rows_into(tape, lin, buf, &mut out.j),
        Strategy::BatchedForward => batched_forward_into(tape, lin, buf, &mut out.j),
        Strategy::BatchedReverse => batched_reverse_into(tape, lin, buf, &mut out.j),
        _ => {
            let c = ws.compressed.get_or_insert_with(|| Matrix::zeros(0, 0));
            sparse_into(tape, lin, buf, c, &mut out.j)
        }
    };
    let extra = reconcile_non_finite(tape, lin, buf, &mut out.j);
    out.cost = Cost {
        passes: sweep.passes + extra,
        primal: 1,
        node_visits: len + sweep.node_visits + extra * len,
        bytes: 3 * (len + 1) * 8 + sweep.bytes,
    };
    out.f.clear();
    out.f
        .extend(tape.outputs.iter().map(|&o| ws.lin.vals[o as usize]));
}

/// Makes every exact strategy return the same J where a local partial is infinite, and
/// returns the extra passes it took (0 when J is finite, the usual case).
///
/// Strong zero drops a path whose tangent (forward) or adjoint (reverse) is exactly 0,
/// but the two recurrences see different zeros: forward sees a sum that cancels
/// *before* the infinite partial (`sqrt(x - x)`: the tangent of x - x is 0), reverse
/// one that cancels *after* it (`sqrt(x) - sqrt(x)`: the adjoint of sqrt(x) is 0). The
/// mode that misses the cancellation sums an infinite path product and gets ∞ or NaN;
/// the mode that sees it gets the finite derivative. So each non-finite entry is taken
/// from forward mode if that is finite, else from reverse mode if that is finite, else
/// it is forward mode's ∞ or NaN: one rule, whichever strategy ran.
fn reconcile_non_finite(
    tape: &Tape,
    lin: &Linearization,
    buf: &mut Vec<f64>,
    j: &mut Matrix,
) -> usize {
    // One contiguous scan on every call (this runs while the point is dragged); the
    // column and row scans below only when some entry is not finite.
    if j.data.iter().all(|v| v.is_finite()) {
        return 0;
    }
    let (n, m) = (j.cols, j.rows);
    let mut passes = 0;
    for col in 0..n {
        if (0..m).all(|i| j.get(i, col).is_finite()) {
            continue;
        }
        jvp_into(tape, lin, col, buf);
        passes += 1;
        for (i, &o) in tape.outputs.iter().enumerate() {
            if !j.get(i, col).is_finite() {
                j.set(i, col, buf[o as usize]);
            }
        }
    }
    for row in 0..m {
        if j.row(row).iter().all(|v| v.is_finite()) {
            continue;
        }
        vjp_into(tape, lin, row, buf);
        passes += 1;
        for col in 0..n {
            if !j.get(row, col).is_finite() && buf[col].is_finite() {
                j.set(row, col, buf[col]);
            }
        }
    }
    passes
}

/// n JVP passes, one scalar tangent per node.
pub fn forward_columns(tape: &Tape, lin: &Linearization, t: &mut Vec<f64>) -> (Matrix, Cost) {
    let mut j = Matrix::zeros(0, 0);
    let cost = forward_columns_into(tape, lin, t, &mut j);
    (j, cost)
}

fn forward_columns_into(
    tape: &Tape,
    lin: &Linearization,
    t: &mut Vec<f64>,
    j: &mut Matrix,
) -> Cost {
    let (n, m, len) = (tape.n(), tape.m(), tape.len());
    j.reset(m, n);
    for col in 0..n {
        jvp_into(tape, lin, col, t);
        for (i, &o) in tape.outputs.iter().enumerate() {
            j.set(i, col, t[o as usize]);
        }
    }
    Cost {
        primal: 0,
        passes: n,
        node_visits: n * len,
        bytes: (len + 1) * 8,
    }
}

/// Tangent of every node for the input direction e_col (ground slot included, 0).
pub fn jvp_into<T: Real>(tape: &Tape, lin: &Linearization<T>, col: usize, t: &mut Vec<T>) {
    let len = tape.len();
    t.clear();
    t.resize(len + 1, T::of(0.0));
    t[col] = T::of(1.0);
    for k in tape.first_op..len {
        let [a, b] = tape.args[k];
        t[k] = mul0(lin.da[k], t[a as usize]) + mul0(lin.db[k], t[b as usize]);
    }
}

/// m VJP passes, one scalar adjoint per node.
fn reverse_rows_into(tape: &Tape, lin: &Linearization, adj: &mut Vec<f64>, j: &mut Matrix) -> Cost {
    let (n, m, len) = (tape.n(), tape.m(), tape.len());
    j.reset(m, n);
    for row in 0..m {
        vjp_into(tape, lin, row, adj);
        j.data[row * n..(row + 1) * n].copy_from_slice(&adj[..n]);
    }
    Cost {
        primal: 0,
        passes: m,
        node_visits: m * len,
        bytes: (len + 1) * 8,
    }
}

/// Adjoint of every node for the output seed e_row.
pub fn vjp_into<T: Real>(tape: &Tape, lin: &Linearization<T>, row: usize, adj: &mut Vec<T>) {
    let len = tape.len();
    adj.clear();
    adj.resize(len + 1, T::of(0.0));
    adj[tape.outputs[row] as usize] = T::of(1.0);
    for k in (tape.first_op..len).rev() {
        let g = adj[k];
        if g == T::of(0.0) {
            continue;
        }
        let [a, b] = tape.args[k];
        adj[a as usize] = adj[a as usize] + mul0(lin.da[k], g);
        adj[b as usize] = adj[b as usize] + mul0(lin.db[k], g);
    }
}

/// Forward sweep with `w` directions per node; input j is seeded in direction `slot[j]`
/// (in direction j when `slot` is None). Writes the m × w compressed Jacobian to `out`.
fn forward_sweep(
    tape: &Tape,
    lin: &Linearization,
    slot: Option<&[u32]>,
    w: usize,
    t: &mut Vec<f64>,
    out: &mut Matrix,
) {
    let len = tape.len();
    t.clear();
    t.resize((len + 1) * w, 0.0);
    for j in 0..tape.n() {
        let s = slot.map_or(j, |sl| sl[j] as usize);
        t[j * w + s] = 1.0;
    }
    for k in tape.first_op..len {
        let [a, b] = tape.args[k];
        let (da, db) = (lin.da[k], lin.db[k]);
        // Operands come before k; the ground slot is after every node.
        let (head, tail) = t.split_at_mut(k * w);
        let row = &mut tail[..w];
        let ta = &head[a as usize * w..a as usize * w + w];
        // `row` is zero (fresh buffer), so both operands accumulate into it.
        axpy0(da, ta, row);
        if (b as usize) < len {
            axpy0(db, &head[b as usize * w..b as usize * w + w], row);
        }
    }
    out.reset(tape.m(), w);
    for (i, &o) in tape.outputs.iter().enumerate() {
        out.data[i * w..(i + 1) * w].copy_from_slice(&t[o as usize * w..o as usize * w + w]);
    }
}

/// Reverse sweep with `w` adjoint seeds per node; output i is seeded in slot `slot[i]`
/// (slot i when None). Writes the w × n compressed Jacobian to `out`.
fn reverse_sweep(
    tape: &Tape,
    lin: &Linearization,
    slot: Option<&[u32]>,
    w: usize,
    adj: &mut Vec<f64>,
    out: &mut Matrix,
) {
    let len = tape.len();
    adj.clear();
    adj.resize((len + 1) * w, 0.0);
    for (i, &o) in tape.outputs.iter().enumerate() {
        let s = slot.map_or(i, |sl| sl[i] as usize);
        adj[o as usize * w + s] += 1.0;
    }
    for k in (tape.first_op..len).rev() {
        let [a, b] = tape.args[k];
        let (da, db) = (lin.da[k], lin.db[k]);
        let (head, tail) = adj.split_at_mut(k * w);
        let g = &tail[..w];
        let (a, b) = (a as usize, b as usize);
        axpy0(da, g, &mut head[a * w..a * w + w]);
        if b != len {
            axpy0(db, g, &mut head[b * w..b * w + w]);
        }
    }
    let n = tape.n();
    out.reset(w, n);
    for j in 0..n {
        for s in 0..w {
            out.data[s * n + j] = adj[j * w + s];
        }
    }
}

/// One forward sweep carrying all n directions.
fn batched_forward_into(
    tape: &Tape,
    lin: &Linearization,
    buf: &mut Vec<f64>,
    j: &mut Matrix,
) -> Cost {
    forward_sweep(tape, lin, None, tape.n(), buf, j);
    Cost {
        primal: 0,
        passes: 1,
        node_visits: tape.len(),
        bytes: (tape.len() + 1) * tape.n() * 8,
    }
}

/// One reverse sweep carrying all m adjoint seeds.
fn batched_reverse_into(
    tape: &Tape,
    lin: &Linearization,
    buf: &mut Vec<f64>,
    j: &mut Matrix,
) -> Cost {
    reverse_sweep(tape, lin, None, tape.m(), buf, j);
    Cost {
        primal: 0,
        passes: 1,
        node_visits: tape.len(),
        bytes: (tape.len() + 1) * tape.m() * 8,
    }
}

/// Compressed sweeps over the cheaper of the column and row colourings.
fn sparse_into(
    tape: &Tape,
    lin: &Linearization,
    buf: &mut Vec<f64>,
    c: &mut Matrix,
    j: &mut Matrix,
) -> Cost {
    let (n, m, len) = (tape.n(), tape.m(), tape.len());
    let (cols, rows) = (&tape.col_colouring, &tape.row_colouring);
    let by_columns = cols.count <= rows.count;
    let w = if by_columns { cols.count } else { rows.count };
    if by_columns {
        forward_sweep(tape, lin, Some(&cols.colour), w, buf, c);
    } else {
        reverse_sweep(tape, lin, Some(&rows.colour), w, buf, c);
    }
    j.reset(m, n);
    for i in 0..m {
        for col in 0..n {
            if tape.pattern[i][col] {
                let v = if by_columns {
                    c.get(i, cols.colour[col] as usize)
                } else {
                    c.get(rows.colour[i] as usize, col)
                };
                j.set(i, col, v);
            }
        }
    }
    Cost {
        primal: 0,
        passes: 1,
        node_visits: len,
        bytes: (len + 1) * w * 8,
    }
}

/// `acc += p·x` elementwise with strong-zero products. The zero test is made once per
/// node on the partial: a finite p times a zero x is already ±0, which adds nothing, so
/// only a non-finite p needs the per-element test, and the common loop is branch-free
/// (it vectorises).
#[inline]
fn axpy0(p: f64, x: &[f64], acc: &mut [f64]) {
    if p == 0.0 {
        return;
    }
    if p.is_finite() {
        for (a, &v) in acc.iter_mut().zip(x) {
            *a += p * v;
        }
    } else {
        for (a, &v) in acc.iter_mut().zip(x) {
            *a += mul0(p, v);
        }
    }
}

/// Strong-zero product: 0 when either factor is 0, even if the other is ∞ or NaN.
#[inline]
pub fn mul0<T: Real>(p: T, t: T) -> T {
    let zero = T::of(0.0);
    if p == zero || t == zero {
        zero
    } else {
        p * t
    }
}
