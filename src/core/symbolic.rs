//! The Jacobian as formulas: each entry of J differentiated symbolically from the program
//! (scalar programs), in the user's own names, simplified far enough that the article's
//! worked example reads [[1, 1, 0], [x3, 0, x1], [0, 3·x2², 0]]. A binding stays a name
//! in the formulas (∂ sin(h)/∂x with h = x*y is cos(h)·y): its derivative is what gets
//! substituted, not its value.
//!
//! The simplifier keeps a canonical sum of products: numbers folded, 0 and 1 dropped, like
//! terms collected (2·x + 3·x = 5·x), powers of one base collected (x·x = x²), factors in
//! one order, so two spellings of one formula print alike.

use super::ops::{lookup_constant, lookup_function, Op};
use super::syntax::{BinOp, ExprId, ExprKind, Program, Stmt};
use std::collections::{BTreeMap, HashMap};

/// A formula.
#[derive(Clone, Debug, PartialEq)]
pub enum Sym {
    Num(f64),
    Name(String),
    /// A sum of at least two terms.
    Add(Vec<Sym>),
    /// A product of at least two factors; a number comes first.
    Mul(Vec<Sym>),
    Pow(Box<Sym>, Box<Sym>),
    /// A function of the language, or `sign` and `step` (the Heaviside step), which only
    /// derivatives use (of abs, relu, min, max).
    Call(&'static str, Vec<Sym>),
}

use Sym::*;

fn num(v: f64) -> Sym {
    Num(v)
}
fn call(f: &'static str, a: Sym) -> Sym {
    Call(f, vec![a])
}
fn add(a: Sym, b: Sym) -> Sym {
    simplify(Add(vec![a, b]))
}
fn sub(a: Sym, b: Sym) -> Sym {
    add(a, mul(num(-1.0), b))
}
fn mul(a: Sym, b: Sym) -> Sym {
    simplify(Mul(vec![a, b]))
}
fn div(a: Sym, b: Sym) -> Sym {
    mul(a, pow(b, num(-1.0)))
}
fn pow(a: Sym, b: Sym) -> Sym {
    simplify(Pow(Box::new(a), Box::new(b)))
}

/// A formula's key for collecting like terms and ordering factors: its printed form.
fn key(s: &Sym) -> String {
    plain(s)
}

/// Simplification steps one `symbolic_jacobian` may take: past them it stops and says
/// the formulas grow too large (a product of many factors differentiates to a sum of as
/// many products, and nested calls to products of nested calls).
const STEPS: usize = 200_000;

thread_local! {
    static LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// Whether the steps have run out (the differentiation then unwinds with an error).
fn spent() -> bool {
    LEFT.with(|l| l.get() == 0)
}

/// The canonical form (see the module's doc). Once the steps have run out it returns
/// its argument as it is, and the differentiation stops at its next step.
pub fn simplify(s: Sym) -> Sym {
    if LEFT.with(|l| {
        let left = l.get();
        l.set(left.saturating_sub(1));
        left == 0
    }) {
        return s;
    }
    match s {
        Add(terms) => {
            // Flatten, then collect each term's coefficient by the rest of it.
            let mut constant = 0.0;
            let mut by: BTreeMap<String, (f64, Sym)> = BTreeMap::new();
            for t in flatten(terms, |s| if let Add(v) = s { Ok(v) } else { Err(s) }) {
                match split_coefficient(t) {
                    (c, None) => constant += c,
                    (c, Some(r)) => by.entry(key(&r)).or_insert((0.0, r)).0 += c,
                }
            }
            // Positive terms first, higher degree first, then by name: `x² + 5·x`, `y − x`.
            let mut terms: Vec<(String, (f64, Sym))> = by.into_iter().filter(|(_, (c, _))| *c != 0.0).collect();
            let rank = |(k, (c, r)): &(String, (f64, Sym))| ((*c < 0.0, -degree(r)), k.clone());
            terms.sort_by(|a, b| rank(a).partial_cmp(&rank(b)).unwrap_or(std::cmp::Ordering::Equal));
            let mut out: Vec<Sym> = terms
                .into_iter()
                .map(|(_, (c, r))| if c == 1.0 { r } else { simplify(Mul(vec![Num(c), r])) })
                .collect();
            if constant != 0.0 || !constant.is_finite() {
                out.push(Num(constant));
            }
            match out.len() {
                0 => Num(0.0),
                1 => out.pop().unwrap_or(Num(0.0)),
                _ => Add(out),
            }
        }
        Mul(factors) => {
            // Flatten, then collect each factor's exponent by its base.
            let mut coefficient = 1.0;
            let mut by: BTreeMap<String, (Sym, Sym)> = BTreeMap::new();
            for f in flatten(factors, |s| if let Mul(v) = s { Ok(v) } else { Err(s) }) {
                let (base, exponent) = match f {
                    Num(v) => {
                        coefficient *= v;
                        continue;
                    }
                    Pow(b, e) => (*b, *e),
                    f => (f, Num(1.0)),
                };
                let e = &mut by.entry(key(&base)).or_insert((base, Num(0.0))).1;
                *e = simplify(Add(vec![std::mem::replace(e, Num(0.0)), exponent]));
            }
            if coefficient == 0.0 {
                return Num(0.0);
            }
            let mut factors: Vec<(String, (Sym, Sym))> = by.into_iter().collect();
            factors.sort_by(|a, b| factor_rank(&a.0).cmp(&factor_rank(&b.0)).then(a.0.cmp(&b.0)));
            let mut out = Vec::new();
            for (_, (b, e)) in factors {
                match simplify(Pow(Box::new(b), Box::new(e))) {
                    Num(v) => coefficient *= v,
                    Mul(inner) => out.extend(inner),
                    f => out.push(f),
                }
            }
            if coefficient != 1.0 {
                out.insert(0, Num(coefficient));
            }
            match out.len() {
                0 => Num(coefficient),
                1 => out.pop().unwrap_or(Num(1.0)),
                _ => Mul(out),
            }
        }
        Pow(b, e) => {
            let (b, e) = (simplify(*b), simplify(*e));
            match (b, e) {
                (_, Num(0.0)) => Num(1.0),
                (b, Num(1.0)) => b,
                (Num(x), Num(y)) if (x.powf(y).fract() == 0.0 || y == -1.0) && x.powf(y).is_finite() => Num(x.powf(y)),
                (Num(1.0), _) => Num(1.0),
                // (a^p)^q = a^(p·q) for an integer q (true for every a).
                (Pow(a, p), Num(q)) if q.fract() == 0.0 => simplify(Pow(a, Box::new(Mul(vec![*p, Num(q)])))),
                // (a·b)^q = a^q·b^q for an integer q.
                (Mul(fs), Num(q)) if q.fract() == 0.0 => {
                    simplify(Mul(fs.into_iter().map(|f| Pow(Box::new(f), Box::new(Num(q)))).collect()))
                }
                (b, e) => Pow(Box::new(b), Box::new(e)),
            }
        }
        Call(f, args) => {
            let args: Vec<Sym> = args.into_iter().map(simplify).collect();
            // A function of numbers folds where the result is a whole number (cos(0) = 1);
            // log(2) stays log(2) rather than 0.693147….
            if let Some(v) =
                args.iter().map(|a| if let Num(v) = a { Some(*v) } else { None }).collect::<Option<Vec<f64>>>()
            {
                if let Some(r) = apply(f, &v).filter(|r| r.fract() == 0.0 && r.is_finite()) {
                    return Num(r);
                }
            }
            Call(f, args)
        }
        s => s,
    }
}

/// The items simplified, with those that are themselves of the parent's kind (`inner`
/// gives their items, or the item back) spliced in: a sum of sums is one sum.
fn flatten(items: Vec<Sym>, inner: fn(Sym) -> Result<Vec<Sym>, Sym>) -> Vec<Sym> {
    let mut flat = Vec::new();
    for item in items {
        match inner(simplify(item)) {
            Ok(v) => flat.extend(v),
            Err(s) => flat.push(s),
        }
    }
    flat
}

/// A term's degree: the sum of its factors' numeric exponents (1 for a name or a call).
fn degree(t: &Sym) -> f64 {
    match t {
        Num(_) => 0.0,
        Mul(fs) => fs.iter().map(degree).sum(),
        Pow(_, e) => match **e {
            Num(k) => k,
            _ => 1.0,
        },
        _ => 1.0,
    }
}

/// Functions before names before everything else, so `cos(h)·y` and `3·x2²` read as
/// written by hand.
fn factor_rank(k: &str) -> u8 {
    if k.starts_with('(') {
        2
    } else if k.contains('(') && !k.contains('^') {
        0
    } else {
        1
    }
}

/// A term's numeric coefficient and the rest (None for a number).
pub(crate) fn split_coefficient(t: Sym) -> (f64, Option<Sym>) {
    match t {
        Num(v) => (v, None),
        Mul(mut fs) => match fs.first() {
            Some(Num(c)) => {
                let c = *c;
                fs.remove(0);
                (c, Some(if fs.len() == 1 { fs.pop().unwrap_or(Num(1.0)) } else { Mul(fs) }))
            }
            _ => (1.0, Some(Mul(fs))),
        },
        t => (1.0, Some(t)),
    }
}

/// A function's value (the language's semantics, plus `sign` and `step`).
fn apply(f: &str, a: &[f64]) -> Option<f64> {
    let x = *a.first()?;
    Some(match f {
        "sign" => {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                0.0
            }
        }
        "step" => {
            if x > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        _ => {
            let (op, arity) = lookup_function(f)?;
            if arity != a.len() {
                return None;
            }
            super::ops::value::<f64>(op, x, a.get(1).copied().unwrap_or(0.0))
        }
    })
}

/// The formula's value with each name's value from `env`.
pub fn eval(s: &Sym, env: &HashMap<String, f64>) -> f64 {
    match s {
        Num(v) => *v,
        Name(n) => env.get(n).copied().or_else(|| lookup_constant(n)).unwrap_or(f64::NAN),
        Add(ts) => ts.iter().map(|t| eval(t, env)).sum(),
        Mul(fs) => fs.iter().map(|f| eval(f, env)).product(),
        Pow(b, e) => {
            let (b, e) = (eval(b, env), eval(e, env));
            if e.fract() == 0.0 && e.abs() < 1e9 {
                b.powi(e as i32)
            } else {
                b.powf(e)
            }
        }
        Call(f, args) => {
            let v: Vec<f64> = args.iter().map(|a| eval(a, env)).collect();
            apply(f, &v).unwrap_or(f64::NAN)
        }
    }
}

/// J as formulas: one row per output, one column per name of `columns`, differentiated
/// through the program's bindings; with the bindings' formulas (each binding's value as
/// written, for `eval`). Scalar programs only.
pub struct SymbolicJ {
    pub rows: Vec<Vec<Sym>>,
    pub bindings: Vec<(String, Sym)>,
}

/// Differentiates a parsed scalar program by the names in `columns` (the other names are
/// constants). An error says what it cannot differentiate symbolically.
pub fn symbolic_jacobian(program: &Program, columns: &[String]) -> Result<SymbolicJ, String> {
    LEFT.with(|l| l.set(STEPS));
    let result = differentiate(program, columns);
    LEFT.with(|l| l.set(usize::MAX));
    result
}

fn differentiate(program: &Program, columns: &[String]) -> Result<SymbolicJ, String> {
    let mut d = Diff { program, columns, bindings: Vec::new(), derivs: HashMap::new() };
    let mut signature = None;
    for stmt in &program.stmts {
        match stmt {
            Stmt::Binding(b) => {
                let value = d.value(b.expr)?;
                let partials = (0..columns.len()).map(|j| d.deriv(b.expr, j)).collect::<Result<Vec<_>, _>>()?;
                d.derivs.insert(b.name.clone(), partials);
                d.bindings.push((b.name.clone(), value));
            }
            Stmt::Signature(s) => signature = Some(s),
        }
    }
    let s = signature.ok_or("no signature")?;
    if s.shapes.iter().any(|sh| !sh.is_empty()) {
        return Err("the symbolic Jacobian is for scalar programs".into());
    }
    let rows = s
        .outputs
        .iter()
        .map(|&o| (0..columns.len()).map(|j| d.deriv(o, j)).collect::<Result<Vec<_>, _>>())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SymbolicJ { rows, bindings: d.bindings })
}

const TOO_LARGE: &str = "the formulas grow too large to write out";

struct Diff<'a> {
    program: &'a Program,
    columns: &'a [String],
    bindings: Vec<(String, Sym)>,
    /// Each binding's partials by the columns.
    derivs: HashMap<String, Vec<Sym>>,
}

impl Diff<'_> {
    /// The expression as a formula (bindings stay names).
    fn value(&self, e: ExprId) -> Result<Sym, String> {
        if spent() {
            return Err(TOO_LARGE.into());
        }
        let expr = &self.program.exprs[e as usize];
        Ok(match &expr.kind {
            ExprKind::Num(v) => Num(*v),
            ExprKind::Name(n) => Name(n.clone()),
            ExprKind::Neg(a) => mul(num(-1.0), self.value(*a)?),
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.value(*a)?, self.value(*b)?);
                match op {
                    BinOp::Add => add(a, b),
                    BinOp::Sub => sub(a, b),
                    BinOp::Mul => mul(a, b),
                    BinOp::Div => div(a, b),
                    BinOp::Pow => pow(a, b),
                    BinOp::MatMul => return Err("the symbolic Jacobian is for scalar programs".into()),
                }
            }
            ExprKind::Call { name, args, .. } => {
                let op = scalar_function(name, args.len())?;
                let args = args.iter().map(|a| self.value(*a)).collect::<Result<Vec<_>, _>>()?;
                simplify(Call(op.spec().name, args))
            }
            _ => return Err("the symbolic Jacobian is for scalar programs".into()),
        })
    }

    /// ∂ expression / ∂ column `j`.
    fn deriv(&self, e: ExprId, j: usize) -> Result<Sym, String> {
        if spent() {
            return Err(TOO_LARGE.into());
        }
        let expr = &self.program.exprs[e as usize];
        Ok(match &expr.kind {
            ExprKind::Num(_) => num(0.0),
            ExprKind::Name(n) => {
                if let Some(ds) = self.derivs.get(n) {
                    ds[j].clone()
                } else if self.columns[j] == *n {
                    num(1.0)
                } else {
                    num(0.0)
                }
            }
            ExprKind::Neg(a) => mul(num(-1.0), self.deriv(*a, j)?),
            ExprKind::Binary(op, a, b) => {
                let (da, db) = (self.deriv(*a, j)?, self.deriv(*b, j)?);
                let (va, vb) = (self.value(*a)?, self.value(*b)?);
                match op {
                    BinOp::Add => add(da, db),
                    BinOp::Sub => sub(da, db),
                    BinOp::Mul => add(mul(da, vb), mul(va, db)),
                    // (a/b)' = a'/b − a·b'/b²
                    BinOp::Div => sub(div(da, vb.clone()), mul(mul(va, db), pow(vb, num(-2.0)))),
                    BinOp::Pow => match vb {
                        // A constant exponent: k·a^(k−1)·a'.
                        Num(k) => mul(mul(num(k), pow(va, num(k - 1.0))), da),
                        // a^b = exp(b·log a): a^b·(b'·log a + b·a'/a).
                        vb => mul(
                            pow(va.clone(), vb.clone()),
                            add(mul(db, call("log", va.clone())), mul(vb, div(da, va))),
                        ),
                    },
                    BinOp::MatMul => return Err("the symbolic Jacobian is for scalar programs".into()),
                }
            }
            ExprKind::Call { name, args, .. } => {
                let op = scalar_function(name, args.len())?;
                let vs = args.iter().map(|a| self.value(*a)).collect::<Result<Vec<_>, _>>()?;
                let ds = args.iter().map(|a| self.deriv(*a, j)).collect::<Result<Vec<_>, _>>()?;
                let mut total = num(0.0);
                for (k, d) in ds.into_iter().enumerate() {
                    if d != Num(0.0) {
                        total = add(total, mul(partial(op, &vs, k), d));
                    }
                }
                total
            }
            _ => return Err("the symbolic Jacobian is for scalar programs".into()),
        })
    }
}

/// The scalar function `name` called with `count` arguments: `min(x)` with one is the
/// tensor reduction, which the formulas do not cover.
fn scalar_function(name: &str, count: usize) -> Result<Op, String> {
    match lookup_function(name) {
        Some((op, arity)) if arity == count => Ok(op),
        _ => Err(format!("no symbolic form for `{name}` with {count} argument{}", if count == 1 { "" } else { "s" })),
    }
}

/// ∂ f(args) / ∂ argument `k`, as a formula of the arguments.
fn partial(op: Op, v: &[Sym], k: usize) -> Sym {
    let u = v[0].clone();
    let sq = |s: Sym| pow(s, num(2.0));
    let inv = |s: Sym| pow(s, num(-1.0));
    let me = || simplify(Call(op.spec().name, v.to_vec()));
    match op {
        Op::Sin => call("cos", u),
        Op::Cos => mul(num(-1.0), call("sin", u)),
        Op::Tan => add(num(1.0), sq(call("tan", u))),
        Op::Asin => pow(sub(num(1.0), sq(u)), num(-0.5)),
        Op::Acos => mul(num(-1.0), pow(sub(num(1.0), sq(u)), num(-0.5))),
        Op::Atan => inv(add(num(1.0), sq(u))),
        Op::Sinh => call("cosh", u),
        Op::Cosh => call("sinh", u),
        Op::Tanh => sub(num(1.0), sq(call("tanh", u))),
        Op::Asinh => pow(add(sq(u), num(1.0)), num(-0.5)),
        Op::Acosh => pow(sub(sq(u), num(1.0)), num(-0.5)),
        Op::Atanh => inv(sub(num(1.0), sq(u))),
        Op::Exp => call("exp", u),
        Op::Log => inv(u),
        Op::Log2 => inv(mul(u, call("log", num(2.0)))),
        Op::Log10 => inv(mul(u, call("log", num(10.0)))),
        Op::Log1p => inv(add(num(1.0), u)),
        Op::Expm1 => call("exp", u),
        Op::Sqrt => mul(num(0.5), pow(u, num(-0.5))),
        Op::Cbrt => mul(num(1.0 / 3.0), pow(call("cbrt", u), num(-2.0))),
        Op::Abs => call("sign", u),
        Op::Relu => call("step", u),
        Op::Sigmoid => mul(me(), sub(num(1.0), me())),
        Op::Softplus => call("sigmoid", u),
        Op::Atan2 => {
            let (a, b) = (u, v[1].clone());
            let r2 = add(sq(a.clone()), sq(b.clone()));
            if k == 0 {
                div(b, r2)
            } else {
                mul(num(-1.0), div(a, r2))
            }
        }
        Op::Hypot => div(v[k].clone(), me()),
        Op::Pow => {
            let (a, b) = (u, v[1].clone());
            if k == 0 {
                mul(b.clone(), pow(a, sub(b, num(1.0))))
            } else {
                mul(me(), call("log", a))
            }
        }
        // min(a, b): a's partial is 1 where a < b; max: where a > b.
        Op::Min | Op::Max => {
            let (mine, other) = (v[k].clone(), v[1 - k].clone());
            let d = if op == Op::Min { sub(other, mine) } else { sub(mine, other) };
            call("step", d)
        }
        _ => Num(f64::NAN),
    }
}

const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// The formula as text (`3·x2²`, `cos(h)·y`, `1/(1 + x²)`).
pub fn plain(s: &Sym) -> String {
    match s {
        Num(v) if *v < 0.0 => format!("−{}", super::syntax::format_number(-v)),
        Num(v) => super::syntax::format_number(*v),
        Name(n) => n.clone(),
        Add(ts) => signed_sum(ts, "−", |c, rest| match rest {
            None => plain(&Num(c)),
            Some(r) if c == 1.0 => factor(&r),
            Some(r) => format!("{}·{}", plain(&Num(c)), factor(&r)),
        }),
        Mul(fs) => {
            let (num_f, den): (Vec<&Sym>, Vec<&Sym>) = fs.iter().partition(|f| !is_reciprocal(f));
            let top = if num_f.is_empty() {
                "1".to_string()
            } else if let [Num(c), rest @ ..] = &num_f[..] {
                let rest: Vec<String> = rest.iter().map(|f| factor(f)).collect();
                match (*c, rest.is_empty()) {
                    (c, true) => plain(&Num(c)),
                    (-1.0, false) => format!("−{}", rest.join("·")),
                    (c, false) => format!("{}·{}", plain(&Num(c)), rest.join("·")),
                }
            } else {
                num_f.iter().map(|f| factor(f)).collect::<Vec<_>>().join("·")
            };
            if den.is_empty() {
                return top;
            }
            let bottom: Vec<String> = den.iter().map(|f| factor(&reciprocal(f))).collect();
            let bottom = if bottom.len() == 1 { bottom[0].clone() } else { format!("({})", bottom.join("·")) };
            format!("{top}/{bottom}")
        }
        Pow(b, e) => {
            let base = match **b {
                Num(_) | Name(_) | Call(..) => plain(b),
                _ => format!("({})", plain(b)),
            };
            match **e {
                Num(-1.0) => format!("1/{base}"),
                Num(0.5) => format!("sqrt({})", plain(b)),
                Num(-0.5) => format!("1/sqrt({})", plain(b)),
                Num(k) if k.fract() == 0.0 && (2.0..=99.0).contains(&k) => {
                    let digits: String =
                        (k as u32).to_string().chars().map(|c| SUPERSCRIPTS[c as usize - '0' as usize]).collect();
                    format!("{base}{digits}")
                }
                _ => format!("{base}^{}", factor(e)),
            }
        }
        Call(f, args) => format!("{f}({})", args.iter().map(plain).collect::<Vec<_>>().join(", ")),
    }
}

/// A sum's terms joined by + and `minus`, each written by `term` from its coefficient's
/// magnitude and the rest of it.
fn signed_sum(ts: &[Sym], minus: &str, term: impl Fn(f64, Option<Sym>) -> String) -> String {
    let mut out = String::new();
    for (k, t) in ts.iter().enumerate() {
        let (c, rest) = split_coefficient(t.clone());
        match (k, c < 0.0) {
            (0, true) => out.push_str(minus),
            (0, false) => {}
            (_, true) => out.push_str(&format!(" {minus} ")),
            (_, false) => out.push_str(" + "),
        }
        out.push_str(&term(c.abs(), rest));
    }
    out
}

/// A factor of a product: a sum in parentheses.
fn factor(s: &Sym) -> String {
    match s {
        Add(_) => format!("({})", plain(s)),
        Num(v) if *v < 0.0 => format!("({})", plain(s)),
        _ => plain(s),
    }
}

pub(crate) fn is_reciprocal(s: &Sym) -> bool {
    matches!(s, Pow(_, e) if matches!(**e, Num(k) if k < 0.0))
}

/// 1/s for a reciprocal factor (b^−k → b^k).
pub(crate) fn reciprocal(s: &Sym) -> Sym {
    match s {
        Pow(b, e) => match **e {
            Num(k) => simplify(Pow(b.clone(), Box::new(Num(-k)))),
            _ => s.clone(),
        },
        s => s.clone(),
    }
}

/// The formula in LaTeX (`3 x_{2}^{2}`, `\cos(h) y`, `\frac{1}{1 + x^{2}}`).
pub fn latex(s: &Sym) -> String {
    let name = |n: &str| {
        let cut = n.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (stem, digits) = n.split_at(cut);
        let stem = stem.replace('_', r"\_");
        if digits.is_empty() || stem.is_empty() {
            format!("\\mathit{{{}}}", n.replace('_', r"\_"))
        } else {
            format!("{stem}_{{{digits}}}")
        }
    };
    match s {
        Num(v) => super::syntax::format_number(*v).replace("inf", r"\infty"),
        Name(n) if n.chars().count() == 1 => n.clone(),
        Name(n) => name(n),
        Add(ts) => signed_sum(ts, "-", |c, rest| match rest {
            None => latex(&Num(c)),
            Some(r) if c == 1.0 => latex_factor(&r),
            Some(r) => format!("{} {}", latex(&Num(c)), latex_factor(&r)),
        }),
        Mul(fs) => {
            let (top, den): (Vec<&Sym>, Vec<&Sym>) = fs.iter().partition(|f| !is_reciprocal(f));
            let top = match &top[..] {
                [] => "1".to_string(),
                [Num(c), rest @ ..] if !rest.is_empty() => {
                    let rest = rest.iter().map(|f| latex_factor(f)).collect::<Vec<_>>().join(r" \, ");
                    if *c == -1.0 {
                        format!("-{rest}")
                    } else {
                        format!("{} {rest}", latex(&Num(*c)))
                    }
                }
                fs => fs.iter().map(|f| latex_factor(f)).collect::<Vec<_>>().join(r" \, "),
            };
            if den.is_empty() {
                return top;
            }
            let bottom = den.iter().map(|f| latex_factor(&reciprocal(f))).collect::<Vec<_>>().join(r" \, ");
            format!("\\frac{{{top}}}{{{bottom}}}")
        }
        Pow(b, e) => match **e {
            Num(0.5) => format!("\\sqrt{{{}}}", latex(b)),
            Num(k) if k < 0.0 => format!("\\frac{{1}}{{{}}}", latex(&reciprocal(s))),
            _ => {
                let base = match **b {
                    Num(_) | Name(_) => latex(b),
                    _ => format!("\\left({}\\right)", latex(b)),
                };
                format!("{base}^{{{}}}", latex(e))
            }
        },
        Call(f, args) => {
            let args = args.iter().map(latex).collect::<Vec<_>>().join(", ");
            match *f {
                "sin" | "cos" | "tan" | "sinh" | "cosh" | "tanh" | "exp" | "log" => {
                    format!("\\{f}\\left({args}\\right)")
                }
                "sqrt" => format!("\\sqrt{{{args}}}"),
                f => format!("\\operatorname{{{}}}\\left({args}\\right)", f.replace('_', r"\_")),
            }
        }
    }
}

fn latex_factor(s: &Sym) -> String {
    match s {
        Add(_) => format!("\\left({}\\right)", latex(s)),
        _ => latex(s),
    }
}
