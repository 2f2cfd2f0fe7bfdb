//! `auto`: the cost model where it is sure, a measurement where it is not (a batched
//! sweep against its rivals: always past the cache, and on any tape where the clock is
//! fine enough to time it, as natively), kept for the tape in the workspace.

mod common;
use common::*;
use jacobian_playground::core::auto::{rivals, CACHE_BYTES, MEASURE_FROM};
use jacobian_playground::core::strategy::sweep_bytes;
use jacobian_playground::core::{auto, choose, jacobian, Strategy, Workspace};

#[test]
fn the_model_is_sure_of_sparse_colouring_and_with_a_coarse_clock_of_small_tapes() {
    for src in ["f(x, y) = [x*y, sin(x), x + y]", "f(x[8]) = tanh([[1, 2, 3, 4, 5, 6, 7, 8]] @ x)"] {
        let t = tape(src);
        let pick = choose(&t).0;
        // A browser's clock (0.1 ms): the model's pick stands on a small tape...
        assert!(rivals(&t, pick, false).is_empty(), "{src}");
        // ...a fine one times it against the loop on its side (and both sides near n = m).
        assert!(rivals(&t, pick, true).len() >= 2, "{src}");
    }
    // A tiny sparse J is not worth compressing: taking it apart costs what it saves.
    let classic = tape("f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]");
    assert!(classic.col_colouring.count < 3);
    assert_eq!(choose(&classic).0, Strategy::BatchedForward);
    let chain = tape(&format!(
        "f({}) = [{}]",
        (0..16).map(|i| format!("x{i}")).collect::<Vec<_>>().join(", "),
        (0..16).map(|i| format!("x{i} * x{}", (i + 1) % 16)).collect::<Vec<_>>().join(", ")
    ));
    assert_eq!(choose(&chain).0, Strategy::Sparse);
    assert!(rivals(&chain, Strategy::Sparse, true).is_empty());
    let mut ws = Workspace::default();
    assert_eq!(auto(&chain, &[0.5; 16], &mut ws), choose(&chain));
    assert!(ws.settled.is_none());
}

#[test]
fn rivals_are_the_picks_side_and_both_sides_when_n_and_m_are_close() {
    let wide = tape("f(x, y) = [x*y, sin(x), x + y, y^2, x - y]");
    let mut r = rivals(&wide, Strategy::BatchedForward, true);
    r.sort_by_key(|s| s.name());
    assert_eq!(r, [Strategy::BatchedForward, Strategy::Forward]);
    let square = tape("f(x, y) = [x*y, sin(x)]");
    assert_eq!(rivals(&square, Strategy::BatchedForward, true).len(), 4);
    // A loop or a finite-difference pick is never timed.
    assert!(rivals(&square, Strategy::Forward, true).is_empty());
}

#[test]
fn a_small_tape_is_timed_natively_and_its_choice_gives_the_same_j() {
    let t = tape("f(x, y, z) = [x*y*z, sin(x) + y, exp(z) * x]");
    let x = [0.3, -0.7, 1.1];
    let mut ws = Workspace::default();
    let (s, reason) = auto(&t, &x, &mut ws);
    assert!(reason.contains("measured here, fastest first: "), "{reason}");
    // Sub-millisecond sweeps are read in µs, each rival once.
    let measured = reason.split(". Counting").next().unwrap_or_default();
    assert!(measured.contains(" µs"), "{reason}");
    for rival in ["forward by columns", "reverse by rows", "batched forward", "batched reverse"] {
        assert_eq!(measured.matches(rival).count(), 1, "{reason}");
    }
    let exact = jacobian(&t, &x, Strategy::BatchedForward, &mut Workspace::default()).j;
    assert_eq!(jacobian(&t, &x, s, &mut ws).j, exact);
}

#[test]
fn a_batched_buffer_past_the_cache_is_timed_against_its_rivals_once() {
    let t = tape("W = randn(256, 256, 1) / 16\nf(x[256]) = tanh(W @ x)");
    assert_eq!(choose(&t).0, Strategy::BatchedForward);
    assert!(sweep_bytes(&t, Strategy::BatchedForward) > CACHE_BYTES);
    assert_eq!(rivals(&t, Strategy::BatchedForward, false).len(), 4);
    let x: Vec<f64> = (0..256).map(|j| (j as f64 * 0.1).sin()).collect();
    let mut ws = Workspace::default();
    let (s, reason) = auto(&t, &x, &mut ws);
    assert!(s.is_exact());
    assert!(reason.contains("measured here, fastest first: "), "{reason}");
    assert!(reason.contains("batched forward "), "{reason}");
    for rival in ["forward by columns", "reverse by rows", "batched reverse"] {
        assert!(reason.contains(rival), "{reason}");
    }
    // Settled for this tape: the same answer without measuring again.
    assert_eq!(ws.settled.as_ref().map(|s| s.strategy), Some(s));
    assert_eq!(auto(&t, &x, &mut ws), (s, reason.clone()));
    // Another tape is measured afresh.
    let other = tape("W = randn(300, 300, 2) / 16\nf(x[300]) = sin(W @ x)");
    let (_, r2) = auto(&other, &vec![0.1; 300], &mut ws);
    assert_ne!(r2, reason);
}

#[test]
fn a_long_j_is_timed_against_its_rivals_even_with_a_coarse_clock() {
    // A decoder: its batched buffer fits the cache, but J is long enough that the time
    // the model cannot see (memory, wasm's code) is worth a measurement.
    let t = tape("W1 = randn(256, 32, 1) / 6\nW2 = randn(64, 256, 2) / 16\nf(z[32]) = sigmoid(W2 @ tanh(W1 @ z))");
    let pick = choose(&t).0;
    assert_eq!(pick, Strategy::BatchedForward);
    assert!(sweep_bytes(&t, pick) <= CACHE_BYTES);
    assert!(t.work() * t.n() >= MEASURE_FROM);
    assert_eq!(rivals(&t, pick, false).len(), 4);
    // A layer a quarter the size stays the model's on a coarse clock.
    let small = tape("W = randn(32, 32, 1) / 6\nf(x[32]) = tanh(W @ x)");
    assert!(small.work() * small.n() < MEASURE_FROM);
    assert!(rivals(&small, choose(&small).0, false).is_empty());
}
