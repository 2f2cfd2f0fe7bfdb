//! The exact strategies: each builds the full m × n J from sweeps (`sweep.rs`) over one
//! linearization and says what it cost. Which one runs, and the approximate strategies
//! beside them, are chosen in `strategy.rs`.

use super::eval::Linearization;
use super::matrix::{Cost, Matrix};
use super::sweep::{self, jvp_into, vjp_into};
use super::tape::Tape;

/// n JVP passes, one scalar tangent per node.
pub fn forward_columns(tape: &Tape, lin: &Linearization, t: &mut Vec<f64>) -> (Matrix, Cost) {
    let mut j = Matrix::zeros(0, 0);
    let cost = forward_columns_into(tape, lin, t, &mut j);
    (j, cost)
}

pub fn forward_columns_into(tape: &Tape, lin: &Linearization, t: &mut Vec<f64>, j: &mut Matrix) -> Cost {
    let (n, m, len, work) = (tape.n(), tape.m(), tape.len(), tape.work());
    j.reset(m, n);
    for col in 0..n {
        jvp_into(tape, lin, col, t);
        for (i, &o) in tape.outputs.iter().enumerate() {
            j.set(i, col, t[o as usize]);
        }
    }
    Cost { primal: 0, passes: n, node_visits: n * work, bytes: (len + 1) * 8 }
}

/// m VJP passes, one scalar adjoint per node.
pub fn reverse_rows_into(tape: &Tape, lin: &Linearization, adj: &mut Vec<f64>, j: &mut Matrix) -> Cost {
    let (n, m, len, work) = (tape.n(), tape.m(), tape.len(), tape.work());
    j.reset(m, n);
    for row in 0..m {
        vjp_into(tape, lin, row, adj);
        j.data[row * n..(row + 1) * n].copy_from_slice(&adj[..n]);
    }
    Cost { primal: 0, passes: m, node_visits: m * work, bytes: (len + 1) * 8 }
}

/// Forward sweep with `w` directions per node; input j is seeded in direction `slot[j]`
/// (in direction j when `slot` is None). Writes the m × w compressed Jacobian to `out`.
fn forward_compressed(
    tape: &Tape,
    lin: &Linearization,
    slot: Option<&[u32]>,
    w: usize,
    t: &mut Vec<f64>,
    out: &mut Matrix,
) {
    sweep::zeroed_leaves(tape, w, t);
    for j in 0..tape.n() {
        t[j * w + slot.map_or(j, |sl| sl[j] as usize)] = 1.0;
    }
    sweep::forward(tape, lin, w, t, sweep::unobserved);
    // Every entry is written: no pass zeroing J first.
    out.reshape_for_overwrite(tape.m(), w);
    for (i, &o) in tape.outputs.iter().enumerate() {
        let o = o as usize;
        out.data[i * w..(i + 1) * w].copy_from_slice(&t[o * w..o * w + w]);
    }
}

/// Reverse sweep with `w` adjoint seeds per node; output i is seeded in slot `slot[i]`
/// (slot i when None). Writes the w × n compressed Jacobian to `out`.
fn reverse_compressed(
    tape: &Tape,
    lin: &Linearization,
    slot: Option<&[u32]>,
    w: usize,
    adj: &mut Vec<f64>,
    out: &mut Matrix,
) {
    sweep::zeroed(tape, w, adj);
    for (i, &o) in tape.outputs.iter().enumerate() {
        // `+=`: two outputs may be the same node.
        adj[o as usize * w + slot.map_or(i, |sl| sl[i] as usize)] += 1.0;
    }
    sweep::reverse(tape, lin, w, adj, sweep::unobserved_reverse);
    let n = tape.n();
    // Every entry is written: no pass zeroing J first.
    out.reshape_for_overwrite(w, n);
    for j in 0..n {
        for s in 0..w {
            out.data[s * n + j] = adj[j * w + s];
        }
    }
}

/// One forward sweep carrying all n directions.
pub fn batched_forward_into(tape: &Tape, lin: &Linearization, buf: &mut Vec<f64>, j: &mut Matrix) -> Cost {
    forward_compressed(tape, lin, None, tape.n(), buf, j);
    Cost { primal: 0, passes: 1, node_visits: tape.work(), bytes: (tape.len() + 1) * tape.n() * 8 }
}

/// One reverse sweep carrying all m adjoint seeds.
pub fn batched_reverse_into(tape: &Tape, lin: &Linearization, buf: &mut Vec<f64>, j: &mut Matrix) -> Cost {
    reverse_compressed(tape, lin, None, tape.m(), buf, j);
    Cost { primal: 0, passes: 1, node_visits: tape.work(), bytes: (tape.len() + 1) * tape.m() * 8 }
}

/// Compressed sweeps over the cheaper of the column and row colourings.
pub fn sparse_into(tape: &Tape, lin: &Linearization, buf: &mut Vec<f64>, c: &mut Matrix, j: &mut Matrix) -> Cost {
    let (n, m, len, work) = (tape.n(), tape.m(), tape.len(), tape.work());
    let (cols, rows) = (&tape.col_colouring, &tape.row_colouring);
    let by_columns = cols.count <= rows.count;
    let w = if by_columns { cols.count } else { rows.count };
    if by_columns {
        forward_compressed(tape, lin, Some(&cols.colour), w, buf, c);
    } else {
        reverse_compressed(tape, lin, Some(&rows.colour), w, buf, c);
    }
    j.reset(m, n);
    for (i, row) in tape.pattern.iter().enumerate() {
        for &col in row {
            let col = col as usize;
            let v = if by_columns { c.get(i, cols.colour[col] as usize) } else { c.get(rows.colour[i] as usize, col) };
            j.set(i, col, v);
        }
    }
    Cost { primal: 0, passes: 1, node_visits: work, bytes: (len + 1) * w * 8 }
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
pub fn reconcile_non_finite(tape: &Tape, lin: &Linearization, buf: &mut Vec<f64>, j: &mut Matrix) -> usize {
    // One contiguous scan on every call (this runs while the point is dragged); the
    // column and row scans below only when some entry is not finite.
    if j.all_finite() {
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
        for (col, &v) in buf[..n].iter().enumerate() {
            if !j.get(row, col).is_finite() && v.is_finite() {
                j.set(row, col, v);
            }
        }
    }
    passes
}
