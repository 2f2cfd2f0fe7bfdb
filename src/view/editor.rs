//! The editor's view model: errors positioned for the editor, compiling, and the
//! explicit-parentheses echo of the source.

use crate::core::span::line_col;
use crate::core::{compile_source, Diagnostic, Tape};

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

fn char_offset(src: &str, byte: usize) -> usize {
    src[..crate::core::span::clamp_to_boundary(src, byte)].chars().count()
}

pub fn compile(src: &str) -> Result<Tape, Vec<ErrorView>> {
    compile_source(src).map_err(|d| error_views(src, &d))
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
