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

use super::kind::Kind;
use super::real::{all_finite, mul0, Real};

/// Directions per chunk of the structured rules: their inner products ⟨p, ·⟩ sit in a
/// stack buffer of this many, and each chunk reads contiguous runs of its directions.
const CHUNK: usize = 32;

/// The node's values `y` from its operands' values `x`.
pub fn values<T: Real>(kind: Kind, x: &[T], y: &mut [T]) {
    if x.iter().any(|v| v.is_nan()) {
        y.fill(T::of(f64::NAN));
        return;
    }
    let shift = x[top(x)];
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
        _ => unreachable!("softmax.rs holds the softmax kinds' rules"),
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
/// The diagonal's 1 − pⱼ at the largest operand is Σ_{k≠j} pₖ: where pⱼ ≈ 1 the
/// subtraction would leave nothing of an entry of 1e-120, which the sweeps keep.
pub fn partial<T: Real>(kind: Kind, x: &[T], y: &[T], i: usize, j: usize) -> T {
    let pj = p(kind, x, y, j);
    if i != j || kind == Kind::LogSumExp {
        return match kind {
            Kind::Softmax => -(y[i] * pj),
            Kind::LogSoftmax => -pj,
            _ => pj,
        };
    }
    let m = top(x);
    let complement = if j == m { rest(kind, x, y, m) } else { T::of(1.0) - pj };
    if kind == Kind::Softmax {
        y[i] * complement
    } else {
        complement
    }
}

/// 1 − pₘ at the largest operand m, as Σ_{k≠m} pₖ.
fn rest<T: Real>(kind: Kind, x: &[T], y: &[T], m: usize) -> T {
    (0..x.len()).filter(|&k| k != m).fold(T::of(0.0), |a, k| a + p(kind, x, y, k))
}

/// Whether the structured rules hold: every value and every entry of `d` finite.
fn finite<T: Real>(x: &[T], y: &[T], d: &[T]) -> bool {
    all_finite(x) && all_finite(y) && all_finite(d)
}

/// The local Jacobian applied entry by entry with strong-zero products: forward
/// out (rows × w) = J·d, reverse out (cols × w) += Jᵀ·d.
fn by_entries<T: Real>(kind: Kind, x: &[T], y: &[T], d: &[T], w: usize, out: &mut [T], reverse: bool) {
    let (rows, cols) = (y.len(), x.len());
    let (outer, inner) = if reverse { (cols, rows) } else { (rows, cols) };
    for a in 0..outer {
        for s in 0..w {
            let mut acc = if reverse { out[a * w + s] } else { T::of(0.0) };
            for b in 0..inner {
                let (i, j) = if reverse { (b, a) } else { (a, b) };
                acc = acc + mul0(partial(kind, x, y, i, j), d[b * w + s]);
            }
            out[a * w + s] = acc;
        }
    }
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
///
/// The tangents are not checked before: a non-finite one makes its direction's ⟨p, ẋ − ẋₘ⟩
/// non-finite (every pⱼ ≥ 0 and pₘ > 0, and 0·∞ is NaN), which is checked once per chunk,
/// and the entry-by-entry rules then rewrite every row (a pass over the tangents fewer).
pub fn forward<T: Real>(kind: Kind, x: &[T], y: &[T], t: &[T], w: usize, out: &mut [T]) {
    if !(all_finite(x) && all_finite(y)) {
        return by_entries(kind, x, y, t, w, out, false);
    }
    let (zero, one, m) = (T::of(0.0), T::of(1.0), top(x));
    for s0 in (0..w).step_by(CHUNK) {
        let n = CHUNK.min(w - s0);
        // ⟨p, ẋ − ẋₘ⟩ for each direction of the chunk.
        // (Slices of the chunk's length, so the loops index without bounds checks.)
        let mut c = [zero; CHUNK];
        let (c, tm) = (&mut c[..n], &t[m * w + s0..m * w + s0 + n]);
        for j in 0..x.len() {
            let (pj, tj) = (p(kind, x, y, j), &t[j * w + s0..j * w + s0 + n]);
            for s in 0..n {
                c[s] = c[s] + pj * (tj[s] - tm[s]);
            }
        }
        if !all_finite(c) {
            return by_entries(kind, x, y, t, w, out, false);
        }
        for i in 0..y.len() {
            // softmax: pᵢ·(…); log-softmax: 1·(…), the same bits as (…).
            let f = if kind == Kind::Softmax { y[i] } else { one };
            let (ti, oi) = (&t[i * w + s0..i * w + s0 + n], &mut out[i * w + s0..i * w + s0 + n]);
            for s in 0..n {
                oi[s] = if kind == Kind::LogSumExp { tm[s] + c[s] } else { f * ((ti[s] - tm[s]) - c[s]) };
            }
        }
    }
}

/// x̄ (cols × w) += the node's transpose applied to ȳ (`g`, rows × w).
///
/// As in `forward`, the largest operand's row is formed without cancelling: softmax's
/// adjoints relative to its own (ȳ − ȳₘ), log-softmax's 1 − pₘ as Σ_{j≠m} pⱼ.
pub fn reverse<T: Real>(kind: Kind, x: &[T], y: &[T], g: &[T], w: usize, xadj: &mut [T]) {
    if !finite(x, y, g) {
        return by_entries(kind, x, y, g, w, xadj, true);
    }
    let (zero, m) = (T::of(0.0), top(x));
    // ȳ's row the others are taken relative to: the largest operand's (logsumexp: its one).
    let r = if kind == Kind::LogSumExp { 0 } else { m };
    let rest = rest(kind, x, y, m);
    for s0 in (0..w).step_by(CHUNK) {
        let n = CHUNK.min(w - s0);
        // Softmax: ⟨p, ȳ − ȳₘ⟩; log-softmax: Σ_{i≠m} ȳᵢ. (Each kind's loop apart, over
        // slices of the chunk's length: the loops then vectorise.)
        let mut c = [zero; CHUNK];
        let (c, gm) = (&mut c[..n], &g[r * w + s0..r * w + s0 + n]);
        for i in 0..y.len() {
            let gi = &g[i * w + s0..i * w + s0 + n];
            if kind == Kind::Softmax {
                for s in 0..n {
                    c[s] = c[s] + y[i] * (gi[s] - gm[s]);
                }
            } else if i != m {
                for s in 0..n {
                    c[s] = c[s] + gi[s];
                }
            }
        }
        for j in 0..x.len() {
            let pj = p(kind, x, y, j);
            let own = if kind == Kind::LogSumExp { r } else { j };
            let (gj, xj) = (&g[own * w + s0..own * w + s0 + n], &mut xadj[j * w + s0..j * w + s0 + n]);
            for s in 0..n {
                xj[s] = xj[s]
                    + match kind {
                        Kind::Softmax => pj * ((gj[s] - gm[s]) - c[s]),
                        Kind::LogSoftmax if j == m => gm[s] * rest - pj * c[s],
                        Kind::LogSoftmax => gj[s] - pj * (c[s] + gm[s]),
                        _ => pj * gm[s],
                    };
            }
        }
    }
}

/// The Hessian's second-order term through the node (`hessian.rs`): the derivative of
/// the reverse rule's x̄ along each of the w forward directions, at fixed adjoints `ybar`
/// (one per row), added to `earlier` (cols × w). `ty` and `tx` are the forward tangents of
/// the node's rows and of its operands (rows × w, cols × w). With ṗ the tangent of p:
///
/// softmax x̄ = p ⊙ (ȳ − ⟨p, ȳ⟩): ṗ ⊙ (ȳ − ⟨p, ȳ⟩) − p·⟨ṗ, ȳ⟩, where ṗ = ẏ;
/// log-softmax x̄ = ȳ − p·Σȳ: −ṗ·Σȳ, where ṗ = p ⊙ ẏ;
/// logsumexp x̄ = p·ȳ: ṗ·ȳ, where ṗ = p ⊙ (ẋ − ẏ) (⟨p, ẋ⟩ = ẏ).
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
    let rows = y.len();
    // ⟨p, ȳ⟩ (softmax) or Σȳ (log-softmax; logsumexp: its one ȳ).
    let mut c = 0.0;
    for i in 0..rows {
        c += if kind == Kind::Softmax { y[i] * ybar[i] } else { ybar[i] };
    }
    for s in 0..w {
        // softmax: ⟨ṗ, ȳ⟩.
        let mut q = 0.0;
        if kind == Kind::Softmax {
            for i in 0..rows {
                q += mul0(ybar[i], ty[i * w + s]);
            }
        }
        for j in 0..x.len() {
            let pj = p(kind, x, y, j);
            earlier[j * w + s] += match kind {
                Kind::Softmax => mul0(ty[j * w + s], ybar[j] - c) - mul0(pj, q),
                Kind::LogSoftmax => -mul0(pj * c, ty[j * w + s]),
                _ => mul0(c * pj, tx[j * w + s] - ty[s]),
            };
        }
    }
}
