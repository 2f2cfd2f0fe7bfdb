//! The Batch view's picture (the page draws it; the worker writes the text): every
//! point's J as one tile of a mosaic on one colour scale, so the tiles compare.

use super::heat::{heat_image_on, HeatImage, Scale};
use crate::core::point::parse_points;
use crate::core::{Matrix, Tape};

/// The most points drawn as tiles (the text lists its own number of them).
pub const TILES: usize = 64;
/// The most node visits the page spends on the tiles' Jacobians, so a big network's batch
/// keeps the page responsive: fewer tiles are drawn, and the view says so.
const VISITS: usize = 4_000_000;
/// A tile's picture is at most this many pixels along a side.
const TILE_SIDE: usize = 128;

/// The batch's points and the Jacobians of those drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchJs {
    pub points: Vec<Vec<f64>>,
    /// J at each of the first `js.len()` points.
    pub js: Vec<Matrix>,
}

/// Reads the batch's text and computes J at the points drawn (the first `TILES`, fewer
/// where the work would pass `VISITS`).
pub fn batch_jacobians(tape: &Tape, text: &str) -> Result<BatchJs, String> {
    let points = parse_points(text, tape.n())?;
    let per_point = (tape.m() * tape.work()).max(1);
    let drawn = points.len().min(TILES).min((VISITS / per_point).max(1));
    // Each J as the page computes J at its point (the strategy the cost model picks).
    let (strategy, mut ws) = (crate::core::choose(tape).0, crate::core::Workspace::default());
    let js = points[..drawn].iter().map(|x| crate::core::jacobian(tape, x, strategy, &mut ws).j).collect();
    Ok(BatchJs { points, js })
}

/// The tiles laid out in rows, with a transparent pixel between tiles.
#[derive(Clone, Debug, PartialEq)]
pub struct Mosaic {
    pub image: HeatImage,
    /// Tiles across, and one tile's picture in pixels (rows, columns).
    pub across: usize,
    pub tile: (usize, usize),
}

/// Every J as a tile, on the diverging scale of the largest finite entry of them all; the
/// legend says how many of the batch's `total` points are drawn and, where not all are, why.
pub fn mosaic(js: &[Matrix], total: usize) -> Mosaic {
    let max = js.iter().flat_map(|j| &j.data).filter(|v| v.is_finite()).fold(0.0f64, |s, v| s.max(v.abs()));
    let pictures: Vec<HeatImage> =
        js.iter().map(|j| heat_image_on(j, Scale::Diverging, Some(max), TILE_SIDE)).collect();
    let Some(first) = pictures.first() else {
        return Mosaic {
            image: HeatImage { rows: 0, cols: 0, rgba: Vec::new(), legend: String::new() },
            across: 1,
            tile: (0, 0),
        };
    };
    let (th, tw) = (first.rows, first.cols);
    let across = tiles_across(js.len(), th, tw);
    let down = js.len().div_ceil(across);
    let (w, h) = (across * (tw + 1) - 1, down * (th + 1) - 1);
    let mut rgba = vec![0u8; w * h * 4];
    for (k, p) in pictures.iter().enumerate() {
        let (x0, y0) = (k % across * (tw + 1), k / across * (th + 1));
        for (r, row) in p.rgba.chunks_exact(tw * 4).enumerate() {
            let at = ((y0 + r) * w + x0) * 4;
            rgba[at..at + tw * 4].copy_from_slice(row);
        }
    }
    let k = js.len();
    let drawn = if k == total {
        format!("{k} tile{}, one a point, in the list's order, ", if k == 1 { "" } else { "s" })
    } else {
        format!("The first {k} of {total} points{}, ", if k < TILES { " (the page's budget of work)" } else { "" })
    };
    let legend = first.legend.replace("Blue", &(drawn + "on one scale: blue"));
    Mosaic { image: HeatImage { rows: h, cols: w, rgba, legend }, across, tile: (th, tw) }
}

/// How many tiles a row holds: the layout whose picture is nearest twice as wide as high
/// (the panel's shape), fewest rows on a tie.
fn tiles_across(count: usize, th: usize, tw: usize) -> usize {
    let off = |c: usize| (c * (tw + 1)).abs_diff(2 * count.div_ceil(c) * (th + 1));
    (1..=count.max(1)).min_by_key(|&c| off(c)).unwrap_or(1)
}

/// The keyboard over the mosaic: the arrows move through an entry's J, left and right
/// going on into the neighbouring point's tile at J's edge; Page Up and Page Down move to
/// the same entry of the point before or after; Home and End to the first and last point.
/// From (point, row, column) among `count` points of m × n Js; None for other keys.
pub fn step(
    key: &str,
    (k, i, j): (usize, usize, usize),
    count: usize,
    (m, n): (usize, usize),
) -> Option<(usize, usize, usize)> {
    let last = count.saturating_sub(1);
    Some(match key {
        "ArrowLeft" if j == 0 && k > 0 => (k - 1, i, n.saturating_sub(1)),
        "ArrowRight" if j + 1 >= n && k < last => (k + 1, i, 0),
        "PageUp" => (k.saturating_sub(1), i, j),
        "PageDown" => ((k + 1).min(last), i, j),
        "Home" => (0, i, j),
        "End" => (last, i, j),
        _ => {
            let (i, j) = super::heat::step_cursor(key, (i, j), m, n)?;
            (k, i, j)
        }
    })
}

impl Mosaic {
    /// The picture with the pixels of one tile's entry (point, row, column) marked, in
    /// black within a white frame where the entry has room for it: the keyboard's cursor.
    pub fn marked(&self, (k, i, j): (usize, usize, usize), (m, n): (usize, usize)) -> Vec<u8> {
        let mut rgba = self.image.rgba.clone();
        let ((th, tw), w) = (self.tile, self.image.cols);
        if th == 0 || tw == 0 || m == 0 || n == 0 || self.across == 0 {
            return rgba;
        }
        let (x0, y0) = (k % self.across * (tw + 1), k / self.across * (th + 1));
        let (xs, ys) =
            (x0 + j * tw / n..x0 + ((j + 1) * tw).div_ceil(n), y0 + i * th / m..y0 + ((i + 1) * th).div_ceil(m));
        for y in ys.clone() {
            for x in xs.clone() {
                let edge = y == ys.start || y + 1 == ys.end || x == xs.start || x + 1 == xs.end;
                let c = if edge && xs.len() > 2 && ys.len() > 2 { 255 } else { 0 };
                if let Some(px) = rgba.get_mut((y * w + x) * 4..(y * w + x) * 4 + 4) {
                    px.copy_from_slice(&[c, c, c, 255]);
                }
            }
        }
        rgba
    }

    /// The tile and the entry of J (point, row, column) at a point of the picture given as
    /// fractions of its width and height from the top left; None between tiles.
    pub fn entry_at(&self, x: f64, y: f64, count: usize, (m, n): (usize, usize)) -> Option<(usize, usize, usize)> {
        let (th, tw) = self.tile;
        let px = (x * self.image.cols as f64).floor();
        let py = (y * self.image.rows as f64).floor();
        if px < 0.0 || py < 0.0 || tw == 0 || th == 0 {
            return None;
        }
        let (px, py) = (px as usize, py as usize);
        let (c, u) = (px / (tw + 1), px % (tw + 1));
        let (r, v) = (py / (th + 1), py % (th + 1));
        let k = r * self.across + c;
        (u < tw && v < th && c < self.across && k < count).then(|| (k, v * m / th, u * n / tw))
    }
}

/// The words under the tiles for the tile entry (point `k`, row `i`, column `j`).
pub fn readout(batch: &BatchJs, (k, i, j): (usize, usize, usize), (rows, cols): (&[String], &[String])) -> String {
    let (Some(x), Some(jm)) = (batch.points.get(k), batch.js.get(k)) else { return String::new() };
    let at = x.iter().map(|v| super::format_entry(*v)).collect::<Vec<_>>().join(", ");
    let name = |k: usize, v: &[String]| v.get(k).cloned().unwrap_or_default();
    format!(
        "Point {} at ({at}): ∂{}/∂{} = {}",
        k + 1,
        name(i, rows),
        name(j, cols),
        super::format_full(jm.entry(i, j).unwrap_or(f64::NAN))
    )
}
