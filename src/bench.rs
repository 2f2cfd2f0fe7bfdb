//! Timing of f and of J under every strategy, interleaved in one run so the machine's
//! noise hits all of them alike; reported as medians and J/f ratios.

use crate::core::strategy::{jacobian_into, sweep_bytes, JacobianResult, Strategy, Workspace, MAX_SWEEP_BYTES};
use crate::core::Tape;
use serde_json::{json, Value};
use std::time::Instant;

/// Median ns per call of f and of each strategy's J, and each J/f ratio.
pub fn bench_tape(tape: &Tape, at: &[f64], rounds: usize) -> Value {
    bench_within(tape, at, rounds, usize::MAX)
}

/// The node visits one call of `s` makes, about: its sweeps times the tape.
pub fn visits(tape: &Tape, s: Strategy) -> usize {
    let sweeps = match s {
        Strategy::Forward | Strategy::FdForward | Strategy::ComplexStep => tape.n(),
        Strategy::FdCentral => 2 * tape.n(),
        Strategy::Reverse => tape.m(),
        _ => 1,
    };
    sweeps.max(1).saturating_mul(tape.work())
}

/// `bench_tape`, leaving out strategies over `max_visits` node visits a call.
pub fn bench_within(tape: &Tape, at: &[f64], rounds: usize, max_visits: usize) -> Value {
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
    // Strategies whose sweep buffer would pass the bound are reported, not run; so are,
    // in the suite, those over `max_visits` node visits a call (a 784-input network's
    // forward columns or finite differences take seconds, and tell nothing new).
    let fits = |s: Strategy| sweep_bytes(tape, s) <= MAX_SWEEP_BYTES && visits(tape, s) <= max_visits;
    let strategies: Vec<Strategy> = Strategy::ALL.into_iter().filter(|&s| fits(s)).collect();
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); strategies.len() + 1];
    for _round in 0..rounds {
        let t = Instant::now();
        for _ in 0..reps {
            tape.eval_into(std::hint::black_box(at), &mut vals);
        }
        samples[0].push(t.elapsed().as_nanos() as f64 / reps as f64);
        for (k, &s) in strategies.iter().enumerate() {
            // One call untimed first: the strategy before this one left its own buffers in
            // the cache, and a heavy J is timed over a single call. Warm is what the page
            // sees while a point is dragged (the same strategy, call after call).
            jacobian_into(tape, std::hint::black_box(at), s, &mut ws, &mut out);
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
        let why = if sweep_bytes(tape, s) > MAX_SWEEP_BYTES {
            too_big(tape, s)
        } else {
            format!("{} would visit {} nodes a call, over the suite's {max_visits}", s.name(), visits(tape, s))
        };
        per.insert(s.name().into(), json!({ "skipped": why }));
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
    for width in [8, 32, 64] {
        // One tanh layer, written out weight by weight and as W @ x with the same weights:
        // the same function, to compare the two forms' time.
        let w = |i: usize, j: usize| format!("{:.3}", weight(i, j, 0));
        let b = |i: usize| format!("{:.2}", weight(i, 0, 9));
        let rows: Vec<String> = (0..width)
            .map(|i| {
                format!(
                    "tanh({} + {})",
                    (0..width).map(|j| format!("{}*x{j}", w(i, j))).collect::<Vec<_>>().join(" + "),
                    b(i)
                )
            })
            .collect();
        let at: Vec<f64> = (0..width).map(|j| weight(j, 1, 5)).collect();
        out.push(Family {
            name: format!("layer {width} scalar"),
            source: format!("f({}) = [{}]\n", params(width), rows.join(", ")),
            at: at.clone(),
        });
        let matrix: Vec<String> =
            (0..width).map(|i| format!("[{}]", (0..width).map(|j| w(i, j)).collect::<Vec<_>>().join(", "))).collect();
        let bias: Vec<String> = (0..width).map(b).collect();
        out.push(Family {
            name: format!("layer {width} tensor"),
            source: format!(
                "W = [{}]\nb = [{}]\nf(x[{width}]) = tanh(W @ x + b)\n",
                matrix.join(", "),
                bias.join(", ")
            ),
            at,
        });
    }
    // Networks written with seeded weights: the shapes of the seed threads' questions.
    let seeded = |n: usize| (0..n).map(|j| ((j * 37) % 101) as f64 / 101.0 - 0.5).collect::<Vec<f64>>();
    out.push(Family {
        name: "layer 256 tensor".into(),
        source: "W = randn(256, 256, 1) / 16\nb = randn(256, 2) / 10\nf(x[256]) = tanh(W @ x + b)\n".into(),
        at: seeded(256),
    });
    out.push(Family {
        name: "mlp2 64 tensor".into(),
        source: "W1 = randn(64, 64, 1) / 8\nW2 = randn(64, 64, 2) / 8\nf(x[64]) = tanh(W2 @ tanh(W1 @ x))\n".into(),
        at: seeded(64),
    });
    out.push(Family {
        name: "decoder 32→256→64".into(),
        source: "W1 = randn(256, 32, 1) / 5.7\nW2 = randn(64, 256, 2) / 16\ndec(z[32]) = sigmoid(W2 @ tanh(W1 @ z))\n"
            .into(),
        at: seeded(32),
    });
    out.push(Family {
        name: "classifier 784→128→10".into(),
        source: "W1 = randn(128, 784, 1) / 28\nW2 = randn(10, 128, 2) / 11.3\nnet(img[28, 28]) = softmax(W2 @ tanh(W1 @ flatten(img)))\n".into(),
        at: seeded(784),
    });
    // Softmax written out (its max, the differences, exponentials, a sum and quotients:
    // runs of scalar nodes, as a user writes it by hand) and as the one node `softmax`.
    let logits: Vec<f64> = seeded(256).iter().map(|v| 8.0 * v).collect();
    out.push(Family {
        name: "softmax 256 scalar".into(),
        source: "ez = exp(z - max(z))\nf(z[256]) = ez / sum(ez)\n".into(),
        at: logits.clone(),
    });
    out.push(Family { name: "softmax 256 tensor".into(), source: "f(z[256]) = softmax(z)\n".into(), at: logits });
    // Self-attention over 8 tokens of 16 features, its two products written out entry by
    // entry as sums of products (as before products of variables were nodes) or as the
    // matmul nodes.
    let sum = |terms: Vec<String>| terms.join(" + ");
    let matrix = |rows: usize, cols: usize, entry: &dyn Fn(usize, usize) -> String| {
        let rows: Vec<String> =
            (0..rows).map(|i| format!("[{}]", (0..cols).map(|j| entry(i, j)).collect::<Vec<_>>().join(", "))).collect();
        format!("[{}]", rows.join(", "))
    };
    let scores = matrix(8, 8, &|i, j| sum((0..16).map(|k| format!("X[{i}, {k}]*X[{j}, {k}]")).collect()));
    let mixed = matrix(8, 16, &|i, j| sum((0..8).map(|k| format!("P[{i}, {k}]*X[{k}, {j}]")).collect()));
    let tokens: Vec<f64> = seeded(128).iter().map(|v| 2.0 * v).collect();
    out.push(Family {
        name: "attention 8×16 scalar".into(),
        source: format!("S = {scores}\nP = softmax(S / 4, dim=1)\nY = {mixed}\nf(X[8, 16]) = Y\n"),
        at: tokens.clone(),
    });
    out.push(Family {
        name: "attention 8×16 tensor".into(),
        source: "f(X[8, 16]) = softmax(X @ X.T / 4, dim=1) @ X\n".into(),
        at: tokens,
    });
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

/// The suite leaves out a strategy over this many node visits a call (see `bench_within`).
pub const SUITE_MAX_VISITS: usize = 50_000_000;

/// Runs every family and formats one table: J/f per strategy, plus f's time and the
/// sweeps sparse colouring needs.
pub fn suite_table(rounds: usize) -> String {
    let mut lines = Vec::new();
    let names: Vec<&str> = Strategy::ALL.iter().map(|s| s.name()).collect();
    lines.push(format!(
        "{:<22} {:>4} {:>4} {:>6} {:>9} {:>7} | {} | {}",
        "family",
        "n",
        "m",
        "nodes",
        "f ns",
        "colours",
        names.join(" "),
        "auto picks (its time / the fastest exact)"
    ));
    let mut scalar_ns: Vec<(String, f64)> = Vec::new();
    let mut forms = Vec::new();
    // Each family's auto time over the fastest exact strategy's, for the summary line.
    let mut auto_over: Vec<(String, f64)> = Vec::new();
    for fam in families() {
        let tape = crate::core::compile_source(&fam.source).expect("benchmark programs compile");
        let r = bench_within(&tape, &fam.at, rounds, SUITE_MAX_VISITS);
        let ns = |s: Strategy| r["J"][s.name()]["ns"].as_f64();
        let best = Strategy::ALL.into_iter().filter(|s| s.is_exact()).filter_map(ns).fold(f64::INFINITY, f64::min);
        let auto = crate::core::auto(&tape, &fam.at, &mut Default::default()).0;
        let over = ns(auto).unwrap_or(f64::NAN) / best;
        auto_over.push((fam.name.clone(), over));
        let auto_col = format!("{} {over:.2}", auto.name());
        // The scalar and tensor forms of one layer, side by side.
        if let Some(width) = fam.name.strip_suffix(" scalar") {
            scalar_ns.push((width.to_string(), best));
        } else if let Some(width) = fam.name.strip_suffix(" tensor") {
            if let Some((_, s)) = scalar_ns.iter().find(|(w, _)| w == width) {
                let us = |ns: f64| if ns < 1e4 { format!("{:.2}", ns / 1e3) } else { format!("{:.0}", ns / 1e3) };
                forms.push(format!(
                    "{width}: scalar form's J {} µs, tensor form's {} µs ({:.2}×)",
                    us(*s),
                    us(best),
                    s / best
                ));
            }
        }
        let colours = tape.col_colouring.count.min(tape.row_colouring.count);
        let ratios: Vec<String> = Strategy::ALL
            .iter()
            .zip(&names)
            .map(|(s, name)| {
                format!("{:>w$.2}", r["J"][s.name()]["ratio"].as_f64().unwrap_or(f64::NAN), w = name.len())
            })
            .collect();
        lines.push(format!(
            "{:<22} {:>4} {:>4} {:>6} {:>9} {:>7} | {} | {auto_col}",
            fam.name,
            tape.n(),
            tape.m(),
            tape.len(),
            r["f_ns"],
            colours,
            ratios.join(" ")
        ));
    }
    let within = auto_over.iter().filter(|(_, r)| *r <= 1.1).count();
    let worst = auto_over.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    lines.push(String::new());
    lines.push(format!(
        "auto within 10 % of the fastest exact strategy on {within} of {} families (worst: {})",
        auto_over.len(),
        worst.map(|(f, r)| format!("{f}, {r:.2}")).unwrap_or_default()
    ));
    lines.push(String::new());
    lines.push("J by the fastest exact strategy, the same function in its two forms (a layer: W @ x is a dense block, and the written-out sums are recognised as one; softmax: written out as exp, max, sum and quotients, or the one node; attention: its products written out as sums of products, or the matmul nodes):".into());
    lines.extend(forms);
    lines.join("\n")
}
