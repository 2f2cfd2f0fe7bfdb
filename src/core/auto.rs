//! `auto`: the cost model's choice (`strategy::choose`), settled by measurement where the
//! model is unsure. The model counts node visits, and on a big tape memory decides too: a
//! batched sweep carrying w directions streams w numbers per node through memory, where a
//! loop of w single sweeps reuses one small buffer that stays in cache and skips the nodes
//! its one seed does not reach. Where the batched buffer outgrows the cache, the model's
//! pick and its rivals are each timed at the point, and the fastest is kept for the tape.

use super::strategy::{
    choose, jacobian_into, sweep_bytes, JacobianResult, Settled, Strategy, Workspace, MAX_SWEEP_BYTES,
};
use super::tape::Tape;
use std::sync::OnceLock;

/// A batched buffer up to this size is taken to stay in cache: the model is sure.
pub const CACHE_BYTES: usize = 256 * 1024;
/// J's node visits (the pick's) beyond which timing every rival twice would cost more
/// than a choice can save once: the model stands.
pub const MEASURE_TO: usize = 20_000_000;

/// The page's clock (`performance.now`), once it installs it.
static CLOCK: OnceLock<fn() -> f64> = OnceLock::new();

/// Installs the host's millisecond clock (the page's; natively std's is used).
pub fn install_clock(now: fn() -> f64) {
    let _ = CLOCK.set(now);
}

/// Milliseconds from some fixed instant, or None with no clock (wasm before install).
pub fn now() -> Option<f64> {
    if let Some(clock) = CLOCK.get() {
        return Some(clock());
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        Some(START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1e3)
    }
    #[cfg(target_arch = "wasm32")]
    None
}

/// The exact strategy for this tape and why, in words.
pub fn auto(tape: &Tape, x: &[f64], ws: &mut Workspace) -> (Strategy, String) {
    let (pick, reason) = choose(tape);
    let rivals = rivals(tape, pick);
    if rivals.len() < 2 {
        return (pick, reason);
    }
    let key = [tape.ops.as_ptr() as usize, tape.len(), tape.work(), tape.n(), tape.m()];
    if let Some(s) = ws.settled.as_ref().filter(|s| s.key == key) {
        return (s.strategy, s.reason.clone());
    }
    let mut out = JacobianResult::empty();
    let mut times = Vec::new();
    for &s in &rivals {
        // Once untimed (buffers sized, caches warm for this strategy), then the best of two
        // (a shared machine's other work lands in one now and then).
        jacobian_into(tape, x, s, ws, &mut out);
        let mut best = f64::INFINITY;
        for _ in 0..2 {
            let (Some(t0), _, Some(t1)) = (now(), jacobian_into(tape, x, s, ws, &mut out), now()) else {
                return (pick, reason);
            };
            best = best.min(t1 - t0);
        }
        times.push((s, best));
    }
    times.sort_by(|a, b| a.1.total_cmp(&b.1));
    let best = times[0].0;
    let measured: Vec<String> = times.iter().map(|(s, t)| format!("{} {t:.2} ms", s.label())).collect();
    let reason = if best == pick {
        format!("{reason}; measured here, fastest first: {}", measured.join(", "))
    } else {
        format!(
            "measured here, fastest first: {}. Counting node visits alone picks {}, but its sweep carries all its directions \
             through memory at once",
            measured.join(", "),
            pick.label()
        )
    };
    ws.settled = Some(Settled { key, strategy: best, reason: reason.clone() });
    (best, reason)
}

/// The strategies worth timing against the model's pick: none when the pick is sure (a
/// loop, sparse, or a batched sweep whose buffer stays in cache, or J too big to time
/// twice); else the loop of single sweeps on the pick's side, and both sides' loop and
/// batched sweep when n = m.
fn rivals(tape: &Tape, pick: Strategy) -> Vec<Strategy> {
    let (n, m) = (tape.n(), tape.m());
    let w = match pick {
        Strategy::BatchedForward => n,
        Strategy::BatchedReverse => m,
        _ => return Vec::new(),
    };
    if sweep_bytes(tape, pick) <= CACHE_BYTES || tape.work().saturating_mul(w) > MEASURE_TO {
        return Vec::new();
    }
    let mut out = vec![pick];
    if n <= m {
        out.extend([Strategy::Forward, Strategy::BatchedForward]);
    }
    if m <= n {
        out.extend([Strategy::Reverse, Strategy::BatchedReverse]);
    }
    let mut unique = Vec::new();
    for s in out {
        if !unique.contains(&s) && sweep_bytes(tape, s) <= MAX_SWEEP_BYTES {
            unique.push(s);
        }
    }
    unique
}
