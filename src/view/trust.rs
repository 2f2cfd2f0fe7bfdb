//! The digits check for display: which values of f and entries of J lost digits to the
//! program's rounding, what hovering one says, and the line under J.

use super::format_entry;
use crate::core::dd::Dd;
use crate::core::digits::{self, digits, truth_digits, Truth};
use crate::core::{Matrix, Tape};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trust {
    /// Per entry of J (rows), the hover text when it lost digits, else None.
    pub j: Vec<Vec<Option<String>>>,
    /// The line under J: what was checked and what lost digits.
    pub summary: String,
    /// How many values of f and entries of J lost digits.
    pub lost: usize,
    /// J's formulas, row-major (`view::formulas`), or none: the worker sends them with the
    /// check, so hovering an entry shows its formula.
    pub formulas: Vec<String>,
    /// J as MathML beside the table (`view::mathml::j_markup`), as markup tokens.
    pub markup: String,
    /// Newton's method from the same point, where the page asked (`view::newton`): the
    /// path's markup, `\u{3}`, the table's.
    pub newton: String,
}

/// The digits check of f and J at `at`. J is read where it lies (a 2 000 × 2 000 J is
/// 32 MB to copy, and past its budget the check does not run at all).
pub fn trust(tape: &Tape, at: &[f64], f: &[f64], j: &Matrix) -> Trust {
    report(tape, digits::truth(tape, at).as_ref(), f, j)
}

/// As `trust`, from a double-double evaluation the caller already has (None: too large).
pub fn report(tape: &Tape, truth: Option<&Truth>, f: &[f64], j: &Matrix) -> Trust {
    let (n, m) = (tape.n(), tape.m());
    let Some(Truth { f: tf, j: tj }) = truth else {
        // No marks (an empty list reads as none): an m × n list of them would cost a big J
        // tens of megabytes for nothing.
        return Trust {
            j: Vec::new(),
            summary: format!(
                "Digits not checked: the double-double re-evaluation stops at {} node visits and this function needs {}.",
                digits::MAX_VISITS,
                tape.work() * (n.min(m) + 1)
            ),
            lost: 0,
            formulas: Vec::new(),
            markup: String::new(),
            newton: String::new(),
        };
    };
    // Every value of f, then every entry of J, with its right digits (None: not finite).
    let checked = f.iter().zip(tf).enumerate().map(|(i, (&v, &t))| (i, None, v, t)).chain(
        j.rows_iter()
            .enumerate()
            .flat_map(|(i, row)| row.iter().enumerate().map(move |(k, &v)| (i, Some(k), v, tj[i * n + k]))),
    );
    let mut marks = vec![vec![None; n]; m];
    let mut lost: Vec<(u32, String)> = Vec::new();
    let mut fewest = 16;
    for (i, k, v, t) in checked {
        let Some(d) = digits(v, t) else { continue };
        fewest = fewest.min(d);
        if d >= digits::TRUSTED {
            continue;
        }
        let out = &tape.output_names[i];
        let label = match k {
            Some(k) => {
                marks[i][k] = Some(hover(v, t, d));
                format!("∂{out}/∂{}", tape.inputs[k])
            }
            None => format!("{out}'s value"),
        };
        // Kept in order of fewest right digits (ties in reading order).
        let at = lost.partition_point(|(e, _)| *e <= d);
        lost.insert(at, (d, label));
    }
    let summary = if lost.is_empty() {
        format!("Digits checked in double-double: every value of f and entry of J keeps at least {fewest} of 16.")
    } else {
        let named: Vec<String> = lost.iter().take(3).map(|(d, label)| format!("{label} keeps {d}")).collect();
        let more = if lost.len() > 3 { format!(" and {} more", lost.len() - 3) } else { String::new() };
        format!("⚠ Digits lost to rounding in the program, of 16: {}{more}.", named.join(", "))
    };
    Trust { j: marks, summary, lost: lost.len(), formulas: Vec::new(), markup: String::new(), newton: String::new() }
}

/// "float64: 4.41080e−5 · true: −8.333333327777772e−6 (15 digits sure) · 0 of 16 digits right".
fn hover(float: f64, truth: Dd, right: u32) -> String {
    let sure = truth_digits(float, truth);
    let true_part = if sure == 0 {
        "true value unknown: double-double loses all its digits here too".to_string()
    } else {
        // The float64 nearest the true value: as many digits as a hover can use.
        format!("true: {} (to the {sure} digits double-double keeps here)", format_entry_full(truth.hi))
    };
    format!("float64: {} · {true_part} · {right} of 16 digits right", format_entry(float))
}

fn format_entry_full(v: f64) -> String {
    super::format_full(v).replace('-', "−")
}

/// The check as the worker sends it to the page: the count of entries that lost digits,
/// the summary, then a line per marked entry of J (`i\tj\thover`).
pub fn encode(t: &Trust) -> String {
    let mut out = format!("{}\n{}\n", t.lost, t.summary);
    for (i, row) in t.j.iter().enumerate() {
        for (j, mark) in row.iter().enumerate() {
            if let Some(m) = mark {
                out.push_str(&format!("{i}\t{j}\t{m}\n"));
            }
        }
    }
    if !t.formulas.is_empty() {
        out.push('\u{2}');
        out.push_str(&t.formulas.join("\n"));
    }
    if !t.markup.is_empty() || !t.newton.is_empty() {
        out.push('\u{3}');
        out.push_str(&t.markup);
    }
    if !t.newton.is_empty() {
        out.push('\u{4}');
        out.push_str(&t.newton);
    }
    out
}

/// `encode`'s text read back, for a J of `m` rows and `n` columns.
pub fn decode(text: &str, m: usize, n: usize) -> Trust {
    let (text, newton) = text.split_once('\u{4}').unwrap_or((text, ""));
    let (text, markup) = text.split_once('\u{3}').unwrap_or((text, ""));
    let (text, formulas) = text.split_once('\u{2}').unwrap_or((text, ""));
    let formulas = if formulas.is_empty() { Vec::new() } else { formulas.split('\n').map(String::from).collect() };
    let mut lines = text.lines();
    let lost = lines.next().and_then(|l| l.parse().ok()).unwrap_or(0);
    let summary = lines.next().unwrap_or("").to_string();
    let mut j = Vec::new();
    for line in lines {
        let mut parts = line.splitn(3, '\t');
        if let (Some(Ok(i)), Some(Ok(k)), Some(mark)) =
            (parts.next().map(str::parse::<usize>), parts.next().map(str::parse::<usize>), parts.next())
        {
            if j.is_empty() {
                j = vec![vec![None; n]; m];
            }
            if let Some(cell) = j.get_mut(i).and_then(|r: &mut Vec<Option<String>>| r.get_mut(k)) {
                *cell = Some(mark.to_string());
            }
        }
    }
    Trust { j, summary, lost, formulas, markup: markup.to_string(), newton: newton.to_string() }
}
