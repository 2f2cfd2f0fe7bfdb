//! A matrix product Y = A·B as one tensor node, where B or A or both are variables:
//! attention's `Q @ K.T`, a dot of two inputs, `W @ x` by the weights and the input at
//! once, and a batch of rows through known weights (`X @ W`, `W @ X`). A block
//! (`dense::Block`) whose operands are the variable factors' entries (A's then B's, each
//! row-major), whose rows are Y's, and whose `a` holds the shape and a known factor's
//! entries (data, never nodes). A matrix of known weights times a vector is a linear block
//! instead (`dense.rs`). Its local Jacobian is read back from the factors' values and
//! stores nothing:
//!
//! ∂Y[i,j]/∂A[i,k] = B[k,j],  ∂Y[i,j]/∂B[k,j] = A[i,k],  every other entry 0,
//!
//! so a row reads A's row i and B's column j, not every operand. Forward Ẏ = Ȧ·B + A·Ḃ,
//! reverse Ā += Ȳ·Bᵀ and B̄ += Aᵀ·Ȳ, and, with both factors variable, the Hessian's
//! term from ∂²Y[i,j]/∂A[i,k]∂B[k,j] = 1 are one body (`apply`), its products strong-zero
//! ones (`axpy0`); with many directions and every number finite they are GEMMs, and with a
//! known factor a linear block's kernels (`linear.rs`). Each costs r·c·q multiply-adds
//! per direction and variable factor, as the written-out products do.

use super::real::{all_finite, axpy0, Real};
use std::ops::{Add, Mul};

/// Which factor is known data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    Neither,
    A,
    B,
}

/// Y = A·B with A r × c and B c × q: the block's rows r·q. Its entries are numbered A's
/// r·c first, then B's c·q; its operands are the variable ones' (`slot`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dims {
    pub r: usize,
    pub c: usize,
    pub q: usize,
    pub known: Known,
}

/// Where the known factor's entries start in a product block's `a`.
const HEAD: usize = 4;

impl Dims {
    /// The shape a product block keeps at the head of its `a`.
    pub fn of(a: &[f64]) -> Dims {
        let known = [Known::Neither, Known::A, Known::B][a[3] as usize];
        Dims { r: a[0] as usize, c: a[1] as usize, q: a[2] as usize, known }
    }

    /// What the block keeps in its `a`: the shape, then the known factor's entries
    /// row-major (B's as Bᵀ, whose rows are what each of X's rows meets in `X @ W`).
    pub fn data(self, known: &[f64]) -> Vec<f64> {
        let mut a = vec![self.r as f64, self.c as f64, self.q as f64, self.known as u8 as f64];
        match self.known {
            Known::B => a.extend((0..self.q * self.c).map(|e| known[(e % self.c) * self.q + e / self.c])),
            _ => a.extend_from_slice(known),
        }
        a
    }

    /// The operand that entry `e` is, or None for a known factor's entry.
    fn slot(self, e: usize) -> Option<usize> {
        let rc = self.r * self.c;
        match self.known {
            Known::Neither => Some(e),
            Known::A => e.checked_sub(rc),
            Known::B => (e < rc).then_some(e),
        }
    }

    /// The entry operand `o` is.
    fn entry(self, o: usize) -> usize {
        o + if self.known == Known::A { self.r * self.c } else { 0 }
    }

    /// The nodes row `row` reads, with the operands from node `from`: A's row i, then B's
    /// column j, where they are variables.
    pub fn reads(self, row: usize, from: usize) -> Vec<usize> {
        let Dims { r, c, q, .. } = self;
        let (i, j) = (row / q, row % q);
        let mut out = Vec::with_capacity(2 * c);
        for k in 0..2 * c {
            let e = if k < c { i * c + k } else { r * c + (k - c) * q + j };
            if let Some(o) = self.slot(e) {
                out.push(from + o);
            }
        }
        out
    }
}

/// The factors' entries: the operands' values `x`, and the known factor's (the block's
/// `a`), as numbers of the arithmetic by `of`.
struct Factors<'a, T> {
    d: Dims,
    x: &'a [T],
    a: &'a [f64],
    of: fn(f64) -> T,
}

impl<T: Copy> Factors<'_, T> {
    fn at(&self, e: usize) -> T {
        match self.d.slot(e) {
            Some(o) => self.x[o],
            None if self.d.known == Known::A => (self.of)(self.a[HEAD + e]),
            // B[k, j] is kept as Bᵀ[j, k].
            None => {
                let (c, q, b) = (self.d.c, self.d.q, e - self.d.r * self.d.c);
                (self.of)(self.a[HEAD + (b % q) * c + b / q])
            }
        }
    }
}

/// Every entry of Y from the operands' values `x` and the block's `a`: `in_order`'s sums,
/// but with B known each entry is a row of X times a row of the kept Bᵀ summed as a
/// linear block's row (`linear::sum_products`: four running sums from eight terms), the
/// order the compiler gives the same sum written out with known weights.
pub fn values<T: Real>(a: &[f64], x: &[T], y: &mut [T]) {
    let d = Dims::of(a);
    if d.known != Known::B {
        return in_order(a, x, y, T::of);
    }
    // Each of X's rows through Bᵀ, as a linear block's rows.
    let (c, q) = (d.c, d.q);
    for (x, y) in x.chunks_exact(c).zip(y.chunks_exact_mut(q)) {
        super::linear::values(&a[HEAD..], c, x, y);
    }
}

/// Every entry of Y from the operands' values `x` and the block's `a`, each summed left
/// to right from its first product, as the products written out sum. Generic over the
/// arithmetic (`of` makes a known entry one of its numbers), so complex step runs the
/// same loops in complex numbers.
pub fn in_order<T: Copy + Add<Output = T> + Mul<Output = T>>(a: &[f64], x: &[T], y: &mut [T], of: fn(f64) -> T) {
    let d = Dims::of(a);
    let (r, c, q, w) = (d.r, d.c, d.q, &a[HEAD..]);
    if d.known == Known::B {
        // Row i of the operands (X) with row j of the kept Bᵀ: both contiguous.
        for (row, out) in y.iter_mut().enumerate() {
            let (xi, wj) = (&x[row / q * c..][..c], &w[row % q * c..][..c]);
            *out = (1..c).fold(xi[0] * of(wj[0]), |acc, k| acc + xi[k] * of(wj[k]));
        }
        return;
    }
    // Y's row i gains A[i, k] times B's row k, k = 0, 1, …: each entry still sums left to
    // right, and the inner loop runs along contiguous rows.
    let b = &x[x.len() - c * q..];
    for i in 0..r {
        let yi = &mut y[i * q..][..q];
        for k in 0..c {
            let p = if d.known == Known::A { of(w[i * c + k]) } else { x[i * c + k] };
            for (out, &bkj) in yi.iter_mut().zip(&b[k * q..][..q]) {
                *out = if k == 0 { p * bkj } else { *out + p * bkj };
            }
        }
    }
}

/// ∂Y[row]/∂(operand o) at the operands' values `x`.
pub fn partial<T: Real>(a: &[f64], x: &[T], row: usize, o: usize) -> T {
    let d = Dims::of(a);
    let f = Factors { d, x, a, of: T::of };
    let (i, j, rc, e) = (row / d.q, row % d.q, d.r * d.c, d.entry(o));
    match e.checked_sub(rc) {
        None if e / d.c == i => f.at(rc + (e % d.c) * d.q + j),
        Some(b) if b % d.q == j => f.at(i * d.c + b / d.q),
        _ => T::of(0.0),
    }
}

/// The factors of row `row`'s k-th product, A's entry and B's: an operand (from 0) or a
/// known number (the scalarised view's formula).
pub fn factors(a: &[f64], row: usize, k: usize) -> [Result<usize, f64>; 2] {
    let d = Dims::of(a);
    let f = Factors { d, x: &[], a, of: |v| v };
    let (i, j) = (row / d.q, row % d.q);
    [i * d.c + k, d.r * d.c + k * d.q + j].map(|e| d.slot(e).ok_or_else(|| f.at(e)))
}

/// Which rule `apply` runs.
pub enum Rule<'a> {
    Forward,
    Reverse,
    /// The Hessian's second-order term, with the rows' adjoints ȳ (one each).
    Second(&'a [f64]),
}

/// The rules, one body for all three (each (i, j, k) pushes a product of w directions
/// for each variable factor):
/// - forward: Ẏ (`out`, rows × w) = Ȧ·B + A·Ḃ from the operands' tangents `src` (cols × w);
/// - reverse: the operands' adjoints (`out`, cols × w) gain Ȳ·Bᵀ (A's) and Aᵀ·Ȳ (B's)
///   from the rows' adjoints `src` (rows × w);
/// - second order (both factors variable): ∂²Y[i,j]/∂A[i,k]∂B[k,j] = 1, so along each
///   forward direction A's adjoints move by ȳ[i,j]·Ḃ[k,j] and B's by ȳ[i,j]·Ȧ[i,k],
///   from the operands' tangents `src` into `out` (both cols × w).
///
/// `x` holds the operands' values, `a` the block's.
#[inline(never)]
pub fn apply<T: Real>(a: &[f64], x: &[T], src: &[T], w: usize, out: &mut [T], rule: Rule) {
    let d = Dims::of(a);
    let Dims { r, c, q, .. } = d;
    // With a known factor the node is linear in the other: a linear block's products
    // (`linear.rs`: GEMM, zero tangents skipped), W · Ẋ with X's q columns × w directions
    // as one right-hand side, or Bᵀ with each of X's rows; and no second-order term.
    let weights = &a[HEAD..];
    match (d.known, &rule) {
        (Known::A, Rule::Forward) => return super::linear::forward(weights, [r, c], src, q * w, out),
        (Known::A, Rule::Reverse) => return super::linear::reverse(weights, [r, c], src, q * w, out),
        (Known::B, Rule::Forward) => {
            for (tx, ty) in src.chunks_exact(c * w).zip(out.chunks_exact_mut(q * w)) {
                super::linear::forward(weights, [q, c], tx, w, ty);
            }
            return;
        }
        (Known::B, Rule::Reverse) => {
            for (ybar, xbar) in src.chunks_exact(q * w).zip(out.chunks_exact_mut(c * w)) {
                super::linear::reverse(weights, [q, c], ybar, w, xbar);
            }
            return;
        }
        (Known::A | Known::B, Rule::Second(_)) => return,
        _ => {}
    }
    // Many directions, every number finite (GEMM has no strong zero): four GEMMs over
    // contiguous memory, the factors' values read in place with strides.
    if let (true, Some(v)) = (w > 1 && all_finite(src), T::as_f64s(x).filter(|v| all_finite(v))) {
        let (av, bv) = v.split_at(r * c);
        match rule {
            Rule::Forward => {
                // Ẏ = A·Ḃ, Ḃ's q columns × w directions one right-hand side; then += Ȧ·B,
                // each of Ȧ's rows (c × w) through Bᵀ.
                let (ta, tb) = src.split_at(r * c * w);
                T::gemm([r, c, q * w], av, [c, 1], tb, out, false);
                for (ta, y) in ta.chunks_exact(c * w).zip(out.chunks_exact_mut(q * w)) {
                    T::gemm([q, c, w], bv, [1, q], ta, y, true);
                }
                return;
            }
            Rule::Reverse => {
                // Ā's row i += B·Ȳ's row i; B̄ += Aᵀ·Ȳ.
                let (oa, ob) = out.split_at_mut(r * c * w);
                for (g, oa) in src.chunks_exact(q * w).zip(oa.chunks_exact_mut(c * w)) {
                    T::gemm([c, q, w], bv, [q, 1], g, oa, true);
                }
                T::gemm([c, r, q * w], av, [1, c], src, ob, true);
                return;
            }
            Rule::Second(_) => {}
        }
    }
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
                // Both factors are operands here: A[i,k] with B[k,j], and B[k,j] with A[i,k].
                let (ea, eb) = (i * c + k, r * c + k * q + j);
                for (other, own) in [(eb, ea), (ea, eb)] {
                    let (p, from, to) = match rule {
                        Rule::Forward => (x[other], own, y),
                        Rule::Reverse => (x[other], y, own),
                        Rule::Second(ybar) => (T::of(ybar[y]), other, own),
                    };
                    axpy0(p, &src[from * w..][..w], &mut out[to * w..][..w]);
                }
            }
        }
    }
}
