//! Numbers as the page prints them, and the page's one float sort.

use crate::core::syntax::format_number;

/// A matrix entry for display: exact integers as integers, else 6 significant digits,
/// scientific outside [1e-4, 1e6); NaN and ±∞ spelled out.
pub fn format_entry(v: f64) -> String {
    rounded(v, 6, 5, 1e-4..1e6)
}

/// A number where there is room for a few characters (a class score under the paint pad):
/// 3 significant digits, or 2 in scientific form outside [1e-3, 1e4); exact integers, NaN
/// and ±∞ as `format_entry` writes them. The full value goes beside it (`format_full`, in
/// a tooltip).
pub fn format_short(v: f64) -> String {
    rounded(v, 3, 1, 1e-3..1e4)
}

/// Exact integers (below 1e15) as integers; else `digits` significant digits within
/// `plain`, and outside it scientific form with `exp_decimals` decimals; NaN and ±∞ spelled
/// out.
fn rounded(v: f64, digits: i32, exp_decimals: usize, plain: std::ops::Range<f64>) -> String {
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
    } else if plain.contains(&a) {
        let decimals = (digits - 1 - a.log10().floor() as i32).max(0) as usize;
        let t = format!("{v:.decimals$}");
        if t.contains('.') {
            t.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            t
        }
    } else {
        format!("{v:.exp_decimals$e}")
    };
    s.replace('-', "−")
}

/// Numbers as a comma-separated list, each shown by `show` (one copy of the iterator code
/// for every list the page prints).
pub fn entries(v: &[f64], show: fn(f64) -> String) -> String {
    join_bounded(v.iter().map(|x| show(*x)), ", ")
}

/// A line lists at most this many items: a person reads (or hears) a dozen numbers, and a
/// line of 2 000 is work for the page with nothing gained.
pub const LIST_MAX: usize = 12;

/// The first `LIST_MAX` items joined by `sep`, then how many more there are.
pub fn join_bounded(items: impl ExactSizeIterator<Item = String>, sep: &str) -> String {
    let n = items.len();
    let mut shown: Vec<String> = items.take(LIST_MAX).collect();
    if n > LIST_MAX {
        shown.push(format!("… ({} more)", n - LIST_MAX));
    }
    shown.join(sep)
}

/// The most options a menu of inputs or outputs lists at once.
pub const MENU_MAX: usize = 64;

/// Which of `count` choices (inputs, outputs) a menu lists, ascending: all of them up to
/// `MENU_MAX`; beyond, the multiples of a stride at each of a few scales: count/16 over the
/// whole range, then a sixteenth of the stride before, eight strides either side of
/// `selected`, down to 1; and the last one. A pick at one scale brings the next scale's
/// window over any target: every choice is a few picks away (three for 2 000), and the
/// menu stays under ~100.
pub fn menu_choices(count: usize, selected: usize) -> Vec<usize> {
    if count <= MENU_MAX {
        return (0..count).collect();
    }
    let selected = selected.min(count - 1);
    let mut shown = vec![0, count - 1];
    let mut stride = count.div_ceil(16);
    let mut reach = count;
    loop {
        let first = selected.saturating_sub(reach) / stride * stride;
        let last = (selected + reach).min(count - 1);
        for c in (first..=last).step_by(stride) {
            // In place, ascending (a sort would cost the page its own copy per type).
            if let Err(at) = shown.binary_search(&c) {
                shown.insert(at, c);
            }
        }
        if stride == 1 {
            return shown;
        }
        stride = stride.div_ceil(16);
        reach = 8 * stride;
    }
}

/// Full precision, for tooltips and copying.
pub fn format_full(v: f64) -> String {
    format_number(v)
}

/// Ascending, for the few values of a spectrum. An insertion sort: the standard library's
/// sort is kilobytes of wasm per element type, for lists of 2 to 8 numbers here.
pub fn sort_floats(v: &mut [f64]) {
    for i in 1..v.len() {
        let mut k = i;
        while k > 0 && v[k - 1].total_cmp(&v[k]).is_gt() {
            v.swap(k - 1, k);
            k -= 1;
        }
    }
}

/// A size in memory as a sentence says it: `168 bytes`, `5.5 KB`, `1.4 MB`.
pub fn bytes(b: usize) -> String {
    match b {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1 << 20 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1 << 20) as f64),
    }
}
