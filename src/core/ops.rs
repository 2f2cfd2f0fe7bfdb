//! The rule table: for every primitive, its value, its local partials and its second
//! partials. Evaluation, forward mode, reverse mode and second order all read this one
//! table, so a rule is written once. Formulas are chosen to keep full float64 accuracy:
//! tails of tanh/sigmoid/softplus via exp(-|x|), overflow-safe hypot/atan2/asinh,
//! (1-x)(1+x) instead of 1-x².
//!
//! Non-smooth points follow JAX/PyTorch: abs'(0) = 0, relu'(0) = 0, min/max ties split
//! ½/½, hypot'(0, 0) = (0, 0).

use super::real::Real;
use std::f64::consts::{LN_10, LN_2};

/// What the rest of the program knows of a primitive besides its rules: the name it has
/// in the language and on the printed tape, its arity, whether its operands commute, and
/// how PyTorch and JAX spell it (an expression in `a` and `b`, for the exported programs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    pub name: &'static str,
    pub arity: usize,
    /// Swapping the operands leaves value and partials unchanged (for hash-consing).
    pub commutative: bool,
    /// The language has it as a function (`sin(x)`); operators (`+`, `^`) are not.
    pub function: bool,
}

/// One line per primitive: the enum variant, its name, arity, whether it commutes and is
/// a function of the language, and its PyTorch and JAX spellings. The macro makes the
/// `Op` enum, `Op::spec` and `Op::FUNCTIONS` from the same lines, so a new primitive is one
/// line here plus its rules below (and in complex.rs), which the compiler then demands.
macro_rules! primitives {
    ($($(#[$doc:meta])* $op:ident $(($arg:ty))? => $name:literal, $arity:literal, $comm:literal, $function:literal, $torch:literal, $jax:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Op {
            $($(#[$doc])* $op $(($arg))?,)*
        }
        impl Op {
            /// The primitive's descriptor.
            pub const fn spec(self) -> Spec {
                match self {
                    $(primitives!(@pat $op $(($arg))?) => Spec { name: $name, arity: $arity, commutative: $comm, function: $function },)*
                }
            }
            /// Its PyTorch and JAX spellings, for the exports: apart from `spec`, so the
            /// page (which never exports) does not carry them.
            pub const fn python(self) -> (&'static str, &'static str) {
                match self {
                    $(primitives!(@pat $op $(($arg))?) => ($torch, $jax),)*
                }
            }
            /// Every primitive once (an integer power as `Powi(0)`), in the table's order.
            pub const ALL: &'static [Op] = &[$(primitives!(@value $op $(($arg))?)),*];
        }
    };
    (@pat $op:ident ($arg:ty)) => { Op::$op(_) };
    (@pat $op:ident) => { Op::$op };
    (@value $op:ident ($arg:ty)) => { Op::$op(0) };
    (@value $op:ident) => { Op::$op };
}

primitives! {
    Input => "input", 0, false, false, "", "";
    Const => "const", 0, false, false, "", "";
    /// A row of a dense block (`dense.rs`): its operands and weights are the block's, so
    /// the sweeps run it through the block's own products, never through these rules.
    Dense => "dense", 0, false, false, "", "";
    Add => "add", 2, true, false, "a + b", "a + b";
    Sub => "sub", 2, false, false, "a - b", "a - b";
    Mul => "mul", 2, true, false, "a * b", "a * b";
    Div => "div", 2, false, false, "a / b", "a / b";
    Neg => "neg", 1, false, false, "-a", "-a";
    /// Integer power with a constant exponent: defined for negative bases.
    Powi(i32) => "powi", 1, false, false, "a ** k", "a ** k";
    /// x^y = exp(y·log x) semantics: NaN for x < 0.
    Pow => "pow", 2, false, true, "torch.pow(a, b)", "jnp.power(a, b)";
    Sin => "sin", 1, false, true, "torch.sin(a)", "jnp.sin(a)";
    Cos => "cos", 1, false, true, "torch.cos(a)", "jnp.cos(a)";
    Tan => "tan", 1, false, true, "torch.tan(a)", "jnp.tan(a)";
    Asin => "asin", 1, false, true, "torch.asin(a)", "jnp.arcsin(a)";
    Acos => "acos", 1, false, true, "torch.acos(a)", "jnp.arccos(a)";
    Atan => "atan", 1, false, true, "torch.atan(a)", "jnp.arctan(a)";
    Atan2 => "atan2", 2, false, true, "torch.atan2(a, b)", "jnp.arctan2(a, b)";
    Sinh => "sinh", 1, false, true, "torch.sinh(a)", "jnp.sinh(a)";
    Cosh => "cosh", 1, false, true, "torch.cosh(a)", "jnp.cosh(a)";
    Tanh => "tanh", 1, false, true, "torch.tanh(a)", "jnp.tanh(a)";
    Asinh => "asinh", 1, false, true, "torch.asinh(a)", "jnp.arcsinh(a)";
    Acosh => "acosh", 1, false, true, "torch.acosh(a)", "jnp.arccosh(a)";
    Atanh => "atanh", 1, false, true, "torch.atanh(a)", "jnp.arctanh(a)";
    Exp => "exp", 1, false, true, "torch.exp(a)", "jnp.exp(a)";
    Log => "log", 1, false, true, "torch.log(a)", "jnp.log(a)";
    Log2 => "log2", 1, false, true, "torch.log2(a)", "jnp.log2(a)";
    Log10 => "log10", 1, false, true, "torch.log10(a)", "jnp.log10(a)";
    Log1p => "log1p", 1, false, true, "torch.log1p(a)", "jnp.log1p(a)";
    Expm1 => "expm1", 1, false, true, "torch.expm1(a)", "jnp.expm1(a)";
    Sqrt => "sqrt", 1, false, true, "torch.sqrt(a)", "jnp.sqrt(a)";
    Cbrt => "cbrt", 1, false, true, "torch.sign(a) * torch.abs(a) ** (1 / 3)", "jnp.cbrt(a)";
    Abs => "abs", 1, false, true, "torch.abs(a)", "jnp.abs(a)";
    Hypot => "hypot", 2, true, true, "torch.hypot(a, b)", "jnp.hypot(a, b)";
    Min => "min", 2, true, true, "torch.minimum(a, b)", "jnp.minimum(a, b)";
    Max => "max", 2, true, true, "torch.maximum(a, b)", "jnp.maximum(a, b)";
    Sigmoid => "sigmoid", 1, false, true, "torch.sigmoid(a)", "jax.nn.sigmoid(a)";
    Relu => "relu", 1, false, true, "torch.relu(a)", "jax.nn.relu(a)";
    Softplus => "softplus", 1, false, true, "torch.nn.functional.softplus(a)", "jax.nn.softplus(a)";
}

pub const CONSTANTS: &[(&str, f64)] = &[("pi", std::f64::consts::PI), ("e", std::f64::consts::E)];

/// The functions the language knows, in the table's order.
pub fn functions() -> impl Iterator<Item = Op> {
    Op::ALL.iter().copied().filter(|op| op.spec().function)
}

/// The function of the language called `name`, with its arity.
pub fn lookup_function(name: &str) -> Option<(Op, usize)> {
    functions().find(|op| op.spec().name == name).map(|op| (op, op.spec().arity))
}

pub fn lookup_constant(name: &str) -> Option<f64> {
    CONSTANTS.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
}

impl Op {
    pub fn arity(self) -> usize {
        self.spec().arity
    }

    /// The name on the printed tape: the spec's, with an integer power's exponent.
    pub fn name(self) -> String {
        match self {
            Op::Powi(k) => format!("powi{k}"),
            op => op.spec().name.into(),
        }
    }

    /// Whether swapping the operands leaves value and partials unchanged (for hash-consing).
    pub fn commutative(self) -> bool {
        self.spec().commutative
    }
}

/// exp(-|x|) is the quantity both tails of sigmoid/tanh/softplus are built from.
#[inline]
fn sigmoid_parts<T: Real>(x: T) -> (T, T) {
    let one = T::of(1.0);
    let e = (-x.abs()).exp();
    let s = if x >= T::of(0.0) { one / (one + e) } else { e / (one + e) };
    (s, e / ((one + e) * (one + e)))
}

#[inline]
fn sech2<T: Real>(x: T) -> T {
    let one = T::of(1.0);
    let e = (T::of(-2.0) * x.abs()).exp();
    T::of(4.0) * e / ((one + e) * (one + e))
}

#[inline]
fn pow_value<T: Real>(x: T, y: T) -> T {
    if x < T::of(0.0) {
        T::of(f64::NAN)
    } else {
        x.powf(y)
    }
}

/// The value of `op` at operands `x` (and `y` for binary ops).
#[inline]
pub fn value<T: Real>(op: Op, x: T, y: T) -> T {
    match op {
        Op::Input | Op::Const | Op::Dense => T::of(f64::NAN),
        Op::Add => x + y,
        Op::Sub => x - y,
        Op::Mul => x * y,
        Op::Div => x / y,
        Op::Neg => -x,
        Op::Powi(k) => x.powi(k),
        Op::Pow => pow_value(x, y),
        Op::Sin => x.sin(),
        Op::Cos => x.cos(),
        Op::Tan => x.tan(),
        Op::Asin => x.asin(),
        Op::Acos => x.acos(),
        Op::Atan => x.atan(),
        Op::Atan2 => x.atan2(y),
        Op::Sinh => x.sinh(),
        Op::Cosh => x.cosh(),
        Op::Tanh => x.tanh(),
        Op::Asinh => x.asinh(),
        Op::Acosh => x.acosh(),
        Op::Atanh => x.atanh(),
        Op::Exp => x.exp(),
        Op::Log => x.ln(),
        Op::Log2 => x.log2(),
        Op::Log10 => x.log10(),
        Op::Log1p => x.ln_1p(),
        Op::Expm1 => x.exp_m1(),
        Op::Sqrt => x.sqrt(),
        Op::Cbrt => x.cbrt(),
        Op::Abs => x.abs(),
        Op::Hypot => x.hypot(y),
        Op::Min => {
            if x.is_nan() || y.is_nan() {
                T::of(f64::NAN)
            } else {
                x.min(y)
            }
        }
        Op::Max => {
            if x.is_nan() || y.is_nan() {
                T::of(f64::NAN)
            } else {
                x.max(y)
            }
        }
        Op::Sigmoid => sigmoid_parts(x).0,
        Op::Relu => {
            if x > T::of(0.0) || x.is_nan() {
                x
            } else {
                T::of(0.0)
            }
        }
        Op::Softplus => x.max(T::of(0.0)) + (-x.abs()).exp().ln_1p(),
    }
}

/// Local partials (∂v/∂x, ∂v/∂y) given operands and the already computed value `v`.
#[inline]
pub fn first<T: Real>(op: Op, x: T, y: T, v: T) -> (T, T) {
    let (zero, one) = (T::of(0.0), T::of(1.0));
    match op {
        Op::Input | Op::Const | Op::Dense => (zero, zero),
        Op::Add => (one, one),
        Op::Sub => (one, -one),
        Op::Mul => (y, x),
        Op::Div => (one / y, -(v / y)),
        Op::Neg => (-one, zero),
        Op::Powi(0) => (zero, zero),
        Op::Powi(k) => (T::of(k as f64) * x.powi(k - 1), zero),
        Op::Pow => {
            if x < zero {
                (T::of(f64::NAN), T::of(f64::NAN))
            } else {
                let dy = if x == zero && y > zero { zero } else { v * x.ln() };
                (y * x.powf(y - one), dy)
            }
        }
        Op::Sin => (x.cos(), zero),
        Op::Cos => (-x.sin(), zero),
        Op::Tan => {
            let c = x.cos();
            (one / (c * c), zero)
        }
        Op::Asin => (one / ((one - x) * (one + x)).sqrt(), zero),
        Op::Acos => (-one / ((one - x) * (one + x)).sqrt(), zero),
        Op::Atan => (atan_slope(x), zero),
        Op::Atan2 => {
            // v = atan2(x, y): ∂/∂x = y/r², ∂/∂y = -x/r², scaled so r² never overflows.
            let r = x.hypot(y);
            ((y / r) / r, -(x / r) / r)
        }
        Op::Sinh => (x.cosh(), zero),
        Op::Cosh => (x.sinh(), zero),
        Op::Tanh => (sech2(x), zero),
        Op::Asinh => (one / one.hypot(x), zero),
        Op::Acosh => (one / ((x - one) * (x + one)).sqrt(), zero),
        Op::Atanh => (one / ((one - x) * (one + x)), zero),
        Op::Exp => (v, zero),
        Op::Log => (one / x, zero),
        Op::Log2 => (one / (x * T::LN_2), zero),
        Op::Log10 => (one / (x * T::LN_10), zero),
        Op::Log1p => (one / (one + x), zero),
        Op::Expm1 => (x.exp(), zero),
        Op::Sqrt => (T::of(0.5) / v, zero),
        Op::Cbrt => (one / (T::of(3.0) * v * v), zero),
        Op::Abs => (sign0(x), zero),
        Op::Hypot => {
            if v == zero {
                (zero, zero)
            } else {
                (x / v, y / v)
            }
        }
        Op::Min => split(x < y, x > y),
        Op::Max => split(x > y, x < y),
        Op::Sigmoid => (sigmoid_parts(x).1, zero),
        Op::Relu => (if x > zero { one } else { zero }, zero),
        Op::Softplus => (sigmoid_parts(x).0, zero),
    }
}

/// Second partials (∂²v/∂x², ∂²v/∂x∂y, ∂²v/∂y²).
#[inline]
pub fn second(op: Op, x: f64, y: f64, v: f64) -> (f64, f64, f64) {
    match op {
        Op::Input | Op::Const | Op::Dense | Op::Add | Op::Sub | Op::Neg | Op::Abs | Op::Min | Op::Max | Op::Relu => {
            (0.0, 0.0, 0.0)
        }
        Op::Mul => (0.0, 1.0, 0.0),
        Op::Div => {
            let inv = 1.0 / y;
            (0.0, -inv * inv, 2.0 * (v * inv) * inv)
        }
        Op::Powi(k) if k == 0 || k == 1 => (0.0, 0.0, 0.0),
        Op::Powi(k) => ((k as f64) * ((k - 1) as f64) * x.powi(k - 2), 0.0, 0.0),
        Op::Pow => {
            if x < 0.0 {
                return (f64::NAN, f64::NAN, f64::NAN);
            }
            let l = x.ln();
            let xy1 = x.powf(y - 1.0);
            let dxy = if x == 0.0 && y > 1.0 { 0.0 } else { xy1 * (1.0 + y * l) };
            let dyy = if x == 0.0 && y > 0.0 { 0.0 } else { v * l * l };
            (y * (y - 1.0) * x.powf(y - 2.0), dxy, dyy)
        }
        Op::Sin => (-v, 0.0, 0.0),
        Op::Cos => (-v, 0.0, 0.0),
        Op::Tan => {
            let c = x.cos();
            (2.0 * v / (c * c), 0.0, 0.0)
        }
        Op::Asin => {
            let q = (1.0 - x) * (1.0 + x);
            (x / (q * q.sqrt()), 0.0, 0.0)
        }
        Op::Acos => {
            let q = (1.0 - x) * (1.0 + x);
            (-x / (q * q.sqrt()), 0.0, 0.0)
        }
        Op::Atan => {
            let s = atan_slope(x);
            (-2.0 * x * s * s, 0.0, 0.0)
        }
        Op::Atan2 => {
            let r = x.hypot(y);
            let (u, w) = (x / r, y / r);
            (-2.0 * u * w / r / r, (u * u - w * w) / r / r, 2.0 * u * w / r / r)
        }
        Op::Sinh => (v, 0.0, 0.0),
        Op::Cosh => (v, 0.0, 0.0),
        Op::Tanh => (-2.0 * v * sech2(x), 0.0, 0.0),
        Op::Asinh => {
            let s = 1.0 / 1f64.hypot(x);
            (-x * s * s * s, 0.0, 0.0)
        }
        Op::Acosh => {
            let q = (x - 1.0) * (x + 1.0);
            (-x / (q * q.sqrt()), 0.0, 0.0)
        }
        Op::Atanh => {
            let s = 1.0 / ((1.0 - x) * (1.0 + x));
            (2.0 * x * s * s, 0.0, 0.0)
        }
        Op::Exp => (v, 0.0, 0.0),
        Op::Log => (-1.0 / (x * x), 0.0, 0.0),
        Op::Log2 => (-1.0 / (x * x * LN_2), 0.0, 0.0),
        Op::Log10 => (-1.0 / (x * x * LN_10), 0.0, 0.0),
        Op::Log1p => {
            let s = 1.0 / (1.0 + x);
            (-s * s, 0.0, 0.0)
        }
        Op::Expm1 => (x.exp(), 0.0, 0.0),
        Op::Sqrt => (-0.25 / (v * v * v), 0.0, 0.0),
        Op::Cbrt => (-2.0 / (9.0 * v * v * v * v * v), 0.0, 0.0),
        Op::Hypot => {
            if v == 0.0 {
                return (0.0, 0.0, 0.0);
            }
            let (u, w) = (x / v, y / v);
            (w * w / v, -u * w / v, u * u / v)
        }
        Op::Sigmoid => {
            let d = sigmoid_parts(x).1;
            // σ'' = σ'(1 - 2σ) = -σ'·tanh(x/2), without the cancellation in 1 - 2σ.
            (-d * (0.5 * x).tanh(), 0.0, 0.0)
        }
        Op::Softplus => (sigmoid_parts(x).1, 0.0, 0.0),
    }
}

#[inline]
fn atan_slope<T: Real>(x: T) -> T {
    let one = T::of(1.0);
    if x.abs() > T::of(1e150) {
        (one / x) / x
    } else {
        one / (one + x * x)
    }
}

#[inline]
fn sign0<T: Real>(x: T) -> T {
    if x > T::of(0.0) {
        T::of(1.0)
    } else if x < T::of(0.0) {
        T::of(-1.0)
    } else if x.is_nan() {
        x
    } else {
        T::of(0.0)
    }
}

#[inline]
fn split<T: Real>(first_wins: bool, second_wins: bool) -> (T, T) {
    let (zero, one, half) = (T::of(0.0), T::of(1.0), T::of(0.5));
    if first_wins {
        (one, zero)
    } else if second_wins {
        (zero, one)
    } else {
        (half, half)
    }
}
