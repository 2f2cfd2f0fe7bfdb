//! Finite differences against AD: the error of each entry at a chosen step and the error-
//! against-h curves.

use crate::core::{Matrix, Tape};

/// What the finite-difference view shows at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct FdView {
    /// Per entry |J_fd − J_ad| at the tuned steps, forward and central.
    pub forward_err: Matrix,
    pub central_err: Matrix,
    /// Max entry error against h = 1e-1 … 1e-12, forward and central.
    pub sweep: Vec<crate::core::fd::StepError>,
    /// The h with the smallest central error, and that error.
    pub best_central: (f64, f64),
    pub best_forward: (f64, f64),
    pub complex_err: f64,
    /// Which outputs are not defined here in real arithmetic (complex step's J is NaN
    /// there, and why), if any.
    pub undefined: Option<String>,
    /// The relative steps of the heat maps, forward and central.
    pub steps: (f64, f64),
}

/// The view at `at`, with the heat maps at `step`.
pub fn fd_view(tape: &Tape, at: &[f64], exact: &Matrix, step: FdStep) -> FdView {
    let h = step.h();
    use crate::core::fd::{fd_jacobian, max_abs_diff, step_sweep, tuned_step, FdKind};
    let mut buf = Vec::new();
    let mut err = |kind: FdKind| {
        let mut j = fd_jacobian(tape, at, kind, h, &mut buf).0;
        for (e, x) in j.data.iter_mut().zip(&exact.data) {
            *e = (*e - x).abs();
        }
        j
    };
    let forward_err = err(FdKind::Forward);
    let central_err = err(FdKind::Central);
    let complex_err = max_abs_diff(&crate::core::complex::complex_step_jacobian(tape, at).0, exact);
    let sweep = step_sweep(tape, at, exact);
    let best = |f: fn(&crate::core::fd::StepError) -> f64| {
        sweep
            .iter()
            .filter(|s| f(s).is_finite())
            .map(|s| (s.h, f(s)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((f64::NAN, f64::NAN))
    };
    FdView {
        forward_err,
        central_err,
        best_central: best(|s| s.central),
        best_forward: best(|s| s.forward),
        sweep,
        complex_err,
        undefined: crate::core::complex::undefined_note(tape, at),
        steps: match h {
            Some(h) => (h, h),
            None => (tuned_step(FdKind::Forward), tuned_step(FdKind::Central)),
        },
    }
}

/// The step the heat maps use: tuned per difference (√ε forward, ∛ε central), or one fixed
/// relative step for both (one of `FD_STEPS`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum FdStep {
    #[default]
    Tuned,
    Fixed(f64),
}

impl FdStep {
    /// Every step the page offers, the tuned one first.
    pub fn choices() -> impl Iterator<Item = FdStep> {
        std::iter::once(FdStep::Tuned).chain(FD_STEPS.iter().map(|&h| FdStep::Fixed(h)))
    }
    /// The fixed step; None for the tuned ones.
    pub fn h(self) -> Option<f64> {
        match self {
            FdStep::Tuned => None,
            FdStep::Fixed(h) => Some(h),
        }
    }
    /// As links spell it: "tuned", "1e-6".
    pub fn key(self) -> String {
        match self {
            FdStep::Tuned => "tuned".into(),
            FdStep::Fixed(h) => format!("{h:e}"),
        }
    }
    /// The step a link names, if it is one the page offers.
    pub fn from_key(text: &str) -> Option<FdStep> {
        if text == "tuned" {
            return Some(FdStep::Tuned);
        }
        let h = crate::core::decimal::parse(text)?;
        FD_STEPS.contains(&h).then_some(FdStep::Fixed(h))
    }
    /// As the menu shows it.
    pub fn label(self) -> String {
        match self {
            FdStep::Tuned => "tuned (√ε forward, ∛ε central)".into(),
            FdStep::Fixed(_) => self.key(),
        }
    }
}

/// The fixed steps the finite-difference heat maps can use besides the tuned ones.
pub const FD_STEPS: [f64; 12] = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12];

/// An error's step on the heat maps' five-step log scale: 0 (≤ 1e-15) … 4 (≥ 1e-3, or
/// not finite).
pub fn heat_level(e: f64) -> u8 {
    match e {
        e if !e.is_finite() => 4,
        e if e <= 1e-15 => 0,
        e if e <= 1e-11 => 1,
        e if e <= 1e-7 => 2,
        e if e <= 1e-3 => 3,
        _ => 4,
    }
}

/// The caption over a heat map: which difference, and its step.
pub fn step_label(kind: &str, h: f64, tuned: bool) -> String {
    if tuned {
        format!("{kind} difference, tuned h = {h:.1e}·max(1, |x|): |J_fd − J_ad|")
    } else {
        format!("{kind} difference, h = {h:.0e}·max(1, |x|): |J_fd − J_ad|")
    }
}

/// What the error-against-h plot shows, in words (its caption and its text alternative).
pub fn plot_summary(f: &FdView) -> String {
    use super::format::format_entry;
    format!(
        "Error falls like h (forward) and h² (central) until round-off takes over: best forward h = {:.0e} (error {}), best central h = {:.0e} (error {}).",
        f.best_forward.0,
        format_entry(f.best_forward.1),
        f.best_central.0,
        format_entry(f.best_central.1)
    )
}

/// A fingerprint of what the error-against-h plot draws (the sweep, the heat maps' steps,
/// complex step's error): the plot is drawn again only when it changes. Drawing it sets
/// the canvas font per label, which the browser parses each time: tens of ms a plot.
pub fn plot_key(f: &FdView) -> u64 {
    let numbers = f.sweep.iter().flat_map(|s| [s.h, s.forward, s.central]).chain([f.steps.0, f.steps.1, f.complex_err]);
    numbers.fold(0xcbf2_9ce4_8422_2325, |k, v| (k ^ v.to_bits()).wrapping_mul(0x0100_0000_01b3).rotate_left(29))
}
