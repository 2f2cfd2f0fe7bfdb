//! Complex-step differentiation: evaluate f at x + i·h·e_j in complex arithmetic and read
//! ∂f/∂x_j = Im f / h. No subtraction, so no cancellation: it matches AD to round-off,
//! an independent check on the rule table. Non-analytic ops (abs, min, max, relu) branch
//! on the real part, as the method requires.

use super::dense::Kind;
use super::matrix::{Cost, Matrix};
use super::ops::Op;
use super::tape::Tape;
use num_complex::Complex64 as C;
use std::f64::consts::{FRAC_PI_2, LN_10, LN_2, PI};

/// Relative step: h_j = STEP·|x_j| (at least MIN_STEP), small enough that h² vanishes
/// against x in float64, and scaled so tiny or huge coordinates neither underflow nor
/// overflow their imaginary parts.
pub const STEP: f64 = 1e-20;
const MIN_STEP: f64 = 1e-300;

pub fn step(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        STEP
    } else {
        (STEP * x.abs()).max(MIN_STEP)
    }
}

pub fn complex_step_jacobian(tape: &Tape, x: &[f64]) -> (Matrix, Cost) {
    let (n, m, len) = (tape.n(), tape.m(), tape.len());
    let mut j = Matrix::zeros(m, n);
    let mut vals = vec![C::new(0.0, 0.0); len + 1];
    for col in 0..n {
        let h = step(x[col]);
        for k in 0..len {
            let [a, b] = tape.args[k];
            vals[k] = match tape.ops[k] {
                Op::Input => C::new(x[a as usize], if a as usize == col { h } else { 0.0 }),
                Op::Const => C::new(tape.consts[k], 0.0),
                Op::Dense if tape.blocks[a as usize].kind == Kind::Gather => {
                    let block = &tape.blocks[a as usize];
                    vals[block.source(b as usize)]
                }
                Op::Dense if tape.blocks[a as usize].kind == Kind::Product => {
                    let block = &tape.blocks[a as usize];
                    if b == 0 {
                        // The operands come before the rows.
                        let (x, y) = vals.split_at_mut(k);
                        super::product::in_order(&block.a, &x[block.operands()], &mut y[..block.rows as usize], |v| {
                            C::new(v, 0.0)
                        });
                    }
                    vals[k]
                }
                Op::Dense if tape.blocks[a as usize].kind != Kind::Linear => {
                    // The whole node at its first row, its later rows read back.
                    let block = &tape.blocks[a as usize];
                    if let (0, Some(op)) = (b, block.kind.binary()) {
                        // max, min and norm: the binary function's fold (at a tie, max and
                        // min pick one operand, as the binary ones do here).
                        let x = &vals[block.operands()];
                        vals[k] = x[1..].iter().fold(x[0], |acc, &v| value(op, acc, v));
                    } else if b == 0 {
                        let x: Vec<C> = vals[block.operands()].to_vec();
                        softmax_values(block.kind, &x, &mut vals[block.outputs()]);
                    }
                    vals[k]
                }
                // Real weights times complex operands, written out here too: this check
                // shares no arithmetic with the engine's.
                Op::Dense => {
                    let block = &tape.blocks[a as usize];
                    let x = &vals[block.operands()];
                    let products =
                        block.row(b as usize).iter().zip(x).fold(C::new(0.0, 0.0), |acc, (&w, &v)| acc + v * w);
                    products + tape.consts[k]
                }
                op => value(op, vals[a as usize], vals[b as usize]),
            };
        }
        for (i, &o) in tape.outputs.iter().enumerate() {
            j.set(i, col, vals[o as usize].im / h);
        }
    }
    for i in undefined_outputs(tape, x) {
        for col in 0..n {
            j.set(i, col, f64::NAN);
        }
    }
    // Each complex pass also gives f as its real part: no primal pass of its own.
    (j, Cost { passes: n, primal: 0, node_visits: n * tape.work(), bytes: (len + 1) * 16 })
}

/// The outputs that are not defined (not finite) at `x` in real arithmetic. Complex
/// arithmetic carries on where real arithmetic stops (log(−1) = iπ, a negative base to a
/// fractional power), so Im f / h there is a large finite number that means nothing: these
/// rows of the complex-step J are NaN instead.
pub fn undefined_outputs(tape: &Tape, x: &[f64]) -> Vec<usize> {
    tape.eval(x).iter().enumerate().filter(|(_, v)| !v.is_finite()).map(|(i, _)| i).collect()
}

/// Says which outputs are not defined at `x` (see `undefined_outputs`), for the command
/// line and the finite-difference view; None where every output is.
pub fn undefined_note(tape: &Tape, x: &[f64]) -> Option<String> {
    let undefined = undefined_outputs(tape, x);
    if undefined.is_empty() {
        return None;
    }
    let names: Vec<String> = undefined.iter().map(|&i| tape.output_names[i].clone()).collect();
    Some(format!(
        "{} not defined at this point in real arithmetic (NaN or infinite): complex step's J is NaN there, as complex arithmetic would give a meaningless finite number",
        super::point::name_list(&names, 6) + if names.len() == 1 { " is" } else { " are" }
    ))
}

/// Repeated squaring in the same order as the real `powi` (compiler-rt's __powidf2), so
/// the real parts round exactly as the real evaluation does.
fn powi(mut z: C, k: i32) -> C {
    let mut r = C::new(1.0, 0.0);
    let mut e = k.unsigned_abs();
    loop {
        if e & 1 == 1 {
            r *= z;
        }
        e /= 2;
        if e == 0 {
            break;
        }
        z *= z;
    }
    if k < 0 {
        div(C::new(1.0, 0.0), r)
    } else {
        r
    }
}

/// Smith's division: num-complex divides by c² + d², which overflows beyond 1e154.
fn div(z: C, w: C) -> C {
    let (a, b, c, d) = (z.re, z.im, w.re, w.im);
    if d.abs() <= c.abs() {
        let r = d / c;
        let den = c + d * r;
        C::new((a + b * r) / den, (b - a * r) / den)
    } else {
        let r = c / d;
        let den = c * r + d;
        C::new((a * r + b) / den, (b * r - a) / den)
    }
}

/// atan without the cancellation that loses a tiny imaginary part:
/// Re = ½·atan2(2a, 1 − a² − b²), Im = ¼·log1p(4b / ((1 − b)² + a²)).
fn atan(z: C) -> C {
    let (a, b) = (z.re, z.im);
    let re = 0.5 * (2.0 * a).atan2((1.0 - a) * (1.0 + a) - b * b);
    C::new(re, 0.25 * (4.0 * b / ((1.0 - b) * (1.0 - b) + a * a)).ln_1p())
}

/// asin z = atan(z / √(1 − z²)), for the real parts in (−1, 1) the method visits.
fn asin(z: C) -> C {
    let one = C::new(1.0, 0.0);
    atan(z / (one - z * z).sqrt())
}

/// asinh z = ln(z + √(z² + 1)) for Re z ≥ 0, where the sum does not cancel.
fn asinh(z: C) -> C {
    let one = C::new(1.0, 0.0);
    let root = (z * z + one).sqrt();
    if z.re > 1.0 {
        (z + root).ln()
    } else {
        // log1p(z + z²/(1 + √(z² + 1))): the same number, whose ln(z + √(z² + 1)) form
        // would round z off against the 1 near 0.
        value(Op::Log1p, z + z * z / (one + root), z)
    }
}

fn by_real(z: C, w: C, pick_z: bool) -> C {
    if z.re.is_nan() || w.re.is_nan() {
        C::new(f64::NAN, f64::NAN)
    } else if pick_z {
        z
    } else {
        w
    }
}

/// A softmax kind's values in complex arithmetic, written here apart from `softmax.rs`
/// (this check shares no arithmetic with the engine's): exp(z − s) summed, with s the
/// operand of the largest real part, imaginary part and all (the functions do not depend
/// on a shift, and with it the largest term is exactly 1, whose imaginary part would
/// otherwise cancel against the sum's).
fn softmax_values(kind: Kind, z: &[C], y: &mut [C]) {
    let s = z.iter().fold(C::new(f64::NEG_INFINITY, 0.0), |m, &v| if v.re > m.re || v.re.is_nan() { v } else { m });
    let mut sum = C::new(0.0, 0.0);
    for &v in z {
        sum += (v - s).exp();
    }
    let l = sum.ln();
    for (i, y) in y.iter_mut().enumerate() {
        *y = match kind {
            Kind::Softmax => ((z[i] - s) - l).exp(),
            Kind::LogSoftmax => (z[i] - s) - l,
            _ => l + s,
        };
    }
}

/// The complex extension of each primitive, with the same tail-stable forms as the real ones.
pub fn value(op: Op, z: C, w: C) -> C {
    let one = C::new(1.0, 0.0);
    match op {
        Op::Input | Op::Const | Op::Dense => C::new(f64::NAN, 0.0),
        Op::Add => z + w,
        Op::Sub => z - w,
        Op::Mul => z * w,
        Op::Div => div(z, w),
        Op::Neg => -z,
        Op::Powi(k) => powi(z, k),
        Op::Pow => {
            if z.re < 0.0 {
                C::new(f64::NAN, f64::NAN)
            } else if z.re == 0.0 && z.im == 0.0 {
                C::new(0f64.powf(w.re), 0.0)
            } else {
                (w * z.ln()).exp()
            }
        }
        Op::Sin => z.sin(),
        Op::Cos => z.cos(),
        Op::Tan => z.tan(),
        Op::Asin => asin(z),
        Op::Acos => C::new(FRAC_PI_2, 0.0) - asin(z),
        Op::Atan => atan(z),
        Op::Atan2 => {
            // atan2(z, w) with the quadrant taken from the real parts.
            if w.re > 0.0 {
                atan(div(z, w))
            } else if w.re < 0.0 {
                atan(div(z, w)) + C::new(if z.re >= 0.0 { PI } else { -PI }, 0.0)
            } else {
                C::new(FRAC_PI_2.copysign(z.re), 0.0) - atan(div(w, z))
            }
        }
        Op::Sinh => z.sinh(),
        Op::Cosh => z.cosh(),
        Op::Tanh => {
            // s·(1 − e)/(1 + e) with e = exp(−2sz), its 1 − e as −expm1(−2sz): taken as
            // written it cancels near 0, where tanh z ≈ z.
            let s = if z.re >= 0.0 { 1.0 } else { -1.0 };
            let m = value(Op::Expm1, -2.0 * s * z, z);
            -s * m / (one + one + m)
        }
        Op::Asinh => {
            if z.re < 0.0 {
                -asinh(-z)
            } else {
                asinh(z)
            }
        }
        Op::Acosh => (z + (z - one).sqrt() * (z + one).sqrt()).ln(),
        Op::Atanh => {
            let (a, b) = (z.re, z.im);
            let re = 0.25 * (4.0 * a / ((1.0 - a) * (1.0 - a) + b * b)).ln_1p();
            C::new(re, 0.5 * (b.atan2(1.0 + a) + b.atan2(1.0 - a)))
        }
        Op::Exp => z.exp(),
        Op::Log => z.ln(),
        Op::Log2 => z.ln() / LN_2,
        Op::Log10 => z.ln() / LN_10,
        // Real parts via log1p/expm1: they feed later partials, so they must keep their digits.
        Op::Log1p => {
            let (a, b) = (z.re, z.im);
            C::new(0.5 * (a * (2.0 + a) + b * b).ln_1p(), b.atan2(1.0 + a))
        }
        Op::Expm1 => {
            let (a, b) = (z.re, z.im);
            let half = (0.5 * b).sin();
            C::new(a.exp_m1() * b.cos() - 2.0 * half * half, a.exp() * b.sin())
        }
        Op::Sqrt => z.sqrt(),
        Op::Cbrt => {
            if z.re < 0.0 {
                -(-z).cbrt()
            } else {
                z.cbrt()
            }
        }
        Op::Abs => {
            if z.re < 0.0 {
                -z
            } else {
                z
            }
        }
        Op::Hypot => {
            let s = z.re.abs().max(w.re.abs());
            if s == 0.0 {
                C::new(0.0, 0.0)
            } else {
                let (zs, ws) = (z / s, w / s);
                s * (zs * zs + ws * ws).sqrt()
            }
        }
        Op::Min => by_real(z, w, z.re <= w.re),
        Op::Max => by_real(z, w, z.re >= w.re),
        Op::Sigmoid => {
            if z.re >= 0.0 {
                one / (one + (-z).exp())
            } else {
                let e = z.exp();
                e / (one + e)
            }
        }
        Op::Relu => {
            if z.re > 0.0 {
                z
            } else {
                C::new(0.0, 0.0)
            }
        }
        Op::Softplus => {
            // log1p, not ln(1 + ·): where the exponential is tiny the sum would round it off.
            if z.re > 0.0 {
                z + value(Op::Log1p, (-z).exp(), z)
            } else {
                value(Op::Log1p, z.exp(), z)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn hypot_huge() {
        let z = value(Op::Hypot, C::new(3e200, 1e-30), C::new(4e200, 0.0));
        assert!((z.re - 5e200).abs() < 1e186, "{z}");
        assert!((z.im - 0.6e-30).abs() < 1e-44, "{z}");
    }
}
