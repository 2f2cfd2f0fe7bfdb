//! Timing of f and of J under every strategy, interleaved in one run so the machine's
//! noise hits all of them alike; reported as medians and J/f ratios.

use crate::core::jacobian::{jacobian, Strategy, Workspace};
use crate::core::Tape;
use serde_json::{json, Value};
use std::time::Instant;

/// Median ns per call of f and of each strategy's J, and each J/f ratio.
pub fn bench_tape(tape: &Tape, at: &[f64]) -> Value {
    let mut vals = Vec::new();
    let mut ws = Workspace::default();
    // Calls per sample so one sample takes ~50 µs.
    let t0 = Instant::now();
    let mut calls = 0;
    while t0.elapsed().as_micros() < 200 {
        tape.eval_into(at, &mut vals);
        calls += 1;
    }
    let reps = (calls / 4).max(1);
    let strategies = Strategy::ALL;
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); strategies.len() + 1];
    for _round in 0..31 {
        let t = Instant::now();
        for _ in 0..reps {
            tape.eval_into(std::hint::black_box(at), &mut vals);
        }
        samples[0].push(t.elapsed().as_nanos() as f64 / reps as f64);
        for (k, &s) in strategies.iter().enumerate() {
            let t = Instant::now();
            for _ in 0..reps {
                std::hint::black_box(jacobian(tape, std::hint::black_box(at), s, &mut ws));
            }
            samples[k + 1].push(t.elapsed().as_nanos() as f64 / reps as f64);
        }
    }
    let medians: Vec<f64> = samples.iter_mut().map(|s| median(s)).collect();
    let f = medians[0];
    let mut per = serde_json::Map::new();
    for (k, s) in strategies.iter().enumerate() {
        per.insert(s.name().into(), json!({ "ns": medians[k + 1].round(), "ratio": (medians[k + 1] / f * 100.0).round() / 100.0 }));
    }
    json!({ "n": tape.n(), "m": tape.m(), "nodes": tape.len(), "f_ns": f.round(), "J": per })
}

pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}
