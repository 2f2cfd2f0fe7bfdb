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

/// A picture is at most this many pixels along a side. Its canvas is a few hundred CSS
/// pixels wide, so a bigger picture would be thinned by the browser's scaling, which drops
/// whole rows and columns; a block of entries per pixel keeps every entry in view.
pub const PICTURE_MAX: usize = 512;

/// An RGBA picture of a row-major `rows × cols` matrix (`rows × cols` pixels, a pixel per
/// block of entries for a matrix larger than `PICTURE_MAX`), and the legend's words.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatImage {
    pub rows: usize,
    pub cols: usize,
    pub rgba: Vec<u8>,
    pub legend: String,
}

const SIGN: u64 = 1 << 63;
const INFINITY_BITS: u64 = 0x7ff0_0000_0000_0000;
const FLOOR: f64 = -16.0;
const CEIL: f64 = -2.0;

/// The picture of a matrix, row by row: a pixel per entry, or for a big matrix a pixel per
/// block of entries showing the block's entry of largest magnitude (NaN first), so a lone
/// nonzero, a large error or an undefined entry is never averaged or scaled away.
pub fn heat_image(m: &Matrix, scale: Scale) -> HeatImage {
    heat_image_on(m, scale, None, PICTURE_MAX)
}

/// `heat_image` with the diverging scale saturating at `max` where given (pictures that
/// are compared share one scale), and at most `side` pixels along a side.
pub fn heat_image_on(m: &Matrix, scale: Scale, max: Option<f64>, side: usize) -> HeatImage {
    let (br, bc) = (m.rows.div_ceil(side).max(1), m.cols.div_ceil(side).max(1));
    let (pooled, largest) = pool(m, br, bc);
    let max = max.unwrap_or(largest);
    let (rows, cols) = (m.rows.div_ceil(br), m.cols.div_ceil(bc));
    let mut rgba = vec![255u8; rows * cols * 4];
    let pixels = rgba.chunks_exact_mut(4).zip(&pooled);
    let mut legend = match scale {
        Scale::Diverging => {
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
    if br * bc > 1 {
        legend.push_str(&format!(" A pixel shows the largest of {br} × {bc} entries."));
    }
    HeatImage { rows, cols, rgba, legend }
}

/// Each `br × bc` block's entry of largest magnitude (NaN first), row-major, and the
/// largest finite |entry|, in one pass over the entries (a big J is tens of megabytes:
/// reading it is the cost).
pub(crate) fn pool(m: &Matrix, br: usize, bc: usize) -> (Vec<f64>, f64) {
    let cols = m.cols.div_ceil(bc);
    let len = m.rows.div_ceil(br) * cols;
    let (mut out, mut keys, mut max) = (vec![0.0f64; len], vec![0u64; len], 0u64);
    for (i, row) in m.data.chunks_exact(m.cols.max(1)).enumerate() {
        let at = i / br * cols..(i / br + 1) * cols;
        for ((best, key), block) in out[at.clone()].iter_mut().zip(&mut keys[at]).zip(row.chunks(bc)) {
            for &v in block {
                // |v|'s bits order magnitudes as integers, with ∞ above every number and NaN
                // above ∞: integer comparisons per entry, no float branches.
                let k = v.to_bits() & !SIGN;
                if k > *key {
                    (*key, *best) = (k, v);
                }
                if k < INFINITY_BITS && k > max {
                    max = k;
                }
            }
        }
    }
    (out, f64::from_bits(max))
}

/// The most a picture is zoomed: its long side then spans this many times the panel.
pub const ZOOM_MAX: usize = 16;

/// A picture zoomed `zoom` times (1, 2, 4, …) along its longer side: its box's CSS width
/// and aspect ratio (None at 1: the stylesheet's square), and the most pixels along a side
/// its image may have (more entries get a pixel each as it widens).
pub fn zoomed(zoom: usize, rows: usize, cols: usize) -> (Option<String>, Option<String>, usize) {
    let side = PICTURE_MAX * zoom.clamp(1, ZOOM_MAX);
    if zoom <= 1 {
        return (None, None, side);
    }
    if cols >= rows {
        (Some(format!("{}%", 100 * zoom)), Some(zoom.to_string()), side)
    } else {
        (None, Some(format!("1/{zoom}")), side)
    }
}

/// Where a scroll box showing a `size`-long picture through a `view`-long window, scrolled
/// to `now`, scrolls so the point `percent` along the picture is in view: where it is
/// (the point inside the window's middle 80 %), else with the point in the middle.
pub fn scroll_to(percent: f64, size: f64, view: f64, now: f64) -> i32 {
    let at = percent / 100.0 * size - now;
    if (0.1 * view..=0.9 * view).contains(&at) {
        return now as i32;
    }
    (percent / 100.0 * size - view / 2.0).max(0.0) as i32
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

/// Where the centre of entry `k` of `len` lies along a side of the picture, in percent
/// (the cursor's mark; a picture of blocks keeps the entries' proportions).
pub fn centre_percent(k: usize, len: usize) -> f64 {
    (k as f64 + 0.5) / len.max(1) as f64 * 100.0
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
