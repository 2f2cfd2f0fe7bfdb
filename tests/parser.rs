//! The language: precedence, associativity, numbers, and an error with a span for every
//! kind of bad input — never a panic or a stack overflow.

mod common;
use common::tape;
use jacobian_playground::core::compile_source;
use jacobian_playground::core::parser::{parse, MAX_SOURCE};
use jacobian_playground::core::syntax::Stmt;
use jacobian_playground::core::Strategy;

fn value(expr: &str) -> f64 {
    tape(&format!("f(x) = {expr}")).eval(&[2.0])[0]
}

fn explicit(expr: &str) -> String {
    let (p, errors) = parse(&format!("f(x) = {expr}"));
    assert!(errors.is_empty(), "{errors:?}");
    match &p.stmts[0] {
        Stmt::Signature(s) => p.explicit(s.outputs[0]),
        _ => unreachable!(),
    }
}

/// The first error's `line:col` and message.
fn error(src: &str) -> (usize, usize, String) {
    let errs = compile_source(src).expect_err(src);
    let d = &errs[0];
    let lc = d.line_col(src);
    let rendered = d.render(src);
    assert!(rendered.contains('^'), "a caret under the source: {rendered}");
    (lc.line, lc.col, d.message.clone())
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(value("-x^2"), -4.0);
    assert_eq!(explicit("-x^2"), "(-(x ^ 2))");
    assert_eq!(value("2^3^2"), 512.0);
    assert_eq!(value("2^-1"), 0.5);
    assert_eq!(value("x/2/4"), 0.25);
    assert_eq!(value("x - 1 - 1"), 0.0);
    assert_eq!(value("1 + 2*3"), 7.0);
    assert_eq!(value("(1 + 2)*3"), 9.0);
    assert_eq!(value("x**3"), 8.0);
    assert_eq!(value("--x"), 2.0);
    assert_eq!(explicit("a*b + c/d^e"), "((a * b) + (c / (d ^ e)))");
}

#[test]
fn numbers_and_constants() {
    for (text, want) in [("2", 2.0), ("0.5", 0.5), (".5", 0.5), ("1e-3", 1e-3), ("25e-1", 2.5), ("1E4", 1e4)] {
        assert_eq!(value(text), want, "{text}");
    }
    assert_eq!(value("pi"), std::f64::consts::PI);
    assert_eq!(value("e"), std::f64::consts::E);
}

#[test]
fn integer_powers_of_negative_bases() {
    assert_eq!(tape("f(x) = [(-x)^2, x^3]").eval(&[-2.0]), vec![4.0, -8.0]);
    assert!(tape("f(x) = x^0.5").eval(&[-2.0])[0].is_nan(), "x^y is exp(y log x): NaN for x < 0");
    assert_eq!(tape("f(x) = cbrt(x)").eval(&[-8.0]), vec![-2.0]);
}

#[test]
fn program_shapes() {
    let t = tape("# comment\n\n  h = x*y   # trailing\nlen = h + 1\ne1 = len\nnet(x, y) = [e1,\n  h]\n");
    assert_eq!(t.inputs, vec!["x", "y"]);
    assert_eq!(t.output_names, vec!["net1", "net2"]);
    assert_eq!(tape("g(x, y) = x*y").output_names, vec!["g"]);
    assert_eq!(tape("g(x) = [x]").output_names, vec!["g1"]);
    assert_eq!(tape("l2 = x\ng(x) = l2").eval(&[3.0]), vec![3.0]);
}

#[test]
fn every_kind_of_error_points_at_the_right_place() {
    let cases: &[(&str, usize, usize, &str)] = &[
        ("f(x) = y", 1, 8, "unknown name 'y'"),
        ("f(x) = sinn(x)", 1, 8, "unknown function 'sinn'"),
        ("f(x) = atan2(x)", 1, 8, "atan2 takes 2 arguments, but 1 was given"),
        ("f(x) = sin(x, x)", 1, 8, "sin takes 1 argument, but 2 were given"),
        ("h = 1\nh = 2\nf(x) = h", 2, 1, "'h' is already defined"),
        ("h = x", 1, 6, "missing the signature line"),
        ("f(x) = x\ng(x) = x", 2, 1, "a second signature line"),
        ("f(x) = (x + 1", 1, 14, "expected ')' to close the '('"),
        ("f(x) = x + 1)", 1, 13, "expected the end of the line"),
        ("f(x) = [x, x", 1, 13, "expected ']'"),
        ("f(x) = 1.2.3", 1, 8, "bad number '1.2.3'"),
        ("f(x) = 2x", 1, 8, "write 2*x to multiply"),
        ("f(x) = 1e", 1, 8, "the exponent has no digits"),
        ("f(x) = 1e999", 1, 8, "too large"),
        ("", 1, 1, "the program is empty"),
        ("   \n# only a comment\n", 3, 1, "the program is empty"),
        ("f(x) = x $ 2", 1, 10, "unexpected character '$'"),
        ("f(x) = x \u{202E} 2", 1, 10, "invisible character U+202E"),
        ("f(x) = sin", 1, 8, "'sin' is a function"),
        ("h = g + 1\ng = 2\nf(x) = h", 1, 5, "used before it is defined"),
        ("pi = 3\nf(x) = x", 1, 1, "built-in constant"),
        ("f(x, x) = x", 1, 6, "listed twice"),
        ("f() = 1", 1, 3, "at least one input"),
        ("f(x) = X", 1, 8, "did you mean 'x'"),
        ("f(x) = x +", 1, 11, "expected an expression"),
        ("f(x) = [x, ]x", 1, 13, "expected the end of the line"),
        // Trojan Source: bidi controls are refused in comments too, with a caret on them.
        ("f(x) = x # ok \u{202E} !ko", 1, 15, "bidirectional control character U+202E in a comment"),
        ("# \u{2066}\nf(x) = x", 1, 3, "bidirectional control character U+2066"),
        // Invisible letters in names.
        ("f(x, \u{3164}) = x + \u{3164}", 1, 6, "invisible character U+3164 in a name"),
        // Look-alike names, in either order, and a name mixing scripts.
        (
            "f(x, \u{445}) = [x, \u{445}]",
            1,
            6,
            "'\u{445}' (U+0445) is not the Latin 'x': this name looks like 'x' but is another",
        ),
        ("f(\u{445}, y) = \u{445}\nx = y\n", 1, 3, "is not the Latin 'x': this name looks like 'x'"),
        ("f(x) = s\u{456}n(x)", 1, 9, "'\u{456}' (U+0456) is not the Latin 'i': it mixes scripts and reads as 'sin'"),
    ];
    for &(src, line, col, msg) in cases {
        let (l, c, m) = error(src);
        assert!(m.contains(msg), "{src:?}: message {m:?} should contain {msg:?}");
        assert_eq!((l, c), (line, col), "{src:?}: {m}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [300, 20_000] {
        let src = format!("f(x) = {}x{}", "(".repeat(depth), ")".repeat(depth));
        let (_, _, m) = error(&src);
        assert!(m.contains("nested more than"), "{m}");
        let src = format!("f(x) = {}x", "-".repeat(depth));
        assert!(error(&src).2.contains("nested more than"));
        let src = format!("f(x) = x{}", "^x".repeat(depth));
        assert!(error(&src).2.contains("nested more than"));
        let src = format!("f(x) = {}x{}", "sin(".repeat(depth), ")".repeat(depth));
        assert!(error(&src).2.contains("nested more than"));
    }
    // Just under the limit still works.
    let src = format!("f(x) = {}x{}", "(".repeat(200), ")".repeat(200));
    assert_eq!(tape(&src).eval(&[3.0]), vec![3.0]);
}

#[test]
fn a_program_at_the_size_limit_compiles_without_recursion() {
    // A left-deep chain of additions on one line, as long as the limit allows.
    let mut src = String::from("f(x, y) = x");
    while src.len() + 6 <= MAX_SOURCE {
        src.push_str(" + y*x");
    }
    let t = tape(&src);
    let k = (src.len() - 11) / 6;
    assert!(k > 21_000);
    let j = common::jac(&t, &[2.0, 3.0], jacobian_playground::core::Strategy::Reverse);
    assert_eq!(j.get(0, 0), 1.0 + 3.0 * k as f64);
    // And a limit's worth of errors stays an error list, not a hang.
    let bad = "f(x) = ".to_string() + &"$".repeat(MAX_SOURCE - 7);
    assert!(compile_source(&bad).is_err());
}

#[test]
fn a_program_over_the_size_limit_is_one_error_where_the_limit_falls() {
    let src = format!("f(x) = {}x", "x+".repeat(500_000));
    let errs = compile_source(&src).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].span.start, MAX_SOURCE);
    assert!(errs[0].message.contains("1000008 bytes") && errs[0].message.contains("131072"), "{}", errs[0].message);
    assert!(errs[0].render(&src).len() < 600);
    // A character straddling the limit: the span starts on its first byte, never inside it.
    let src = format!("f(x) = x{}", "+é".repeat(MAX_SOURCE));
    let errs = compile_source(&src).unwrap_err();
    let start = errs[0].span.start;
    assert!(start <= MAX_SOURCE && src.is_char_boundary(start) && src.is_char_boundary(errs[0].span.end));
    assert_eq!(&src[start..errs[0].span.end].chars().count(), &1);
}

#[test]
fn a_huge_line_renders_a_short_snippet() {
    let src = format!("f(x) = {} + q", "x + ".repeat(30_000));
    let errs = compile_source(&src).unwrap_err();
    let rendered = errs[0].render(&src);
    assert!(rendered.len() < 500, "snippet is cut around the error: {} bytes", rendered.len());
    assert!(rendered.contains("unknown name 'q'"));
}

#[test]
fn scripts_other_than_latin_are_fine_on_their_own() {
    // A wholly Cyrillic program, Greek letters beside Latin ones (α and a are different
    // names on purpose), and ordinary comments compile.
    for src in ["f(х, у) = [х*у, х]", "f(a, α, x, θ) = a*α + x*θ", "f(x) = x # — ok, ½ × π\n"] {
        assert!(compile_source(src).is_ok(), "{src}");
    }
    // 8 000 look-alike pairs (near the size limit), in both orders: looked up, not compared pairwise.
    for latin_first in [true, false] {
        let (a, b): (Vec<String>, Vec<String>) = (0..8_000).map(|k| (format!("x{k}"), format!("х{k}"))).unzip();
        let names = if latin_first { [a, b].concat() } else { [b, a].concat() };
        let src = format!("f({}) = x0", names.join(", "));
        let errs = compile_source(&src).unwrap_err();
        assert!(errs.iter().all(|d| d.message.contains("looks like 'x")), "{}", errs[0].message);
        assert_eq!(errs.len(), 8_000);
    }
}

/// Each written form gives the same function (the same inputs, outputs and J at a point)
/// as the playground's own spelling.
fn same_function(form: &str, canonical: &str, at: &[f64]) {
    let (a, b) = (tape(form), tape(canonical));
    assert_eq!(a.inputs, b.inputs, "{form}");
    assert_eq!(a.m(), b.m(), "{form}");
    assert_eq!(a.eval(at), b.eval(at), "{form}");
    let (ja, jb) = (common::jac(&a, at, Strategy::Reverse), common::jac(&b, at, Strategy::Reverse));
    assert_eq!(ja, jb, "{form}");
}

#[test]
fn python_and_maths_habits_read_as_the_playground_spelling() {
    let classic = "f(x1, x2, x3) = [x1 + x2, x3*x1, x2^3]";
    // The seed article's own code, and the usual Python variants.
    same_function("def f(x1, x2, x3): return (x1 + x2, x3*x1, x2**3)", classic, &[3.0, 4.0, 5.0]);
    same_function("def f(x1, x2, x3):\n    return x1 + x2, x3*x1, x2**3\n", classic, &[3.0, 4.0, 5.0]);
    same_function(
        "def f(x1, x2, x3):\n    s = x1 + x2\n    p = x3*x1\n    return [s, p, x2**3]",
        classic,
        &[3.0, 4.0, 5.0],
    );
    same_function("lambda x1, x2, x3: (x1 + x2, x3*x1, x2**3)", classic, &[3.0, 4.0, 5.0]);
    same_function("f = lambda x1, x2, x3: (x1 + x2, x3*x1, x2**3)", classic, &[3.0, 4.0, 5.0]);
    same_function("f(x1, x2, x3) = (x1 + x2, x3*x1, x2^3)", classic, &[3.0, 4.0, 5.0]);
    same_function("f(x1, x2, x3) = x1 + x2, x3*x1, x2^3", classic, &[3.0, 4.0, 5.0]);
    same_function("lambda x: (x,)", "f(x) = [x]", &[2.0]);
    // A parenthesised expression stays one output.
    same_function("f(x, y) = (x + 1)*y", "f(x, y) = (x + 1)*y", &[2.0, 3.0]);
    same_function("f(x, y) = ((x + 1)*y, 3)", "f(x, y) = [(x + 1)*y, 3]", &[2.0, 3.0]);
    // The operators of maths typography.
    same_function(
        "f(x, y) = [x × y, x · y, x ⋅ y, x − y, x ÷ y, √x, √x², 2·π·y, x² + y³, x⁻¹, y¹⁰]",
        "f(x, y) = [x*y, x*y, x*y, x - y, x/y, sqrt(x), sqrt(x^2), 2*pi*y, x^2 + y^3, x^-1, y^10]",
        &[2.0, 3.0],
    );
    // Python's keywords stay usable as names where they cannot be keywords.
    assert_eq!(tape("f(lambda, y) = lambda*y").inputs, ["lambda", "y"]);
    assert_eq!(tape("def = 2\nreturn = 3\nf(x) = def*return*x").eval(&[1.0]), vec![6.0]);
}

#[test]
fn other_habits_get_the_spelling_suggested() {
    for (src, line, col, msg) in [
        ("f(x) = x.shape", 1, 10, "followed by T or a call, as in W.T or x.sum()"),
        ("f(x) = |x|", 1, 8, "write abs(x) for |x|"),
        ("f(x) = {x}", 1, 8, "the outputs go in [ ]"),
        ("f(x) = x; y = 2", 1, 9, "one binding per line"),
        ("f(x) = 2π", 1, 8, "write 2*π to multiply"),
        ("f(x) = x⁻", 1, 9, "bad superscript exponent"),
        ("return x", 1, 1, "'return' outside a def"),
        ("def f(x):\n    a = 2*x\n", 1, 5, "def f has no return line"),
        ("def f(x) return x", 1, 10, "expected ':' to end the def line"),
    ] {
        let (l, c, m) = error(src);
        assert_eq!((l, c), (line, col), "{src}: {m}");
        assert!(m.contains(msg), "{src}: {m}");
    }
}
