//! The cost panel: passes, node visits and memory of every strategy, and their timing
//! measured in this browser.

use super::format::sort_floats;
use super::snapshot::strategy_label;
use crate::core::{jacobian, Strategy, Tape, Workspace};

#[derive(Clone, Debug, PartialEq)]
pub struct CostRow {
    pub strategy: String,
    pub passes: usize,
    pub primal: usize,
    pub node_visits: usize,
    pub bytes: usize,
    pub exact: bool,
    pub max_error: f64,
}

/// A strategy's passes as every view counts them: "3 + 1 primal".
pub fn format_passes(passes: usize, primal: usize) -> String {
    if primal == 0 {
        passes.to_string()
    } else {
        format!("{passes} + {primal} primal")
    }
}

/// What each strategy costs at this point, and how far it lands from the exact J.
pub fn cost_rows(tape: &Tape, at: &[f64], exact: &crate::core::Matrix, ws: &mut Workspace) -> Vec<CostRow> {
    Strategy::ALL
        .iter()
        .map(|&s| {
            let r = jacobian(tape, at, s, ws);
            CostRow {
                strategy: strategy_label(s).into(),
                passes: r.cost.passes,
                primal: r.cost.primal,
                node_visits: r.cost.node_visits,
                bytes: r.cost.bytes,
                exact: s.is_exact(),
                max_error: crate::core::fd::max_abs_diff(&r.j, exact),
            }
        })
        .collect()
}

/// A timing in µs per call: the median of several batches, and how far the batches spread
/// around it (half their range over the median), so a noisy figure can say so.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    pub micros: f64,
    pub spread: f64,
}

/// Batches whose median and spread `time_call` reports (fewer where one call is slow).
const BATCHES: usize = 7;

/// Times `f`: calls per batch doubled until a batch takes an eighth of `budget_ms` (well
/// above a coarse browser timer's step), then up to `BATCHES` batches of that many calls
/// within about twice the budget (at least one). Fewer than three: the spread is unknown (∞).
/// A single call over the whole budget is timed by that call alone: calling it again would
/// double a task the page already waited through.
pub fn time_call(now: &dyn Fn() -> f64, budget_ms: f64, mut f: impl FnMut()) -> Timing {
    let mut batch = |calls: u64| {
        let start = now();
        for _ in 0..calls {
            f();
        }
        now() - start
    };
    // The calibration batches also warm the engine's compiled code up: none is counted.
    let mut calls = 1u64;
    let mut first = batch(calls);
    if first >= budget_ms {
        return Timing { micros: first * 1000.0, spread: f64::INFINITY };
    }
    let mut times = Vec::new();
    // Doubled until a batch takes an eighth of the budget twice running: the first calls
    // can also pay for compiling the engine's code, or wait for another task, and a
    // calibration cut short by such a stall leaves batches too short for a browser's
    // coarse clock to see (they measured 0 µs).
    loop {
        while calls < 1 << 30 && first < budget_ms / 8.0 {
            calls *= 2;
            first = batch(calls);
        }
        let again = batch(calls);
        if again >= budget_ms / 8.0 || calls >= 1 << 30 {
            // The check is the first measured batch.
            times.push(again);
            break;
        }
        first = again;
    }
    let mut spent = first + times[0];
    while times.is_empty() || (times.len() < BATCHES && spent < 2.0 * budget_ms) {
        let t = batch(calls);
        spent += t;
        times.push(t);
    }
    let per_call = 1000.0 / calls as f64;
    sort_floats(&mut times);
    // The spread leaves out the fastest and the slowest batch (one task switch or GC pause
    // is not the measurement's noise) where there are five or more.
    let trim = usize::from(times.len() >= 5);
    let (lo, micros, hi) =
        (times[trim] * per_call, times[times.len() / 2] * per_call, times[times.len() - 1 - trim] * per_call);
    let spread = if times.len() < 3 {
        f64::INFINITY
    } else if micros > 0.0 {
        (hi - lo) / 2.0 / micros
    } else {
        0.0
    };
    Timing { micros, spread }
}

/// A timing as the cost table shows it: "±N%" where the batches spread more than 10%, "≈"
/// where there were too few to tell.
pub fn format_timing(t: Timing, show: fn(f64) -> String) -> String {
    match t.spread {
        s if s.is_infinite() => format!("≈{}", show(t.micros)),
        s if s > 0.1 => format!("{} ±{:.0}%", show(t.micros), s * 100.0),
        _ => show(t.micros),
    }
}

/// µs per call of evaluating f (index 0) and of each strategy in `Strategy::ALL` order
/// (index 1 + k): `which` picks one, so a caller can spread the work over several tasks.
pub fn time_strategy(tape: &Tape, at: &[f64], which: usize, now: &dyn Fn() -> f64, budget_ms: f64) -> Timing {
    let mut ws = Workspace::default();
    let mut out = crate::core::JacobianResult::empty();
    match which.checked_sub(1).and_then(|k| Strategy::ALL.get(k)) {
        None => {
            let mut vals = Vec::new();
            time_call(now, budget_ms, || tape.eval_into(at, &mut vals))
        }
        Some(&s) => time_call(now, budget_ms, || crate::core::jacobian_into(tape, at, s, &mut ws, &mut out)),
    }
}

/// v to three significant digits, so a timing does not claim more than it measured.
pub fn round3(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let q = 10f64.powi(v.abs().log10().floor() as i32 - 2);
    (v / q).round() * q
}

/// A timing as the table shows it: three significant digits, marked as noisy as it is.
pub fn show_timing(t: Timing) -> String {
    format_timing(t, |v| super::format::format_entry(round3(v)))
}

/// Milliseconds each strategy is repeated for when measuring its speed (a strategy takes
/// up to about twice this: `time_call`).
pub const TIMING_BUDGET_MS: f64 = 12.0;

/// The cost table's measured part, as the text worker writes it for the page: the caption
/// (f's time), then for each strategy in `Strategy::ALL` order a `µs\tJ/f` line. Past
/// `Part::Cost`'s budget the strategies are not run ("—": one call of the slowest is the
/// work the cost table was refused); f still is.
pub fn measured_text(tape: &Tape, at: &[f64], now: &dyn Fn() -> f64) -> String {
    if at.len() != tape.n() {
        return String::new();
    }
    let f = time_strategy(tape, at, 0, now, TIMING_BUDGET_MS);
    let mut out = format!("Measured in this browser (median of batches): f takes {} µs", show_timing(f));
    let run = super::budget::Part::Cost.fits(tape);
    for k in 1..=Strategy::ALL.len() {
        let t = run.then(|| time_strategy(tape, at, k, now, TIMING_BUDGET_MS));
        let (us, ratio) = match t {
            Some(t) => (show_timing(t), time_ratio(Some(f), Some(t))),
            None => ("—".into(), "—".into()),
        };
        out.push_str(&format!("\n{us}\t{ratio}"));
    }
    out
}

/// J's time over f's, to one decimal; "≈" when either timing is noisy (spread over 10 %),
/// "…" until both are measured.
pub fn time_ratio(f: Option<Timing>, s: Option<Timing>) -> String {
    match (f, s) {
        (Some(f), Some(s)) if f.micros > 0.0 => {
            let r = s.micros / f.micros;
            if f.spread.max(s.spread) > 0.1 {
                format!("≈{r:.1}")
            } else {
                format!("{r:.1}")
            }
        }
        _ => "…".into(),
    }
}
