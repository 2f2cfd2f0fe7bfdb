//! Newton's method on the pad (#20 part 3), written by the text worker: the iterates as a
//! path over the pad's two inputs (SVG markup in the pad's own coordinates) and the
//! convergence table with what the linear model predicted at each step.

use super::markup::Markup;
use super::{entries, format_entry};
use crate::core::newton::{newton, Outcome};
use crate::core::Tape;

/// The reply to the page's request: the path's markup, `\u{3}`, the table's markup.
/// `extra` is the target (numbers, one per output), then a line with the pad's two axes
/// (input indices), one with their views (low and high of each) and one with the pad's
/// size in its SVG units.
pub fn newton_reply(tape: &Tape, at: &[f64], extra: &str) -> String {
    let mut lines = extra.lines();
    let mut table = Markup::default();
    let Ok(target) = super::parse_list(lines.next().unwrap_or(""), tape.m(), "outputs") else {
        let names = super::join_bounded(tape.output_names.iter().cloned(), ", ");
        table.leaf(
            "p",
            &format!(
                "The target y* is {} number{}, one per output ({names}).",
                tape.m(),
                if tape.m() == 1 { "" } else { "s" }
            ),
        );
        return format!("\u{3}{}", table.into_string());
    };
    let nums = |l: Option<&str>| -> Vec<f64> {
        l.unwrap_or("").split_whitespace().filter_map(crate::core::decimal::parse).collect()
    };
    let (axes, view, size) = (nums(lines.next()), nums(lines.next()), nums(lines.next()));
    let result = match newton(tape, at, &target) {
        Ok(r) => r,
        Err(why) => {
            table.leaf("p", &format!("{}.", capitalised(&why)));
            return format!("\u{3}{}", table.into_string());
        }
    };
    let method = if result.least_squares { "Gauss–Newton (least squares, m > n)" } else { "Newton's method" };
    let steps = result.iterates.len() - 1;
    let residuals: Vec<String> = result.iterates.iter().map(|i| format_entry(i.residual)).collect();
    let told = match result.outcome {
        Outcome::Converged => format!(
            "converged in {steps} step{}: ‖f(x) − y*‖ went {}",
            if steps == 1 { "" } else { "s" },
            residuals.join(" → ")
        ),
        Outcome::Singular(k) => format!(
            "stopped at step {k}: J is singular to rounding there (det J ≈ 0), so the step J⁻¹(f(x) − y*) is undefined; start elsewhere"
        ),
        Outcome::RanAway(k) => format!("the iterates ran away by step {k}: the linear model is a poor guide this far from a solution"),
        Outcome::Unfinished => format!("not converged after {steps} steps: ‖f(x) − y*‖ went {}", super::join_bounded(residuals.into_iter(), " → ")),
    };
    table
        .open("p")
        .attr("data-testid", "newton-summary")
        .text(&format!("{method} towards y* = ({}): {told}.", entries(&target, format_entry)))
        .close();
    table.open("table").attr("class", "matrix newton-table").attr("data-testid", "newton-table");
    table.open("tr");
    for h in ["step", "x", "‖f(x) − y*‖", "the linear model predicted"] {
        table.leaf("th", h);
    }
    table.close();
    for (k, it) in result.iterates.iter().enumerate() {
        table.open("tr").leaf("td", &k.to_string()).leaf("td", &format!("({})", entries(&it.x, format_entry)));
        table.leaf("td", &format_entry(it.residual));
        table.leaf("td", &it.predicted.map_or("—".to_string(), format_entry)).close();
    }
    table.close();
    // The path over the pad's two inputs, in the pad's coordinates (y up).
    let mut path = Markup::default();
    if let ([a, b], [a0, a1, b0, b1], [size]) = (&axes[..], &view[..], &size[..]) {
        let (a, b) = (*a as usize, *b as usize);
        let to_pad = |x: &[f64]| {
            let u = (x.get(a).copied().unwrap_or(0.0) - a0) / (a1 - a0);
            let v = if b == a { 0.5 } else { (x.get(b).copied().unwrap_or(0.0) - b0) / (b1 - b0) };
            // Far-off iterates are drawn at a bounded distance, towards where they went.
            ((u.clamp(-10.0, 11.0) * size), ((1.0 - v).clamp(-10.0, 11.0) * size))
        };
        let points: Vec<(f64, f64)> = result.iterates.iter().map(|i| to_pad(&i.x)).collect();
        path.open("svg").attr("viewBox", &format!("0 0 {size} {size}")).attr("aria-hidden", "true");
        if a != b && tape.n() == 2 {
            let view = ((*a0, *b0), (*a1, *b1));
            if model_markup(tape, &result, &target, (a, b), view, *size, &mut path) {
                let square = if result.least_squares { "is closest to all of them" } else { "is where they cross" };
                table.leaf(
                    "p",
                    &format!(
                        "On the pad: the curves where each output meets its target ({}), and dashed, each step's linear model of them at its iterate; the next iterate {square}.",
                        tape.output_names.iter().zip(COLOURS).map(|(o, (_, c))| format!("{o} {c}")).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
        let list: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        // In the page's accent colour (the overlay's `color`).
        path.open("polyline")
            .attr("class", "newton-path")
            .attr("data-testid", "newton-path")
            .attr("fill", "none")
            .attr("stroke", "currentColor")
            .attr("stroke-width", "2")
            .attr("points", &list.join(" "))
            .close();
        for (k, (x, y)) in points.iter().enumerate().skip(1) {
            path.open("circle")
                .attr("class", "newton-x")
                .attr("fill", "currentColor")
                .attr("cx", &format!("{x:.1}"))
                .attr("cy", &format!("{y:.1}"))
                .attr("r", "3");
            path.leaf("title", &format!("step {k}")).close();
        }
        path.close();
    }
    format!("{}\u{3}{}", path.into_string(), table.into_string())
}

/// The outputs' colours on the pad (Okabe and Ito's, told apart by most colour-blind
/// readers); outputs past these are not drawn.
const COLOURS: [(&str, &str); 4] =
    [("#E69F00", "orange"), ("#0072B2", "blue"), ("#009E73", "green"), ("#CC79A7", "pink")];

/// Samples a side of the grid the target curves are traced on.
const GRID: usize = 48;

/// Programs longer than this are not traced (the grid evaluates f at 49² points).
const MAX_TRACED: usize = 4_000;

/// For a function of the pad's two inputs: each output's curve f_i = y_i* (marching
/// squares over the pad's view) and, for each step, the line where the linear model at
/// its iterate meets y_i*, dashed: Newton's next iterate is where those lines cross.
/// Whether anything was drawn.
fn model_markup(
    tape: &Tape,
    result: &crate::core::newton::Newton,
    target: &[f64],
    (a, b): (usize, usize),
    (lo, hi): ((f64, f64), (f64, f64)),
    size: f64,
    m: &mut Markup,
) -> bool {
    if tape.len() > MAX_TRACED || !(hi.0 > lo.0 && hi.1 > lo.1) {
        return false;
    }
    let to_pad = |(x, y): (f64, f64)| ((x - lo.0) / (hi.0 - lo.0) * size, (1.0 - (y - lo.1) / (hi.1 - lo.1)) * size);
    let outputs = tape.m().min(COLOURS.len());
    // f − y* at every grid point, output by output.
    let side = GRID + 1;
    let mut grid = vec![vec![0.0; side * side]; outputs];
    let mut x = vec![0.0; 2];
    for i in 0..side {
        for j in 0..side {
            x[a] = lo.0 + (hi.0 - lo.0) * j as f64 / GRID as f64;
            x[b] = lo.1 + (hi.1 - lo.1) * i as f64 / GRID as f64;
            for (k, f) in tape.eval(&x).iter().take(outputs).enumerate() {
                grid[k][i * side + j] = f - target[k];
            }
        }
    }
    let pt = |p: (f64, f64)| {
        let (u, v) = to_pad(p);
        format!("{u:.1},{v:.1}")
    };
    // The grid spans the view, so its unit square is the pad's, y up.
    let unit_pt = |(u, v): (f64, f64)| format!("{:.1},{:.1}", u * size, (1.0 - v) * size);
    for (k, values) in grid.iter().enumerate() {
        for [p, q] in super::contour::zero_set(values, GRID) {
            m.open("polyline")
                .attr("class", &format!("newton-curve-{}", k + 1))
                .attr("fill", "none")
                .attr("stroke", COLOURS[k].0)
                .attr("stroke-width", "2")
                .attr("points", &format!("{} {}", unit_pt(p), unit_pt(q)))
                .close();
        }
    }
    // Each step's model is f and J at its iterate, which Newton's method computed.
    let steps = result.iterates.len().saturating_sub(1);
    for (s, it) in result.iterates.iter().take(steps).enumerate() {
        for k in 0..outputs {
            // {x : f_k(x_s) − y*_k + ∇f_k(x_s) · (x − x_s) = 0}
            let (ga, gb) = (it.j.get(k, a), it.j.get(k, b));
            let g2 = ga * ga + gb * gb;
            let res = it.f[k] - target[k];
            if !(g2 > 0.0 && g2.is_finite() && res.is_finite()) {
                continue;
            }
            let p = (it.x[a] - res * ga / g2, it.x[b] - res * gb / g2);
            if let Some([p, q]) = super::contour::clip(p, (-gb, ga), lo, hi) {
                m.open("polyline")
                    .attr("class", &format!("newton-model-{}", k + 1))
                    .attr("fill", "none")
                    .attr("stroke", COLOURS[k].0)
                    .attr("stroke-width", "1.5")
                    .attr("stroke-dasharray", "6 4")
                    .attr("points", &format!("{} {}", pt(p), pt(q)));
                m.leaf("title", &format!("step {}: the linear model of {} at x{s}", s + 1, tape.output_names[k]))
                    .close();
            }
        }
    }
    true
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}
