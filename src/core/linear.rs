//! Products with a matrix of known weights, y = A·x over w directions, written once for
//! the blocks that have one: a linear block's rules (`dense.rs`), and a matrix product's
//! with a known factor (`product.rs`). Also the row sums both order alike.

use super::real::{mul0, Real};

/// y (rows × w) = A · x (cols × w) for weights `a` (rows × cols, row-major), with
/// strong-zero products: a linear block's forward rule, and a product node's with a known
/// factor (`product.rs`).
///
/// Tangents are often mostly zeros (the n seeds of forward mode are the identity, so
/// the first layer's product is A·I): below a quarter nonzero, only the nonzeros' columns
/// of A are read, which turns the first layer's rows × cols × n product into rows × cols.
/// Otherwise one GEMM; with ∞ or NaN among the tangents, the strong-zero loop.
pub fn forward<T: Real>(a: &[f64], [rows, cols]: [usize; 2], x: &[T], w: usize, y: &mut [T]) {
    let zero = T::of(0.0);
    let finite = x.iter().all(|v| v.is_finite());
    if finite && 4 * x.iter().filter(|&&v| v != zero).count() >= x.len() {
        if w == 1 {
            for (r, out) in y.iter_mut().enumerate() {
                *out = sum_products(&a[r * cols..(r + 1) * cols], x);
            }
        } else {
            T::gemm([rows, cols, w], a, [cols, 1], x, y, false);
        }
        return;
    }
    y.fill(zero);
    for (j, xj) in x.chunks_exact(w).enumerate() {
        for (s, &v) in xj.iter().enumerate() {
            if v == zero {
                continue;
            }
            for r in 0..rows {
                let p = if finite { T::of(a[r * cols + j]) * v } else { mul0(T::of(a[r * cols + j]), v) };
                y[r * w + s] = y[r * w + s] + p;
            }
        }
    }
}

/// x (cols × w) += Aᵀ · y (rows × w) for weights `a` (rows × cols), with strong-zero
/// products. Zero adjoints are skipped as zero tangents are in `forward` (reverse mode's
/// m seeds are the identity too).
pub fn reverse<T: Real>(a: &[f64], [rows, cols]: [usize; 2], y: &[T], w: usize, x: &mut [T]) {
    let zero = T::of(0.0);
    let finite = y.iter().all(|v| v.is_finite());
    if finite && w > 1 && 4 * y.iter().filter(|&&v| v != zero).count() >= y.len() {
        T::gemm([cols, rows, w], a, [1, cols], y, x, true);
        return;
    }
    // Last row first, as a reverse sweep visits a written-out twin's products: each
    // operand's adjoint then sums in the twin's order, bit for bit.
    for (r, g) in y.chunks_exact(w).enumerate().rev() {
        for (s, &g) in g.iter().enumerate() {
            if g == zero {
                continue;
            }
            for (j, &a) in a[r * cols..(r + 1) * cols].iter().enumerate() {
                let p = if finite { T::of(a) * g } else { mul0(T::of(a), g) };
                x[j * w + s] = x[j * w + s] + p;
            }
        }
    }
}

/// Rows of at least this many operands sum in four running sums; shorter ones left to
/// right. The compiler recognises a written-out sum as a row from the same count
/// (`compile::MIN_TERMS`), so a row and its written-out twin always sum in one order and
/// agree to the bit (a sum that cancels would otherwise differ in its last bits, and so
/// would derivatives taken through it).
pub const WIDE: usize = 8;

/// Σ aⱼ·xⱼ: left to right below `WIDE` terms, else `dot4`'s running sums.
#[inline]
pub fn sum_products<T: Real>(a: &[f64], x: &[T]) -> T {
    if a.len() >= WIDE {
        return dot4(a, x);
    }
    let mut acc = T::of(0.0);
    for (&a, &v) in a.iter().zip(x) {
        acc = acc + T::of(a) * v;
    }
    acc
}

/// Σ aⱼ·xⱼ in four running sums, which the compiler can keep in vector registers (one
/// running sum is a chain of dependent adds, each waiting for the last): what makes a
/// wide row as fast as a vectorised dot.
#[inline]
pub fn dot4<T: Real>(a: &[f64], x: &[T]) -> T {
    let mut acc = [T::of(0.0); 4];
    let (a4, x4) = (a.chunks_exact(4), x.chunks_exact(4));
    let (ra, rx) = (a4.remainder(), x4.remainder());
    for (a, x) in a4.zip(x4) {
        for k in 0..4 {
            acc[k] = acc[k] + T::of(a[k]) * x[k];
        }
    }
    finish(acc, ra, rx)
}

/// The running sums added up, then the last (cols mod 4) products left to right.
#[inline]
pub fn finish<T: Real>(acc: [T; 4], ra: &[f64], rx: &[T]) -> T {
    let mut tail = T::of(0.0);
    for (&a, &x) in ra.iter().zip(rx) {
        tail = tail + T::of(a) * x;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}
