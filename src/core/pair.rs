//! A second thread for the two halves of a big product, natively (the page has one thread).
//!
//! `both(a, b)` runs `a` here while a worker runs `b`, and returns when both are done. The
//! worker is started on first use where the machine has a second core, waits for work by
//! spinning for a short while after each job (a network's J asks twice in a row, and again
//! for the next point), then sleeps. Waking a sleeping thread takes longer than either half
//! of a classifier's product, so whoever gets to `b` first runs it: if the worker has not
//! taken it by the time `a` is done, this thread runs it, and `both` is never much slower
//! than running the two in turn. One caller at a time uses the worker; another runs both
//! halves itself.
//!
//! Why not thread-tree (which `matrixmultiply` uses): its worker sleeps on a channel between
//! jobs, and the wake-up cost more than the half it saved (ARCHITECTURE.md's "Measured
//! decisions" has the figures). Rayon was not tried; its idle workers go to sleep too.

use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// How long the worker spins for the next job before it sleeps.
const SPIN: Duration = Duration::from_micros(200);

/// A job's state: its sequence number times 4 plus its phase.
const POSTED: u64 = 1;
const TAKEN: u64 = 2;
const DONE: u64 = 3;

struct Worker {
    thread: Thread,
    state: AtomicU64,
    /// The posted job: a `&mut dyn FnMut()` on the poster's stack, valid while its state
    /// is POSTED or TAKEN (the poster waits for DONE, or takes the job back itself).
    job: AtomicPtr<()>,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    /// Held by the one caller using the worker.
    busy: Mutex<()>,
}

fn worker() -> Option<&'static Worker> {
    static WORKER: OnceLock<Option<&'static Worker>> = OnceLock::new();
    *WORKER.get_or_init(|| {
        if std::thread::available_parallelism().map_or(1, |c| c.get()) < 2 {
            return None;
        }
        let (tx, rx) = std::sync::mpsc::channel::<&'static Worker>();
        let handle = std::thread::Builder::new().name("jacobian-pair".into()).spawn(move || {
            if let Ok(w) = rx.recv() {
                run(w)
            }
        });
        let thread = handle.ok()?.thread().clone();
        let w: &'static Worker = Box::leak(Box::new(Worker {
            thread,
            state: AtomicU64::new(0),
            job: AtomicPtr::new(std::ptr::null_mut()),
            panic: Mutex::new(None),
            busy: Mutex::new(()),
        }));
        tx.send(w).ok()?;
        Some(w)
    })
}

/// The worker's loop: take each posted job, run it, mark it done.
fn run(w: &'static Worker) {
    let mut idle_since = Instant::now();
    loop {
        let s = w.state.load(Ordering::Acquire);
        if s & 3 == POSTED {
            let job = w.job.load(Ordering::Acquire) as *mut &mut dyn FnMut();
            if w.state.compare_exchange(s, s - POSTED + TAKEN, Ordering::AcqRel, Ordering::Acquire).is_ok() {
                // SAFETY: the job is ours now, and its poster waits for DONE before its
                // stack frame (which holds the closure) goes.
                let result = catch_unwind(AssertUnwindSafe(|| unsafe { (*job)() }));
                if let Err(payload) = result {
                    *w.panic.lock().unwrap_or_else(|e| e.into_inner()) = Some(payload);
                }
                w.state.store(s - POSTED + DONE, Ordering::Release);
                idle_since = Instant::now();
            }
            continue;
        }
        if idle_since.elapsed() < SPIN {
            std::hint::spin_loop();
        } else {
            // Woken by the next post (or after a while, to look again).
            std::thread::park_timeout(Duration::from_millis(50));
        }
    }
}

/// How many of a block's `rows` the worker takes, the first ones: half, a multiple of eight
/// (`Block::values` sums eight rows at a time). The forward pass and the reverse product
/// split at the same row, so each core finds its rows in its own cache.
pub fn first_half(rows: usize) -> usize {
    (rows / 2) & !7
}

/// Runs `a` on this thread and `b` on the worker where there is one, both to completion.
pub fn both(a: impl FnOnce(), b: impl FnOnce() + Send) {
    let Some(w) = worker() else {
        a();
        b();
        return;
    };
    let Ok(_busy) = w.busy.try_lock() else {
        a();
        b();
        return;
    };
    let mut b = Some(b);
    let mut call = || {
        if let Some(b) = b.take() {
            b()
        }
    };
    let mut job: &mut dyn FnMut() = &mut call;
    let seq = (w.state.load(Ordering::Acquire) | 3) + 1;
    w.job.store(&mut job as *mut &mut dyn FnMut() as *mut (), Ordering::Release);
    w.state.store(seq + POSTED, Ordering::Release);
    w.thread.unpark();
    // `b` waits for the worker only if the worker has it: otherwise it runs here after `a`.
    let ran_a = catch_unwind(AssertUnwindSafe(a));
    if w.state.compare_exchange(seq + POSTED, seq + TAKEN, Ordering::AcqRel, Ordering::Acquire).is_ok() {
        job();
        w.state.store(seq + DONE, Ordering::Release);
    } else {
        while w.state.load(Ordering::Acquire) != seq + DONE {
            std::hint::spin_loop();
        }
    }
    if let Err(payload) = ran_a {
        resume_unwind(payload);
    }
    if let Some(payload) = w.panic.lock().unwrap_or_else(|e| e.into_inner()).take() {
        resume_unwind(payload);
    }
}
