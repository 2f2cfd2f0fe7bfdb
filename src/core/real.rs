//! The arithmetic the rule table is written in. `f64` is the engine's number; `Dd`
//! (double-double, `dd.rs`) re-runs the same rules with about 32 digits to tell which
//! float64 digits are right. One rule per primitive, whichever number it runs on.
//!
//! Branches in the rules compare with `<`/`>` on the number itself, so they take the same
//! side in both arithmetics except at values within rounding of a branch point.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// Strong-zero product: 0 when either factor is 0, even if the other is ∞ or NaN.
#[inline]
pub fn mul0<T: Real>(p: T, t: T) -> T {
    let zero = T::of(0.0);
    if p == zero || t == zero {
        zero
    } else {
        p * t
    }
}

/// Whether every number is finite: a sum of each times 0, NaN as soon as one is ∞ or
/// NaN. Without an early exit it runs as one vector loop, several times faster than
/// testing each number on the big tangent matrices it checks before a GEMM.
pub fn all_finite<T: Real>(v: &[T]) -> bool {
    let zero = T::of(0.0);
    // Eight independent sums, which the compiler keeps in vector registers.
    let mut acc = [zero; 8];
    let chunks = v.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..8 {
            acc[k] = acc[k] + c[k] * zero;
        }
    }
    acc.iter().chain(rest).all(|&e| e * zero == zero)
}

/// `acc += p·x` elementwise with strong-zero products. The zero test is made once per
/// node on the partial: a finite p times a zero x is already ±0, which adds nothing, so
/// only a non-finite p needs the per-element test, and the common loop is branch-free
/// (it vectorises).
#[inline]
pub fn axpy0<T: Real>(p: T, x: &[T], acc: &mut [T]) {
    // A single direction (the width known at compile time in a JVP or VJP): the same
    // product tested on both factors, which skips the multiply for the many zero tangents
    // a single pass meets.
    if let ([a], [v]) = (&mut *acc, x) {
        *a = *a + mul0(p, *v);
        return;
    }
    if p == T::of(0.0) {
        return;
    }
    if p.is_finite() {
        for (a, &v) in acc.iter_mut().zip(x) {
            *a = *a + p * v;
        }
    } else {
        for (a, &v) in acc.iter_mut().zip(x) {
            *a = *a + mul0(p, v);
        }
    }
}

pub trait Real:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    const LN_2: Self;
    const LN_10: Self;
    fn of(c: f64) -> Self;
    /// The float64 nearest the value.
    fn lead(self) -> f64;
    fn is_nan(self) -> bool {
        self.lead().is_nan()
    }
    fn is_finite(self) -> bool {
        self.lead().is_finite()
    }
    fn abs(self) -> Self;
    fn min(self, o: Self) -> Self;
    fn max(self, o: Self) -> Self;
    fn sqrt(self) -> Self;
    fn cbrt(self) -> Self;
    fn exp(self) -> Self;
    fn exp_m1(self) -> Self;
    fn ln(self) -> Self;
    fn ln_1p(self) -> Self;
    fn log2(self) -> Self;
    fn log10(self) -> Self;
    fn powi(self, k: i32) -> Self;
    fn powf(self, y: Self) -> Self;
    fn hypot(self, y: Self) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn tan(self) -> Self;
    fn asin(self) -> Self;
    fn acos(self) -> Self;
    fn atan(self) -> Self;
    fn atan2(self, x: Self) -> Self;
    fn sinh(self) -> Self;
    fn cosh(self) -> Self;
    fn tanh(self) -> Self;
    fn asinh(self) -> Self;
    fn acosh(self) -> Self;
    fn atanh(self) -> Self;

    /// The values as float64s, when they are (the paths built for wider vectors take
    /// only float64).
    fn as_f64s(_: &[Self]) -> Option<&[f64]> {
        None
    }
    fn as_f64s_mut(_: &mut [Self]) -> Option<&mut [f64]> {
        None
    }

    /// c (m × n) = a · b, or c += a · b when `accumulate`: `a` is m × k float64 weights
    /// read with strides `[row, col]` (a transposed matrix is the same data with the strides
    /// swapped), `b` is k × n and `c` m × n, both row-major. A plain loop here; float64
    /// overrides it with `matrixmultiply`'s blocked kernel.
    fn gemm([m, k, n]: [usize; 3], a: &[f64], [rs, cs]: [usize; 2], b: &[Self], c: &mut [Self], accumulate: bool) {
        if !accumulate {
            c.fill(Self::of(0.0));
        }
        for i in 0..m {
            for p in 0..k {
                let w = Self::of(a[i * rs + p * cs]);
                for j in 0..n {
                    c[i * n + j] = c[i * n + j] + w * b[p * n + j];
                }
            }
        }
    }
}

/// Each method is std's own, so the engine's float64 results are those of std.
impl Real for f64 {
    const LN_2: f64 = std::f64::consts::LN_2;
    const LN_10: f64 = std::f64::consts::LN_10;
    fn as_f64s(x: &[f64]) -> Option<&[f64]> {
        Some(x)
    }
    fn as_f64s_mut(x: &mut [f64]) -> Option<&mut [f64]> {
        Some(x)
    }
    fn gemm([m, k, n]: [usize; 3], a: &[f64], [rs, cs]: [usize; 2], b: &[f64], c: &mut [f64], accumulate: bool) {
        if m == 0 || k == 0 || n == 0 {
            if !accumulate {
                c.fill(0.0);
            }
            return;
        }
        assert!(a.len() > (m - 1) * rs + (k - 1) * cs && b.len() >= k * n && c.len() >= m * n);
        // A reverse sweep's few adjoints through a wide layer: `thin` reads A in place.
        if accumulate && rs == 1 && cs >= m && super::thin::at_b(m, k, n, a, cs, b, c) {
            return;
        }
        let beta = if accumulate { 1.0 } else { 0.0 };
        // SAFETY: the assert above keeps every index the strides reach inside the slices.
        unsafe {
            matrixmultiply::dgemm(
                m,
                k,
                n,
                1.0,
                a.as_ptr(),
                rs as isize,
                cs as isize,
                b.as_ptr(),
                n as isize,
                1,
                beta,
                c.as_mut_ptr(),
                n as isize,
                1,
            );
        }
    }
    #[inline]
    fn of(c: f64) -> f64 {
        c
    }
    #[inline]
    fn lead(self) -> f64 {
        self
    }
    #[inline]
    fn is_nan(self) -> bool {
        f64::is_nan(self)
    }
    #[inline]
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }
    #[inline]
    fn abs(self) -> f64 {
        f64::abs(self)
    }
    #[inline]
    fn min(self, o: f64) -> f64 {
        f64::min(self, o)
    }
    #[inline]
    fn max(self, o: f64) -> f64 {
        f64::max(self, o)
    }
    #[inline]
    fn sqrt(self) -> f64 {
        f64::sqrt(self)
    }
    #[inline]
    fn cbrt(self) -> f64 {
        f64::cbrt(self)
    }
    #[inline]
    fn exp(self) -> f64 {
        f64::exp(self)
    }
    #[inline]
    fn exp_m1(self) -> f64 {
        f64::exp_m1(self)
    }
    #[inline]
    fn ln(self) -> f64 {
        f64::ln(self)
    }
    #[inline]
    fn ln_1p(self) -> f64 {
        f64::ln_1p(self)
    }
    #[inline]
    fn log2(self) -> f64 {
        f64::log2(self)
    }
    #[inline]
    fn log10(self) -> f64 {
        f64::log10(self)
    }
    #[inline]
    fn powi(self, k: i32) -> f64 {
        f64::powi(self, k)
    }
    #[inline]
    fn powf(self, y: f64) -> f64 {
        f64::powf(self, y)
    }
    #[inline]
    fn hypot(self, y: f64) -> f64 {
        f64::hypot(self, y)
    }
    #[inline]
    fn sin(self) -> f64 {
        f64::sin(self)
    }
    #[inline]
    fn cos(self) -> f64 {
        f64::cos(self)
    }
    #[inline]
    fn tan(self) -> f64 {
        f64::tan(self)
    }
    #[inline]
    fn asin(self) -> f64 {
        f64::asin(self)
    }
    #[inline]
    fn acos(self) -> f64 {
        f64::acos(self)
    }
    #[inline]
    fn atan(self) -> f64 {
        f64::atan(self)
    }
    #[inline]
    fn atan2(self, x: f64) -> f64 {
        f64::atan2(self, x)
    }
    #[inline]
    fn sinh(self) -> f64 {
        f64::sinh(self)
    }
    #[inline]
    fn cosh(self) -> f64 {
        f64::cosh(self)
    }
    #[inline]
    fn tanh(self) -> f64 {
        f64::tanh(self)
    }
    #[inline]
    fn asinh(self) -> f64 {
        f64::asinh(self)
    }
    #[inline]
    fn acosh(self) -> f64 {
        f64::acosh(self)
    }
    #[inline]
    fn atanh(self) -> f64 {
        f64::atanh(self)
    }
}
