//! The paint pad's logic: which input is an image, which pixels a stroke covers, and each
//! output's row of J reshaped to the image (its saliency map). An input declared as a
//! matrix (`img[8, 8]`, up to 28 × 28) is an image whose point is painted, not dragged.

use super::heat::{heat_image, HeatImage, Scale};
use crate::core::{Matrix, Tape};

/// The largest image side painted on the pad (MNIST's 28); a bigger matrix input keeps
/// the sliders.
pub const SIDE_MAX: usize = 28;
/// Saliency maps shown, one per output from the first: a classifier's ten classes.
pub const MAPS_MAX: usize = 10;
/// Maps on a line of the sheet.
pub const SHEET_COLUMNS: usize = 5;

/// A matrix input: its name, shape, and where its entries sit among J's columns (row-major,
/// as the signature orders them).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ImageInput {
    pub name: String,
    pub rows: usize,
    pub cols: usize,
    pub first: usize,
    /// A parameter (a weight matrix, J by the parameters): its values are not ink, so it
    /// is drawn on a diverging scale and gets no preset digits.
    pub weights: bool,
}

impl ImageInput {
    /// J's column of pixel (i, j).
    pub fn column(&self, i: usize, j: usize) -> usize {
        self.first + i * self.cols + j
    }
}

/// The first input declared as a matrix of at most `SIDE_MAX` × `SIDE_MAX`.
pub fn image_input(tape: &Tape) -> Option<ImageInput> {
    let mut first = 0;
    for (name, dims) in &tape.input_shapes {
        if let [rows, cols] = dims[..] {
            if (2..=SIDE_MAX).contains(&rows) && (2..=SIDE_MAX).contains(&cols) {
                let weights = tape.variables.iter().any(|v| v.param && v.name == *name);
                return Some(ImageInput { name: name.clone(), rows, cols, first, weights });
            }
        }
        first += dims.iter().product::<usize>();
    }
    None
}

/// The pixels a stroke from `from` to `to` passes (both ends included), so a fast pointer
/// that skips cells between two events still draws a line.
pub fn stroke(from: (usize, usize), to: (usize, usize)) -> Vec<(usize, usize)> {
    let (di, dj) = (to.0 as f64 - from.0 as f64, to.1 as f64 - from.1 as f64);
    let steps = di.abs().max(dj.abs()) as usize;
    (0..=steps)
        .map(|s| {
            let t = if steps == 0 { 0.0 } else { s as f64 / steps as f64 };
            ((from.0 as f64 + t * di).round() as usize, (from.1 as f64 + t * dj).round() as usize)
        })
        .collect()
}

/// The first `MAPS_MAX` outputs' rows of J, each reshaped to the image and on its own
/// diverging scale (an unlikely class has small derivatives; on a shared scale its map
/// would be blank), tiled `SHEET_COLUMNS` to a line with a white pixel between: one picture,
/// drawn into one canvas.
pub fn saliency_sheet(j: &Matrix, img: &ImageInput) -> HeatImage {
    let count = j.rows.min(MAPS_MAX);
    let per_line = count.clamp(1, SHEET_COLUMNS);
    let lines = count.div_ceil(per_line).max(1);
    let (w, h) = (per_line * (img.cols + 1) - 1, lines * (img.rows + 1) - 1);
    let mut rgba = vec![255u8; w * h * 4];
    let size = img.rows * img.cols;
    for k in 0..count {
        let mut m = Matrix::zeros(img.rows, img.cols);
        if img.first + size <= j.cols {
            m.data.copy_from_slice(&j.row(k)[img.first..img.first + size]);
        }
        let pic = heat_image(&m, Scale::Diverging);
        let (top, left) = (k / per_line * (img.rows + 1), k % per_line * (img.cols + 1));
        for i in 0..img.rows {
            let at = ((top + i) * w + left) * 4;
            rgba[at..at + img.cols * 4].copy_from_slice(&pic.rgba[i * img.cols * 4..(i + 1) * img.cols * 4]);
        }
    }
    // No one number: each map saturates at its own largest |entry|.
    let legend = "blue < 0, white 0, red > 0, each map up to its own largest |∂|; grey: NaN.".into();
    HeatImage { rows: h, cols: w, rgba, legend }
}

/// The image as grey pixels: ink 1 black, 0 white (values beyond are clamped; NaN is grey).
/// Weights are on the diverging scale of their largest |entry| (blue < 0 < red), as J is.
pub fn ink_rgba(at: &[f64], img: &ImageInput) -> Vec<u8> {
    let values: Vec<f64> = (0..img.rows * img.cols).map(|k| at.get(img.first + k).copied().unwrap_or(0.0)).collect();
    if img.weights {
        let mut m = Matrix::zeros(img.rows, img.cols);
        m.data = values;
        return heat_image(&m, Scale::Diverging).rgba;
    }
    let mut out = Vec::with_capacity(values.len() * 4);
    for v in values {
        let g = if v.is_nan() { 160 } else { (255.0 * (1.0 - v.clamp(0.0, 1.0))).round() as u8 };
        out.extend([g, g, g, 255]);
    }
    out
}

/// The index of the largest output (the predicted class), if any is a number.
pub fn top(f: &[f64]) -> Option<usize> {
    (0..f.len()).filter(|&i| !f[i].is_nan()).max_by(|&a, &b| f[a].total_cmp(&f[b]))
}
