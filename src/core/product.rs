//! The product of two matrices that are both variables, Y = A·B (attention's `Q @ K.T`, a
//! dot of two inputs, `W @ x` differentiated by the weights and the input at once), as one
//! tensor node: a block (`dense::Block`) whose operands are A's entries then B's, each
//! row-major, and whose rows are Y's. A product with known weights is a linear block
//! instead (`dense.rs`); this one is bilinear, so its local Jacobian is read back from its
//! operands' values and stores nothing:
//!
//! ∂Y[i,j]/∂A[i,k] = B[k,j],  ∂Y[i,j]/∂B[k,j] = A[i,k],  every other entry 0,
//!
//! so a row reads 2c of its operands (A's row i and B's column j), not all of them.
//!
//! forward Ẏ = Ȧ·B + A·Ḃ; reverse Ā += Ȳ·Bᵀ, B̄ += Aᵀ·Ȳ; and the Hessian's term from
//! ∂²Y[i,j]/∂A[i,k]∂B[k,j] = 1 (`apply`). Each costs r·c·q multiply-adds per direction and side, as the written-out products
//! do, and every product is a strong-zero one (`axpy0`).

use super::real::{axpy0, Real};
use std::ops::{Add, Mul};

/// Y = A·B with A r × c and B c × q: the block's rows r·q, its operands r·c + c·q.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dims {
    pub r: usize,
    pub c: usize,
    pub q: usize,
}

impl Dims {
    /// The shape a product block keeps in its `a`: [r, c, q].
    pub fn of(a: &[f64]) -> Dims {
        Dims { r: a[0] as usize, c: a[1] as usize, q: a[2] as usize }
    }

    /// What the block keeps in its `a`.
    pub fn data(self) -> Vec<f64> {
        vec![self.r as f64, self.c as f64, self.q as f64]
    }

    /// The nodes row `row` reads, with the operands from node `from`: A's row i, then B's
    /// column j.
    pub fn reads(self, row: usize, from: usize) -> Vec<usize> {
        let Dims { r, c, q } = self;
        let (i, j) = (row / q, row % q);
        let mut out: Vec<usize> = (from + i * c..from + i * c + c).collect();
        for k in 0..c {
            out.push(from + r * c + k * q + j);
        }
        out
    }
}

/// Every entry of Y from the operands' values `x` (A then B), each summed left to right
/// from its first product, the same bits as the products written out. Generic over the
/// arithmetic, so complex step runs the same loop in complex numbers.
pub fn values<T: Copy + Add<Output = T> + Mul<Output = T>>(d: Dims, x: &[T], y: &mut [T]) {
    let (a, b) = x.split_at(d.r * d.c);
    for (row, out) in y.iter_mut().enumerate() {
        let (i, j) = (row / d.q, row % d.q);
        let ai = &a[i * d.c..][..d.c];
        *out = (1..d.c).fold(ai[0] * b[j], |acc, k| acc + ai[k] * b[k * d.q + j]);
    }
}

/// ∂Y[row]/∂(operand o) at the operands' values `x`.
pub fn partial<T: Real>(d: Dims, x: &[T], row: usize, o: usize) -> T {
    let (i, j, rc) = (row / d.q, row % d.q, d.r * d.c);
    match o.checked_sub(rc) {
        None if o / d.c == i => x[rc + (o % d.c) * d.q + j],
        Some(o) if o % d.q == j => x[i * d.c + o / d.q],
        _ => T::of(0.0),
    }
}

/// Which rule `apply` runs.
pub enum Rule<'a> {
    Forward,
    Reverse,
    /// The Hessian's second-order term, with the rows' adjoints ȳ (one each).
    Second(&'a [f64]),
}

/// The rules, one body for all three (each (i, j, k) pushes two products of w
/// directions):
/// - forward: Ẏ (`out`, rows × w) = Ȧ·B + A·Ḃ from the operands' tangents `src` (cols × w);
/// - reverse: the operands' adjoints (`out`, cols × w) gain Ȳ·Bᵀ (A's) and Aᵀ·Ȳ (B's)
///   from the rows' adjoints `src` (rows × w);
/// - second order: ∂²Y[i,j]/∂A[i,k]∂B[k,j] = 1, so along each forward direction A's
///   adjoints move by ȳ[i,j]·Ḃ[k,j] and B's by ȳ[i,j]·Ȧ[i,k], from the operands'
///   tangents `src` into `out` (both cols × w).
///
/// `x` holds the operands' values.
#[inline(never)]
pub fn apply<T: Real>(d: Dims, x: &[T], src: &[T], w: usize, out: &mut [T], rule: Rule) {
    let Dims { r, c, q } = d;
    let rc = r * c;
    if let Rule::Forward = rule {
        out.fill(T::of(0.0));
    }
    for i in 0..r {
        for j in 0..q {
            let y = i * q + j;
            // A row no seed reaches pushes nothing (a reverse pass's one seed meets many).
            if let Rule::Reverse = rule {
                if src[y * w..][..w].iter().all(|&v| v == T::of(0.0)) {
                    continue;
                }
            }
            for k in 0..c {
                let (a, b) = (i * c + k, rc + k * q + j);
                let pushes = match rule {
                    Rule::Forward => [(x[b], a, y), (x[a], b, y)],
                    Rule::Reverse => [(x[b], y, a), (x[a], y, b)],
                    Rule::Second(ybar) => [(T::of(ybar[y]), b, a), (T::of(ybar[y]), a, b)],
                };
                for (p, from, to) in pushes {
                    axpy0(p, &src[from * w..][..w], &mut out[to * w..][..w]);
                }
            }
        }
    }
}
