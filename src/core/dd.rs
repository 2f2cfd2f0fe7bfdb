//! Double-double numbers: a value is the unevaluated sum hi + lo of two float64s with
//! |lo| ≤ ½ulp(hi), about 32 significant digits. The algorithms are Dekker's exact
//! products and Knuth's exact sums, and the QD library's elementary functions (Hida, Li &
//! Bailey 2001): argument reduction, a short Taylor series, one Newton step for inverses.
//! Hand-written rather than a crate because the check needs every primitive of the
//! language (asinh, log1p, cbrt…) to ~1e-30 and the crates at hand stop at the basic
//! functions or carry their own float64 shortcuts.
//!
//! Where the float64 answer is not finite the result is that float64 value, so ∞ and NaN
//! travel as they do in the engine; arguments a method cannot reduce to full accuracy
//! (trigonometry beyond 2⁴⁰) give NaN, which the digits check reports as unchecked.

use super::real::Real;
use std::cmp::Ordering;
use std::ops::{Add, Div, Mul, Neg, Sub};

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Dd {
    pub hi: f64,
    pub lo: f64,
}

/// A normalised pair compares as (hi, lo) lexicographically.
impl PartialOrd for Dd {
    fn partial_cmp(&self, o: &Dd) -> Option<Ordering> {
        match self.hi.partial_cmp(&o.hi)? {
            Ordering::Equal => self.lo.partial_cmp(&o.lo),
            ord => Some(ord),
        }
    }
}

#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

#[inline]
fn quick_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// Veltkamp's split into two 26-bit halves (scaled near overflow so 2²⁷·a stays finite).
#[inline]
fn split(a: f64) -> (f64, f64) {
    const SPLITTER: f64 = 134_217_729.0; // 2^27 + 1
    if a.abs() > 6.696_928_794_914_17e299 {
        let s = a * 3.725_290_298_461_914e-9; // 2^-28
        let t = SPLITTER * s;
        let hi = t - (t - s);
        (hi * 268_435_456.0, (s - hi) * 268_435_456.0)
    } else {
        let t = SPLITTER * a;
        let hi = t - (t - a);
        (hi, a - hi)
    }
}

/// The binary exponent of a normal, finite, nonzero x: x = 2^k·m with m in [1, 2). Read
/// from the bits rather than computed with log2, which the page would otherwise ship.
fn exponent(x: f64) -> i32 {
    ((x.to_bits() >> 52) & 0x7ff) as i32 - 1023
}

/// a·b = p + e exactly (Dekker), without relying on a fused multiply-add.
#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

impl Dd {
    pub const ZERO: Dd = Dd { hi: 0.0, lo: 0.0 };
    pub const ONE: Dd = Dd { hi: 1.0, lo: 0.0 };
    pub const PI: Dd = Dd { hi: std::f64::consts::PI, lo: 1.224_646_799_147_353_2e-16 };
    pub const FRAC_PI_2: Dd = Dd { hi: std::f64::consts::FRAC_PI_2, lo: 6.123_233_995_736_766e-17 };

    pub fn new(hi: f64, lo: f64) -> Dd {
        let (hi, lo) = two_sum(hi, lo);
        Dd { hi, lo }
    }

    #[inline]
    fn from_parts((hi, lo): (f64, f64)) -> Dd {
        if hi.is_finite() {
            Dd { hi, lo }
        } else {
            Dd { hi, lo: 0.0 }
        }
    }

    /// Exact scaling by 2^k.
    fn ldexp(self, k: i32) -> Dd {
        let (a, b) = (2f64.powi(k / 2), 2f64.powi(k - k / 2));
        Dd { hi: self.hi * a * b, lo: self.lo * a * b }
    }

    fn div_f64(self, b: f64) -> Dd {
        let q1 = self.hi / b;
        if !q1.is_finite() || !b.is_finite() {
            return Dd::of(q1);
        }
        let (p1, p2) = two_prod(q1, b);
        let (s, e) = two_sum(self.hi, -p1);
        let q2 = (s + (e - p2 + self.lo)) / b;
        Dd::from_parts(quick_two_sum(q1, q2))
    }

    /// self − q·c for c = c.hi + c.lo + c2, the first two products exact: most of self
    /// cancels in argument reduction, and what is left must keep its digits.
    fn reduce(self, q: f64, c: Dd, c2: f64) -> Dd {
        let (p1, e1) = two_prod(q, c.hi);
        let (p2, e2) = two_prod(q, c.lo);
        self - Dd { hi: p1, lo: e1 } - Dd { hi: p2, lo: e2 } - Dd::of(q * c2)
    }

    fn mul_f64(self, b: f64) -> Dd {
        self * Dd::of(b)
    }

    /// sin and cos together, reduced modulo π/2 to |r| ≤ π/4.
    pub fn sin_cos(self) -> (Dd, Dd) {
        if !self.hi.is_finite() || self.hi.abs() > 1.099_511_627_776e12 {
            return (Dd::of(f64::NAN), Dd::of(f64::NAN));
        }
        let q = (self.hi / Dd::FRAC_PI_2.hi).round();
        // Cody–Waite with π/2 in three parts: r keeps its digits up to 2⁴⁰.
        let r = self.reduce(q, Dd::FRAC_PI_2, FRAC_PI_2_LO2);
        let (s, c) = (sin_series(r), cos_series(r));
        match (q as i64).rem_euclid(4) {
            0 => (s, c),
            1 => (c, -s),
            2 => (-s, -c),
            _ => (-c, s),
        }
    }

    /// The value written with `digits` significant digits, `-8.3333332916666667e-6`.
    pub fn to_sci(self, digits: usize) -> String {
        if !self.hi.is_finite() || self.hi == 0.0 {
            return format!("{}", self.hi);
        }
        let neg = self.hi < 0.0;
        let a = self.abs();
        let mut e = a.hi.log10().floor() as i32;
        let mut r = a / Dd::of(10.0).powi(e);
        if r.hi >= 10.0 {
            r = r.div_f64(10.0);
            e += 1;
        } else if r.hi < 1.0 {
            r = r.mul_f64(10.0);
            e -= 1;
        }
        // Round at the last digit, then read digits off one at a time.
        r = r + Dd::of(0.5) * Dd::of(10.0).powi(1 - digits as i32);
        if r.hi >= 10.0 {
            r = r.div_f64(10.0);
            e += 1;
        }
        let mut out = String::from(if neg { "-" } else { "" });
        for i in 0..digits {
            let d = r.hi.floor().clamp(0.0, 9.0);
            out.push(char::from(b'0' + d as u8));
            if i == 0 && digits > 1 {
                out.push('.');
            }
            r = (r - Dd::of(d)).mul_f64(10.0);
        }
        format!("{out}e{e}")
    }
}

/// The next 53 bits of π/2 and ln 2 after `Dd::FRAC_PI_2` and `Dd::LN_2`.
const FRAC_PI_2_LO2: f64 = -1.497_384_904_859_169_8e-33;
const LN_2_LO2: f64 = 5.707_708_438_416_212e-34;

impl Neg for Dd {
    type Output = Dd;
    #[inline]
    fn neg(self) -> Dd {
        Dd { hi: -self.hi, lo: -self.lo }
    }
}

impl Add for Dd {
    type Output = Dd;
    #[inline(never)]
    fn add(self, b: Dd) -> Dd {
        let (s1, s2) = two_sum(self.hi, b.hi);
        if !s1.is_finite() {
            return Dd::of(s1);
        }
        let (t1, t2) = two_sum(self.lo, b.lo);
        let (s1, s2) = quick_two_sum(s1, s2 + t1);
        Dd::from_parts(quick_two_sum(s1, s2 + t2))
    }
}

impl Sub for Dd {
    type Output = Dd;
    #[inline(never)]
    fn sub(self, b: Dd) -> Dd {
        self + -b
    }
}

impl Mul for Dd {
    type Output = Dd;
    #[inline(never)]
    fn mul(self, b: Dd) -> Dd {
        let (p1, p2) = two_prod(self.hi, b.hi);
        if !p1.is_finite() || p1 == 0.0 {
            return Dd::of(p1);
        }
        Dd::from_parts(quick_two_sum(p1, p2 + (self.hi * b.lo + self.lo * b.hi)))
    }
}

impl Div for Dd {
    type Output = Dd;
    #[inline(never)]
    fn div(self, b: Dd) -> Dd {
        let q1 = self.hi / b.hi;
        if !q1.is_finite() || !b.hi.is_finite() || q1 == 0.0 {
            return Dd::of(q1);
        }
        let r = self - b.mul_f64(q1);
        let q2 = r.hi / b.hi;
        let r = r - b.mul_f64(q2);
        let q3 = r.hi / b.hi;
        Dd::from_parts(quick_two_sum(q1, q2)) + Dd::of(q3)
    }
}

/// Stops a series once a term no longer changes the sum's 32 digits.
fn negligible(term: Dd, sum: Dd) -> bool {
    term.hi.abs() <= 1e-33 * sum.hi.abs()
}

/// exp(r) − 1 for |r| ≤ ln2/2: the series on r/512, then nine doublings
/// (e^{2s} − 1 = 2u + u² for u = e^s − 1), which never subtract nearly equal numbers.
fn expm1_reduced(r: Dd) -> Dd {
    let s = r.ldexp(-9);
    let (mut term, mut sum) = (s, s);
    let mut k = 2.0;
    while !negligible(term, sum) && k < 30.0 {
        term = (term * s).div_f64(k);
        sum = sum + term;
        k += 1.0;
    }
    for _ in 0..9 {
        sum = sum.mul_f64(2.0) + sum * sum;
    }
    sum
}

fn sin_series(r: Dd) -> Dd {
    let r2 = r * r;
    let (mut term, mut sum) = (r, r);
    let mut k = 1.0;
    while !negligible(term, sum) && k < 40.0 {
        term = -(term * r2).div_f64((2.0 * k) * (2.0 * k + 1.0));
        sum = sum + term;
        k += 1.0;
    }
    sum
}

fn cos_series(r: Dd) -> Dd {
    let r2 = r * r;
    let (mut term, mut sum) = (Dd::ONE, Dd::ONE);
    let mut k = 1.0;
    while !negligible(term, sum) && k < 40.0 {
        term = -(term * r2).div_f64((2.0 * k - 1.0) * (2.0 * k));
        sum = sum + term;
        k += 1.0;
    }
    sum
}

impl Real for Dd {
    const LN_2: Dd = Dd { hi: std::f64::consts::LN_2, lo: 2.319_046_813_846_299_6e-17 };
    const LN_10: Dd = Dd { hi: std::f64::consts::LN_10, lo: -2.170_756_223_382_249_4e-16 };

    #[inline]
    fn of(c: f64) -> Dd {
        Dd { hi: c, lo: 0.0 }
    }
    #[inline]
    fn lead(self) -> f64 {
        self.hi
    }
    #[inline(never)]
    fn abs(self) -> Dd {
        if self.hi.is_sign_negative() {
            -self
        } else {
            self
        }
    }
    #[inline(never)]
    fn min(self, o: Dd) -> Dd {
        if o < self || self.is_nan() {
            o
        } else {
            self
        }
    }
    #[inline(never)]
    fn max(self, o: Dd) -> Dd {
        if o > self || self.is_nan() {
            o
        } else {
            self
        }
    }
    #[inline(never)]
    fn sqrt(self) -> Dd {
        if self.hi <= 0.0 || !self.hi.is_finite() {
            return Dd::of(self.hi.sqrt());
        }
        // One Newton step from the float64 root doubles its digits.
        let x = Dd::of(self.hi.sqrt());
        x + Dd::of((self - x * x).hi / (2.0 * x.hi))
    }
    #[inline(never)]
    fn cbrt(self) -> Dd {
        if self.hi == 0.0 || !self.hi.is_finite() {
            return Dd::of(self.hi.cbrt());
        }
        let y = Dd::of(self.hi.cbrt());
        y - (y * y * y - self) / (y * y).mul_f64(3.0)
    }
    #[inline(never)]
    fn exp(self) -> Dd {
        if self.hi.is_nan() || self.hi > 709.782_712_893_384 {
            return Dd::of(self.hi.exp());
        }
        if self.hi < -745.2 {
            return Dd::ZERO;
        }
        let m = (self.hi / std::f64::consts::LN_2).round();
        let r = self.reduce(m, Dd::LN_2, LN_2_LO2);
        (expm1_reduced(r) + Dd::ONE).ldexp(m as i32)
    }
    #[inline(never)]
    fn exp_m1(self) -> Dd {
        if self.hi.abs() < 0.5 * std::f64::consts::LN_2 {
            expm1_reduced(self)
        } else {
            self.exp() - Dd::ONE
        }
    }
    #[inline(never)]
    fn ln(self) -> Dd {
        if self.hi <= 0.0 || !self.hi.is_finite() {
            return Dd::of(self.hi.ln());
        }
        // a = 2^k·m with m in [1/√2, √2]: ln a = k·ln 2 + log1p(m − 1), and m − 1 is exact.
        let mut k = exponent(self.hi);
        let mut m = self.ldexp(-k);
        if m.hi > std::f64::consts::SQRT_2 {
            k += 1;
            m = m.ldexp(-1);
        }
        (m - Dd::ONE).ln_1p() - Dd::ZERO.reduce(k as f64, Dd::LN_2, LN_2_LO2)
    }
    #[inline(never)]
    fn ln_1p(self) -> Dd {
        if self.hi.abs() >= 0.5 || !self.hi.is_finite() {
            return (Dd::ONE + self).ln();
        }
        // Newton on expm1, so a small argument keeps its digits: y ← y − (e^y − 1 − a)/e^y.
        let y = Dd::of(self.hi.ln_1p());
        let u = y.exp_m1();
        y - (u - self) / (u + Dd::ONE)
    }
    #[inline(never)]
    fn log2(self) -> Dd {
        self.ln() / Dd::LN_2
    }
    #[inline(never)]
    fn log10(self) -> Dd {
        self.ln() / Dd::LN_10
    }
    #[inline(never)]
    fn powi(self, k: i32) -> Dd {
        let (mut z, mut r, mut e) = (self, Dd::ONE, k.unsigned_abs());
        while e > 0 {
            if e & 1 == 1 {
                r = r * z;
            }
            e /= 2;
            if e > 0 {
                z = z * z;
            }
        }
        if k < 0 {
            Dd::ONE / r
        } else {
            r
        }
    }
    #[inline(never)]
    fn powf(self, y: Dd) -> Dd {
        if self.hi <= 0.0 || y.hi == 0.0 || !self.hi.is_finite() || !y.hi.is_finite() {
            return Dd::of(self.hi.powf(y.hi));
        }
        (y * self.ln()).exp()
    }
    #[inline(never)]
    fn hypot(self, y: Dd) -> Dd {
        let s = self.hi.abs().max(y.hi.abs());
        if s == 0.0 || !s.is_finite() {
            return Dd::of(self.hi.hypot(y.hi));
        }
        // Scale by a power of two so the squares neither overflow nor underflow.
        let k = exponent(s);
        let (a, b) = (self.ldexp(-k), y.ldexp(-k));
        (a * a + b * b).sqrt().ldexp(k)
    }
    #[inline(never)]
    fn sin(self) -> Dd {
        self.sin_cos().0
    }
    #[inline(never)]
    fn cos(self) -> Dd {
        self.sin_cos().1
    }
    #[inline(never)]
    fn tan(self) -> Dd {
        let (s, c) = self.sin_cos();
        s / c
    }
    #[inline(never)]
    fn asin(self) -> Dd {
        if self.hi.abs() > 1.0 {
            return Dd::of(f64::NAN);
        }
        self.atan2(((Dd::ONE - self) * (Dd::ONE + self)).sqrt())
    }
    #[inline(never)]
    fn acos(self) -> Dd {
        if self.hi.abs() > 1.0 {
            return Dd::of(f64::NAN);
        }
        ((Dd::ONE - self) * (Dd::ONE + self)).sqrt().atan2(self)
    }
    #[inline(never)]
    fn atan(self) -> Dd {
        self.atan2(Dd::ONE)
    }
    /// atan2(y = self, x): one Newton step from the float64 angle on the unit circle.
    #[inline(never)]
    fn atan2(self, x: Dd) -> Dd {
        let z = self.hi.atan2(x.hi);
        if !self.hi.is_finite() || !x.hi.is_finite() {
            return Dd::of(f64::NAN);
        }
        if self.hi == 0.0 {
            // 0 or ±π, exactly as float64 chooses between them.
            return if z == 0.0 {
                Dd::of(z)
            } else if z > 0.0 {
                Dd::PI
            } else {
                -Dd::PI
            };
        }
        let r = self.hypot(x);
        let (xx, yy) = (x / r, self / r);
        let z = Dd::of(z);
        let (s, c) = z.sin_cos();
        if xx.hi.abs() > yy.hi.abs() {
            z + (yy - s) / c
        } else {
            z - (xx - c) / s
        }
    }
    #[inline(never)]
    fn sinh(self) -> Dd {
        let a = self.abs();
        let v = if a.hi > 40.0 {
            (a - Dd::LN_2).exp()
        } else {
            let u = a.exp_m1();
            (u + u / (u + Dd::ONE)).mul_f64(0.5)
        };
        if self.hi < 0.0 {
            -v
        } else {
            v
        }
    }
    #[inline(never)]
    fn cosh(self) -> Dd {
        let a = self.abs();
        if a.hi > 40.0 {
            return (a - Dd::LN_2).exp();
        }
        let e = a.exp();
        (e + Dd::ONE / e).mul_f64(0.5)
    }
    #[inline(never)]
    fn tanh(self) -> Dd {
        let a = self.abs();
        let v = if a.hi > 40.0 || a.hi.is_nan() {
            Dd::of(a.hi.tanh())
        } else {
            let u = a.mul_f64(2.0).exp_m1();
            u / (u + Dd::of(2.0))
        };
        if self.hi < 0.0 {
            -v
        } else {
            v
        }
    }
    #[inline(never)]
    fn asinh(self) -> Dd {
        let a = self.abs();
        let v =
            if a.hi > 1e150 { a.ln() + Dd::LN_2 } else { (a + a * a / (Dd::ONE + (Dd::ONE + a * a).sqrt())).ln_1p() };
        if self.hi < 0.0 {
            -v
        } else {
            v
        }
    }
    #[inline(never)]
    fn acosh(self) -> Dd {
        if self.hi < 1.0 {
            return Dd::of(f64::NAN);
        }
        if self.hi > 1e150 {
            return self.ln() + Dd::LN_2;
        }
        let t = self - Dd::ONE;
        (t + (t * (self + Dd::ONE)).sqrt()).ln_1p()
    }
    #[inline(never)]
    fn atanh(self) -> Dd {
        if self.hi.abs() > 1.0 {
            return Dd::of(f64::NAN);
        }
        (self.mul_f64(2.0) / (Dd::ONE - self)).ln_1p().mul_f64(0.5)
    }
}
