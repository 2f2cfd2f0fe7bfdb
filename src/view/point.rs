//! The point and the pad: reading a coordinate, carrying a point across an edit, and the
//! ranges, zoom and key steps of the pad and sliders.

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

/// Parses one coordinate typed by the user: the same rule as links and the CLI (finite).
pub fn parse_coordinate(text: &str) -> Result<f64, String> {
    crate::core::point::parse_coordinate(text)
}

/// The slider range of an input: its home value ± max(2, |home|).
pub fn input_range(home: f64) -> (f64, f64) {
    let home = if home.is_finite() { home } else { 0.0 };
    let r = home.abs().max(2.0);
    (home - r, home + r)
}

/// `range` scaled by `factor` about the value `at` (which keeps its place on the pad):
/// below 1 zooms in. Kept above a width where its four shown digits still differ.
pub fn zoom_range((lo, hi): (f64, f64), at: f64, factor: f64) -> (f64, f64) {
    let width = ((hi - lo) * factor).clamp(1e-9 * at.abs().max(1e-300), 1e15);
    let u = if hi > lo { ((at - lo) / (hi - lo)).clamp(0.0, 1.0) } else { 0.5 };
    (at - u * width, at + (1.0 - u) * width)
}

/// `range`, or the same width centred on `v` when `v` is not inside it by `margin` (a
/// fraction of the width): a point stepped off the pad (margin 0) or typed near its edge
/// (margin 0.1) brings the view with it.
pub fn follow((lo, hi): (f64, f64), v: f64, margin: f64) -> (f64, f64) {
    // A dragged value is rounded to four digits of the range and may land just outside it.
    let inset = (hi - lo) * (margin - 1e-3);
    if !v.is_finite() || (lo + inset..=hi - inset).contains(&v) {
        return (lo, hi);
    }
    let half = (hi - lo) / 2.0;
    (v - half, v + half)
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

/// The most inputs that get a slider and a field each at once.
pub const FIELDS_MAX: usize = 16;

/// Which inputs get a slider and a field, as `(start, end)`: all of them up to
/// `FIELDS_MAX`; past that, a long vector collapses into one list of every value and the
/// one entry `entry` (kept inside `0..n`), so the page stays short on a phone.
pub fn fields_window(n: usize, entry: usize) -> (usize, usize) {
    if n <= FIELDS_MAX {
        (0, n)
    } else {
        let k = entry.min(n - 1);
        (k, k + 1)
    }
}

/// Every value of the point as one editable list (full precision, so that reading the
/// list back changes nothing).
pub fn format_list(x: &[f64]) -> String {
    let mut list = String::new();
    for (k, &v) in x.iter().enumerate() {
        if k > 0 {
            list.push_str(", ");
        }
        list.push_str(&super::format_full(v));
    }
    list
}

/// A list of `n` values typed or pasted (the point's `inputs`, a target's `outputs`, a
/// tensor's `entries`: `what` names them in the message): commas, semicolons, spaces or
/// new lines between them, brackets ignored, so a Python or NumPy list pastes as it
/// prints. The same number rule as one coordinate.
pub fn parse_list(text: &str, n: usize, what: &str) -> Result<Vec<f64>, String> {
    // Rewritten with one comma between values, counted on the way, so a huge paste is
    // counted rather than parsed.
    let (mut list, mut count) = (String::new(), 0);
    for c in text.chars() {
        if c.is_whitespace() || ",;[]()".contains(c) {
            if !list.is_empty() && !list.ends_with(',') {
                list.push(',');
            }
        } else {
            if list.is_empty() || list.ends_with(',') {
                count += 1;
            }
            list.push(c);
        }
    }
    if count != n {
        return Err(format!("{count} values for {n} {what}"));
    }
    crate::core::point::parse_point(list.trim_end_matches(','))
}

/// Two distinct indices among `n` (the pad's inputs, the linearisation's outputs) from a
/// choice that may be out of range or repeated: the first clamped, the second the next
/// one round when it is not usable. With one index both are it.
pub fn pick_pair((a, b): (usize, usize), n: usize) -> (usize, usize) {
    let a = a.min(n.saturating_sub(1));
    let b = if n > 1 && b < n && b != a {
        b
    } else if n > 1 {
        (a + 1) % n
    } else {
        a
    };
    (a, b)
}

/// The values of the signature's inputs and of its number parameters, from a tape
/// compiled with any choice of J's columns and its point: what a link carries (`at=`,
/// `p=`). A vector or matrix parameter keeps its value as written.
pub fn signature_values(tape: &crate::core::Tape, at: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let (mut inputs, mut params, mut k) = (Vec::new(), Vec::new(), 0);
    for v in &tape.variables {
        let count: usize = v.dims.iter().product();
        let values = if v.column {
            k += count;
            at.get(k - count..k).unwrap_or(&[])
        } else {
            &v.values[..]
        };
        if !v.param {
            inputs.extend_from_slice(values)
        } else if v.dims.is_empty() {
            params.extend_from_slice(values)
        }
    }
    (inputs, params)
}

/// Whether `entry` (`a`, `W[0, 1]`) is an entry of the signature's name `name`.
pub fn is_entry_of(entry: &str, name: &str) -> bool {
    entry.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
}

/// For a function with parameters: a sentence on which names are held fixed, then those
/// held fixed that are numbers (each gets a slider). Empty for a function without.
pub fn columns_choice(tape: &crate::core::Tape) -> Vec<String> {
    if !tape.variables.iter().any(|v| v.param) {
        return Vec::new();
    }
    let fixed: Vec<&crate::core::tape::Variable> = tape.variables.iter().filter(|v| !v.column).collect();
    let list = fixed.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(", ");
    let said = if fixed.is_empty() {
        "Every name is a column of J.".to_string()
    } else {
        format!("Held fixed (constants of the tape, not columns of J): {list}.")
    };
    std::iter::once(said).chain(fixed.iter().filter(|v| v.dims.is_empty()).map(|v| v.name.clone())).collect()
}

/// Vector and matrix parameters held fixed (constants of the tape) are edited as a list
/// of their values up to this many entries; past it, in the source.
pub const EDITED_MAX: usize = 4096;

/// The vector and matrix parameters held fixed, one a line, each its values row by row:
/// `W = 1, 2, 3, 4`. Empty where there are none.
pub fn fixed_tensors_text(tape: &crate::core::Tape) -> String {
    let lines: Vec<String> = fixed_tensors(tape).map(|v| format!("{} = {}", v.name, format_list(&v.values))).collect();
    lines.join("\n")
}

fn fixed_tensors(tape: &crate::core::Tape) -> impl Iterator<Item = &crate::core::tape::Variable> {
    tape.variables.iter().filter(|v| v.param && !v.column && !v.dims.is_empty() && v.values.len() <= EDITED_MAX)
}

/// Reads `fixed_tensors_text` back as edited: for each line, the entries of its tensor the
/// edit changed, by name and value (a line's list read as `parse_list` reads one, brackets ignored, so
/// `W = [[1, 7], [3, 4]]` pastes as NumPy prints). A line that names no such tensor, or
/// has the wrong count, is said by its name.
pub fn parse_fixed_tensors(text: &str, tape: &crate::core::Tape) -> Result<Vec<(String, f64)>, String> {
    let mut entries = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (name, list) = line
            .split_once('=')
            .ok_or_else(|| format!("'{}' is not `name = values`", crate::core::point::shown(line, 20)))?;
        let name = name.trim();
        let v = fixed_tensors(tape)
            .find(|v| v.name == name)
            .ok_or_else(|| format!("'{}' is not a vector or matrix held fixed", crate::core::point::shown(name, 20)))?;
        let x = parse_list(list, v.values.len(), "entries").map_err(|e| format!("{name}: {e}"))?;
        // Only the entries the edit changed, so a link carries those.
        let changed = x.into_iter().enumerate().filter(|&(k, x)| x.to_bits() != v.values[k].to_bits());
        entries.extend(changed.map(|(k, x)| (crate::core::tensor::entry_name(name, &v.dims, k), x)));
    }
    Ok(entries)
}

/// The parameters that are numbers, in signature order (a link's `p=` values).
pub fn number_params(tape: &crate::core::Tape) -> Vec<String> {
    tape.variables.iter().filter(|v| v.param && v.dims.is_empty()).map(|v| v.name.clone()).collect()
}

/// A slider's range as typed: two finite numbers, low first, between them `…`, `..`, `,`
/// or spaces (`-1 … 3`, `0, 10`), and optionally its step (`0 … 10 step 0.5`).
pub fn parse_range(text: &str) -> Option<(f64, f64, Option<f64>)> {
    let (range, step) = match text.split_once("step") {
        Some((r, s)) => (r, Some(parse_coordinate(s).ok().filter(|s| *s > 0.0)?)),
        None => (text, None),
    };
    let spaced = range.replace(['…', ','], " ").replace("..", " ");
    let mut parts = spaced.split_whitespace().map(parse_coordinate);
    match (parts.next(), parts.next(), parts.next()) {
        // At most 100 000 steps: a slider has one position per step.
        (Some(Ok(lo)), Some(Ok(hi)), None) if lo < hi && step.is_none_or(|s| (hi - lo) / s <= 1e5) => {
            Some((lo, hi, step))
        }
        _ => None,
    }
}

/// A slider's positions over its range: one per step, or 1000 without a step.
pub fn slider_positions((lo, hi): (f64, f64), step: Option<f64>) -> f64 {
    step.map_or(1000.0, |s| ((hi - lo) / s).round().max(1.0))
}

/// The value at slider position `pos`: `lo + pos·step`, or without a step rounded to 4
/// significant digits of the range (`from_unit`).
pub fn slider_value(pos: f64, range: (f64, f64), step: Option<f64>) -> f64 {
    match step {
        Some(s) => range.0 + pos * s,
        None => from_unit(pos / 1000.0, range),
    }
}
