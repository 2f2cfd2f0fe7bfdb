//! `auto`: the cost model's choice (`strategy::choose`), settled by measurement where the
//! model is unsure. The model counts node visits, but visits do not decide between the
//! sweeps it weighs: a batched sweep carrying w directions streams w numbers per node
//! through memory, where a loop of w single sweeps reuses one small buffer that stays in
//! cache and skips the nodes its one seed does not reach; and with n = m, or a J of a few
//! hundred nanoseconds, per-node overheads the count ignores decide. So a batched pick is
//! timed against its rivals at the point, and the fastest is kept for the tape: always
//! where the batched buffer outgrows the cache or J is long (`MEASURE_FROM`), and on a
//! smaller tape where the clock is fine enough to time it (natively; a browser's clock is
//! coarsened to 0.1 ms, and a choice among sub-microsecond sweeps saves less than timing
//! them costs there).

use super::strategy::{
    choose, jacobian_into, sweep_bytes, JacobianResult, Settled, Strategy, Workspace, MAX_SWEEP_BYTES,
};
use super::tape::Tape;
use std::sync::OnceLock;

/// A batched buffer up to this size is taken to stay in cache: with a coarse clock, the
/// model is sure.
pub const CACHE_BYTES: usize = 256 * 1024;
/// J's node visits (the pick's) beyond which timing every rival would cost more than a
/// choice can save once: the model stands.
pub const MEASURE_TO: usize = 20_000_000;
/// J's node visits (the pick's) from which a coarse clock's timing pays too: such a J
/// takes a good part of a frame, where the sweeps the model weighs as equal can differ by
/// half (wasm's code and memory do not rank them as native code does), and the rivals
/// are timed once for the tape, not at every move.
pub const MEASURE_FROM: usize = 200_000;
/// A clock this fine (ms) can time a small tape's rivals. Each timing repeats J until it
/// lasts `TIMING_TICKS` ticks, so a tick's error is at most a tenth of it (and the median
/// of the rounds evens such errors out).
const FINE_CLOCK_MS: f64 = 0.001;
const TIMING_TICKS: f64 = 10.0;
/// Each timing lasts at least this long (ms), however fine the clock: a shorter one is
/// mostly the noise of a shared machine.
const MIN_TIMING_MS: f64 = 0.2;
/// How long (ms) the page runs the rivals before its first timing, once.
const WARM_UP_MS: f64 = 40.0;
/// Rounds of timings; each rival keeps its median.
const ROUNDS: usize = 5;

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
    let rivals = rivals(tape, pick, clock_tick().is_some_and(|t| t <= FINE_CLOCK_MS));
    if rivals.len() < 2 {
        return (pick, reason);
    }
    let key = [tape.ops.as_ptr() as usize, tape.len(), tape.work(), tape.n(), tape.m()];
    if let Some(s) = ws.settled.as_ref().filter(|s| s.key == key) {
        return (s.strategy, s.reason.clone());
    }
    let Some(times) = time_rivals(tape, x, &rivals, ws) else {
        return (pick, reason);
    };
    let best = times[0].0;
    let measured: Vec<String> = times.iter().map(|&(s, t)| format!("{} {}", s.label(), duration(t))).collect();
    let reason = if best == pick {
        format!("{reason}; measured here, fastest first: {}", measured.join(", "))
    } else {
        format!(
            "measured here, fastest first: {}. Counting node visits alone picks {}, but memory traffic and each sweep's \
             work per node set its time too",
            measured.join(", "),
            pick.label()
        )
    };
    ws.settled = Some(Settled { key, strategy: best, reason: reason.clone() });
    (best, reason)
}

/// Each rival's time for one J (ms), fastest first; None without a clock. Each timing
/// repeats J as often as it takes to last `MIN_TIMING_MS` and `TIMING_TICKS` ticks (found
/// once, untimed runs that also size the buffers and warm the caches), and each rival's
/// time is the median of `ROUNDS` rounds, the rivals taken in turn in each (a shared
/// machine's other work lands in one now and then).
fn time_rivals(tape: &Tape, x: &[f64], rivals: &[Strategy], ws: &mut Workspace) -> Option<Vec<(Strategy, f64)>> {
    // A clock that never moved cannot time anything.
    let tick = clock_tick().filter(|t| t.is_finite())?;
    let floor = MIN_TIMING_MS.max(TIMING_TICKS * tick);
    let mut out = JacobianResult::empty();
    let mut timed = |s: Strategy, reps: usize, ws: &mut Workspace| -> Option<f64> {
        let t0 = now()?;
        for _ in 0..reps {
            jacobian_into(tape, x, s, ws, &mut out);
        }
        Some(now()? - t0)
    };
    // The page's first timings would meet the sweeps in the engine's baseline compile (V8
    // runs wasm in its quick tier first and optimises hot functions in the background),
    // whose costs rank the strategies differently: the rivals run for `WARM_UP_MS` first,
    // once per page.
    static WARM: OnceLock<()> = OnceLock::new();
    if cfg!(target_arch = "wasm32") && WARM.get().is_none() {
        let _ = WARM.set(());
        let t0 = now()?;
        while now()? - t0 < WARM_UP_MS {
            for &s in rivals {
                timed(s, 1, ws)?;
            }
        }
    }
    let mut reps = Vec::with_capacity(rivals.len());
    for &s in rivals {
        let mut r = 1;
        // Doubling until a timing lasts the floor; bounded, in case the clock stands still.
        while timed(s, r, ws)? < floor && r < 1 << 20 {
            r *= 2;
        }
        reps.push(r);
    }
    let mut samples: Vec<Vec<(Strategy, f64)>> = vec![Vec::with_capacity(ROUNDS); rivals.len()];
    for _ in 0..ROUNDS {
        for (k, &s) in rivals.iter().enumerate() {
            samples[k].push((s, timed(s, reps[k], ws)? / reps[k] as f64));
        }
    }
    // The median: what a drag meets call after call, where the best round favours a sweep
    // that is only sometimes fast (its buffer at the edge of a cache).
    let mut times: Vec<(Strategy, f64)> = samples
        .iter_mut()
        .map(|t| {
            sort_by_time(t);
            t[ROUNDS / 2]
        })
        .collect();
    sort_by_time(&mut times);
    Some(times)
}

/// Fastest first. An insertion sort: a handful of entries, and std's sort would add its
/// code to the page for them.
fn sort_by_time(v: &mut [(Strategy, f64)]) {
    for i in 1..v.len() {
        let mut k = i;
        while k > 0 && v[k - 1].1.total_cmp(&v[k].1).is_gt() {
            v.swap(k - 1, k);
            k -= 1;
        }
    }
}

/// A time in ms as the reason prints it: µs below a millisecond, to three or so digits.
fn duration(ms: f64) -> String {
    if ms < 1.0 {
        let us = ms * 1e3;
        format!("{:.*} µs", if us < 10.0 { 2 } else { 0 }, us)
    } else {
        format!("{ms:.2} ms")
    }
}

/// The clock's smallest step (ms), found once there is a clock: the least change seen
/// between readings.
fn clock_tick() -> Option<f64> {
    static TICK: OnceLock<f64> = OnceLock::new();
    if let Some(&tick) = TICK.get() {
        return Some(tick);
    }
    let mut tick = f64::INFINITY;
    for _ in 0..5 {
        let t0 = now()?;
        let mut spins = 0u32;
        let t1 = loop {
            let t = now()?;
            spins += 1;
            if t != t0 || spins > 1_000_000 {
                break t;
            }
        };
        if t1 > t0 {
            tick = tick.min(t1 - t0);
        }
    }
    Some(*TICK.get_or_init(|| tick))
}

/// The strategies worth timing against the model's pick: none when the pick is sure (a
/// loop, sparse colouring, J too big to time, or, where `fine_clock` is false, a batched
/// sweep whose buffer stays in cache on a J of fewer than `MEASURE_FROM` visits); else the loop of single sweeps on the pick's
/// side, and both sides' loop and batched sweep when n and m are within a factor of two.
pub fn rivals(tape: &Tape, pick: Strategy, fine_clock: bool) -> Vec<Strategy> {
    let (n, m) = (tape.n(), tape.m());
    let w = match pick {
        Strategy::BatchedForward => n,
        Strategy::BatchedReverse => m,
        _ => return Vec::new(),
    };
    let visits = tape.work().saturating_mul(w);
    if (sweep_bytes(tape, pick) <= CACHE_BYTES && !fine_clock && visits < MEASURE_FROM) || visits > MEASURE_TO {
        return Vec::new();
    }
    let mut out = vec![pick];
    if n <= 2 * m {
        out.extend([Strategy::Forward, Strategy::BatchedForward]);
    }
    if m <= 2 * n {
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
