//! J as MathML, beside the numeric table: its formulas (the article's first step), and the
//! same matrix with the point substituted (its second), which is also J in numbers for a
//! screen reader, read as a matrix. Browsers render MathML Core themselves: no script.

use super::formulas::{kept_formulas, MAX_ENTRIES, MAX_FORMULA};
use super::markup::Markup;
use super::{entries, format_entry};
use crate::core::symbolic::{is_reciprocal, plain, reciprocal, split_coefficient, Sym};
use crate::core::{Matrix, Tape};

/// A name as MathML: trailing digits as a subscript (`x2` → x₂), as the LaTeX export
/// writes it.
pub(crate) fn name(n: &str, m: &mut Markup) {
    let stem = n.trim_end_matches(|c: char| c.is_ascii_digit());
    if stem.is_empty() || stem.len() == n.len() {
        m.leaf("mi", n);
    } else {
        m.open("msub").leaf("mi", stem).leaf("mn", &n[stem.len()..]).close();
    }
}

/// A number: its sign as an operator, so −2 reads "minus 2".
pub(crate) fn number(v: f64, m: &mut Markup) {
    let text = format_entry(v.abs());
    let leaf = |m: &mut Markup| {
        if v.is_finite() {
            m.leaf("mn", &text);
        } else {
            m.leaf("mi", &text);
        }
    };
    if v < 0.0 {
        m.open("mrow").leaf("mo", "−");
        leaf(m);
        m.close();
    } else {
        leaf(m);
    }
}

/// `s` in parentheses.
fn fenced(s: &Sym, m: &mut Markup) {
    m.open("mrow").leaf("mo", "(");
    formula(s, m);
    m.leaf("mo", ")").close();
}

/// A factor of a product: a sum or a negative number in parentheses.
fn factor(s: &Sym, m: &mut Markup) {
    match s {
        Sym::Add(_) => fenced(s, m),
        Sym::Num(v) if *v < 0.0 => fenced(s, m),
        _ => formula(s, m),
    }
}

/// Factors joined by a centred dot, as the hover text writes them.
fn product(fs: &[&Sym], m: &mut Markup) {
    m.open("mrow");
    for (k, f) in fs.iter().enumerate() {
        if k > 0 {
            m.leaf("mo", "·");
        }
        factor(f, m);
    }
    m.close();
}

/// One formula as one MathML element (what `core::symbolic::plain` writes as text).
pub fn formula(s: &Sym, m: &mut Markup) {
    match s {
        Sym::Num(v) => number(*v, m),
        Sym::Name(n) => name(n, m),
        Sym::Add(ts) => {
            m.open("mrow");
            for (k, t) in ts.iter().enumerate() {
                let (c, rest) = split_coefficient(t.clone());
                if c < 0.0 {
                    m.leaf("mo", "−");
                } else if k > 0 {
                    m.leaf("mo", "+");
                }
                match rest {
                    None => number(c.abs(), m),
                    Some(r) if c.abs() == 1.0 => factor(&r, m),
                    Some(r) => product(&[&Sym::Num(c.abs()), &r], m),
                }
            }
            m.close();
        }
        Sym::Mul(fs) => {
            let (top, den): (Vec<&Sym>, Vec<&Sym>) = fs.iter().partition(|f| !is_reciprocal(f));
            let bottom: Vec<Sym> = den.iter().map(|f| reciprocal(f)).collect();
            if !bottom.is_empty() {
                m.open("mfrac");
            }
            match &top[..] {
                [] => {
                    m.leaf("mn", "1");
                }
                [Sym::Num(c), rest @ ..] if *c == -1.0 && !rest.is_empty() => {
                    m.open("mrow").leaf("mo", "−");
                    product(rest, m);
                    m.close();
                }
                fs => product(fs, m),
            }
            if !bottom.is_empty() {
                product(&bottom.iter().collect::<Vec<_>>(), m);
                m.close();
            }
        }
        Sym::Pow(b, e) => match **e {
            Sym::Num(0.5) => {
                m.open("msqrt");
                formula(b, m);
                m.close();
            }
            Sym::Num(k) if k < 0.0 => {
                m.open("mfrac").leaf("mn", "1");
                formula(&reciprocal(s), m);
                m.close();
            }
            _ => {
                m.open("msup");
                match **b {
                    Sym::Num(v) if v >= 0.0 => formula(b, m),
                    Sym::Name(_) | Sym::Call(..) => formula(b, m),
                    _ => fenced(b, m),
                }
                formula(e, m);
                m.close();
            }
        },
        Sym::Call("sqrt", args) if args.len() == 1 => {
            m.open("msqrt");
            formula(&args[0], m);
            m.close();
        }
        Sym::Call(f, args) => {
            // U+2061 (function application): "cos of h", not "cos times h".
            m.open("mrow").leaf("mi", f).leaf("mo", "\u{2061}").open("mrow").leaf("mo", "(");
            for (k, a) in args.iter().enumerate() {
                if k > 0 {
                    m.leaf("mo", ",");
                }
                formula(a, m);
            }
            m.leaf("mo", ")").close().close();
        }
    }
}

/// A matrix of `rows` × `cols` in brackets (one `mrow`).
pub(crate) fn bracketed(rows: usize, cols: usize, cell: &dyn Fn(usize, usize, &mut Markup), m: &mut Markup) {
    m.open("mrow").leaf("mo", "[").open("mtable");
    for i in 0..rows {
        m.open("mtr");
        for j in 0..cols {
            m.open("mtd");
            cell(i, j, m);
            m.close();
        }
        m.close();
    }
    m.close().leaf("mo", "]").close();
}

/// `lhs = [cells]`, a matrix of `rows` × `cols` in brackets, as a block of display math.
fn matrix(lhs: &str, rows: usize, cols: usize, testid: &str, cell: &dyn Fn(usize, usize, &mut Markup), m: &mut Markup) {
    m.open("math").attr("display", "block").attr("data-testid", testid).open("mrow").leaf("mi", lhs).leaf("mo", "=");
    bracketed(rows, cols, cell, m);
    m.close().close();
}

/// What the page shows beside J: its formulas as a MathML matrix and, in a step the
/// reader opens, the same matrix with the point substituted (J's own entries). Where the
/// program has no formulas, the reason and J in numbers. Past `MAX_ENTRIES` only the
/// chain rule's step: the table and the picture serve for J there.
pub fn j_markup(source: &str, tape: &Tape, at: &[f64], j: &Matrix) -> String {
    let (rows, cols) = (tape.m(), tape.n());
    let mut m = Markup::default();
    // The chain rule's step, for any program written as a chain (a network's J is
    // usually too big for formulas but not for its factors).
    let chain = |m: &mut Markup| {
        if let Ok(c) = super::chain::chain(source, tape, at) {
            super::chain::chain_markup(&c, m);
        }
    };
    if rows * cols > MAX_ENTRIES {
        chain(&mut m);
        return m.into_string();
    }
    let numbers = |i: usize, k: usize, m: &mut Markup| number(j.entry(i, k).unwrap_or(f64::NAN), m);
    let point = format!("({})", entries(at, format_entry));
    match kept_formulas(source, tape).as_ref() {
        Ok(f) => {
            m.leaf("p", "J by its formulas, differentiated symbolically:");
            let cell = |i: usize, k: usize, m: &mut Markup| {
                let s = &f.rows[i][k];
                let len = plain(s).chars().count();
                if len > MAX_FORMULA {
                    m.leaf("mtext", &format!("(a formula of {len} characters)"));
                } else {
                    formula(s, m);
                }
            };
            matrix("J", rows, cols, "j-symbolic", &cell, &mut m);
            if !f.bindings.is_empty() {
                m.open("math").attr("display", "block").open("mrow").leaf("mtext", "where\u{a0}");
                for (k, (n, value)) in f.bindings.iter().enumerate() {
                    if k > 0 {
                        m.leaf("mo", ",");
                    }
                    name(n, &mut m);
                    m.leaf("mo", "=");
                    formula(value, &mut m);
                }
                m.close().close();
            }
            m.open("details").attr("data-testid", "j-substitute");
            m.leaf("summary", &format!("Substitute the point {point}"));
            matrix(&format!("J{point}"), rows, cols, "j-numeric", &numbers, &mut m);
            m.close();
            chain(&mut m);
        }
        Err(why) => {
            m.leaf("p", &format!("No formulas: {why}."));
            m.open("details").attr("data-testid", "j-substitute");
            m.leaf("summary", "J at the point in MathML");
            matrix(&format!("J{point}"), rows, cols, "j-numeric", &numbers, &mut m);
            m.close();
            chain(&mut m);
        }
    }
    m.into_string()
}
