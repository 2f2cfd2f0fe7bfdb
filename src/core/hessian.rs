//! Second order, exactly: the Hessian of a scalar f as the Jacobian of its gradient, by
//! forward-over-reverse. One forward sweep carries all n tangents ṫ; one reverse sweep
//! carries the adjoint ā (the gradient) and its n tangents ȧ, using the second partials
//! of the rule table:  ȧ_a += ∂k/∂a·ȧ_k + ā_k·(∂²k/∂a²·ṫ_a + ∂²k/∂a∂b·ṫ_b). Both are the
//! sweeps of `sweep.rs`; the second-order term rides on the reverse sweep's observer.

use super::dense::Kind;
use super::matrix::{Cost, Matrix};
use super::ops::Op;
use super::sweep::{self, mul0};
use super::tape::Tape;

#[derive(Clone, Debug)]
pub struct HessianResult {
    pub f: f64,
    pub gradient: Vec<f64>,
    pub h: Matrix,
    /// Trace of the Hessian: the Laplacian of f.
    pub laplacian: f64,
    pub cost: Cost,
}

/// The Hessian of output `row` (use 0 when m = 1).
pub fn hessian(tape: &Tape, x: &[f64], row: usize) -> HessianResult {
    let (n, len, work) = (tape.n(), tape.len(), tape.work());
    let lin = tape.linearize(x);
    let second = tape.second_partials(&lin);
    let w = n;
    // Forward: tangents ṫ of every node in all n directions.
    let mut t = Vec::new();
    sweep::zeroed(tape, w, &mut t);
    for j in 0..n {
        t[j * w + j] = 1.0;
    }
    sweep::forward(tape, &lin, w, &mut t, sweep::unobserved);
    // Reverse: the gradient ā (one VJP), then its n tangents ȧ, whose recurrence is the
    // reverse one plus the second-order term ā_k·(∂²k·ṫ) pushed to each operand.
    let mut adj = Vec::new();
    sweep::vjp_into(tape, &lin, row, &mut adj);
    let mut adot = Vec::new();
    sweep::zeroed(tape, w, &mut adot);
    sweep::reverse(tape, &lin, w, &mut adot, |k, _, earlier| {
        if tape.ops[k] == Op::Dense {
            // A block's term once, at its first row (the reverse sweep's last of it): a
            // dense one is linear in its operands and has none.
            let block = &tape.blocks[tape.args[k][0] as usize];
            if k == block.first as usize && block.kind != Kind::Linear {
                let (rows, ops) = (block.outputs(), block.operands());
                let (x, y) = (&lin.vals[ops.clone()], &lin.vals[rows.clone()]);
                let (ty, tx) = (&t[rows.start * w..rows.end * w], &t[ops.start * w..ops.end * w]);
                let earlier = &mut earlier[ops.start * w..ops.end * w];
                block.second_order(x, y, &adj[rows], ty, tx, w, earlier);
            }
            return;
        }
        let g = adj[k];
        if g == 0.0 {
            return;
        }
        let [a, b] = tape.args[k];
        let (a, b) = (a as usize, b as usize);
        let (haa, hab, hbb) = second[k];
        for s in 0..w {
            let (ta, tb) = (t[a * w + s], t[b * w + s]);
            earlier[a * w + s] += mul0(g, mul0(haa, ta) + mul0(hab, tb));
        }
        if b < len {
            for s in 0..w {
                let (ta, tb) = (t[a * w + s], t[b * w + s]);
                earlier[b * w + s] += mul0(g, mul0(hab, ta) + mul0(hbb, tb));
            }
        }
    });
    let mut h = Matrix::zeros(n, n);
    for i in 0..n {
        for j in 0..n {
            h.set(i, j, adot[i * w + j]);
        }
    }
    let laplacian = (0..n).map(|i| h.get(i, i)).sum();
    HessianResult {
        f: lin.vals[tape.outputs[row] as usize],
        gradient: adj[..n].to_vec(),
        h,
        laplacian,
        cost: Cost { passes: 2, primal: 1, node_visits: 3 * work, bytes: (len + 1) * (2 * w + 5) * 8 },
    }
}

/// Trace of a square Jacobian: the divergence of a vector field (n = m).
pub fn divergence(j: &Matrix) -> Option<f64> {
    (j.rows == j.cols).then(|| (0..j.rows).map(|i| j.get(i, i)).sum())
}
