//! A batch of points: every point's Jacobian, by the three ways the PyTorch threads
//! discuss, each written once here so they can be timed against one another:
//! - a loop of per-point Jacobians (`torch.autograd.functional.jacobian` per sample: one
//!   forward pass, then m reverse passes, one per output);
//! - the "repeat the input m times and backprop an identity" trick: B·m copies of the
//!   forward pass held at once, and one reverse pass per copy seeded with its row of the
//!   identity;
//! - one batched sweep per point (`vmap(jacrev)`): one forward pass, then one reverse
//!   sweep carrying all m adjoints.
//!
//! All three give the same numbers (the same partials, summed in the same order per row).

use super::eval::Linearization;
use super::jacobian::{batched_reverse_into, reverse_rows_into};
use super::matrix::Matrix;
use super::sweep::vjp_into;
use super::tape::Tape;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Loop,
    Repeat,
    Batched,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Loop, Method::Repeat, Method::Batched];

    /// Bytes of working memory the method holds at its peak for a batch of `b` points
    /// (results aside): values and local partials (3 doubles a node) per forward pass it
    /// keeps, and its adjoints.
    pub fn bytes(self, tape: &Tape, b: usize) -> usize {
        let (nodes, m) = (tape.len() + 1, tape.m());
        match self {
            Method::Loop => (3 + 1) * nodes * 8,
            Method::Repeat => (3 * b * m + 1) * nodes * 8,
            Method::Batched => (3 + m) * nodes * 8,
        }
    }

    /// Forward passes and reverse passes (of one adjoint each, or of m for the batched sweep).
    pub fn passes(self, m: usize, b: usize) -> (usize, usize) {
        match self {
            Method::Loop => (b, b * m),
            Method::Repeat => (b * m, b * m),
            Method::Batched => (b, b),
        }
    }
}

/// Every point's J by `method` (each point has the tape's n coordinates).
pub fn jacobians(tape: &Tape, points: &[Vec<f64>], method: Method) -> Vec<Matrix> {
    let (n, m) = (tape.n(), tape.m());
    let mut adj = Vec::new();
    let mut lin = Linearization::default();
    match method {
        Method::Loop | Method::Batched => points
            .iter()
            .map(|x| {
                let mut j = Matrix::zeros(m, n);
                tape.linearize_into(x, &mut lin);
                if method == Method::Loop {
                    reverse_rows_into(tape, &lin, &mut adj, &mut j);
                } else {
                    batched_reverse_into(tape, &lin, &mut adj, &mut j);
                }
                j
            })
            .collect(),
        Method::Repeat => {
            // Every copy's forward pass first, as one batch of B·m inputs would be.
            let copies: Vec<Linearization> =
                points.iter().flat_map(|x| (0..m).map(move |_| tape.linearize(x))).collect();
            points
                .iter()
                .enumerate()
                .map(|(p, _)| {
                    let mut j = Matrix::zeros(m, n);
                    for row in 0..m {
                        vjp_into(tape, &copies[p * m + row], row, &mut adj);
                        j.data[row * n..(row + 1) * n].copy_from_slice(&adj[..n]);
                    }
                    j
                })
                .collect()
        }
    }
}
