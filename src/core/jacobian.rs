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
        !matches!(self, Strategy::FdForward | Strategy::FdCentral | Strategy::ComplexStep)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    /// Sweeps over the tape (primal sweep included).
    pub passes: usize,
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
        Matrix { rows, cols, data: vec![0.0; rows * cols] }
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

/// Scratch buffers reused across calls.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    pub lin: Linearization,
    buf: Vec<f64>,
}

/// Which exact strategy is cheapest for this tape, and why, in words.
pub fn choose(tape: &Tape) -> (Strategy, String) {
    let (n, m) = (tape.n(), tape.m());
    let sparse = tape.col_colouring.count.min(tape.row_colouring.count);
    if sparse < n.min(m) {
        return (
            Strategy::Sparse,
            format!("J is sparse ({} of {} entries can be nonzero): {sparse} compressed sweeps instead of {}", tape.nonzeros(), n * m, n.min(m)),
        );
    }
    if n <= m {
        let what = if n == 1 { "1 tangent direction".to_string() } else { format!("{n} tangent directions") };
        (Strategy::BatchedForward, format!("n = {n} ≤ m = {m}: forward mode, {what} in one sweep"))
    } else {
        let what = if m == 1 { "1 adjoint seed".to_string() } else { format!("{m} adjoint seeds") };
        (Strategy::BatchedReverse, format!("n = {n} > m = {m}: reverse mode, {what} in one sweep"))
    }
}

pub fn jacobian(tape: &Tape, x: &[f64], strategy: Strategy, ws: &mut Workspace) -> JacobianResult {
    let len = tape.len();
    let lin_cost = Cost { passes: 1, node_visits: len, bytes: 3 * (len + 1) * 8 };
    match strategy {
        Strategy::FdForward | Strategy::FdCentral | Strategy::ComplexStep => {
            let (j, cost) = match strategy {
                Strategy::FdForward => super::fd::fd_jacobian(tape, x, super::fd::FdKind::Forward, None, &mut ws.buf),
                Strategy::FdCentral => super::fd::fd_jacobian(tape, x, super::fd::FdKind::Central, None, &mut ws.buf),
                _ => super::complex::complex_step_jacobian(tape, x),
            };
            tape.eval_into(x, &mut ws.buf);
            return JacobianResult { strategy, f: tape.output_values(&ws.buf), j, cost };
        }
        _ => {}
    }
    tape.linearize_into(x, &mut ws.lin);
    let (j, sweep) = match strategy {
        Strategy::Forward => forward_columns(tape, &ws.lin, &mut ws.buf),
        Strategy::Reverse => reverse_rows(tape, &ws.lin, &mut ws.buf),
        Strategy::BatchedForward => batched_forward(tape, &ws.lin, &mut ws.buf),
        Strategy::BatchedReverse => batched_reverse(tape, &ws.lin, &mut ws.buf),
        _ => sparse_jacobian(tape, &ws.lin, &mut ws.buf),
    };
    let cost = Cost {
        passes: lin_cost.passes + sweep.passes,
        node_visits: lin_cost.node_visits + sweep.node_visits,
        bytes: lin_cost.bytes + sweep.bytes,
    };
    JacobianResult { strategy, f: tape.output_values(&ws.lin.vals), j, cost }
}

/// n JVP passes, one scalar tangent per node.
pub fn forward_columns(tape: &Tape, lin: &Linearization, t: &mut Vec<f64>) -> (Matrix, Cost) {
    let (n, m, len) = (tape.n(), tape.m(), tape.len());
    let mut j = Matrix::zeros(m, n);
    for col in 0..n {
        jvp_into(tape, lin, col, t);
        for (i, &o) in tape.outputs.iter().enumerate() {
            j.set(i, col, t[o as usize]);
        }
    }
    (j, Cost { passes: n, node_visits: n * len, bytes: (len + 1) * 8 })
}

/// Tangent of every node for the input direction e_col (ground slot included, 0).
pub fn jvp_into(tape: &Tape, lin: &Linearization, col: usize, t: &mut Vec<f64>) {
    let len = tape.len();
    t.clear();
    t.resize(len + 1, 0.0);
    t[col] = 1.0;
    for k in tape.first_op..len {
        let [a, b] = tape.args[k];
        t[k] = mul0(lin.da[k], t[a as usize]) + mul0(lin.db[k], t[b as usize]);
    }
}

/// m VJP passes, one scalar adjoint per node.
pub fn reverse_rows(tape: &Tape, lin: &Linearization, adj: &mut Vec<f64>) -> (Matrix, Cost) {
    let (n, m, len) = (tape.n(), tape.m(), tape.len());
    let mut j = Matrix::zeros(m, n);
    for row in 0..m {
        vjp_into(tape, lin, row, adj);
        for col in 0..n {
            j.set(row, col, adj[col]);
        }
    }
    (j, Cost { passes: m, node_visits: m * len, bytes: (len + 1) * 8 })
}

/// Adjoint of every node for the output seed e_row.
pub fn vjp_into(tape: &Tape, lin: &Linearization, row: usize, adj: &mut Vec<f64>) {
    let len = tape.len();
    adj.clear();
    adj.resize(len + 1, 0.0);
    adj[tape.outputs[row] as usize] = 1.0;
    for k in (tape.first_op..len).rev() {
        let g = adj[k];
        if g == 0.0 {
            continue;
        }
        let [a, b] = tape.args[k];
        adj[a as usize] += mul0(lin.da[k], g);
        adj[b as usize] += mul0(lin.db[k], g);
    }
}

/// One forward sweep carrying all n directions: J = compressed with seed I.
pub fn batched_forward(tape: &Tape, lin: &Linearization, buf: &mut Vec<f64>) -> (Matrix, Cost) {
    let n = tape.n();
    let seed: Vec<u32> = (0..n as u32).collect();
    let c = forward_sweep(tape, lin, &seed, n, buf);
    (c, Cost { passes: 1, node_visits: tape.len(), bytes: (tape.len() + 1) * n * 8 })
}

pub fn batched_reverse(tape: &Tape, lin: &Linearization, buf: &mut Vec<f64>) -> (Matrix, Cost) {
    let m = tape.m();
    let seed: Vec<u32> = (0..m as u32).collect();
    let c = reverse_sweep(tape, lin, &seed, m, buf);
    (c, Cost { passes: 1, node_visits: tape.len(), bytes: (tape.len() + 1) * m * 8 })
}

/// Forward sweep with `w` directions per node; input j is seeded in direction `slot[j]`.
/// Returns the m × w compressed Jacobian.
fn forward_sweep(tape: &Tape, lin: &Linearization, slot: &[u32], w: usize, t: &mut Vec<f64>) -> Matrix {
    let len = tape.len();
    t.clear();
    t.resize((len + 1) * w, 0.0);
    for (j, &s) in slot.iter().enumerate() {
        t[j * w + s as usize] = 1.0;
    }
    for k in tape.first_op..len {
        let [a, b] = tape.args[k];
        let (da, db) = (lin.da[k], lin.db[k]);
        // Operands come before k; the ground slot is after every node.
        let (head, tail) = t.split_at_mut(k * w);
        let out = &mut tail[..w];
        let ta = &head[a as usize * w..a as usize * w + w];
        // `out` is zero (fresh buffer); a zero partial adds nothing, even against ∞.
        if da != 0.0 {
            for (o, &x) in out.iter_mut().zip(ta) {
                *o = if x == 0.0 { 0.0 } else { da * x };
            }
        }
        if db != 0.0 && (b as usize) < len {
            let tb = &head[b as usize * w..b as usize * w + w];
            for (o, &y) in out.iter_mut().zip(tb) {
                *o += if y == 0.0 { 0.0 } else { db * y };
            }
        }
    }
    let mut c = Matrix::zeros(tape.m(), w);
    for (i, &o) in tape.outputs.iter().enumerate() {
        c.data[i * w..(i + 1) * w].copy_from_slice(&t[o as usize * w..o as usize * w + w]);
    }
    c
}

/// Reverse sweep with `w` adjoint seeds per node; output i is seeded in slot `slot[i]`.
/// Returns the w × n compressed Jacobian.
fn reverse_sweep(tape: &Tape, lin: &Linearization, slot: &[u32], w: usize, adj: &mut Vec<f64>) -> Matrix {
    let len = tape.len();
    adj.clear();
    adj.resize((len + 1) * w, 0.0);
    for (i, &o) in tape.outputs.iter().enumerate() {
        adj[o as usize * w + slot[i] as usize] += 1.0;
    }
    for k in (tape.first_op..len).rev() {
        let [a, b] = tape.args[k];
        let (da, db) = (lin.da[k], lin.db[k]);
        let (head, tail) = adj.split_at_mut(k * w);
        let g = &tail[..w];
        let (a, b) = (a as usize, b as usize);
        if da != 0.0 {
            for (acc, &x) in head[a * w..a * w + w].iter_mut().zip(g) {
                *acc += if x == 0.0 { 0.0 } else { da * x };
            }
        }
        if db != 0.0 && b != len {
            for (acc, &x) in head[b * w..b * w + w].iter_mut().zip(g) {
                *acc += if x == 0.0 { 0.0 } else { db * x };
            }
        }
    }
    let n = tape.n();
    let mut c = Matrix::zeros(w, n);
    for j in 0..n {
        for s in 0..w {
            c.data[s * n + j] = adj[j * w + s];
        }
    }
    c
}

/// Compressed sweeps over the cheaper of the column and row colourings.
pub fn sparse_jacobian(tape: &Tape, lin: &Linearization, buf: &mut Vec<f64>) -> (Matrix, Cost) {
    let (n, m, len) = (tape.n(), tape.m(), tape.len());
    let (cols, rows) = (&tape.col_colouring, &tape.row_colouring);
    let mut j = Matrix::zeros(m, n);
    let by_columns = cols.count <= rows.count;
    let w = if by_columns { cols.count } else { rows.count };
    if by_columns {
        let c = forward_sweep(tape, lin, &cols.colour, w, buf);
        for i in 0..m {
            for col in 0..n {
                if tape.pattern[i][col] {
                    j.set(i, col, c.get(i, cols.colour[col] as usize));
                }
            }
        }
    } else {
        let c = reverse_sweep(tape, lin, &rows.colour, w, buf);
        for i in 0..m {
            for col in 0..n {
                if tape.pattern[i][col] {
                    j.set(i, col, c.get(rows.colour[i] as usize, col));
                }
            }
        }
    }
    (j, Cost { passes: 1, node_visits: len, bytes: (len + 1) * w * 8 })
}

/// Strong-zero product: 0 when either factor is 0, even if the other is ∞ or NaN.
#[inline]
pub fn mul0(p: f64, t: f64) -> f64 {
    if p == 0.0 || t == 0.0 { 0.0 } else { p * t }
}
