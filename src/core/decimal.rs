//! Decimal text to f64, by the standard library's grammar (`[+-]`, digits with an optional
//! point, an optional exponent; `inf`, `infinity`, `nan` in any case), checked here, so
//! every host reads exactly the same strings. The value itself comes from the standard
//! library natively and from the browser's `parseFloat` in the page (installed by the app,
//! `install_host`): std's correctly rounded parser carries a table of powers of five,
//! most of it incompressible, and the browser already has a parser. Both round correctly
//! (ECMAScript requires it up to 20 significant digits; the page writes at most 17, and
//! the engines round longer input correctly too).

/// The browser's converter, once the page installs it.
#[cfg(target_arch = "wasm32")]
static HOST: std::sync::OnceLock<fn(&str) -> f64> = std::sync::OnceLock::new();

/// Installs the page's converter (`parseFloat`), called on text this module has checked.
#[cfg(target_arch = "wasm32")]
pub fn install_host(convert: fn(&str) -> f64) {
    let _ = HOST.set(convert);
}

/// `text` as an f64 if it is a number by the standard library's grammar (infinite and NaN
/// values included), else None.
pub fn parse(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let unsigned = match b.first() {
        Some(b'+' | b'-') => &text[1..],
        _ => text,
    };
    let word = unsigned.to_ascii_lowercase();
    if matches!(word.as_str(), "inf" | "infinity" | "nan") {
        let v = if word == "nan" { f64::NAN } else { f64::INFINITY };
        return Some(if b[0] == b'-' { -v } else { v });
    }
    let u = unsigned.as_bytes();
    let digits = |mut k: usize| {
        let start = k;
        while k < u.len() && u[k].is_ascii_digit() {
            k += 1;
        }
        (k, k - start)
    };
    let (mut k, whole) = digits(0);
    let mut fraction = 0;
    if k < u.len() && u[k] == b'.' {
        (k, fraction) = digits(k + 1);
    }
    if whole + fraction == 0 {
        return None;
    }
    if k < u.len() && (u[k] | 0x20) == b'e' {
        k += 1;
        if k < u.len() && (u[k] == b'+' || u[k] == b'-') {
            k += 1;
        }
        let (end, exponent) = digits(k);
        if exponent == 0 {
            return None;
        }
        k = end;
    }
    (k == u.len()).then(|| convert(text))
}

#[cfg(not(target_arch = "wasm32"))]
fn convert(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

#[cfg(target_arch = "wasm32")]
fn convert(text: &str) -> f64 {
    HOST.get().map_or(f64::NAN, |f| f(text))
}
