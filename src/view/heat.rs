//! Big matrices (J, H, the finite-difference error) as pictures: one pixel per entry, a
//! colour scale with its legend, and the window of entries the text table shows. A person
//! can read a table of about a dozen columns; beyond that the table is a window onto the
//! picture, so the page's work and DOM stay bounded at any size.

use super::field::colour;
use super::format::format_entry;
use crate::core::Matrix;
use std::ops::Range;

/// Above this many rows or columns a matrix is shown as a picture with a windowed table.
pub const TABLE_MAX: usize = 12;
/// Rows and columns of the windowed table.
pub const WINDOW: usize = 8;

pub fn is_big(rows: usize, cols: usize) -> bool {
    rows > TABLE_MAX || cols > TABLE_MAX
}

/// How the picture colours an entry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// Blue < 0 < red, white at 0, saturated at ± the largest finite |entry|.
    Diverging,
    /// Errors: white at ≤ 1e-16, darkening by decade to purple at ≥ 1e-2.
    LogError,
}

/// An RGBA picture of a row-major `rows × cols` matrix, and the legend's words.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatImage {
    pub rows: usize,
    pub cols: usize,
    pub rgba: Vec<u8>,
    pub legend: String,
}

const FLOOR: f64 = -16.0;
const CEIL: f64 = -2.0;

/// The picture of a matrix, a pixel per entry, row by row. One pass over the entries for
/// the scale and one writing pixels in place: at 2 000 × 2 000 this is 4 million pixels
/// inside the frame that shows them.
pub fn heat_image(m: &Matrix, scale: Scale) -> HeatImage {
    let mut rgba = vec![255u8; m.data.len() * 4];
    let pixels = rgba.chunks_exact_mut(4).zip(&m.data);
    let legend = match scale {
        Scale::Diverging => {
            let max = m.data.iter().filter(|v| v.is_finite()).fold(0.0f64, |a, v| a.max(v.abs()));
            let s = if max > 0.0 { max } else { 1.0 };
            // The scale's colours at 513 levels, looked up per entry: finer than the 8-bit
            // channels can show, and a table read instead of arithmetic per pixel.
            let levels: Vec<[u8; 4]> = (0..=512).map(|k| colour(k as f64 / 256.0 - 1.0, 1.0, true)).collect();
            for (px, &v) in pixels {
                let c = if v.is_finite() {
                    levels[((v / s).clamp(-1.0, 1.0) * 256.0 + 256.5) as usize]
                } else {
                    colour(v, s, true)
                };
                px[..3].copy_from_slice(&c[..3]);
            }
            format!("Blue −{0} … white 0 … red +{0}; grey: NaN.", format_entry(max))
        }
        Scale::LogError => {
            for (px, &e) in pixels {
                let t = if e.is_finite() { (e.max(1e-300).log10() - FLOOR) / (CEIL - FLOOR) } else { 1.0 };
                px[..3].copy_from_slice(&colour(t.clamp(0.0, 1.0), 1.0, false)[..3]);
            }
            "White ≤ 1e-16 … purple ≥ 1e-2, by decade.".into()
        }
    };
    HeatImage { rows: m.rows, cols: m.cols, rgba, legend }
}

/// `size` consecutive indices of `0..len` with `centre` among them (as near the middle as
/// the ends allow).
pub fn window(len: usize, centre: usize, size: usize) -> Range<usize> {
    if len <= size {
        return 0..len;
    }
    let start = centre.min(len - 1).saturating_sub(size / 2).min(len - size);
    start..start + size
}

/// The entry at a point of the picture given as fractions of its width and height, clamped.
pub fn cell_at(x: f64, y: f64, rows: usize, cols: usize) -> (usize, usize) {
    let pick = |p: f64, count: usize| ((p * count as f64).floor().max(0.0) as usize).min(count.saturating_sub(1));
    (pick(y, rows), pick(x, cols))
}

/// Moves a cursor by an arrow key; None for other keys.
pub fn step_cursor(key: &str, (i, j): (usize, usize), rows: usize, cols: usize) -> Option<(usize, usize)> {
    Some(match key {
        "ArrowUp" => (i.saturating_sub(1), j),
        "ArrowDown" => ((i + 1).min(rows.saturating_sub(1)), j),
        "ArrowLeft" => (i, j.saturating_sub(1)),
        "ArrowRight" => (i, (j + 1).min(cols.saturating_sub(1))),
        _ => return None,
    })
}
