//! Local linearisation: a small grid and circle around the point, in the plane of two
//! chosen inputs, mapped by f and by its linearisation f(x) + J·dx into the plane of two
//! chosen outputs; the singular values of J and the singular-value ellipse.

use crate::core::{Matrix, Tape};
use nalgebra::DMatrix;

pub type Polyline = Vec<(f64, f64)>;

#[derive(Clone, Debug, PartialEq)]
pub struct LinearView {
    /// Input axes (a, b) and output axes (p, q) actually used (b = a when n = 1, q = p when m = 1).
    pub inputs: (usize, usize),
    pub outputs: (usize, usize),
    pub radius: f64,
    /// Offsets dx in the input plane.
    pub grid_in: Vec<Polyline>,
    pub circle_in: Polyline,
    /// Offsets f(x + dx) − f(x) and J·dx in the output plane. Non-finite points split lines.
    pub grid_f: Vec<Polyline>,
    pub grid_lin: Vec<Polyline>,
    pub circle_f: Vec<Polyline>,
    pub circle_lin: Vec<Polyline>,
    /// The 2×2 (or smaller) block of J between the chosen inputs and outputs.
    pub block: Vec<Vec<f64>>,
    pub block_det: Option<f64>,
    /// Semi-axes σ_k·r·u_k of the ellipse J·(circle of radius r), largest first.
    pub ellipse_axes: Vec<(f64, f64)>,
    pub block_singular: Vec<f64>,
    /// Singular values of the full m×n J, largest first.
    pub singular: Vec<f64>,
    /// max |f(x+dx) − f(x) − J·dx| over the drawn points, over r: how far the linear
    /// picture is from the true one at this radius.
    pub gap: f64,
}

const GRID_LINES: usize = 5;

/// Samples per grid line and around the circle: fewer for long tapes, so one picture
/// stays within ~3 million node evaluations (a 100 000-node program still draws).
fn samples(len: usize) -> (usize, usize) {
    let full = GRID_LINES * 2 * 17 + 64;
    if len * full <= 3_000_000 {
        (17, 64)
    } else {
        (5, 16)
    }
}

/// The most work (rows·cols·min(rows, cols): an SVD's or LU's order of operations) a dense
/// factorisation of J or H is given per point, so det, singular values and eigenvalues stay
/// within a frame's time; about a 100 × 100 matrix.
pub const DENSE_WORK: usize = 1_000_000;

/// Is a dense factorisation of a `rows × cols` matrix within `DENSE_WORK`?
pub fn dense_fits(rows: usize, cols: usize) -> bool {
    rows.saturating_mul(cols).saturating_mul(rows.min(cols)) <= DENSE_WORK
}

/// Singular values, largest first; NaN when J has a non-finite entry (the SVD of such a
/// matrix means nothing).
pub fn singular_values(rows: usize, cols: usize, data: &[f64]) -> Vec<f64> {
    let k = rows.min(cols);
    if k == 0 {
        return Vec::new();
    }
    if !data.iter().all(|v| v.is_finite()) {
        return vec![f64::NAN; k];
    }
    // nalgebra returns them sorted, largest first.
    DMatrix::from_row_slice(rows, cols, data).singular_values().iter().copied().collect()
}

/// det J of a square J, and whether J is singular to rounding: its smallest singular
/// value at most n·ε·σ₁ (then the determinant is 0: what LU gives from rounded entries,
/// such as 1e−14 for a singular 20 × 20, is noise). The SVD runs only where the
/// determinant is small enough to allow it: |det| > n·ε·‖J‖_F^n already bounds σₙ/σ₁
/// above n·ε (as σ₁ ≤ ‖J‖_F and |det| ≤ σₙ·σ₁^(n−1)).
pub fn det_to_rounding(n: usize, data: &[f64]) -> (f64, bool) {
    if n == 0 || !data.iter().all(|v| v.is_finite()) {
        return (f64::NAN, false);
    }
    let det = DMatrix::from_row_slice(n, n, data).determinant();
    let tol = n as f64 * f64::EPSILON;
    let frobenius = data.iter().map(|v| v * v).sum::<f64>().sqrt();
    if det.abs().ln() > tol.ln() + n as f64 * frobenius.ln() {
        return (det, false);
    }
    let s = singular_values(n, n, data);
    if s[n - 1] <= tol * s[0] {
        (0.0, true)
    } else {
        (det, false)
    }
}

pub fn linear_view(
    tape: &Tape,
    at: &[f64],
    j: &Matrix,
    inputs: (usize, usize),
    outputs: (usize, usize),
    radius: f64,
) -> LinearView {
    let (a, b) = super::point::pick_pair(inputs, tape.n());
    let (p, q) = super::point::pick_pair(outputs, tape.m());
    let two_in = b != a;
    let two_out = q != p;

    let mut vals = Vec::new();
    tape.eval_into(at, &mut vals);
    let f0 = tape.output_values(&vals);
    let mut x = at.to_vec();
    let mut gap: f64 = 0.0;
    // (dx_a, dx_b) → (true offset, linear offset) in the output plane.
    let mut map = |du: f64, dv: f64| -> ((f64, f64), (f64, f64)) {
        x[a] = at[a] + du;
        if two_in {
            x[b] = at[b] + dv;
        }
        tape.eval_into(&x, &mut vals);
        let out = |i: usize| vals[tape.outputs[i] as usize] - f0[i];
        let lin = |i: usize| j.get(i, a) * du + if two_in { j.get(i, b) * dv } else { 0.0 };
        let t = (out(p), if two_out { out(q) } else { 0.0 });
        let l = (lin(p), if two_out { lin(q) } else { 0.0 });
        let d = (t.0 - l.0).hypot(t.1 - l.1);
        if d.is_finite() {
            gap = gap.max(d);
        }
        (t, l)
    };

    let r = radius;
    let (grid_samples, circle_samples) = samples(tape.work());
    let mut grid_in = Vec::new();
    let mut grid_f = Vec::new();
    let mut grid_lin = Vec::new();
    let ticks: Vec<f64> = (0..GRID_LINES).map(|k| -r + 2.0 * r * k as f64 / (GRID_LINES - 1) as f64).collect();
    let along: Vec<f64> = (0..grid_samples).map(|k| -r + 2.0 * r * k as f64 / (grid_samples - 1) as f64).collect();
    let mut trace = |pts: Vec<(f64, f64)>| {
        let (t, l): (Vec<_>, Vec<_>) = pts.iter().map(|&(u, v)| map(u, v)).unzip();
        grid_f.extend(split_finite(&t));
        grid_lin.extend(split_finite(&l));
        grid_in.push(pts);
    };
    if two_in {
        for &c in &ticks {
            trace(along.iter().map(|&s| (s, c)).collect());
            trace(along.iter().map(|&s| (c, s)).collect());
        }
    } else {
        trace(along.iter().map(|&s| (s, 0.0)).collect());
    }
    let circle_in: Polyline = if two_in {
        (0..=circle_samples)
            .map(|k| {
                let t = std::f64::consts::TAU * k as f64 / circle_samples as f64;
                (r * t.cos(), r * t.sin())
            })
            .collect()
    } else {
        vec![(-r, 0.0), (r, 0.0)]
    };
    let (cf, cl): (Vec<_>, Vec<_>) = circle_in.iter().map(|&(u, v)| map(u, v)).unzip();

    let rows: Vec<usize> = if two_out { vec![p, q] } else { vec![p] };
    let cols: Vec<usize> = if two_in { vec![a, b] } else { vec![a] };
    let block: Vec<Vec<f64>> = rows.iter().map(|&i| cols.iter().map(|&c| j.get(i, c)).collect()).collect();
    let flat: Vec<f64> = block.iter().flatten().copied().collect();
    let block_det = (two_in && two_out).then(|| flat[0] * flat[3] - flat[1] * flat[2]);
    let (block_singular, ellipse_axes) = block_svd(rows.len(), cols.len(), &flat, r);
    LinearView {
        inputs: (a, b),
        outputs: (p, q),
        radius: r,
        grid_in,
        circle_in,
        grid_f,
        grid_lin,
        circle_f: split_finite(&cf),
        circle_lin: split_finite(&cl),
        block,
        block_det,
        ellipse_axes,
        block_singular,
        singular: if dense_fits(j.rows, j.cols) { singular_values(j.rows, j.cols, &j.data) } else { Vec::new() },
        gap: if r > 0.0 { gap / r } else { 0.0 },
    }
}

/// Singular values of the block and the ellipse semi-axes σ_k·r·u_k in the output plane.
fn block_svd(rows: usize, cols: usize, flat: &[f64], r: f64) -> (Vec<f64>, Vec<(f64, f64)>) {
    if !flat.iter().all(|v| v.is_finite()) {
        return (vec![f64::NAN; rows.min(cols)], Vec::new());
    }
    // `svd` sorts the singular values, largest first.
    let svd = DMatrix::from_row_slice(rows, cols, flat).svd(true, false);
    let Some(u) = svd.u else { return (Vec::new(), Vec::new()) };
    let sigma: Vec<f64> = svd.singular_values.iter().copied().collect();
    let axes = (0..sigma.len())
        .map(|i| {
            let s = svd.singular_values[i] * r;
            (s * u[(0, i)], if rows > 1 { s * u[(1, i)] } else { 0.0 })
        })
        .collect();
    (sigma, axes)
}

/// Splits a polyline at non-finite points (where f is undefined), dropping them.
pub fn split_finite(pts: &[(f64, f64)]) -> Vec<Polyline> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for &(x, y) in pts {
        if x.is_finite() && y.is_finite() {
            cur.push((x, y));
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A square box (min x, min y, side) holding every point, with a margin; for an SVG viewBox.
pub fn bounds<'a>(lines: impl IntoIterator<Item = &'a Polyline>, fallback: f64) -> (f64, f64, f64) {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for &(x, y) in lines.into_iter().flatten() {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    if !(x0.is_finite() && x1.is_finite()) {
        return (-fallback, -fallback, 2.0 * fallback);
    }
    let side = (x1 - x0).max(y1 - y0).max(fallback * 1e-6).max(f64::MIN_POSITIVE) * 1.15;
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    (cx - side / 2.0, cy - side / 2.0, side)
}

/// The output-plane box: everything drawn, but at most 3× the linear picture, so a
/// blow-up of f near a singularity doesn't shrink the ellipse to a dot.
pub fn output_box(v: &LinearView) -> (f64, f64, f64) {
    let lin = bounds(v.grid_lin.iter().chain(&v.circle_lin), v.radius);
    let all = bounds(v.grid_lin.iter().chain(&v.circle_lin).chain(&v.grid_f).chain(&v.circle_f), v.radius);
    if all.2 > 3.0 * lin.2 {
        let side = 3.0 * lin.2;
        let (cx, cy) = (lin.0 + lin.2 / 2.0, lin.1 + lin.2 / 2.0);
        (cx - side / 2.0, cy - side / 2.0, side)
    } else {
        all
    }
}

/// The three sentences under the linearisation's pictures: the block of J and its
/// determinant, the full J's singular values and condition number, and the gap between f
/// and its linearisation at this radius.
pub fn facts(v: &LinearView, inputs: &[String], outputs: &[String]) -> [String; 3] {
    use super::format::{entries, format_entry};
    let name = |names: &[String], k: usize| names.get(k).map_or("?", String::as_str).to_string();
    let block = v.block.iter().map(|r| entries(r, format_entry)).collect::<Vec<_>>().join("; ");
    let det = match v.block_det {
        Some(d) => {
            let what = if d < 0.0 {
                " (orientation flips)"
            } else if d == 0.0 {
                " (the plane is squashed flat)"
            } else {
                ""
            };
            format!("det of this block = {}{what}. ", format_entry(d))
        }
        None => String::new(),
    };
    let cond = match (v.singular.first(), v.singular.last()) {
        (Some(&hi), Some(&lo)) if v.singular.len() > 1 && lo > 0.0 => {
            format!("; condition number σ₁/σₖ = {}", format_entry(hi / lo))
        }
        (Some(_), Some(&lo)) if v.singular.len() > 1 && lo == 0.0 => "; J is singular (σₖ = 0)".into(),
        _ => String::new(),
    };
    [
        format!(
            "Block of J from ({}, {}) to ({}, {}): [{block}]. {det}Its singular values {} are the ellipse's semi-axes per unit radius.",
            name(inputs, v.inputs.0),
            name(inputs, v.inputs.1),
            name(outputs, v.outputs.0),
            name(outputs, v.outputs.1),
            entries(&v.block_singular, format_entry)
        ),
        format!("Singular values of the full J: {}{cond}.", entries(&v.singular, format_entry)),
        format!(
            "At radius r = {}, f and its linearisation differ by up to {} × r; shrink r and the two pictures meet.",
            format_entry(v.radius),
            format_entry(v.gap)
        ),
    ]
}
