//! The reverse sweep's product through a wide layer with few adjoints: c (m × n) += Aᵀ·b,
//! A stored k × m row-major (so `Aᵀ` reads it with unit stride down each column of c),
//! b k × n, n ≤ 16. This is a classifier's first layer carrying its 10 adjoints back to
//! its 784 inputs.
//!
//! Why not `matrixmultiply`: it copies ("packs") all of A on every call, which for a product
//! this thin is a quarter of its time. Here A is read once, straight from the block, 8
//! entries of c at a time held in vector registers for all k rows, with fused
//! multiply-adds (as `matrixmultiply`'s own kernels on these processors: each product
//! rounds once, so an entry can differ in its last bit from the strong-zero loop's).
//! A big product runs on two threads (`pair`), each over the half of A's rows whose
//! values it computed, so each reads its half from its own core's cache.
//!
//! x86-64 only, chosen at run time where the processor has AVX-512, or AVX2 with FMA;
//! elsewhere (and in the page) `at_b` declines and the caller uses the general product.

/// A kernel for one instruction set and one n: (m, k, a, cs, b, c).
#[cfg(target_arch = "x86_64")]
type Kernel = unsafe fn(usize, usize, &[f64], usize, &[f64], &mut [f64]);

/// Multiply-adds from which the product runs on two threads (a classifier's first layer
/// carrying its 10 adjoints back: 1 003 520).
#[cfg(target_arch = "x86_64")]
const SPLIT_WORK: usize = 1 << 18;

/// A block's rows × cols from which its values run on two threads (`Block::values`).
pub const SPLIT_ROWS_WORK: usize = 1 << 16;

/// Whether the product was done (false: no suitable instructions, or n too wide).
#[allow(unused_variables)]
pub fn at_b(m: usize, k: usize, n: usize, a: &[f64], cs: usize, b: &[f64], c: &mut [f64]) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        if n == 0 || n > 16 || m < 8 || k == 0 {
            return false;
        }
        assert!(a.len() > (k - 1) * cs + m - 1 && b.len() >= k * n && c.len() >= m * n && cs >= m);
        macro_rules! pick {
            ($kernel:ident) => {
                [
                    $kernel::<1>,
                    $kernel::<2>,
                    $kernel::<3>,
                    $kernel::<4>,
                    $kernel::<5>,
                    $kernel::<6>,
                    $kernel::<7>,
                    $kernel::<8>,
                    $kernel::<9>,
                    $kernel::<10>,
                    $kernel::<11>,
                    $kernel::<12>,
                    $kernel::<13>,
                    $kernel::<14>,
                    $kernel::<15>,
                    $kernel::<16>,
                ][n - 1]
            };
        }
        let kernel: Kernel = if std::arch::is_x86_feature_detected!("avx512f") {
            pick!(avx512)
        } else if n <= 12 && std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            // Sixteen registers: past 12 columns the accumulators would not fit.
            pick!(avx2)
        } else {
            return false;
        };
        // A big product in two halves of A's rows, the first on the second thread (the
        // rows `Block::values` gave it, still in its core's cache), which sums them into
        // a zeroed copy of c that is then added to c.
        let half = super::pair::first_half(k);
        if m * k * n >= SPLIT_WORK && half > 0 {
            let mut d = vec![0.0; m * n];
            let (a0, a1) = (&a[..half * cs], &a[half * cs..]);
            let (b0, b1) = b.split_at(half * n);
            let d_ref = &mut d;
            // SAFETY (both): the kernel was chosen for instructions this processor has.
            super::pair::both(
                || unsafe { kernel(m, k - half, a1, cs, b1, c) },
                || unsafe { kernel(m, half, a0, cs, b0, d_ref) },
            );
            for (c, d) in c.iter_mut().zip(&d) {
                *c += d;
            }
            return true;
        }
        // SAFETY: the kernel was chosen for instructions this processor has.
        unsafe { kernel(m, k, a, cs, b, c) };
        return true;
    }
    #[allow(unreachable_code)]
    false
}

/// One kernel per instruction set: `acc[s]` holds LANES consecutive entries of column s of
/// c in one vector register, and each row of A, last first, adds its LANES entries times
/// b's N values to them. c's entries go in and out through a small array, once per block.
macro_rules! kernel {
    ($name:ident, $feature:literal, $lanes:literal, $vec:ty, $load:ident, $store:ident, $splat:ident, $fma:ident) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $feature)]
        unsafe fn $name<const N: usize>(m: usize, k: usize, a: &[f64], cs: usize, b: &[f64], c: &mut [f64]) {
            use std::arch::x86_64::*;
            let body = m - m % $lanes;
            let mut lanes = [0.0f64; $lanes];
            for i0 in (0..body).step_by($lanes) {
                let mut acc: [$vec; N] = [$splat(0.0); N];
                for (s, acc) in acc.iter_mut().enumerate() {
                    for (l, v) in lanes.iter_mut().enumerate() {
                        *v = c[(i0 + l) * N + s];
                    }
                    // SAFETY: `lanes` holds $lanes values.
                    *acc = unsafe { $load(lanes.as_ptr()) };
                }
                for p in (0..k).rev() {
                    let row = &a[p * cs + i0..p * cs + i0 + $lanes];
                    let bv = &b[p * N..p * N + N];
                    // SAFETY: `row` holds $lanes values.
                    let av = unsafe { $load(row.as_ptr()) };
                    for s in 0..N {
                        acc[s] = $fma(av, $splat(bv[s]), acc[s]);
                    }
                }
                for (s, acc) in acc.iter().enumerate() {
                    // SAFETY: `lanes` has room for $lanes values.
                    unsafe { $store(lanes.as_mut_ptr(), *acc) };
                    for (l, v) in lanes.iter().enumerate() {
                        c[(i0 + l) * N + s] = *v;
                    }
                }
            }
            for i in body..m {
                for p in (0..k).rev() {
                    let v = a[p * cs + i];
                    for s in 0..N {
                        c[i * N + s] = v.mul_add(b[p * N + s], c[i * N + s]);
                    }
                }
            }
        }
    };
}

kernel!(avx512, "avx512f", 8, __m512d, _mm512_loadu_pd, _mm512_storeu_pd, _mm512_set1_pd, _mm512_fmadd_pd);
kernel!(avx2, "avx2,fma", 4, __m256d, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_set1_pd, _mm256_fmadd_pd);
