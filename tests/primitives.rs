//! The primitive descriptors (`ops::Spec`, one line per primitive in ops.rs) agree with
//! the rule table and with each other: what the compiler, the printed tape and the
//! exported programs read from a descriptor is what the rules compute.

use jacobian_playground::core::compile_source;
use jacobian_playground::core::ops::{self, first, functions, lookup_function, value, Op};

const POINTS: [(f64, f64); 5] = [(0.3, 0.7), (-0.45, 0.2), (0.9, -0.6), (2.5, 1.5), (-1.7, -3.2)];

#[test]
fn names_are_unique_and_each_function_is_found_by_its_name() {
    let names: Vec<&str> = Op::ALL.iter().map(|op| op.spec().name).collect();
    for (i, n) in names.iter().enumerate() {
        assert!(!names[..i].contains(n), "two primitives are called {n}");
    }
    assert_eq!(functions().count(), 29, "the language's functions");
    for op in functions() {
        assert_eq!(lookup_function(op.spec().name), Some((op, op.spec().arity)));
    }
    for op in [Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Neg, Op::Powi(3), Op::Input, Op::Const] {
        assert!(lookup_function(op.spec().name).is_none(), "{} is an operator, not a function", op.spec().name);
    }
}

#[test]
fn each_function_compiles_with_its_arity_and_prints_its_name() {
    for op in functions() {
        let spec = op.spec();
        let call = if spec.arity == 2 { format!("{}(x, y)", spec.name) } else { format!("{}(x)", spec.name) };
        let tape = compile_source(&format!("f(x, y) = [{call}, x + y]")).unwrap_or_else(|e| panic!("{call}: {e:?}"));
        assert!(tape.print(None, None).contains(&format!("= {} x", spec.name)), "{call}:\n{}", tape.print(None, None));
        let wrong = if spec.arity == 2 { format!("{}(x)", spec.name) } else { format!("{}(x, y)", spec.name) };
        if matches!(spec.name, "max" | "min") {
            // One argument is the reduction over a vector's entries (a number's is itself).
            assert!(compile_source(&format!("f(x, y) = {wrong}")).is_ok(), "{wrong} is a reduction");
            continue;
        }
        assert!(compile_source(&format!("f(x, y) = {wrong}")).is_err(), "{wrong} must be an arity error");
    }
}

#[test]
fn unary_rules_give_the_ground_operand_no_partial() {
    // Sweeps read a unary node's second operand from the ground slot; its partial must be 0.
    for &op in Op::ALL.iter().chain(&[Op::Powi(3), Op::Powi(-2)]) {
        if op.arity() != 1 {
            continue;
        }
        for (x, _) in POINTS {
            let v = value(op, x, 0.0);
            assert_eq!(first(op, x, 0.0, v).1, 0.0, "{}: ∂/∂ground at {x}", op.name());
        }
    }
}

#[test]
fn commutative_means_the_operands_swap() {
    for &op in Op::ALL {
        if op.arity() != 2 {
            continue;
        }
        let swaps = POINTS.iter().all(|&(x, y)| {
            let (v, w) = (value(op, x, y), value(op, y, x));
            let (dx, dy) = first(op, x, y, v);
            let (ex, ey) = first(op, y, x, w);
            v == w && dx == ey && dy == ex
        });
        assert_eq!(swaps, op.commutative(), "{}: commutative is {} in its descriptor", op.name(), op.commutative());
    }
}

#[test]
fn framework_spellings_use_exactly_the_operands() {
    for op in functions() {
        let (spec, (torch, jax)) = (op.spec(), op.python());
        for text in [torch, jax] {
            let words: Vec<&str> = text.split(|c: char| !(c.is_alphanumeric() || c == '_')).collect();
            assert!(words.contains(&"a"), "{}: {text}", spec.name);
            assert_eq!(words.contains(&"b"), spec.arity == 2, "{}: {text}", spec.name);
        }
    }
    assert_eq!(ops::lookup_function("asin").unwrap().0.python().1, "jnp.arcsin(a)");
}

/// Complex step's extension of each one-operand function agrees with the rule table on
/// the real line, value and derivative to 1e-15, near 0 and in the tails too: there the
/// written forms cancel (tanh as (1 − e)/(1 + e), asinh as ln(z + √(z² + 1)), softplus
/// as ln(1 + e)), and the independent check would differ from AD by up to 1e-3.
#[test]
fn complex_extensions_keep_every_digit_near_zero_and_in_the_tails() {
    use jacobian_playground::core::complex;
    use num_complex::Complex64 as C;
    for op in functions().filter(|op| op.spec().arity == 1) {
        for x in [1e-9, -1e-9, 1e-5, -1e-5, 0.3, -0.7, 5.0, -30.0, 30.0] {
            let (v, h) = (value(op, x, 0.0), complex::step(x));
            let z = complex::value(op, C::new(x, h), C::new(0.0, 0.0));
            let d = first(op, x, 0.0, v).0;
            if v.is_finite() {
                assert!((z.re - v).abs() <= 1e-15 * v.abs(), "{} at {x}: {} vs {v}", op.spec().name, z.re);
                assert!((z.im / h - d).abs() <= 1e-15 * d.abs(), "{}' at {x}: {} vs {d}", op.spec().name, z.im / h);
            }
        }
    }
}
