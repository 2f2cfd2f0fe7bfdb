//! Products with a matrix of known weights, written once for the blocks that have one: a
//! linear block (`dense.rs`), and a matrix product with a known factor (`product.rs`).
//! Their values A·x, each row summed as a written-out twin would be (`sum_products`; the
//! same sums eight rows at a time in 256-bit vectors where the processor has AVX2), and
//! their sweeps' rules over w directions, y = A·x and x += Aᵀ·y.

use super::real::{all_finite, mul0, Real};

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
    let finite = all_finite(x);
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
    let finite = all_finite(y);
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

/// Every row of A·x (`a` rows × `cols`, row-major) into `y`, each summed as
/// `sum_products` sums it (the same bits): a linear block's values, and each of X's rows
/// through a product node's known Bᵀ. Wide rows go four at a time: one running sum is a
/// chain of dependent adds, and four rows' four running sums each are sixteen chains the
/// processor overlaps.
pub fn values<T: Real>(a: &[f64], cols: usize, x: &[T], y: &mut [T]) {
    // The same sums compiled for 256-bit vectors, where the processor has them: each
    // row's four running sums are then one register (older processors use two
    // 128-bit halves). The page sums row by row: the interleaved code costs bytes.
    #[cfg(target_arch = "x86_64")]
    {
        if cols >= WIDE && std::arch::is_x86_feature_detected!("avx2") {
            if let (Some(x), Some(y)) = (T::as_f64s(x), T::as_f64s_mut(y)) {
                // A big block's rows in two halves, the first on the second thread: the
                // same rows as the reverse sweep's product gives that thread
                // (`thin::at_b`), which then finds them in its core's cache. Each row
                // sums as it would alone.
                let half = super::pair::first_half(y.len());
                if y.len() * cols >= super::thin::SPLIT_ROWS_WORK && half > 0 {
                    let (a0, a1) = a.split_at(half * cols);
                    let (y0, y1) = y.split_at_mut(half);
                    // SAFETY (both): the processor has AVX2.
                    super::pair::both(
                        || unsafe { values_avx2(a1, cols, x, y1) },
                        || unsafe { values_avx2(a0, cols, x, y0) },
                    );
                } else {
                    // SAFETY: the processor has AVX2.
                    unsafe { values_avx2(a, cols, x, y) };
                }
                return;
            }
        }
        values_in_order_from(a, cols, 0, x, y)
    }
    #[cfg(not(target_arch = "x86_64"))]
    for (r, out) in y.iter_mut().enumerate() {
        *out = sum_products(&a[r * cols..(r + 1) * cols], x);
    }
}

/// `values` for f64 with 256-bit vectors, written out: each row's four running
/// sums are one register, eight rows at a time (eight independent chains of adds), and
/// x's four entries are loaded once for all eight. Left to the compiler, the same loop
/// was vectorised across rows, shuffling lanes at every step at half this speed. Each
/// product is rounded before its add (no fused multiply-add), so every row sums to the
/// bits `dot4` gives, here and in the page. `a` holds y's rows, `cols` values each.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn values_avx2(a: &[f64], cols: usize, x: &[f64], y: &mut [f64]) {
    use std::arch::x86_64::*;
    const R: usize = 8;
    let body = cols - cols % 4;
    let mut done = 0;
    for (rows, out) in a.chunks_exact(R * cols).zip(y.chunks_exact_mut(R)) {
        let mut acc = [_mm256_setzero_pd(); R];
        for c in (0..body).step_by(4) {
            // SAFETY: c + 4 ≤ body ≤ cols = x.len(), and each row r holds cols values.
            let xv = unsafe { _mm256_loadu_pd(x.as_ptr().add(c)) };
            for (r, acc) in acc.iter_mut().enumerate() {
                let av = unsafe { _mm256_loadu_pd(rows.as_ptr().add(r * cols + c)) };
                *acc = _mm256_add_pd(*acc, _mm256_mul_pd(av, xv));
            }
        }
        for (r, out) in out.iter_mut().enumerate() {
            let mut sums = [0.0f64; 4];
            // SAFETY: `sums` has room for four values.
            unsafe { _mm256_storeu_pd(sums.as_mut_ptr(), acc[r]) };
            *out = finish(sums, &rows[r * cols + body..(r + 1) * cols], &x[body..]);
        }
        done += R;
    }
    values_in_order_from(a, cols, done, x, y)
}

/// `values` without vector intrinsics, for the rows from `done` on (`a` holds y's rows, `cols` values each).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn values_in_order_from<T: Real>(a: &[f64], cols: usize, mut done: usize, x: &[T], y: &mut [T]) {
    if cols >= WIDE {
        for (rows, out) in a[done * cols..].chunks_exact(4 * cols).zip(y[done..].chunks_exact_mut(4)) {
            out.copy_from_slice(&dot4_rows(rows, x));
            done += 4;
        }
    }
    for (r, out) in y.iter_mut().enumerate().skip(done) {
        *out = sum_products(&a[r * cols..(r + 1) * cols], x);
    }
}

/// `dot4` of four consecutive rows (`rows`: 4 × x.len(), row-major) at once, each row
/// summed exactly as `dot4` sums it.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn dot4_rows<T: Real>(rows: &[f64], x: &[T]) -> [T; 4] {
    let cols = x.len();
    let mut acc = [[T::of(0.0); 4]; 4];
    let body = cols - cols % 4;
    let (r0, rest) = rows.split_at(cols);
    let (r1, rest) = rest.split_at(cols);
    let (r2, r3) = rest.split_at(cols);
    for c in (0..body).step_by(4) {
        let xs = &x[c..c + 4];
        for (acc, row) in acc.iter_mut().zip([r0, r1, r2, r3]) {
            let a = &row[c..c + 4];
            for k in 0..4 {
                acc[k] = acc[k] + T::of(a[k]) * xs[k];
            }
        }
    }
    let tail = &x[body..];
    [
        finish(acc[0], &r0[body..], tail),
        finish(acc[1], &r1[body..], tail),
        finish(acc[2], &r2[body..], tail),
        finish(acc[3], &r3[body..], tail),
    ]
}
