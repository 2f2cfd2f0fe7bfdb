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
