//! Timing of f and of J under every strategy, interleaved in one run so the machine's
//! noise hits all of them alike; reported as medians and J/f ratios.

use crate::core::strategy::{jacobian_into, sweep_bytes, JacobianResult, Strategy, Workspace, MAX_SWEEP_BYTES};
use crate::core::Tape;
use serde_json::{json, Value};
use std::time::Instant;

/// Median ns per call of f and of each strategy's J, and each J/f ratio.
pub fn bench_tape(tape: &Tape, at: &[f64], rounds: usize) -> Value {
    let mut vals = Vec::new();
    let mut ws = Workspace::default();
    let mut out = JacobianResult::empty();
    // Calls per sample so one sample takes ~50 µs.
    let t0 = Instant::now();
    let mut calls = 0;
    while t0.elapsed().as_micros() < 200 {
        tape.eval_into(at, &mut vals);
        calls += 1;
    }
    let reps = (calls / 4).max(1);
    // Strategies whose sweep buffer would pass the bound are reported, not run.
    let fits = |s: Strategy| sweep_bytes(tape, s) <= MAX_SWEEP_BYTES;
    let strategies: Vec<Strategy> = Strategy::ALL.into_iter().filter(|&s| fits(s)).collect();
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); strategies.len() + 1];
    for _round in 0..rounds {
        let t = Instant::now();
        for _ in 0..reps {
            tape.eval_into(std::hint::black_box(at), &mut vals);
        }
        samples[0].push(t.elapsed().as_nanos() as f64 / reps as f64);
        for (k, &s) in strategies.iter().enumerate() {
            let t = Instant::now();
            for _ in 0..reps {
                jacobian_into(tape, std::hint::black_box(at), s, &mut ws, &mut out);
                std::hint::black_box(&out);
            }
            samples[k + 1].push(t.elapsed().as_nanos() as f64 / reps as f64);
        }
    }
    let medians: Vec<f64> = samples.iter_mut().map(|s| median(s)).collect();
    let f = medians[0];
    let mut per = serde_json::Map::new();
    for (k, s) in strategies.iter().enumerate() {
        per.insert(
            s.name().into(),
            json!({ "ns": medians[k + 1].round(), "ratio": (medians[k + 1] / f * 100.0).round() / 100.0 }),
        );
    }
    for s in Strategy::ALL.into_iter().filter(|&s| !fits(s)) {
        per.insert(s.name().into(), json!({ "skipped": too_big(tape, s) }));
    }
    json!({ "n": tape.n(), "m": tape.m(), "nodes": tape.len(), "f_ns": f.round(), "J": per })
}

/// Why a strategy is not run on this tape.
pub fn too_big(tape: &Tape, s: Strategy) -> String {
    let gb = |b: usize| b as f64 / 1e9;
    format!(
        "{} would need a {:.1} GB sweep buffer, over the {:.1} GB allowed",
        s.name(),
        gb(sweep_bytes(tape, s)),
        gb(MAX_SWEEP_BYTES)
    )
}

pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// One generated benchmark program.
pub struct Family {
    pub name: String,
    pub source: String,
    pub at: Vec<f64>,
}

fn params(n: usize) -> String {
    (0..n).map(|j| format!("x{j}")).collect::<Vec<_>>().join(", ")
}

/// Deterministic weights in (-1, 1), so every run benchmarks the same programs.
fn weight(i: usize, j: usize, layer: usize) -> f64 {
    let h = (i * 7919 + j * 104729 + layer * 1299709) % 2001;
    (h as f64 - 1000.0) / 1000.0
}

/// The scaling families: chained (banded, sparse) maps, dense tanh MLPs, a wide map, a
/// tall reduction and a deep binding chain.
pub fn families() -> Vec<Family> {
    let mut out = Vec::new();
    for n in [4, 16, 64, 256] {
        // Three rounds of y_i = tanh(y_i + 0.5·y_{i+1}): J is banded (4 nonzeros a row).
        let mut src = String::new();
        let mut prev: Vec<String> = (0..n).map(|j| format!("x{j}")).collect();
        for round in 0..3 {
            let next: Vec<String> = (0..n).map(|i| format!("c{round}_{i}")).collect();
            for i in 0..n {
                let right = if i + 1 < n { prev[i + 1].clone() } else { "0".into() };
                src.push_str(&format!("{} = tanh({} + 0.5*{})\n", next[i], prev[i], right));
            }
            prev = next;
        }
        src.push_str(&format!("f({}) = [{}]\n", params(n), prev.join(", ")));
        out.push(Family {
            name: format!("chain n=m={n}"),
            source: src,
            at: (0..n).map(|j| 0.1 * j as f64 - 0.3).collect(),
        });
    }
    for width in [8, 16, 32, 64] {
        // Two dense tanh layers, width → width → width.
        let mut src = String::new();
        let mut prev: Vec<String> = (0..width).map(|j| format!("x{j}")).collect();
        for layer in 0..2 {
            let next: Vec<String> = (0..width).map(|i| format!("h{layer}_{i}")).collect();
            for (i, name) in next.iter().enumerate() {
                let terms: Vec<String> =
                    prev.iter().enumerate().map(|(j, p)| format!("{:.3}*{p}", weight(i, j, layer))).collect();
                src.push_str(&format!("{name} = tanh({} + {:.2})\n", terms.join(" + "), weight(i, 0, 9)));
            }
            prev = next;
        }
        src.push_str(&format!("f({}) = [{}]\n", params(width), prev.join(", ")));
        out.push(Family {
            name: format!("mlp width {width}"),
            source: src,
            at: (0..width).map(|j| weight(j, 1, 5)).collect(),
        });
    }
    let wide: Vec<String> =
        (0..256).map(|i| format!("sin({:.3}*x0 + x1) * exp(-{:.4}*x1^2)", 0.01 * i as f64, 0.001 * i as f64)).collect();
    out.push(Family {
        name: "wide 2→256".into(),
        source: format!("f(x0, x1) = [{}]\n", wide.join(", ")),
        at: vec![0.3, -0.2],
    });
    let tall: Vec<String> = (0..256).map(|j| format!("x{j}^2*sin(x{j})")).collect();
    out.push(Family {
        name: "tall 256→1".into(),
        source: format!("f({}) = {}\n", params(256), tall.join(" + ")),
        at: (0..256).map(|j| 0.01 * j as f64).collect(),
    });
    let mut deep = String::from("h0 = x*y\n");
    for k in 1..250 {
        deep.push_str(&format!("h{k} = sin(h{}) * y + 0.5*x\n", k - 1));
    }
    deep.push_str("f(x, y) = [h249, h249*x]\n");
    out.push(Family { name: "deep chain 250".into(), source: deep, at: vec![0.7, 0.9] });
    let classic = crate::examples::CLASSIC;
    out.push(Family { name: "classic 3×3".into(), source: classic.source.into(), at: classic.at.to_vec() });
    out
}

/// Interleaved rounds per benchmark; the table shows their medians.
pub const ROUNDS: usize = 31;

/// Runs every family and formats one table: J/f per strategy, plus f's time and the
/// sweeps sparse colouring needs.
pub fn suite_table(rounds: usize) -> String {
    let mut lines = Vec::new();
    let names: Vec<&str> = Strategy::ALL.iter().map(|s| s.name()).collect();
    lines.push(format!(
        "{:<16} {:>4} {:>4} {:>6} {:>9} {:>7} | {}",
        "family",
        "n",
        "m",
        "nodes",
        "f ns",
        "colours",
        names.join(" ")
    ));
    for fam in families() {
        let tape = crate::core::compile_source(&fam.source).expect("benchmark programs compile");
        let r = bench_tape(&tape, &fam.at, rounds);
        let colours = tape.col_colouring.count.min(tape.row_colouring.count);
        let ratios: Vec<String> = Strategy::ALL
            .iter()
            .zip(&names)
            .map(|(s, name)| {
                format!("{:>w$.2}", r["J"][s.name()]["ratio"].as_f64().unwrap_or(f64::NAN), w = name.len())
            })
            .collect();
        lines.push(format!(
            "{:<16} {:>4} {:>4} {:>6} {:>9} {:>7} | {}",
            fam.name,
            tape.n(),
            tape.m(),
            tape.len(),
            r["f_ns"],
            colours,
            ratios.join(" ")
        ));
    }
    lines.join("\n")
}
