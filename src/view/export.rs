//! The current function and its Jacobian as text for elsewhere: PyTorch and JAX programs
//! that reproduce J at the point, LaTeX, CSV and JSON. The Python programs define one small
//! wrapper per function the source uses, so their body reads like the user's own source.

use crate::core::compile::{compile_with, Wrt};
use crate::core::ops::lookup_function;
use crate::core::syntax::{format_number, Dialect, Program, Stmt};
use crate::core::tape::Variable;
use crate::core::Matrix;

/// What an export needs: the source, its names, the point, f and J there.
pub struct Exportable<'a> {
    pub source: &'a str,
    /// The signature's names (`Tape::variables`): the columns are `f`'s argument `x`, the
    /// others its keyword arguments, with the values J was computed at.
    pub variables: &'a [Variable],
    pub inputs: &'a [String],
    pub outputs: &'a [String],
    pub at: &'a [f64],
    pub f: &'a [f64],
    pub j: &'a Matrix,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framework {
    PyTorch,
    Jax,
}

const PY_RESERVED: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "torch", "jax", "jnp", "math", "jacfwd",
    "jacrev", "f", "x", "J", "print", "float", "_t",
];

/// Python names for the program's names. A plain ASCII identifier stays itself; a reserved
/// one gets a trailing underscore; any other name is spelled with its code points
/// (`ℌ` → `u210C`, `x½` → `x_u00BD`), because Python folds identifiers to NFKC (`ℌ` and
/// `H` would be one variable) and rejects others (`x½`). A name that collides gets more
/// underscores. Only renamed names are stored, so an ordinary program (the export is
/// rewritten as the point moves) costs no lookup per name.
struct PyNames<'a> {
    taken: &'a [&'a str],
    /// Each renamed name and its Python name, in first-use order.
    renamed: Vec<(String, String)>,
}

fn plain_ascii(n: &str) -> bool {
    let mut chars = n.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl<'a> PyNames<'a> {
    /// `names` in first-use order; `taken` are names the program itself defines.
    fn new(names: &[String], taken: &'a [&'a str]) -> PyNames<'a> {
        let mut py = PyNames { taken, renamed: Vec::new() };
        for n in names {
            if py.keeps(n) || py.renamed.iter().any(|(k, _)| k == n) {
                continue;
            }
            let mut candidate = if plain_ascii(n) { format!("{n}_") } else { spell(n) };
            while !py.free(&candidate, names) {
                candidate.push('_');
            }
            py.renamed.push((n.clone(), candidate));
        }
        py
    }
    fn keeps(&self, n: &str) -> bool {
        plain_ascii(n) && !PY_RESERVED.contains(&n) && !self.taken.contains(&n)
    }
    /// No kept name, other Python name, reserved word or definition of the program's is `c`.
    fn free(&self, c: &str, names: &[String]) -> bool {
        !PY_RESERVED.contains(&c)
            && !self.taken.contains(&c)
            && !names.iter().any(|n| n == c && self.keeps(n))
            && !self.renamed.iter().any(|(_, v)| v == c)
    }
    fn get(&self, n: &str) -> String {
        if self.keeps(n) {
            return n.to_string();
        }
        self.renamed.iter().find(|(k, _)| k == n).map_or_else(|| n.to_string(), |(_, v)| v.clone())
    }
}

/// A name as ASCII: other characters as `u` and their code point, set off by `_`.
fn spell(n: &str) -> String {
    let mut out = String::new();
    for c in n.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.push_str(&format!("u{:04X}_", c as u32));
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{out}")
    } else {
        out
    }
}

/// A float literal (3.0), for the point.
fn py_float(v: f64) -> String {
    let s = py_number(v);
    if s.contains(['.', 'e', '(']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// `v` as the shortest text that reads back exactly, or, for the values a format has no
/// number for, its spellings of NaN, +∞ and −∞.
fn spelled(v: f64, [nan, inf, neg_inf]: [&str; 3]) -> String {
    if v.is_nan() {
        nan.into()
    } else if v == f64::INFINITY {
        inf.into()
    } else if v == f64::NEG_INFINITY {
        neg_inf.into()
    } else {
        format_number(v)
    }
}

/// A number inside an expression: integers stay integers (`x ** 3`).
fn py_number(v: f64) -> String {
    spelled(v, ["float('nan')", "float('inf')", "-float('inf')"])
}

/// A wrapper with our function's name around the framework's spelling of it (from the
/// primitive's descriptor), taking (and for PyTorch, making) tensors.
fn py_function(fw: Framework, name: &str) -> String {
    if let Some(def) = py_tensor_function(fw, name) {
        return def;
    }
    let Some((op, arity)) = lookup_function(name) else { return String::new() };
    let (torch, jax) = op.python();
    let two = arity == 2;
    let (params, body) = match fw {
        // torch functions want tensors; the user may write sin(2).
        Framework::PyTorch if two => ("a, b", format!("a, b = _t(a), _t(b)\n    return {torch}")),
        Framework::PyTorch => ("a", format!("a = _t(a)\n    return {torch}")),
        Framework::Jax => (if two { "a, b" } else { "a" }, format!("return {jax}")),
    };
    format!("def {name}({params}):\n    {body}\n")
}

/// The Python definition of a function on vectors and matrices (and of `max`/`min`,
/// which reduce with one argument), as the language defines it.
fn py_tensor_function(fw: Framework, name: &str) -> Option<String> {
    let torch = fw == Framework::PyTorch;
    // The sizes one by one, or as one list (NumPy's `reshape(a, [2, 2])`).
    let ints = "[int(s) for s in (shape[0] if len(shape) == 1 and hasattr(shape[0], '__len__') else shape)]";
    // An axis given (`sum(M, 0)`, from `dim=` or `axis=` too), or every entry.
    let axis = "None if dim is None else int(dim)";
    let (params, body) = match name {
        "sum" | "mean" if torch => (
            "a, dim=None",
            format!(
                "a = _t(a)
    return torch.{name}(a) if dim is None else torch.{name}(a, dim=int(dim))"
            ),
        ),
        "sum" | "mean" => ("a, dim=None", format!("return jnp.{name}(a, axis={axis})")),
        "max" | "min" if torch => {
            ("a, b=None", format!("return torch.{name}(_t(a)) if b is None else torch.{name}imum(_t(a), _t(b))"))
        }
        "max" | "min" => ("a, b=None", format!("return jnp.{name}(a) if b is None else jnp.{name}imum(a, b)")),
        "amax" | "amin" if torch => (
            "a, dim=None",
            format!(
                "a = _t(a)
    return torch.{name}(a) if dim is None else torch.{name}(a, dim=int(dim))"
            ),
        ),
        "amax" | "amin" => ("a, dim=None", format!("return jnp.{}(a, axis={axis})", &name[1..])),
        "norm" if torch => (
            "a, dim=None",
            "a = _t(a)
    return torch.linalg.norm(a.reshape(-1)) if dim is None else torch.linalg.norm(a, dim=int(dim))"
                .into(),
        ),
        "norm" => (
            "a, dim=None",
            "return jnp.linalg.norm(jnp.ravel(a)) if dim is None else jnp.linalg.norm(a, axis=int(dim))".into(),
        ),
        "dot" | "outer" if torch => ("a, b", format!("return torch.{name}(_t(a), _t(b))")),
        "dot" | "outer" => ("a, b", format!("return jnp.{name}(a, b)")),
        "softmax" | "log_softmax" if torch => ("a, dim=-1", format!("return torch.{name}(_t(a), dim=int(dim))")),
        "softmax" | "log_softmax" => ("a, dim=-1", format!("return jax.nn.{name}(a, axis=int(dim))")),
        "logsumexp" if torch => (
            "a, dim=None",
            "a = _t(a)
    return torch.logsumexp(a.reshape(-1), dim=0) if dim is None else torch.logsumexp(a, dim=int(dim))"
                .into(),
        ),
        "logsumexp" => ("a, dim=None", format!("return jax.nn.logsumexp(a, axis={axis})")),
        "diag" if torch => ("a", "return torch.diag(_t(a))".into()),
        "diag" => ("a", "return jnp.diag(a)".into()),
        "eye" if torch => ("n", "return torch.eye(int(n), dtype=torch.float64)".into()),
        "eye" => ("n", "return jnp.eye(int(n))".into()),
        "zeros" | "ones" if torch => ("*shape", format!("return torch.{name}({ints}, dtype=torch.float64)")),
        "zeros" | "ones" => ("*shape", format!("return jnp.{name}({ints})")),
        "transpose" if torch => ("a", "a = _t(a)\n    return a.T if a.dim() == 2 else a".into()),
        "transpose" => ("a", "return a.T if jnp.ndim(a) == 2 else a".into()),
        "reshape" if torch => ("a, *shape", format!("return _t(a).reshape({ints})")),
        "reshape" => ("a, *shape", format!("return jnp.reshape(a, {ints})")),
        "flatten" if torch => ("a", "return _t(a).reshape(-1)".into()),
        "flatten" => ("a", "return jnp.ravel(a)".into()),
        "concat" if torch => {
            ("*items", "return torch.cat([_t(v).reshape(-1) if _t(v).dim() < 2 else _t(v) for v in items])".into())
        }
        "concat" => {
            ("*items", "return jnp.concatenate([jnp.ravel(v) if jnp.ndim(v) < 2 else v for v in items])".into())
        }
        "hstack" | "vstack" | "column_stack" | "stack" if torch => {
            ("*items", format!("return torch.{name}([_t(v) for v in items])"))
        }
        "hstack" | "vstack" | "column_stack" | "stack" => ("*items", format!("return jnp.{name}(items)")),
        "unsqueeze" if torch => ("a, dim", "return torch.unsqueeze(_t(a), int(dim))".into()),
        "unsqueeze" => ("a, dim", "return jnp.expand_dims(a, int(dim))".into()),
        "randn" | "uniform" => {
            let make = if torch { "_t" } else { "jnp.array" };
            let draw = if name == "randn" { "_gauss" } else { "_uniform" };
            (
                "*shape_seed",
                format!(
                    "*shape, seed = shape_seed\n    return {make}({draw}(math.prod({ints}), int(seed))).reshape({ints})"
                ),
            )
        }
        _ => return None,
    };
    Some(format!("def {name}({params}):\n    {body}\n"))
}

/// The language's generator in plain Python (see `core::tensor::Generator`): the same
/// weights as the page and the command line. Python's `math.log` is the C library's; glibc's
/// and musl's are the same correctly-rounded-in-practice code, checked in tests/export.rs.
const PY_GENERATOR: &str = "import math


def _splitmix64(seed):
    state = seed % 2**64
    while True:
        state = (state + 0x9E3779B97F4A7C15) % 2**64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % 2**64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % 2**64
        yield z ^ (z >> 31)


def _uniform(count, seed):
    g = _splitmix64(seed)
    return [(next(g) >> 11) * 2.0**-53 for _ in range(count)]


def _gauss(count, seed):
    # Marsaglia's polar method, pairs in order
    g = _splitmix64(seed)
    out = []
    while len(out) < count:
        u = 2.0 * ((next(g) >> 11) * 2.0**-53) - 1.0
        v = 2.0 * ((next(g) >> 11) * 2.0**-53) - 1.0
        s = u * u + v * v
        if 0.0 < s < 1.0:
            f = math.sqrt(-2.0 * math.log(s) / s)
            out += [u * f, v * f]
    return out[:count]


";

/// A Python program that defines f like the program and prints J at the point.
pub fn python(e: &Exportable, program: &Program, fw: Framework) -> String {
    let tensors = program.uses_tensors();
    let mut used: Vec<String> = Vec::new();
    let mut consts: Vec<&str> = Vec::new();
    for ex in &program.exprs {
        match &ex.kind {
            crate::core::syntax::ExprKind::Call { name, .. } if !used.contains(name) => used.push(name.clone()),
            crate::core::syntax::ExprKind::Name(n) if (n == "pi" || n == "e") && !consts.contains(&n.as_str()) => {
                consts.push(if n == "pi" { "pi" } else { "e" })
            }
            _ => {}
        }
    }
    // A tensor program's inputs are its signature's names (`x`), not their entries (`x[0]`).
    let mut names: Vec<String> = if tensors { Vec::new() } else { e.inputs.to_vec() };
    for stmt in &program.stmts {
        match stmt {
            Stmt::Binding(b) => names.push(b.name.clone()),
            Stmt::Signature(sig) => names.extend(sig.params.iter().map(|(p, _)| p.clone())),
        }
    }
    let mut taken: Vec<&str> = used.iter().map(String::as_str).collect();
    taken.extend(&consts);
    let py = PyNames::new(&names, &taken);
    let py_name = |n: &str| py.get(n);
    let dialect = Dialect {
        call: &|c| c.to_string(),
        name: &py_name,
        pow: "**",
        number: &py_number,
        list: ("_s([", "])"),
        chains: true,
    };
    let mut body = String::new();
    let mut params: Vec<String> = e.inputs.iter().map(|n| py_name(n)).collect();
    let mut outputs = Vec::new();
    let mut unpack_tensors = String::new();
    let mut whole_output = false;
    // The names that are not J's columns: keyword arguments holding their values.
    let mut keywords = String::new();
    for stmt in &program.stmts {
        match stmt {
            Stmt::Binding(b) => {
                body.push_str(&format!("    {} = {}\n", py_name(&b.name), program.print_as(b.expr, &dialect)))
            }
            Stmt::Signature(sig) => {
                let columns = |j: usize| e.variables.get(j).is_none_or(|v| v.column);
                params =
                    sig.params.iter().enumerate().filter(|&(j, _)| columns(j)).map(|(_, (p, _))| py_name(p)).collect();
                outputs = sig.outputs.iter().map(|&o| program.print_as(o, &dialect)).collect();
                // x is J's columns in order: each input is its slice of x, reshaped.
                let mut at = 0;
                for (j, ((p, _), dims)) in sig.params.iter().zip(&sig.shapes).enumerate() {
                    if !columns(j) {
                        keywords.push_str(&format!(
                            ", {}={}",
                            py_name(p),
                            fixed_value(&e.variables[j], sig.defaults[j], program, &dialect, fw)
                        ));
                        continue;
                    }
                    let dims = e.variables.get(j).map_or(dims, |v| &v.dims);
                    let count: usize = dims.iter().product();
                    let line = match dims.as_slice() {
                        [] => format!("x[{at}]"),
                        [_] => format!("x[{at}:{}]", at + count),
                        _ => format!("x[{at}:{}].reshape({}, {})", at + count, dims[0], dims[1]),
                    };
                    unpack_tensors.push_str(&format!("    {} = {line}\n", py_name(p)));
                    at += count;
                }
                whole_output = tensors && sig.outputs.len() == 1 && !sig.bracketed;
            }
        }
    }
    let unpack = if tensors {
        unpack_tensors
    } else if params.len() == 1 {
        format!("    {}, = x\n", params[0])
    } else {
        format!("    {} = x\n", params.join(", "))
    };
    let point = e.at.iter().map(|v| py_float(*v)).collect::<Vec<_>>().join(", ");
    let expected =
        e.j.rows_iter()
            .map(|r| format!("[{}]", r.iter().map(|v| py_float(*v)).collect::<Vec<_>>().join(", ")))
            .collect::<Vec<_>>()
            .join(",\n#  ");
    let mut out = String::new();
    // One transform, chosen as the cost panel would: columns when n ≤ m, rows otherwise.
    let (n, m) = (e.inputs.len(), e.outputs.len());
    let (first, other, why) = if n <= m {
        ("jacfwd", "jacrev", format!("n = {n} ≤ m = {m}: forward mode, one JVP per input"))
    } else {
        ("jacrev", "jacfwd", format!("n = {n} > m = {m}: reverse mode, one VJP per output"))
    };
    let (stack, head, x, jax) = match fw {
        Framework::PyTorch => (
            "torch.stack([_t(v) for v in",
            "import torch\nfrom torch.func import jacfwd, jacrev\n\n\ndef _t(v):\n    return torch.as_tensor(v, dtype=torch.float64)\n\n\n",
            format!("torch.tensor([{point}], dtype=torch.float64)"),
            "",
        ),
        Framework::Jax => (
            "jnp.stack([jnp.asarray(v, dtype=jnp.float64) for v in",
            "import jax\njax.config.update(\"jax_enable_x64\", True)\nimport jax.numpy as jnp\n\n\n",
            format!("jnp.array([{point}])"),
            "jax.",
        ),
    };
    let call =
        format!("x = {x}\nJ = {jax}{first}(f)(x)  # {why}\n# J = {jax}{other}(f)(x)  # the same J the other way\n");
    // Reserved ASCII names (`lambda` → `lambda_`) are renamed without a word, as before.
    let said: Vec<String> =
        py.renamed.iter().filter(|(from, _)| !plain_ascii(from)).map(|(from, to)| format!("{from} → {to}")).collect();
    if !said.is_empty() {
        out.push_str(&format!(
            "# Names that are not plain ASCII identifiers are renamed for Python: {}\n",
            said.join(", ")
        ));
    }
    out.push_str(head);
    if tensors {
        out.push_str(if fw == Framework::PyTorch {
            "def _s(items):\n    return torch.stack([_t(v) for v in items])\n\n\n"
        } else {
            "def _s(items):\n    return jnp.stack([jnp.asarray(v, dtype=jnp.float64) for v in items])\n\n\n"
        });
        if used.iter().any(|u| u == "randn" || u == "uniform") {
            out.push_str(PY_GENERATOR);
        }
    }
    for name in &used {
        out.push_str(&py_function(fw, name));
        out.push_str("\n\n");
    }
    for c in &consts {
        out.push_str(&format!(
            "{c} = {}\n",
            format_number(if *c == "pi" { std::f64::consts::PI } else { std::f64::consts::E })
        ));
    }
    if !consts.is_empty() {
        out.push_str("\n\n");
    }
    let ret = if whole_output {
        let t = if fw == Framework::PyTorch { "_t" } else { "jnp.asarray" };
        format!("{t}({}).reshape(-1)", outputs.join(""))
    } else {
        format!("{stack} ({},)])", outputs.join(", "))
    };
    out.push_str(&format!("def f(x{keywords}):\n{unpack}{body}    return {ret}\n\n\n"));
    out.push_str(&call);
    out.push_str(&format!("print(J)\n# Jacobian Playground gives, at this point:\n# [{expected}]\n"));
    out
}

/// A name that is not one of J's columns, as the value it was compiled with: a number, a
/// vector or matrix of them, or (past 256 entries) the parameter's default as written.
fn fixed_value(
    v: &Variable,
    default: Option<crate::core::syntax::ExprId>,
    program: &Program,
    dialect: &Dialect,
    fw: Framework,
) -> String {
    let numbers = || v.values.iter().map(|x| py_float(*x)).collect::<Vec<_>>().join(", ");
    let t = if fw == Framework::PyTorch { "_t" } else { "jnp.array" };
    match (v.dims.as_slice(), default) {
        ([], _) => py_float(v.values.first().copied().unwrap_or(f64::NAN)),
        (_, Some(d)) if v.values.len() > 256 => program.print_as(d, dialect),
        ([_], _) => format!("{t}([{}])", numbers()),
        (dims, _) => format!("{t}([{}]).reshape({}, {})", numbers(), dims[0], dims[1]),
    }
}

/// J as a LaTeX `bmatrix`, full precision; NaN and ±∞ in LaTeX's spelling.
pub fn latex(j: &Matrix) -> String {
    let entry = |v: f64| {
        let s = spelled(v, [r"\mathrm{NaN}", r"\infty", r"-\infty"]);
        match s.split_once('e') {
            Some((m, x)) if v.is_finite() => format!(r"{m} \times 10^{{{x}}}"),
            _ => s,
        }
    };
    let rows: Vec<String> =
        j.rows_iter().map(|r| r.iter().map(|v| entry(*v)).collect::<Vec<_>>().join(" & ")).collect();
    format!(
        "J = \\begin{{bmatrix}}\n{}\n\\end{{bmatrix}}\n",
        rows.iter().map(|r| format!("  {r}")).collect::<Vec<_>>().join(" \\\\\n")
    )
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row per output: its name, then ∂f_i/∂x_j per input, full precision.
pub fn csv(e: &Exportable) -> String {
    let mut out = String::from("output");
    for x in e.inputs {
        out.push(',');
        out.push_str(&csv_field(&format!("d/d{x}")));
    }
    out.push('\n');
    for (i, row) in e.j.rows_iter().enumerate() {
        out.push_str(&csv_field(e.outputs.get(i).map_or("", String::as_str)));
        for v in row {
            out.push(',');
            out.push_str(&format_number(*v));
        }
        out.push('\n');
    }
    out
}

/// A JSON string literal. Hand-written (a dozen lines) rather than serde_json, whose
/// serializer the page would otherwise carry for this one use.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Numbers as JSON numbers; NaN and ±∞ (which JSON lacks) as the strings the CLI uses.
fn json_number(v: f64) -> String {
    spelled(v, ["\"NaN\"", "\"Infinity\"", "\"-Infinity\""])
}

pub fn json(e: &Exportable) -> String {
    let list = |v: &[f64]| format!("[{}]", v.iter().map(|x| json_number(*x)).collect::<Vec<_>>().join(", "));
    let names = |v: &[String]| format!("[{}]", v.iter().map(|s| json_string(s)).collect::<Vec<_>>().join(", "));
    let rows = e.j.rows_iter().map(|r| format!("    {}", list(r))).collect::<Vec<_>>().join(",\n");
    format!(
        "{{\n  \"source\": {},\n  \"inputs\": {},\n  \"outputs\": {},\n  \"at\": {},\n  \"f\": {},\n  \"jacobian\": [\n{rows}\n  ]\n}}\n",
        json_string(e.source),
        names(e.inputs),
        names(e.outputs),
        list(e.at),
        list(e.f)
    )
}

/// The most of an export the page's box shows: a longer text would be laid out again in
/// every later layout of the page (a 100 000-node program writes ~350 KB of Python).
pub const SHOWN_BYTES: usize = 32 * 1024;

/// `text` as the export box shows it: whole, or its first whole lines up to `SHOWN_BYTES`
/// and a last line saying how much more Copy takes.
pub fn shown_part(mut text: String) -> String {
    if text.len() <= SHOWN_BYTES {
        return text;
    }
    let mut cut = SHOWN_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = text[..cut].rfind('\n').map_or(cut, |k| k + 1);
    let note = format!(
        "… {} KB more, not shown here: Copy copies all {} KB.",
        (text.len() - cut).div_ceil(1024),
        text.len().div_ceil(1024)
    );
    text.truncate(cut);
    text + &note
}

/// The export formats, in the order of the page's buttons, by their test-hook keys.
pub const FORMATS: [(&str, &str); 6] = [
    ("pytorch", "PyTorch"),
    ("jax", "JAX"),
    ("latex", "LaTeX"),
    ("csv", "CSV"),
    ("json", "JSON"),
    ("formulas", "Formulas"),
];

/// The request format that asks for the Batch view's text (`view::batch`), its points
/// after the request's other parts.
pub const BATCH: usize = 9;

/// The request format that asks for the program with every parenthesis explicit
/// (`view::explicit_form`).
pub const EXPLICIT: usize = 6;

/// The request format that asks for the digits check of J (`view::trust`, encoded), the
/// strategy's label after the request's other parts, then, where the page asks for
/// Newton's method too, its lines (`view::newton::newton_reply`).
pub const DIGITS: usize = 7;

/// The request format that asks for the cost table's timings (`view::measured_text`), at
/// the request's point.
pub const COST: usize = 8;
/// The request for the sparsity figure (`view::sparsity`), as markup tokens.
pub const SPARSITY: usize = 10;

/// The most entries of J written out (all of them, at every point).
pub const EXPORT_ENTRIES: usize = 40_000;

/// What the page sends the export worker: the format's index, J's columns, the source,
/// and every name's value by entry name (the point, and the names compiled in as
/// constants), one `name\tvalue` a line (a name given twice: the later value). Numbers
/// are written as Rust prints them, which reads back to the same bits.
pub fn export_request(format: usize, wrt: Wrt, source: &str, given: &[(String, f64)]) -> String {
    let mut out = format!("{format}\u{1}{}\u{1}{source}\u{1}", wrt.word());
    for (name, v) in given {
        out.push_str(&format!("{name}\t{v}\n"));
    }
    out
}

/// The worker's side: compiles the request's function as the page did, computes J at its
/// point with the strategy the page's cost model picks, and writes it out.
pub fn export_text(request: &str) -> String {
    let mut parts = request.splitn(5, '\u{1}');
    let (format, wrt, source, given) = (parts.next(), parts.next(), parts.next(), parts.next().unwrap_or(""));
    // What follows the rest for some formats: the batch's points, a strategy's label.
    let extra = parts.next().unwrap_or("");
    let format: usize = format.and_then(|f| f.parse().ok()).unwrap_or(0);
    let wrt = wrt.and_then(Wrt::from_word).unwrap_or_default();
    let source = source.unwrap_or("");
    let given: Vec<(String, f64)> = given
        .lines()
        .filter_map(|l| l.split_once('\t').and_then(|(n, v)| Some((n.to_string(), crate::core::decimal::parse(v)?))))
        .collect();
    let (program, errors) = crate::core::parser::parse(source);
    if format == EXPLICIT {
        return if errors.is_empty() { super::explicit_form(&program) } else { "(fix the error first)".into() };
    }
    let compiled = if errors.is_empty() { compile_with(&program, wrt, &given).ok() } else { None };
    let Some(tape) = compiled else { return "# The function has an error; fix it to export code.".into() };
    if format == BATCH {
        return super::batch::batch_text(&tape, extra);
    }
    if format == COST {
        let now = || crate::core::auto::now().unwrap_or(0.0);
        return super::cost::measured_text(&tape, &tape.point_from(&given), &now);
    }
    if format == SPARSITY {
        return super::sparsity::sparsity_markup(&tape);
    }
    if format == DIGITS {
        // J as the page computed it: the same strategy at the same point, the same bits.
        let at = tape.point_from(&given);
        // The strategy's label, then Newton's request where the page makes one.
        let (label, newton) = extra.split_once('\n').unwrap_or((extra, ""));
        let Some(s) = crate::core::Strategy::ALL.into_iter().find(|s| s.label() == label) else {
            return String::new();
        };
        let r = crate::core::jacobian(&tape, &at, s, &mut crate::core::Workspace::default());
        let mut t = super::trust::trust(&tape, &at, &r.f, &r.j);
        t.formulas = super::formulas::formula_cells(source, &tape);
        t.markup = super::mathml::j_markup(source, &tape, &at, &r.j);
        if !newton.is_empty() {
            t.newton = super::newton::newton_reply(&tape, &at, newton);
        }
        return super::trust::encode(&t);
    }
    let entries = tape.n() * tape.m();
    if entries > EXPORT_ENTRIES {
        return format!("# J has {entries} entries, over the {EXPORT_ENTRIES} written here.\n# The command-line tool prints any J as JSON: jacobian --at x1,x2,... program.txt");
    }
    let at = tape.point_from(&given);
    let r = crate::core::jacobian(&tape, &at, crate::core::choose(&tape).0, &mut crate::core::Workspace::default());
    let e = Exportable {
        source,
        variables: &tape.variables,
        inputs: &tape.inputs,
        outputs: &tape.output_names,
        at: &at,
        f: &r.f,
        j: &r.j,
    };
    match format {
        0 => python(&e, &program, Framework::PyTorch),
        1 => python(&e, &program, Framework::Jax),
        // With the formulas first where the program has them: the article's two steps.
        2 => super::formulas::formulas_latex(source, &tape).map_or(String::new(), |f| f + "\n") + &latex(&r.j),
        5 => super::formulas::formulas_text(source, &tape, &at),
        3 => csv(&e),
        _ => json(&e),
    }
}
