//! Softmax, log-softmax and logsumexp as tensor nodes: a block (`dense::Block`) of a
//! nonlinear kind over a vector of operands x, its rules written once here and used by
//! evaluation, every sweep, the Hessian and the traces. With p = softmax(x):
//!
//! | kind          | y              | forward ẏ             | reverse x̄ +=        |
//! |---------------|----------------|-----------------------|---------------------|
//! | `Softmax`     | p              | p ⊙ (ẋ − ⟨p, ẋ⟩)      | p ⊙ (ȳ − ⟨p, ȳ⟩)    |
//! | `LogSoftmax`  | x − lse(x)     | ẋ − ⟨p, ẋ⟩            | ȳ − p·Σȳ            |
//! | `LogSumExp`   | lse(x)         | ⟨p, ẋ⟩                | p·ȳ                 |
//!
//! Each costs O(n) per direction, where the dense local Jacobian (diag(p) − ppᵀ for
//! softmax) would cost O(n²). p is read back from the node's own values (y, exp(y),
//! exp(x − y)), so the linearization stores nothing beside them. The values subtract
//! max(x) before exp, so exp never overflows and the largest term is exactly 1.
//!
//! Where a tangent, an adjoint or a value is ∞ or NaN the sweeps fall back to the local
//! Jacobian entry by entry with strong-zero products, so a direction that does not reach
//! the node stays 0 as it does through every scalar rule.

use super::real::{mul0, Real};

/// What a block computes from its operands: an affine map (its weights in `a`), or one
/// of the nonlinear tensor nodes whose rules this file holds (their `a` is empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Linear,
    Softmax,
    LogSoftmax,
    /// One row: log Σ exp(xⱼ).
    LogSumExp,
}

impl Kind {
    /// The name on the printed tape and in the pass view.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Linear => "dense",
            Kind::Softmax => "softmax",
            Kind::LogSoftmax => "log_softmax",
            Kind::LogSumExp => "logsumexp",
        }
    }
}

/// Directions per chunk of the structured rules: their inner products ⟨p, ·⟩ sit in a
/// stack buffer of this many, and each chunk reads contiguous runs of its directions.
const CHUNK: usize = 32;

/// The node's values `y` from its operands' values `x`.
pub fn values<T: Real>(kind: Kind, x: &[T], y: &mut [T]) {
    if x.iter().any(|v| v.is_nan()) {
        y.fill(T::of(f64::NAN));
        return;
    }
    let shift = x.iter().fold(T::of(f64::NEG_INFINITY), |m, &v| if v > m { v } else { m });
    let mut sum = T::of(0.0);
    match kind {
        Kind::Softmax => {
            for (y, &v) in y.iter_mut().zip(x) {
                *y = (v - shift).exp();
                sum = sum + *y;
            }
            for y in y.iter_mut() {
                *y = *y / sum;
            }
        }
        Kind::LogSoftmax | Kind::LogSumExp => {
            for &v in x {
                sum = sum + (v - shift).exp();
            }
            let l = sum.ln();
            if kind == Kind::LogSumExp {
                y[0] = shift + l;
            } else {
                for (y, &v) in y.iter_mut().zip(x) {
                    *y = (v - shift) - l;
                }
            }
        }
        Kind::Linear => unreachable!("a linear block is dense.rs's"),
    }
}

/// p_j = softmax(x)_j, from the node's values.
#[inline]
fn p<T: Real>(kind: Kind, x: &[T], y: &[T], j: usize) -> T {
    match kind {
        Kind::Softmax => y[j],
        Kind::LogSoftmax => y[j].exp(),
        _ => (x[j] - y[0]).exp(),
    }
}

/// ∂y_i/∂x_j, the local Jacobian's entry (the traces' partials, and the sweeps' fallback).
pub fn partial<T: Real>(kind: Kind, x: &[T], y: &[T], i: usize, j: usize) -> T {
    let delta = T::of(if i == j { 1.0 } else { 0.0 });
    match kind {
        Kind::Softmax => y[i] * (delta - p(kind, x, y, j)),
        Kind::LogSoftmax => delta - p(kind, x, y, j),
        _ => p(kind, x, y, j),
    }
}

/// Whether the structured rules hold: every value and every entry of `d` finite.
fn finite<T: Real>(x: &[T], y: &[T], d: &[T]) -> bool {
    x.iter().chain(y).chain(d).all(|v| v.is_finite())
}

/// The index of the largest operand (the first of equals): the values' shift.
fn top<T: Real>(x: &[T]) -> usize {
    (1..x.len()).fold(0, |m, j| if x[j] > x[m] { j } else { m })
}

/// ẏ (rows × w) from ẋ (cols × w), at the values `x` (operands) and `y` (the node's).
///
/// The tangents are taken relative to the largest operand's (ẋ − ẋₘ: the function does
/// not change when every operand moves alike), as the shift in the values does: a
/// confident softmax (pₘ ≈ 1) then gets ṗₘ = −pₘ·Σ_{j≠m} pⱼ(ẋⱼ − ẋₘ) without forming
/// ẋₘ − ⟨p, ẋ⟩, which would cancel to a few digits.
pub fn forward<T: Real>(kind: Kind, x: &[T], y: &[T], t: &[T], w: usize, out: &mut [T]) {
    let zero = T::of(0.0);
    let (rows, cols) = (y.len(), x.len());
    if !finite(x, y, t) {
        for i in 0..rows {
            for s in 0..w {
                let terms = (0..cols).map(|j| mul0(partial(kind, x, y, i, j), t[j * w + s]));
                out[i * w + s] = terms.fold(zero, |a, b| a + b);
            }
        }
        return;
    }
    let m = top(x);
    for s0 in (0..w).step_by(CHUNK) {
        let s1 = (s0 + CHUNK).min(w);
        let tm = &t[m * w + s0..m * w + s1];
        // ⟨p, ẋ − ẋₘ⟩ for each direction of the chunk.
        let mut c = [zero; CHUNK];
        let c = &mut c[..s1 - s0];
        for j in 0..cols {
            let pj = p(kind, x, y, j);
            for ((c, &t), &tm) in c.iter_mut().zip(&t[j * w + s0..j * w + s1]).zip(tm) {
                *c = *c + pj * (t - tm);
            }
        }
        if kind == Kind::LogSumExp {
            for ((o, &c), &tm) in out[s0..s1].iter_mut().zip(&*c).zip(tm) {
                *o = tm + c;
            }
            continue;
        }
        for i in 0..rows {
            let pi = y[i];
            let (ti, oi) = (&t[i * w + s0..i * w + s1], &mut out[i * w + s0..i * w + s1]);
            for (((o, &t), &c), &tm) in oi.iter_mut().zip(ti).zip(&*c).zip(tm) {
                let d = (t - tm) - c;
                *o = if kind == Kind::Softmax { pi * d } else { d };
            }
        }
    }
}

/// x̄ (cols × w) += the node's transpose applied to ȳ (`g`, rows × w).
///
/// As in `forward`, the largest operand's row is formed without cancelling: softmax's
/// adjoints relative to its own (ȳ − ȳₘ), log-softmax's 1 − pₘ as Σ_{j≠m} pⱼ.
pub fn reverse<T: Real>(kind: Kind, x: &[T], y: &[T], g: &[T], w: usize, xadj: &mut [T]) {
    let zero = T::of(0.0);
    let (rows, cols) = (y.len(), x.len());
    if !finite(x, y, g) {
        for j in 0..cols {
            for s in 0..w {
                let terms = (0..rows).map(|i| mul0(partial(kind, x, y, i, j), g[i * w + s]));
                xadj[j * w + s] = xadj[j * w + s] + terms.fold(zero, |a, b| a + b);
            }
        }
        return;
    }
    let m = top(x);
    // log-softmax: 1 − pₘ.
    let rest = (0..cols).filter(|&j| j != m).fold(zero, |a, j| a + p(kind, x, y, j));
    for s0 in (0..w).step_by(CHUNK) {
        let s1 = (s0 + CHUNK).min(w);
        let gm: &[T] = if kind == Kind::LogSumExp { &g[s0..s1] } else { &g[m * w + s0..m * w + s1] };
        // Softmax: ⟨p, ȳ − ȳₘ⟩; log-softmax: Σ_{i≠m} ȳᵢ.
        let mut c = [zero; CHUNK];
        let c = &mut c[..s1 - s0];
        for i in (0..rows).filter(|&i| kind == Kind::Softmax || i != m) {
            let gi = &g[i * w + s0..i * w + s1];
            for ((c, &g), &gm) in c.iter_mut().zip(gi).zip(gm) {
                *c = *c + if kind == Kind::Softmax { y[i] * (g - gm) } else { g };
            }
        }
        for j in 0..cols {
            let pj = p(kind, x, y, j);
            let xj = &mut xadj[j * w + s0..j * w + s1];
            let gj: &[T] = if kind == Kind::LogSumExp { gm } else { &g[j * w + s0..j * w + s1] };
            for (((a, &g), &c), &gm) in xj.iter_mut().zip(gj).zip(&*c).zip(gm) {
                *a = *a
                    + match kind {
                        Kind::Softmax => pj * ((g - gm) - c),
                        Kind::LogSoftmax if j == m => gm * rest - pj * c,
                        Kind::LogSoftmax => g - pj * (c + gm),
                        _ => pj * gm,
                    };
            }
        }
    }
}

/// The Hessian's second-order term through the node (`hessian.rs`): the derivative of
/// the reverse rule's x̄ along each of the w forward directions, at fixed adjoints `ybar`
/// (one per row), added to `earlier` (cols × w). `ty` and `tx` are the forward tangents of
/// the node's rows and of its operands (rows × w, cols × w).
///
/// softmax: ṗ ⊙ (ȳ − ⟨p, ȳ⟩) − p·⟨ṗ, ȳ⟩ with ṗ = ẏ; log-softmax: −p ⊙ ẏ·Σȳ (ṗ = p ⊙ ẏ);
/// logsumexp: ȳ·p ⊙ (ẋ − ẏ) (ṗ = p ⊙ (ẋ − ⟨p, ẋ⟩), and ⟨p, ẋ⟩ = ẏ).
#[allow(clippy::too_many_arguments)]
pub fn second_order(
    kind: Kind,
    x: &[f64],
    y: &[f64],
    ybar: &[f64],
    ty: &[f64],
    tx: &[f64],
    w: usize,
    earlier: &mut [f64],
) {
    let cols = x.len();
    match kind {
        Kind::Softmax => {
            let c: f64 = y.iter().zip(ybar).map(|(p, g)| p * g).sum();
            for s in 0..w {
                let q: f64 = ybar.iter().enumerate().map(|(i, g)| mul0(*g, ty[i * w + s])).sum();
                for j in 0..cols {
                    earlier[j * w + s] += mul0(ty[j * w + s], ybar[j] - c) - mul0(y[j], q);
                }
            }
        }
        Kind::LogSoftmax => {
            let total: f64 = ybar.iter().sum();
            for j in 0..cols {
                let pj = y[j].exp();
                for s in 0..w {
                    earlier[j * w + s] -= mul0(pj * total, ty[j * w + s]);
                }
            }
        }
        Kind::LogSumExp => {
            for j in 0..cols {
                let pj = p(kind, x, y, j);
                for s in 0..w {
                    earlier[j * w + s] += mul0(ybar[0] * pj, tx[j * w + s] - ty[s]);
                }
            }
        }
        Kind::Linear => {}
    }
}
