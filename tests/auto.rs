//! `auto`: the cost model where it is sure, a measurement where it is not (a batched
//! buffer bigger than the cache), kept for the tape in the workspace.

mod common;
use common::*;
use jacobian_playground::core::auto::CACHE_BYTES;
use jacobian_playground::core::strategy::sweep_bytes;
use jacobian_playground::core::{auto, choose, Strategy, Workspace};

#[test]
fn small_tapes_keep_the_models_choice_without_measuring() {
    let mut ws = Workspace::default();
    for src in ["f(x, y) = [x*y, sin(x), x + y]", "f(x[8]) = tanh([[1, 2, 3, 4, 5, 6, 7, 8]] @ x)"] {
        let t = tape(src);
        assert_eq!(auto(&t, &vec![0.5; t.n()], &mut ws), choose(&t), "{src}");
        assert!(ws.settled.is_none());
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
}

#[test]
fn a_batched_buffer_past_the_cache_is_timed_against_its_rivals_once() {
    let t = tape("W = randn(256, 256, 1) / 16\nf(x[256]) = tanh(W @ x)");
    assert_eq!(choose(&t).0, Strategy::BatchedForward);
    assert!(sweep_bytes(&t, Strategy::BatchedForward) > CACHE_BYTES);
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
