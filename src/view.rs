//! View-model logic shared by the app and its tests: turns core results into plain,
//! display-ready data. No Leptos or web imports: components only render what this returns.

use crate::core::span::line_col;
use crate::core::syntax::format_number;
use crate::core::{choose, compile_source, jacobian, Diagnostic, Strategy, Tape, Workspace};

/// An error positioned for an editor: character offsets (not bytes) into the source.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorView {
    pub message: String,
    pub line: usize,
    pub col: usize,
    pub start_char: usize,
    pub end_char: usize,
    /// The message with the source line and a caret under the offending character.
    pub rendered: String,
}

pub fn error_views(src: &str, diags: &[Diagnostic]) -> Vec<ErrorView> {
    diags
        .iter()
        .map(|d| {
            let lc = line_col(src, d.span.start);
            let start_char = char_offset(src, d.span.start);
            let end_char = char_offset(src, d.span.end).max(start_char + 1);
            ErrorView { message: d.message.clone(), line: lc.line, col: lc.col, start_char, end_char, rendered: d.render(src) }
        })
        .collect()
}

fn char_offset(src: &str, byte: usize) -> usize {
    let mut b = byte.min(src.len());
    while !src.is_char_boundary(b) {
        b -= 1;
    }
    src[..b].chars().count()
}

/// Everything the walking-skeleton view shows for one point.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub at: Vec<f64>,
    pub f: Vec<f64>,
    pub j: Vec<Vec<f64>>,
    pub zero_columns: Vec<String>,
    pub det: Option<f64>,
    pub strategy: String,
    pub reason: String,
}

pub fn compile(src: &str) -> Result<Tape, Vec<ErrorView>> {
    compile_source(src).map_err(|d| error_views(src, &d))
}

pub fn snapshot(tape: &Tape, at: &[f64], ws: &mut Workspace) -> Snapshot {
    let (strategy, reason) = choose(tape);
    let r = jacobian(tape, at, strategy, ws);
    let j = r.j.to_rows();
    let det = (tape.n() == tape.m()).then(|| {
        let n = tape.n();
        nalgebra::DMatrix::from_row_slice(n, n, &r.j.data).determinant()
    });
    Snapshot {
        inputs: tape.inputs.clone(),
        outputs: tape.output_names.clone(),
        at: at.to_vec(),
        f: r.f,
        j,
        zero_columns: tape.zero_columns().iter().map(|&c| tape.inputs[c].clone()).collect(),
        det,
        strategy: strategy_label(strategy).into(),
        reason,
    }
}

pub fn strategy_label(s: Strategy) -> &'static str {
    match s {
        Strategy::Forward => "forward by columns",
        Strategy::Reverse => "reverse by rows",
        Strategy::BatchedForward => "batched forward",
        Strategy::BatchedReverse => "batched reverse",
        Strategy::Sparse => "sparse colouring",
        Strategy::FdForward => "forward differences",
        Strategy::FdCentral => "central differences",
        Strategy::ComplexStep => "complex step",
    }
}

/// Carries the point over when the function changes: same-named inputs keep their value,
/// others take the old value at the same position, or 1.
pub fn adapt_point(old_names: &[String], old: &[f64], new_names: &[String]) -> Vec<f64> {
    new_names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            old_names
                .iter()
                .position(|o| o == name)
                .and_then(|k| old.get(k))
                .or_else(|| old.get(j))
                .copied()
                .unwrap_or(1.0)
        })
        .collect()
}

/// A matrix entry for display: exact integers as integers, else 6 significant digits,
/// scientific outside [1e-4, 1e6); NaN and ±∞ spelled out.
pub fn format_entry(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "∞".into() } else { "−∞".into() };
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    let s = if v.fract() == 0.0 && a < 1e15 {
        format!("{v}")
    } else if (1e-4..1e6).contains(&a) {
        let digits = (5 - a.log10().floor() as i32).max(0) as usize;
        let t = format!("{v:.digits$}");
        if t.contains('.') { t.trim_end_matches('0').trim_end_matches('.').to_string() } else { t }
    } else {
        format!("{v:.5e}")
    };
    s.replace('-', "−")
}

/// Full precision, for tooltips and copying.
pub fn format_full(v: f64) -> String {
    format_number(v)
}

/// Parses one coordinate typed by the user; NaN and ±inf are allowed, spelled out.
pub fn parse_coordinate(text: &str) -> Result<f64, String> {
    let t = text.trim().replace('−', "-");
    t.parse::<f64>().map_err(|_| format!("'{}' is not a number", text.trim()))
}

/// The program with every operation parenthesised, one statement per line, so the
/// learner sees how it was read (`-x^2` shows as `(-(x ^ 2))`). None if it doesn't parse.
pub fn explicit_form(src: &str) -> Option<String> {
    use crate::core::parser::parse;
    use crate::core::syntax::Stmt;
    let (program, errors) = parse(src);
    if !errors.is_empty() {
        return None;
    }
    let lines: Vec<String> = program
        .stmts
        .iter()
        .map(|s| match s {
            Stmt::Binding(b) => format!("{} = {}", b.name, program.explicit(b.expr)),
            Stmt::Signature(sig) => {
                let params: Vec<&str> = sig.params.iter().map(|(p, _)| p.as_str()).collect();
                let outs: Vec<String> = sig.outputs.iter().map(|&e| program.explicit(e)).collect();
                if sig.bracketed || outs.len() != 1 {
                    format!("{}({}) = [{}]", sig.name, params.join(", "), outs.join(", "))
                } else {
                    format!("{}({}) = {}", sig.name, params.join(", "), outs[0])
                }
            }
        })
        .collect();
    Some(lines.join("\n"))
}

/// The slider range of an input: its home value ± max(2, |home|).
pub fn input_range(home: f64) -> (f64, f64) {
    let home = if home.is_finite() { home } else { 0.0 };
    let r = home.abs().max(2.0);
    (home - r, home + r)
}

/// A position in [0, 1] across `range`, and back.
pub fn to_unit(v: f64, (lo, hi): (f64, f64)) -> f64 {
    ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
}
pub fn from_unit(u: f64, (lo, hi): (f64, f64)) -> f64 {
    let v = lo + u.clamp(0.0, 1.0) * (hi - lo);
    // Round to 4 significant digits of the range, so dragged values read cleanly.
    let q = 10f64.powi(((hi - lo).log10().floor() as i32) - 3);
    (v / q).round() * q
}

/// Keyboard step across a range: 1/50 of it, or 1/500 with Shift.
pub fn key_step((lo, hi): (f64, f64), fine: bool) -> f64 {
    (hi - lo) / if fine { 500.0 } else { 50.0 }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CostRow {
    pub strategy: String,
    pub passes: usize,
    pub node_visits: usize,
    pub bytes: usize,
    pub exact: bool,
    pub max_error: f64,
}

/// What each strategy costs at this point, and how far it lands from the exact J.
pub fn cost_rows(tape: &Tape, at: &[f64], ws: &mut Workspace) -> Vec<CostRow> {
    let exact = jacobian(tape, at, Strategy::Forward, ws).j;
    Strategy::ALL
        .iter()
        .map(|&s| {
            let r = jacobian(tape, at, s, ws);
            CostRow {
                strategy: strategy_label(s).into(),
                passes: r.cost.passes,
                node_visits: r.cost.node_visits,
                bytes: r.cost.bytes,
                exact: s.is_exact(),
                max_error: crate::core::fd::max_abs_diff(&r.j, &exact),
            }
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq)]
pub struct SecondOrder {
    /// For m = 1: the Hessian, its eigenvalues (ascending) and the Laplacian.
    pub hessian: Option<(Vec<Vec<f64>>, Vec<f64>, f64)>,
    /// For n = m: the divergence (trace of J).
    pub divergence: Option<f64>,
}

pub fn second_order(tape: &Tape, at: &[f64], j: &[Vec<f64>]) -> SecondOrder {
    let hessian = (tape.m() == 1).then(|| {
        let h = crate::core::hessian::hessian(tape, at, 0);
        let n = tape.n();
        let eig = if h.h.data.iter().all(|v| v.is_finite()) {
            let mut e: Vec<f64> =
                nalgebra::DMatrix::from_row_slice(n, n, &h.h.data).symmetric_eigenvalues().iter().copied().collect();
            e.sort_by(|a, b| a.total_cmp(b));
            e
        } else {
            vec![f64::NAN; n]
        };
        (h.h.to_rows(), eig, h.laplacian)
    });
    let divergence = (tape.n() == tape.m()).then(|| (0..tape.n()).map(|i| j[i][i]).sum());
    SecondOrder { hessian, divergence }
}
