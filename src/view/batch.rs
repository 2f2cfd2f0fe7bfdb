//! The Batch view's text (written by the export worker): every point's Jacobian, the three
//! ways of getting them timed against one another in this browser, and the batch as
//! PyTorch and JAX code.

use super::format::bytes;
use super::format_entry;
use crate::core::batch::{jacobians, Method};
use crate::core::point::parse_points;
use crate::core::Tape;

/// Points shown one by one; past them the text says how many more.
const SHOWN_POINTS: usize = 50;
/// J is shown whole at each point up to this many entries; past it, its largest entry.
const SHOWN_ENTRIES: usize = 36;
/// The most node visits one timing round may make (the whole batch by one method).
const TIMED_VISITS: usize = 20_000_000;

pub fn batch_text(tape: &Tape, points: &str) -> String {
    let (n, m) = (tape.n(), tape.m());
    let points = match parse_points(points, n) {
        Ok(p) if p.is_empty() => {
            return "No points yet: type or paste them above, one a line, or add the point, or a grid over the pad."
                .into()
        }
        Ok(p) => p,
        Err(e) => return format!("The points were not read: {e}."),
    };
    let b = points.len();
    let mut out = format!("{b} point{}: J is {m} × {n} at each (a {b} × {m} × {n} batch).\n\n", plural(b));
    let js = jacobians(tape, &points, Method::Batched);
    for (x, j) in points.iter().zip(&js).take(SHOWN_POINTS) {
        let at = x.iter().map(|v| format_entry(*v)).collect::<Vec<_>>().join(", ");
        if m * n <= SHOWN_ENTRIES {
            out.push_str(&format!("at ({at})\n"));
            let cells: Vec<String> = j.data.iter().map(|v| format_entry(*v)).collect();
            let width = cells.iter().map(|c| c.chars().count()).max().unwrap_or(0);
            for row in cells.chunks(n.max(1)) {
                let row: Vec<String> =
                    row.iter().map(|c| format!("{}{c}", " ".repeat(width - c.chars().count()))).collect();
                out.push_str(&format!("  [ {} ]\n", row.join("  ")));
            }
        } else {
            let (k, v) =
                j.data
                    .iter()
                    .enumerate()
                    .fold((0, 0.0f64), |best, (k, v)| if v.abs() > best.1.abs() { (k, *v) } else { best });
            out.push_str(&format!(
                "at ({at}): largest entry ∂{}/∂{} = {}\n",
                tape.output_names[k / n.max(1)],
                tape.inputs[k % n.max(1)],
                format_entry(v)
            ));
        }
    }
    if b > SHOWN_POINTS {
        out.push_str(&format!("… and {} more points.\n", b - SHOWN_POINTS));
    }
    out.push_str(&sparklines(tape, &points, &js));
    out.push_str(&methods(tape, &points, &js));
    let rows: Vec<String> =
        points.iter().map(|x| format!("[{}]", x.iter().map(|v| py(*v)).collect::<Vec<_>>().join(", "))).collect();
    out.push_str(&format!(
        "\nThe batch in PyTorch or JAX, with f as the Export view writes it:\nX = [{}]\nJs = torch.func.vmap(torch.func.jacrev(f))(torch.tensor(X, dtype=torch.float64))  # {b} × {m} × {n}\nJs = jax.vmap(jax.jacrev(f))(jnp.array(X))\n",
        rows.join(", ")
    ));
    out
}

/// The most entries given a sparkline (those that vary most, where J has more).
const SPARKLINES: usize = 36;
/// The most points a sparkline runs over.
const SPARK_POINTS: usize = 64;

/// Each entry of J over the batch as a sparkline (▁ its lowest … █ its highest), with
/// its range: against the one input the points vary where they are in its order (as added
/// across the pad), else point by point.
fn sparklines(tape: &Tape, points: &[Vec<f64>], js: &[crate::core::Matrix]) -> String {
    let (n, m) = (tape.n(), tape.m());
    let drawn = &points[..points.len().min(SPARK_POINTS)];
    if drawn.len() < 2 || n * m == 0 {
        return String::new();
    }
    let varying: Vec<usize> = (0..n).filter(|&c| drawn.iter().any(|p| p[c] != drawn[0][c])).collect();
    let along = match varying[..] {
        [c] if drawn.windows(2).all(|w| w[0][c] < w[1][c]) => Some(c),
        _ => None,
    };
    let range = |k: usize| {
        drawn
            .iter()
            .zip(js)
            .map(|(_, j)| j.data[k])
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)))
    };
    // The entries that vary most first where not all are shown, then in J's order.
    let mut entries: Vec<usize> = (0..n * m).collect();
    if entries.len() > SPARKLINES {
        let spread = |k: usize| {
            let (a, b) = range(k);
            if b >= a {
                b - a
            } else {
                0.0
            }
        };
        entries.sort_by(|&a, &b| spread(b).total_cmp(&spread(a)));
        entries.truncate(SPARKLINES);
        entries.sort_unstable();
    }
    let how = match along {
        Some(c) => format!(
            "along {}, the input the points vary ({} … {})",
            tape.inputs[c],
            format_entry(drawn[0][c]),
            format_entry(drawn[drawn.len() - 1][c])
        ),
        None => "point by point".to_string(),
    };
    let which = if entries.len() < n * m {
        format!(" ({SPARKLINES} of {} entries: those that vary most)", n * m)
    } else {
        String::new()
    };
    let first = if drawn.len() < points.len() { format!(", the first {} points", drawn.len()) } else { String::new() };
    let mut out = format!("\nEach entry over the batch{which}, {how}{first}; ▁ its lowest … █ its highest:\n");
    let names: Vec<String> =
        entries.iter().map(|&k| format!("∂{}/∂{}", tape.output_names[k / n], tape.inputs[k % n])).collect();
    let width = names.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    for (&k, name) in entries.iter().zip(&names) {
        let (lo, hi) = range(k);
        let line: String = drawn
            .iter()
            .zip(js)
            .map(|(_, j)| {
                let v = j.data[k];
                match v {
                    v if !v.is_finite() => '·',
                    _ if hi <= lo => '─',
                    v => ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'][(((v - lo) / (hi - lo)) * 7.0).round() as usize],
                }
            })
            .collect();
        let span = if lo > hi {
            "no number".to_string()
        } else if hi <= lo {
            format!("{} throughout", format_entry(lo))
        } else {
            format!("{} … {}", format_entry(lo), format_entry(hi))
        };
        out.push_str(&format!("  {name}{}  {line}  {span}\n", " ".repeat(width - name.chars().count())));
    }
    out
}

/// The three methods timed, interleaved round by round, each the whole batch; their
/// passes and memory; and whether they agree.
fn methods(tape: &Tape, points: &[Vec<f64>], batched: &[crate::core::Matrix]) -> String {
    let (b, m) = (points.len(), tape.m());
    let visits = b * m * tape.work();
    // How far apart the methods' Js are, relative to each J's largest entry (a dense
    // block's batched sweep sums in another order than its one-adjoint passes).
    let mut apart = 0.0f64;
    let mut same = true;
    for k in Method::ALL {
        for (a, j) in jacobians(tape, points, k).iter().zip(batched) {
            same &= same_bits(&a.data, &j.data);
            let scale = j.data.iter().fold(0.0f64, |s, v| s.max(v.abs()));
            for (x, y) in a.data.iter().zip(&j.data) {
                if scale > 0.0 && (x - y).is_finite() {
                    apart = apart.max((x - y).abs() / scale);
                }
            }
        }
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); 3];
    let clock = || crate::core::auto::now().unwrap_or(0.0);
    let timed = visits <= TIMED_VISITS && crate::core::auto::now().is_some();
    if timed {
        // Repeats per timing, doubled until one lasts 2 ms: a browser's clock may tick
        // only every 0.1 ms, and a small batch takes microseconds.
        let mut reps = 1usize;
        loop {
            let t = clock();
            for _ in 0..reps {
                std::hint::black_box(jacobians(tape, points, Method::Batched));
            }
            if clock() - t >= 2.0 || reps >= 1 << 20 || reps.saturating_mul(visits) > TIMED_VISITS {
                break;
            }
            reps *= 2;
        }
        let start = clock();
        // At least 3 rounds; then until 0.2 s have passed, at most 25 rounds.
        while times[0].len() < 3 || (times[0].len() < 25 && clock() - start < 200.0) {
            for (k, &method) in Method::ALL.iter().enumerate() {
                let t = clock();
                for _ in 0..reps {
                    std::hint::black_box(jacobians(tape, points, method));
                }
                times[k].push((clock() - t) / reps as f64);
            }
        }
    }
    let rounds = times[0].len();
    let mut out = if rounds > 0 {
        format!(
            "\nThe three ways of the PyTorch threads, timed here (median of {rounds} rounds, each the whole batch):\n"
        )
    } else if visits > TIMED_VISITS {
        format!("\nThe three ways of the PyTorch threads (not timed: a round would visit {visits} nodes, over {TIMED_VISITS}):\n")
    } else {
        "\nThe three ways of the PyTorch threads (not timed: no clock here):\n".to_string()
    };
    let what = [
        "a loop of per-point Jacobians",
        "repeat each input m times, backprop an identity",
        "one batched sweep per point (vmap(jacrev))",
    ];
    for (k, &method) in Method::ALL.iter().enumerate() {
        let (fwd, rev) = method.passes(m, b);
        let sweeps = if method == Method::Batched {
            format!("{rev} reverse sweep{} of {m} adjoints", plural(rev))
        } else {
            format!("{rev} reverse pass{}", if rev == 1 { "" } else { "es" })
        };
        let held = if method == Method::Repeat { " held at once" } else { "" };
        let time = median(&mut times[k]).map_or(String::new(), |t| format!("{}, ", duration(t)));
        out.push_str(&format!(
            "  {:<48} {fwd} forward pass{}{held} + {sweeps}: {time}{} of memory\n",
            what[k],
            if fwd == 1 { "" } else { "es" },
            bytes(method.bytes(tape, b))
        ));
    }
    out.push_str(&if same {
        "All three give the same Jacobians, to the bit.\n".to_string()
    } else {
        format!("All three give the same Jacobians to rounding: they differ by at most {apart:.1e} of a J's largest entry (sums in another order).\n")
    });
    out
}

/// Milliseconds as µs or ms, three digits.
fn duration(ms: f64) -> String {
    if ms < 1.0 {
        format!("{} µs", super::format_short(ms * 1e3))
    } else {
        format!("{} ms", super::format_short(ms))
    }
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
}

fn median(v: &mut [f64]) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

fn plural(k: usize) -> &'static str {
    if k == 1 {
        ""
    } else {
        "s"
    }
}

/// A Python float literal.
fn py(v: f64) -> String {
    let s = crate::core::syntax::format_number(v);
    if s.contains(['.', 'e', 'n', 'i']) {
        s
    } else {
        format!("{s}.0")
    }
}
