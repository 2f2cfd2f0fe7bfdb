//! max, min and norm of a vector as tensor nodes: a one-row block (`dense::Block`) whose
//! local Jacobian is one row g, read back from the operands' values x and the node's y,
//! so the linearization stores nothing beside them:
//!
//! | kind   | y      | gⱼ = ∂y/∂xⱼ                                          |
//! |--------|--------|------------------------------------------------------|
//! | `Max`  | max x  | 1/k on each of the k operands equal to y, else 0     |
//! | `Min`  | min x  | the same for the least                               |
//! | `Norm` | ‖x‖₂   | xⱼ / y (0 at y = 0, as hypot's rule)                 |
//!
//! The values are the binary functions' folds. Forward ẏ = ⟨g, ẋ⟩ and reverse x̄ += g·ȳ
//! cost O(n) per direction, with strong-zero products (a zero gⱼ times an infinite tangent
//! adds nothing). Equal largest operands
//! share the derivative evenly, as PyTorch's `amax` does; a chain of binary max would give
//! the last of them half and the others less. A NaN operand makes y and g NaN.

use super::kind::Kind;
use super::ops::{self, Op};
use super::real::{mul0, Real};

/// The node's value from its operands' values: the binary function's fold (hypot's for a
/// norm: no overflow or underflow on the way), the same bits as the fold written out.
pub fn value<T: Real>(kind: Kind, x: &[T]) -> T {
    let op = kind.binary().unwrap_or(Op::Max);
    x[1..].iter().fold(x[0], |acc, &v| ops::value(op, acc, v))
}

/// How many operands equal y (the ties of max and min).
fn ties<T: Real>(x: &[T], y: T) -> T {
    T::of(x.iter().filter(|&&v| v == y).count() as f64)
}

/// gⱼ, given the number of ties.
#[inline]
fn g<T: Real>(kind: Kind, x: &[T], y: T, ties: T, j: usize) -> T {
    let zero = T::of(0.0);
    match kind {
        Kind::Norm if y == zero => zero,
        Kind::Norm => x[j] / y,
        _ if y.is_nan() => y,
        _ if x[j] == y => T::of(1.0) / ties,
        _ => zero,
    }
}

/// ∂y/∂xⱼ, the local Jacobian's entry (the traces' partials).
pub fn partial<T: Real>(kind: Kind, x: &[T], y: T, j: usize) -> T {
    g(kind, x, y, ties(x, y), j)
}

/// The sweeps' rules, one body for both: forward ẏ (1 × w) = ⟨g, ẋ⟩ from the operands'
/// tangents `d` (cols × w) into `out`; reverse x̄ (`out`, cols × w) += g·ȳ from the node's
/// adjoints `d` (1 × w).
#[inline(never)]
pub fn apply<T: Real>(kind: Kind, x: &[T], y: T, d: &[T], w: usize, out: &mut [T], reverse: bool) {
    let (zero, ties) = (T::of(0.0), ties(x, y));
    if !reverse {
        out[..w].fill(zero);
    }
    for j in 0..x.len() {
        let gj = g(kind, x, y, ties, j);
        if gj != zero {
            for s in 0..w {
                let (o, v) = if reverse { (j * w + s, s) } else { (s, j * w + s) };
                out[o] = out[o] + mul0(gj, d[v]);
            }
        }
    }
}

/// The Hessian's second-order term through a norm (max and min are piecewise linear and
/// have none): x̄ = ȳ·x/y moves along each forward direction s by ȳ·(ẋ − (x/y)·ẏ)/y,
/// added to `earlier` (cols × w). `ty` holds ẏ (1 × w), `tx` the operands' ẋ (cols × w).
#[allow(clippy::too_many_arguments)]
pub fn second_order(kind: Kind, x: &[f64], y: f64, ybar: f64, ty: &[f64], tx: &[f64], w: usize, earlier: &mut [f64]) {
    // (A zero or non-finite ȳ/y adds nothing: no adjoint reaches the node, or the norm
    // is not differentiable there.)
    let c = ybar / y;
    if kind != Kind::Norm || c == 0.0 || !c.is_finite() {
        return;
    }
    for (j, &xj) in x.iter().enumerate() {
        for s in 0..w {
            earlier[j * w + s] += c * (tx[j * w + s] - xj / y * ty[s]);
        }
    }
}
