//! Second order, exactly: the Hessian of a scalar f as the Jacobian of its gradient, by
//! forward-over-reverse. One forward sweep carries all n tangents ṫ; one reverse sweep
//! carries the adjoint ā (the gradient) and its n tangents ȧ, using the second partials
//! of the rule table:  ȧ_a += ∂k/∂a·ȧ_k + ā_k·(∂²k/∂a²·ṫ_a + ∂²k/∂a∂b·ṫ_b).

use super::jacobian::{mul0, Cost, Matrix};
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
    let (n, len) = (tape.n(), tape.len());
    let lin = tape.linearize(x);
    let second = tape.second_partials(&lin);
    let w = n;
    // Forward: tangents of every node in all n directions, ground row stays 0.
    let mut t = vec![0.0; (len + 1) * w];
    for j in 0..n {
        t[j * w + j] = 1.0;
    }
    for k in tape.first_op..len {
        let [a, b] = tape.args[k];
        for s in 0..w {
            t[k * w + s] = mul0(lin.da[k], t[a as usize * w + s]) + mul0(lin.db[k], t[b as usize * w + s]);
        }
    }
    // Reverse: adjoint and its tangents.
    let mut adj = vec![0.0; len + 1];
    let mut adot = vec![0.0; (len + 1) * w];
    adj[tape.outputs[row] as usize] = 1.0;
    let mut row_k = vec![0.0; w];
    for k in (tape.first_op..len).rev() {
        let g = adj[k];
        let [a, b] = tape.args[k];
        let (a, b) = (a as usize, b as usize);
        let (da, db) = (lin.da[k], lin.db[k]);
        let (haa, hab, hbb) = second[k];
        row_k.copy_from_slice(&adot[k * w..k * w + w]);
        adj[a] += mul0(da, g);
        for s in 0..w {
            let (ta, tb) = (t[a * w + s], t[b * w + s]);
            adot[a * w + s] += mul0(da, row_k[s]) + mul0(g, mul0(haa, ta) + mul0(hab, tb));
        }
        if b != len {
            adj[b] += mul0(db, g);
            for s in 0..w {
                let (ta, tb) = (t[a * w + s], t[b * w + s]);
                adot[b * w + s] += mul0(db, row_k[s]) + mul0(g, mul0(hab, ta) + mul0(hbb, tb));
            }
        }
    }
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
        cost: Cost { passes: 2, primal: 1, node_visits: 3 * len, bytes: (len + 1) * (2 * w + 5) * 8 },
    }
}

/// Trace of a square Jacobian: the divergence of a vector field (n = m).
pub fn divergence(j: &Matrix) -> Option<f64> {
    (j.rows == j.cols).then(|| (0..j.rows).map(|i| j.get(i, i)).sum())
}
