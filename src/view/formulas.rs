//! J by its formulas, as the Export view's "Formulas" text and in its LaTeX: the two steps
//! of the article the product grew from — differentiate each output by each input
//! symbolically (`core::symbolic`), then substitute the point.

use super::format_entry;
use crate::core::parser::parse;
use crate::core::symbolic::{eval, latex, plain, symbolic_jacobian, Sym, SymbolicJ};
use crate::core::Tape;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A formula longer than this many characters is named by its length, not printed: a
/// deep program's derivative can grow far past what a reader takes in.
pub const MAX_FORMULA: usize = 160;

/// Formulas are written for programs of at most this many expressions and Js of at most
/// this many entries: the differentiation recurses through the syntax tree and its work
/// grows with the tree's size times J's entries, and past a table a person reads they
/// would not be read.
pub const MAX_EXPRS: usize = 300;
pub const MAX_ENTRIES: usize = 144;

/// The formulas of J by the tape's columns, or why there are none.
pub fn formulas(source: &str, tape: &Tape) -> Result<SymbolicJ, String> {
    let (program, errors) = parse(source);
    if !errors.is_empty() {
        return Err("the function has an error".into());
    }
    if program.exprs.len() > MAX_EXPRS {
        return Err(format!(
            "the program has {} expressions, more than the {MAX_EXPRS} formulas are written for",
            program.exprs.len()
        ));
    }
    if tape.n() * tape.m() > MAX_ENTRIES {
        return Err(format!(
            "J has {} entries, more than the {MAX_ENTRIES} formulas are written for",
            tape.n() * tape.m()
        ));
    }
    if program.uses_tensors() {
        // Written out from the tape, one binding a node, and named back.
        let Some((src, columns, back)) = super::scalarised::scalarised(tape) else {
            return Err(format!(
                "its tape has {} nodes, more than the {} a vector program's formulas are written out for",
                tape.len(),
                super::scalarised::MAX_NODES
            ));
        };
        let (scalar, errors) = parse(&src);
        if !errors.is_empty() {
            return Err("it could not be written out as a program of numbers".into());
        }
        let j = symbolic_jacobian(&scalar, &columns)?;
        // A network's weights are written into its formulas: where that makes every one
        // too long to read, there are none to show.
        if j.rows.iter().flatten().all(|s| plain(s).chars().count() > MAX_FORMULA) {
            return Err(format!("with its weights written out, every formula is longer than {MAX_FORMULA} characters"));
        }
        // Only the bindings the formulas read, directly or through other bindings.
        let mut read = std::collections::HashSet::new();
        j.rows.iter().flatten().for_each(|s| names_in(s, &mut read));
        let mut bindings = Vec::new();
        for (n, s) in j.bindings.iter().rev() {
            if read.contains(n.as_str()) {
                names_in(s, &mut read);
                bindings.push((n, s));
            }
        }
        bindings.reverse();
        let name = |s: &Sym| renamed(s, &back);
        return Ok(SymbolicJ {
            rows: j.rows.iter().map(|r| r.iter().map(name).collect()).collect(),
            bindings: bindings.into_iter().map(|(n, s)| (back.get(n).unwrap_or(n).clone(), name(s))).collect(),
        });
    }
    symbolic_jacobian(&program, &tape.inputs)
}

/// Every name `s` reads.
fn names_in<'a>(s: &'a Sym, out: &mut std::collections::HashSet<&'a str>) {
    match s {
        Sym::Name(n) => {
            out.insert(n);
        }
        Sym::Num(_) => {}
        Sym::Add(v) | Sym::Mul(v) | Sym::Call(_, v) => v.iter().for_each(|s| names_in(s, out)),
        Sym::Pow(a, b) => {
            names_in(a, out);
            names_in(b, out);
        }
    }
}

/// `s` with its names spelled as `names` maps them (the others as they are).
fn renamed(s: &Sym, names: &HashMap<String, String>) -> Sym {
    let all = |v: &[Sym]| v.iter().map(|s| renamed(s, names)).collect();
    match s {
        Sym::Name(n) => Sym::Name(names.get(n).unwrap_or(n).clone()),
        Sym::Num(v) => Sym::Num(*v),
        Sym::Add(v) => Sym::Add(all(v)),
        Sym::Mul(v) => Sym::Mul(all(v)),
        Sym::Pow(a, b) => Sym::Pow(Box::new(renamed(a, names)), Box::new(renamed(b, names))),
        Sym::Call(f, v) => Sym::Call(f, all(v)),
    }
}

/// A formula as the text shows it.
fn shown(s: &crate::core::symbolic::Sym) -> String {
    let text = plain(s);
    let len = text.chars().count();
    if len > MAX_FORMULA {
        format!("(a formula of {len} characters)")
    } else {
        text
    }
}

/// Every name's value at the point: J's columns, the names held fixed, then the bindings.
fn values(j: &SymbolicJ, tape: &Tape, at: &[f64]) -> HashMap<String, f64> {
    let mut env: HashMap<String, f64> = tape.inputs.iter().cloned().zip(at.iter().copied()).collect();
    for v in tape.variables.iter().filter(|v| !v.column && v.dims.is_empty()) {
        if let Some(&x) = v.values.first() {
            env.insert(v.name.clone(), x);
        }
    }
    for (name, value) in &j.bindings {
        let x = eval(value, &env);
        env.insert(name.clone(), x);
    }
    env
}

/// The Export view's "Formulas": J as formulas in a table, then with the point substituted.
pub fn formulas_text(source: &str, tape: &Tape, at: &[f64]) -> String {
    let j = match formulas(source, tape) {
        Ok(j) => j,
        Err(e) => return format!("No formulas: {e}."),
    };
    let mut out = String::from("J by its formulas (differentiated symbolically, then simplified):\n\n");
    let cells: Vec<Vec<String>> = j.rows.iter().map(|r| r.iter().map(shown).collect()).collect();
    out.push_str(&table(tape, &cells));
    let env = values(&j, tape, at);
    let point: Vec<String> = tape.inputs.iter().zip(at).map(|(n, v)| format!("{n} = {}", format_entry(*v))).collect();
    out.push_str(&format!("\nWith the point substituted ({}):\n\n", point.join(", ")));
    let numbers: Vec<Vec<String>> =
        j.rows.iter().map(|r| r.iter().map(|s| format_entry(eval(s, &env))).collect()).collect();
    out.push_str(&table(tape, &numbers));
    if !j.bindings.is_empty() {
        let names: Vec<String> = j.bindings.iter().map(|(n, _)| format!("{n} = {}", format_entry(env[n]))).collect();
        out.push_str(&format!("\nwhere {}.\n", names.join(", ")));
    }
    out
}

/// Rows of cells under `∂/∂name` headers, each row named by its output, columns aligned.
fn table(tape: &Tape, cells: &[Vec<String>]) -> String {
    let width = |s: &str| s.chars().count();
    let headers: Vec<String> = tape.inputs.iter().map(|n| format!("∂/∂{n}")).collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| cells.iter().map(|r| width(&r[c])).chain([width(&headers[c])]).max().unwrap_or(0))
        .collect();
    let label = tape.output_names.iter().map(|n| width(n)).max().unwrap_or(0);
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w - width(s)));
    let mut out = format!("{}    ", " ".repeat(label));
    out.push_str(&headers.iter().zip(&widths).map(|(h, w)| pad(h, *w)).collect::<Vec<_>>().join("  "));
    out.truncate(out.trim_end().len());
    out.push('\n');
    for (name, row) in tape.output_names.iter().zip(cells) {
        let row: Vec<String> = row.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        out.push_str(&format!("{}  [ {} ]\n", pad(name, label), row.join("  ")));
    }
    out
}

/// J's formulas as text, row-major (none where the program has none): what hovering an
/// entry of J shows.
pub fn formula_cells(source: &str, tape: &Tape) -> Vec<String> {
    kept_formulas(source, tape)
        .as_ref()
        .as_ref()
        .map(|j| j.rows.iter().flatten().map(shown).collect())
        .unwrap_or_default()
}

/// `formulas`, kept for the last source and columns: the worker is asked for them with
/// every digits check, so at every point, and they depend only on those two.
pub fn kept_formulas(source: &str, tape: &Tape) -> Rc<Result<SymbolicJ, String>> {
    thread_local! {
        static LAST: RefCell<(String, Rc<Result<SymbolicJ, String>>)> = RefCell::new((String::new(), Rc::new(Err(String::new()))));
    }
    let key = format!("{source}\u{1}{}", tape.inputs.join("\u{1}"));
    if let Some(kept) = LAST.with(|l| (l.borrow().0 == key).then(|| l.borrow().1.clone())) {
        return kept;
    }
    let made = Rc::new(formulas(source, tape));
    LAST.with(|l| *l.borrow_mut() = (key, made.clone()));
    made
}

/// J's formulas as a LaTeX matrix (`J(x) = \begin{bmatrix} … \end{bmatrix}`), or None.
pub fn formulas_latex(source: &str, tape: &Tape) -> Option<String> {
    let j = formulas(source, tape).ok()?;
    let rows: Vec<String> = j
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|s| if plain(s).chars().count() > MAX_FORMULA { r"\cdots".to_string() } else { latex(s) })
                .collect::<Vec<_>>()
                .join(" & ")
        })
        .collect();
    Some(format!(
        "J(x) = \\begin{{bmatrix}}\n{}\n\\end{{bmatrix}}\n",
        rows.iter().map(|r| format!("  {r}")).collect::<Vec<_>>().join(" \\\\\n")
    ))
}
