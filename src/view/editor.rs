//! The editor's view model: errors positioned for the editor, compiling, and the
//! explicit-parentheses echo of the source.

use crate::core::compile::{compile_with, Wrt};
use crate::core::parser::parse;
use crate::core::span::line_col;
use crate::core::syntax::{Program, Stmt};
use crate::core::{Diagnostic, Tape};

/// An error positioned for an editor: character offsets (not bytes) into the source.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorView {
    pub message: String,
    pub line: usize,
    pub col: usize,
    pub start_char: usize,
    pub end_char: usize,
}

/// The editor shows the first few errors; positioning each costs a scan of the source, so
/// 20 000 errors in pasted noise must not all be positioned.
pub const MAX_ERROR_VIEWS: usize = 50;

pub fn error_views(src: &str, diags: &[Diagnostic]) -> Vec<ErrorView> {
    diags
        .iter()
        .take(MAX_ERROR_VIEWS)
        .map(|d| {
            let lc = line_col(src, d.span.start);
            let start_char = char_offset(src, d.span.start);
            let end_char = char_offset(src, d.span.end).max(start_char + 1);
            ErrorView { message: d.message.clone(), line: lc.line, col: lc.col, start_char, end_char }
        })
        .collect()
}

/// The error's line as the editor shows it: up to 60 characters before the error, the
/// marked characters (a space where the error is at the line's end), and what follows,
/// 200 characters in all, so an error far along a huge line shows. A cut start is "…".
pub fn error_window(src: &str, e: &ErrorView) -> (String, String, String) {
    let line = src.lines().nth(e.line.saturating_sub(1)).unwrap_or("");
    let from = e.col.saturating_sub(1).saturating_sub(60);
    let chars: Vec<char> = line.chars().skip(from).take(200).collect();
    let col = (e.col.saturating_sub(1) - from).min(chars.len());
    let width = e.end_char.saturating_sub(e.start_char).max(1);
    let end = (col + width).min(chars.len());
    let before: String = (if from > 0 { "…" } else { "" }).chars().chain(chars[..col].iter().copied()).collect();
    let marked: String = if col < chars.len() { chars[col..end].iter().collect() } else { " ".into() };
    (before, marked, chars[end..].iter().collect())
}

fn char_offset(src: &str, byte: usize) -> usize {
    src[..crate::core::span::clamp_to_boundary(src, byte)].chars().count()
}

/// A source compiled once: its syntax tree (the explicit-parentheses echo and the export
/// print it) and its tape (everything else runs it). Nothing parses the source again.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub program: Program,
    pub tape: Tape,
}

pub fn compile(src: &str) -> Result<Compiled, Vec<ErrorView>> {
    compile_given(src, Wrt::Inputs, &[])
}

/// `compile` with J's columns chosen and the others' values by name (`compile_with`).
pub fn compile_given(src: &str, wrt: Wrt, given: &[(String, f64)]) -> Result<Compiled, Vec<ErrorView>> {
    let (program, errors) = parse(src);
    let tape = if errors.is_empty() { compile_with(&program, wrt, given) } else { Err(errors) };
    match tape {
        Ok(tape) => Ok(Compiled { program, tape }),
        Err(d) => Err(error_views(src, &d)),
    }
}

/// The program with every operation parenthesised, one statement per line, so the
/// learner sees how it was read (`-x^2` shows as `(-(x ^ 2))`).
pub fn explicit_form(program: &Program) -> String {
    let lines: Vec<String> = program
        .stmts
        .iter()
        .map(|s| match s {
            Stmt::Binding(b) => format!("{} = {}", b.name, program.explicit(b.expr)),
            Stmt::Signature(sig) => {
                let mut params: Vec<String> = Vec::new();
                for (((p, _), dims), d) in sig.params.iter().zip(&sig.shapes).zip(&sig.defaults) {
                    let shape = dims.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
                    let mut item = if dims.is_empty() { p.clone() } else { format!("{p}[{shape}]") };
                    if let Some(d) = d {
                        item = format!("{item} = {}", program.explicit(*d));
                    }
                    params.push(item);
                }
                let outs: Vec<String> = sig.outputs.iter().map(|&e| program.explicit(e)).collect();
                if sig.bracketed || outs.len() != 1 {
                    format!("{}({}) = [{}]", sig.name, params.join(", "), outs.join(", "))
                } else {
                    format!("{}({}) = {}", sig.name, params.join(", "), outs[0])
                }
            }
        })
        .collect();
    lines.join("\n")
}
