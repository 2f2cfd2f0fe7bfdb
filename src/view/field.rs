//! The Jacobian field behind the pad: det J, one entry of J, or the largest singular
//! value, at a grid of points over the plane of the two pad inputs (the other inputs held
//! at the point), computed as one batch of Jacobians.

use super::linear::singular_values;
use crate::core::{jacobian_into, JacobianResult, Tape, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Off,
    Det,
    SigmaMax,
    Entry(usize, usize),
}

/// The most entries of J the background menu lists one by one.
pub const ENTRY_CHOICES: usize = 64;

impl FieldKind {
    /// The choices that make sense for an m×n map, with their labels. Past
    /// `ENTRY_CHOICES` entries, one option stands for "an entry" (the current one, else the
    /// first): its output and input are then picked in menus of their own.
    pub fn choices(inputs: &[String], outputs: &[String], current: FieldKind) -> Vec<(FieldKind, String)> {
        let mut v = vec![(FieldKind::Off, "none".to_string())];
        if inputs.len() == outputs.len() {
            v.push((FieldKind::Det, "det J".into()));
        }
        v.push((FieldKind::SigmaMax, "largest singular value σ₁".into()));
        // One option per entry only while a menu of them stays short.
        if FieldKind::lists_entries(inputs.len(), outputs.len()) {
            for (i, o) in outputs.iter().enumerate() {
                for (j, x) in inputs.iter().enumerate() {
                    v.push((FieldKind::Entry(i, j), format!("∂{o}/∂{x}")));
                }
            }
        } else if let (Some(o), Some(x)) = (outputs.first(), inputs.first()) {
            let (entry, o, x) = match current {
                FieldKind::Entry(i, j) if i < outputs.len() && j < inputs.len() => (current, &outputs[i], &inputs[j]),
                _ => (FieldKind::Entry(0, 0), o, x),
            };
            v.push((entry, format!("one entry of J: ∂{o}/∂{x}")));
        }
        v
    }

    /// Does the menu list J's entries one by one (else "one entry of J", whose output and
    /// input are picked apart)?
    pub fn lists_entries(n: usize, m: usize) -> bool {
        n * m <= ENTRY_CHOICES
    }

    pub fn key(self) -> String {
        match self {
            FieldKind::Off => "off".into(),
            FieldKind::Det => "det".into(),
            FieldKind::SigmaMax => "sigma".into(),
            FieldKind::Entry(i, j) => format!("J{i}.{j}"),
        }
    }

    pub fn from_key(s: &str) -> Option<FieldKind> {
        match s {
            "off" => Some(FieldKind::Off),
            "det" => Some(FieldKind::Det),
            "sigma" => Some(FieldKind::SigmaMax),
            _ => {
                let (i, j) = s.strip_prefix('J')?.split_once('.')?;
                Some(FieldKind::Entry(i.parse().ok()?, j.parse().ok()?))
            }
        }
    }

    /// What the pad shows for an m×n map unless asked otherwise.
    pub fn default_for(n: usize, m: usize) -> FieldKind {
        if n == m {
            FieldKind::Det
        } else {
            FieldKind::SigmaMax
        }
    }

    /// Does this kind exist for an m×n map?
    pub fn valid(self, n: usize, m: usize) -> bool {
        match self {
            FieldKind::Det => n == m,
            FieldKind::Entry(i, j) => i < m && j < n,
            _ => true,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldView {
    pub res: usize,
    /// Row-major, row 0 at the top of the pad (largest value of the vertical input).
    pub values: Vec<f64>,
    /// RGBA pixels, res × res, for a canvas.
    pub rgba: Vec<u8>,
    /// The value that maps to full colour (values beyond it saturate).
    pub scale: f64,
    pub signed: bool,
    pub jacobians: usize,
}

/// Points per side: as many as a budget of 4 million operation evaluations allows, so one
/// field stays a few milliseconds for small functions and under ~100 ms for the largest;
/// 0 (no field) where even a 6 × 6 grid would not fit.
pub fn resolution(tape: &Tape) -> usize {
    const BUDGET: usize = 4_000_000;
    let (n, m) = (tape.n(), tape.m());
    // Each point's J costs min(n, m) sweeps, and det J or σ₁ a dense factorisation.
    let work = (tape.work() * n.min(m).max(1) + n * m * n.min(m)).max(1);
    let res = ((BUDGET / work) as f64).sqrt() as usize;
    if res < 6 {
        0
    } else {
        res.min(48)
    }
}

pub fn field(
    tape: &Tape,
    at: &[f64],
    axes: (usize, usize),
    ranges: ((f64, f64), (f64, f64)),
    kind: FieldKind,
    ws: &mut Workspace,
) -> Option<FieldView> {
    if kind == FieldKind::Off || !kind.valid(tape.n(), tape.m()) || at.len() != tape.n() {
        return None;
    }
    let res = resolution(tape);
    if res == 0 {
        return None;
    }
    let strategy = crate::core::choose(tape).0;
    let mut x = at.to_vec();
    let mut out = JacobianResult::empty();
    let mut values = Vec::with_capacity(res * res);
    let (n, m) = (tape.n(), tape.m());
    for row in 0..res {
        for col in 0..res {
            x[axes.0] = lerp(ranges.0, (col as f64 + 0.5) / res as f64);
            if axes.1 != axes.0 {
                x[axes.1] = lerp(ranges.1, 1.0 - (row as f64 + 0.5) / res as f64);
            }
            jacobian_into(tape, &x, strategy, ws, &mut out);
            let data = &out.j.data;
            values.push(match kind {
                FieldKind::Det => super::linear::det_to_rounding(n, data).0,
                FieldKind::SigmaMax => singular_values(m, n, data).first().copied().unwrap_or(f64::NAN),
                FieldKind::Entry(i, j) => out.j.get(i, j),
                FieldKind::Off => unreachable!("returned above"),
            });
        }
    }
    let signed = !matches!(kind, FieldKind::SigmaMax);
    let scale = robust_scale(&values);
    let rgba = values.iter().flat_map(|&v| colour(v, scale, signed)).collect();
    Some(FieldView { res, values, rgba, scale, signed, jacobians: res * res })
}

fn lerp((lo, hi): (f64, f64), u: f64) -> f64 {
    lo + u * (hi - lo)
}

/// Four times the geometric mean of the nonzero |v|: a typical magnitude that a few huge
/// values near a singularity hardly move, so they don't wash out the rest of the field.
fn robust_scale(values: &[f64]) -> f64 {
    let (sum, count) = values
        .iter()
        .filter(|v| v.is_finite() && **v != 0.0)
        .fold((0.0, 0usize), |(s, c), v| (s + v.abs().ln(), c + 1));
    let s = if count == 0 { 1.0 } else { 4.0 * (sum / count as f64).exp() };
    if s.is_finite() && s > 0.0 {
        s
    } else {
        1.0
    }
}

/// Diverging (blue < 0 < red, white at 0) for signed fields, white → purple for σ₁;
/// grey where the value is undefined. Translucent so the pad's grid shows through.
pub fn colour(v: f64, scale: f64, signed: bool) -> [u8; 4] {
    if !v.is_finite() {
        return [150, 150, 150, 200];
    }
    let t = (v / scale).clamp(-1.0, 1.0);
    let mix = |c: [f64; 3], w: f64| -> [u8; 4] {
        // Rounded half up: the value is never negative (and `round` is a libm call in wasm,
        // per channel of every pixel of a picture).
        let ch = |k: usize| (255.5 + (c[k] - 255.0) * w) as u8;
        [ch(0), ch(1), ch(2), 170]
    };
    if !signed {
        mix([109.0, 40.0, 217.0], t.abs())
    } else if t < 0.0 {
        mix([37.0, 99.0, 235.0], -t)
    } else {
        mix([220.0, 38.0, 38.0], t)
    }
}
