//! Source positions and diagnostics. Offsets are byte offsets into the source; every
//! span starts and ends on a char boundary so slicing never panics.

use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// 1-based line and column; the column counts chars, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

pub fn line_col(src: &str, offset: usize) -> LineCol {
    let offset = clamp_to_boundary(src, offset);
    let before = &src[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol { line, col: src[line_start..offset].chars().count() + 1 }
}

/// CRLF and lone CR as LF: the line breaks every editor shows, and the only ones
/// `line_col` counts. Sources from outside the editor (links, files) go through it.
pub fn normalize_newlines(src: &str) -> String {
    if src.contains('\r') {
        src.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        src.to_string()
    }
}

/// `offset`, moved back to the start of the character it falls in (and into the source).
pub fn clamp_to_boundary(src: &str, mut offset: usize) -> usize {
    offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A secondary span with its own note, e.g. "first defined here".
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
}

/// Orders diagnostics by where they start. One shared function: each `sort_by_key`
/// closure is its own few kilobytes of wasm.
pub fn sort_by_position(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| d.span.start);
}

impl Diagnostic {
    pub fn new(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { message: message.into(), span, labels: Vec::new() }
    }
    pub fn with_label(mut self, span: Span, note: impl Into<String>) -> Diagnostic {
        self.labels.push(Label { span, note: note.into() });
        self
    }
    pub fn line_col(&self, src: &str) -> LineCol {
        line_col(src, self.span.start)
    }

    /// `line:col: message`, the source line, and a caret line under the span; then the
    /// same for each label. Long lines are cut around the span so a 1 MB line stays readable.
    pub fn render(&self, src: &str) -> String {
        let mut out = String::new();
        let lc = self.line_col(src);
        let _ = writeln!(out, "error at {}:{}: {}", lc.line, lc.col, self.message);
        snippet(&mut out, src, self.span, "");
        for label in &self.labels {
            let lc = line_col(src, label.span.start);
            let _ = writeln!(out, "note at {}:{}: {}", lc.line, lc.col, label.note);
            snippet(&mut out, src, label.span, "");
        }
        out
    }
}

const SNIPPET_WIDTH: usize = 100;

fn snippet(out: &mut String, src: &str, span: Span, _note: &str) {
    let start = clamp_to_boundary(src, span.start);
    let end = clamp_to_boundary(src, span.end.max(start));
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    let line: Vec<char> = src[line_start..line_end].chars().collect();
    let caret_at = src[line_start..start].chars().count();
    let caret_len = src[start..end.min(line_end)].chars().count().max(1);
    // Window of the line around the caret, so huge lines don't flood the terminal.
    let from = caret_at.saturating_sub(SNIPPET_WIDTH / 2);
    let to = (from + SNIPPET_WIDTH).min(line.len());
    let shown: String =
        line[from..to].iter().map(|&c| if c.is_control() && c != '\t' { '\u{FFFD}' } else { c }).collect();
    let lc = line_col(src, start);
    let gutter = lc.line.to_string();
    let pad = " ".repeat(gutter.len());
    let prefix = if from > 0 { "…" } else { "" };
    let _ = writeln!(out, "{gutter} | {prefix}{shown}");
    let caret_pad = " ".repeat(caret_at - from + prefix.chars().count());
    let carets = "^".repeat(caret_len.min(to.saturating_sub(caret_at).max(1)));
    let _ = writeln!(out, "{pad} | {caret_pad}{carets}");
}
