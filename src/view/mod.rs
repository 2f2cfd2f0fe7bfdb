//! View-model logic shared by the app and its tests: turns core results into plain,
//! display-ready data. No Leptos or web imports: components only render what this returns.

use crate::core::span::line_col;
use crate::core::syntax::format_number;
use crate::core::{choose, compile_source, jacobian, Diagnostic, Strategy, Tape, Workspace};

/// An error positioned for an editor: character offsets (not bytes) into the source.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorView {
    pub message: String,
    pub line: usize,
    pub col: usize,
    pub start_char: usize,
    pub end_char: usize,
}

/// The editor shows the first few errors; positioning each costs a scan of the source, so
/// 20 000 errors in pasted noise must not all be positioned.
pub const MAX_ERROR_VIEWS: usize = 50;

pub fn error_views(src: &str, diags: &[Diagnostic]) -> Vec<ErrorView> {
    diags
        .iter()
        .take(MAX_ERROR_VIEWS)
        .map(|d| {
            let lc = line_col(src, d.span.start);
            let start_char = char_offset(src, d.span.start);
            let end_char = char_offset(src, d.span.end).max(start_char + 1);
            ErrorView { message: d.message.clone(), line: lc.line, col: lc.col, start_char, end_char }
        })
        .collect()
}

fn char_offset(src: &str, byte: usize) -> usize {
    src[..crate::core::span::clamp_to_boundary(src, byte)].chars().count()
}

/// Everything the walking-skeleton view shows for one point.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub at: Vec<f64>,
    pub f: Vec<f64>,
    pub j: Vec<Vec<f64>>,
    pub zero_columns: Vec<String>,
    /// det J (n = m), and whether J is singular to rounding (then det is 0).
    pub det: Option<(f64, bool)>,
    pub strategy: String,
    pub reason: String,
}

pub fn compile(src: &str) -> Result<Tape, Vec<ErrorView>> {
    compile_source(src).map_err(|d| error_views(src, &d))
}

pub fn snapshot(tape: &Tape, at: &[f64], ws: &mut Workspace) -> Snapshot {
    let (strategy, reason) = choose(tape);
    let r = jacobian(tape, at, strategy, ws);
    let j = r.j.to_rows();
    let det = (tape.n() == tape.m()).then(|| linear::det_to_rounding(tape.n(), &r.j.data));
    Snapshot {
        inputs: tape.inputs.clone(),
        outputs: tape.output_names.clone(),
        at: at.to_vec(),
        f: r.f,
        j,
        zero_columns: tape.zero_columns().iter().map(|&c| tape.inputs[c].clone()).collect(),
        det,
        strategy: strategy_label(strategy).into(),
        reason,
    }
}

/// The sentence a screen reader hears: the point, then J row by row.
pub fn announce(s: &Snapshot) -> String {
    let list = |v: &[f64]| entries(v, format_entry);
    let rows: Vec<String> = s.outputs.iter().zip(&s.j).map(|(o, r)| format!("row {o}: {}", list(r))).collect();
    format!("At ({}), J is {} by {}: {}.", list(&s.at), s.outputs.len(), s.inputs.len(), rows.join("; "))
}

pub fn strategy_label(s: Strategy) -> &'static str {
    match s {
        Strategy::Forward => "forward by columns",
        Strategy::Reverse => "reverse by rows",
        Strategy::BatchedForward => "batched forward",
        Strategy::BatchedReverse => "batched reverse",
        Strategy::Sparse => "sparse colouring",
        Strategy::FdForward => "forward differences",
        Strategy::FdCentral => "central differences",
        Strategy::ComplexStep => "complex step",
    }
}

/// Carries the point over when the function changes: same-named inputs keep their value,
/// others take the old value at the same position, or 1.
pub fn adapt_point(old_names: &[String], old: &[f64], new_names: &[String]) -> Vec<f64> {
    new_names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            old_names
                .iter()
                .position(|o| o == name)
                .and_then(|k| old.get(k))
                .or_else(|| old.get(j))
                .copied()
                .unwrap_or(1.0)
        })
        .collect()
}

/// A matrix entry for display: exact integers as integers, else 6 significant digits,
/// scientific outside [1e-4, 1e6); NaN and ±∞ spelled out.
pub fn format_entry(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "∞".into() } else { "−∞".into() };
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    let s = if v.fract() == 0.0 && a < 1e15 {
        format!("{v}")
    } else if (1e-4..1e6).contains(&a) {
        let digits = (5 - a.log10().floor() as i32).max(0) as usize;
        let t = format!("{v:.digits$}");
        if t.contains('.') {
            t.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            t
        }
    } else {
        format!("{v:.5e}")
    };
    s.replace('-', "−")
}

/// Numbers as a comma-separated list, each shown by `show` (one copy of the iterator code
/// for every list the page prints).
pub fn entries(v: &[f64], show: fn(f64) -> String) -> String {
    v.iter().map(|x| show(*x)).collect::<Vec<_>>().join(", ")
}

/// Full precision, for tooltips and copying.
pub fn format_full(v: f64) -> String {
    format_number(v)
}

/// Parses one coordinate typed by the user: the same rule as links and the CLI (finite).
pub fn parse_coordinate(text: &str) -> Result<f64, String> {
    crate::core::point::parse_coordinate(text)
}

/// The program with every operation parenthesised, one statement per line, so the
/// learner sees how it was read (`-x^2` shows as `(-(x ^ 2))`). None if it doesn't parse.
pub fn explicit_form(src: &str) -> Option<String> {
    use crate::core::parser::parse;
    use crate::core::syntax::Stmt;
    let (program, errors) = parse(src);
    if !errors.is_empty() {
        return None;
    }
    let lines: Vec<String> = program
        .stmts
        .iter()
        .map(|s| match s {
            Stmt::Binding(b) => format!("{} = {}", b.name, program.explicit(b.expr)),
            Stmt::Signature(sig) => {
                let params: Vec<&str> = sig.params.iter().map(|(p, _)| p.as_str()).collect();
                let outs: Vec<String> = sig.outputs.iter().map(|&e| program.explicit(e)).collect();
                if sig.bracketed || outs.len() != 1 {
                    format!("{}({}) = [{}]", sig.name, params.join(", "), outs.join(", "))
                } else {
                    format!("{}({}) = {}", sig.name, params.join(", "), outs[0])
                }
            }
        })
        .collect();
    Some(lines.join("\n"))
}

/// The slider range of an input: its home value ± max(2, |home|).
pub fn input_range(home: f64) -> (f64, f64) {
    let home = if home.is_finite() { home } else { 0.0 };
    let r = home.abs().max(2.0);
    (home - r, home + r)
}

/// `range` scaled by `factor` about the value `at` (which keeps its place on the pad):
/// below 1 zooms in. Kept above a width where its four shown digits still differ.
pub fn zoom_range((lo, hi): (f64, f64), at: f64, factor: f64) -> (f64, f64) {
    let width = ((hi - lo) * factor).clamp(1e-9 * at.abs().max(1e-300), 1e15);
    let u = if hi > lo { ((at - lo) / (hi - lo)).clamp(0.0, 1.0) } else { 0.5 };
    (at - u * width, at + (1.0 - u) * width)
}

/// `range`, or the same width centred on `v` when `v` is not inside it by `margin` (a
/// fraction of the width): a point stepped off the pad (margin 0) or typed near its edge
/// (margin 0.1) brings the view with it.
pub fn follow((lo, hi): (f64, f64), v: f64, margin: f64) -> (f64, f64) {
    // A dragged value is rounded to four digits of the range and may land just outside it.
    let inset = (hi - lo) * (margin - 1e-3);
    if !v.is_finite() || (lo + inset..=hi - inset).contains(&v) {
        return (lo, hi);
    }
    let half = (hi - lo) / 2.0;
    (v - half, v + half)
}

/// A position in [0, 1] across `range`, and back.
pub fn to_unit(v: f64, (lo, hi): (f64, f64)) -> f64 {
    ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
}
pub fn from_unit(u: f64, (lo, hi): (f64, f64)) -> f64 {
    let v = lo + u.clamp(0.0, 1.0) * (hi - lo);
    // Round to 4 significant digits of the range, so dragged values read cleanly.
    let q = 10f64.powi(((hi - lo).log10().floor() as i32) - 3);
    (v / q).round() * q
}

/// Keyboard step across a range: 1/50 of it, or 1/500 with Shift.
pub fn key_step((lo, hi): (f64, f64), fine: bool) -> f64 {
    (hi - lo) / if fine { 500.0 } else { 50.0 }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CostRow {
    pub strategy: String,
    pub passes: usize,
    pub primal: usize,
    pub node_visits: usize,
    pub bytes: usize,
    pub exact: bool,
    pub max_error: f64,
}

/// A strategy's passes as every view counts them: "3 + 1 primal".
pub fn format_passes(passes: usize, primal: usize) -> String {
    if primal == 0 {
        passes.to_string()
    } else {
        format!("{passes} + {primal} primal")
    }
}

/// What each strategy costs at this point, and how far it lands from the exact J.
pub fn cost_rows(tape: &Tape, at: &[f64], exact: &crate::core::Matrix, ws: &mut Workspace) -> Vec<CostRow> {
    Strategy::ALL
        .iter()
        .map(|&s| {
            let r = jacobian(tape, at, s, ws);
            CostRow {
                strategy: strategy_label(s).into(),
                passes: r.cost.passes,
                primal: r.cost.primal,
                node_visits: r.cost.node_visits,
                bytes: r.cost.bytes,
                exact: s.is_exact(),
                max_error: crate::core::fd::max_abs_diff(&r.j, exact),
            }
        })
        .collect()
}

/// Ascending, for the few values of a spectrum. An insertion sort: the standard library's
/// sort is kilobytes of wasm per element type, for lists of 2 to 8 numbers here.
pub fn sort_floats(v: &mut [f64]) {
    for i in 1..v.len() {
        let mut k = i;
        while k > 0 && v[k - 1].total_cmp(&v[k]).is_gt() {
            v.swap(k - 1, k);
            k -= 1;
        }
    }
}

/// A timing in µs per call: the median of several batches, and how far the batches spread
/// around it (half their range over the median), so a noisy figure can say so.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    pub micros: f64,
    pub spread: f64,
}

/// Batches whose median and spread `time_call` reports (fewer where one call is slow).
const BATCHES: usize = 7;

/// Times `f`: calls per batch doubled until a batch takes an eighth of `budget_ms` (well
/// above a coarse browser timer's step), then up to `BATCHES` batches of that many calls
/// within about twice the budget (at least one). Fewer than three: the spread is unknown (∞).
pub fn time_call(now: &dyn Fn() -> f64, budget_ms: f64, mut f: impl FnMut()) -> Timing {
    let mut batch = |calls: u64| {
        let start = now();
        for _ in 0..calls {
            f();
        }
        now() - start
    };
    // The calibration batches also warm the engine's compiled code up: none is counted.
    let mut calls = 1u64;
    let mut first = batch(calls);
    while calls < 1 << 30 && first < budget_ms / 8.0 {
        calls *= 2;
        first = batch(calls);
    }
    let mut times = Vec::new();
    let mut spent = first;
    while times.is_empty() || (times.len() < BATCHES && spent < 2.0 * budget_ms) {
        let t = batch(calls);
        spent += t;
        times.push(t);
    }
    let per_call = 1000.0 / calls as f64;
    sort_floats(&mut times);
    // The spread leaves out the fastest and the slowest batch (one task switch or GC pause
    // is not the measurement's noise) where there are five or more.
    let trim = usize::from(times.len() >= 5);
    let (lo, micros, hi) =
        (times[trim] * per_call, times[times.len() / 2] * per_call, times[times.len() - 1 - trim] * per_call);
    let spread = if times.len() < 3 {
        f64::INFINITY
    } else if micros > 0.0 {
        (hi - lo) / 2.0 / micros
    } else {
        0.0
    };
    Timing { micros, spread }
}

/// A timing as the cost table shows it: "±N%" where the batches spread more than 10%, "≈"
/// where there were too few to tell.
pub fn format_timing(t: Timing, show: fn(f64) -> String) -> String {
    match t.spread {
        s if s.is_infinite() => format!("≈{}", show(t.micros)),
        s if s > 0.1 => format!("{} ±{:.0}%", show(t.micros), s * 100.0),
        _ => show(t.micros),
    }
}

/// µs per call of evaluating f (index 0) and of each strategy in `Strategy::ALL` order
/// (index 1 + k): `which` picks one, so a caller can spread the work over several tasks.
pub fn time_strategy(tape: &Tape, at: &[f64], which: usize, now: &dyn Fn() -> f64, budget_ms: f64) -> Timing {
    let mut ws = Workspace::default();
    let mut out = crate::core::JacobianResult::empty();
    match which.checked_sub(1).and_then(|k| Strategy::ALL.get(k)) {
        None => {
            let mut vals = Vec::new();
            time_call(now, budget_ms, || tape.eval_into(at, &mut vals))
        }
        Some(&s) => time_call(now, budget_ms, || crate::core::jacobian_into(tape, at, s, &mut ws, &mut out)),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SecondOrder {
    /// For m = 1: the Hessian, its eigenvalues (ascending) and the Laplacian.
    pub hessian: Option<(Vec<Vec<f64>>, Vec<f64>, f64)>,
    /// For n = m: the divergence (trace of J).
    pub divergence: Option<f64>,
}

pub fn second_order(tape: &Tape, at: &[f64], j: &[Vec<f64>]) -> SecondOrder {
    let hessian = (tape.m() == 1).then(|| {
        let h = crate::core::hessian::hessian(tape, at, 0);
        let n = tape.n();
        let eig = if h.h.data.iter().all(|v| v.is_finite()) {
            let mut e: Vec<f64> =
                nalgebra::DMatrix::from_row_slice(n, n, &h.h.data).symmetric_eigenvalues().iter().copied().collect();
            sort_floats(&mut e);
            e
        } else {
            vec![f64::NAN; n]
        };
        (h.h.to_rows(), eig, h.laplacian)
    });
    let divergence = (tape.n() == tape.m()).then(|| (0..tape.n()).map(|i| j[i][i]).sum());
    SecondOrder { hessian, divergence }
}

/// A node of the drawn computation graph, positioned in layers by depth.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphNode {
    pub id: usize,
    pub name: String,
    pub op: String,
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GraphView {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<(usize, usize)>,
    pub width: f64,
    pub height: f64,
}

/// Graphs larger than this are shown as the trace table only.
pub const MAX_DRAWN_NODES: usize = 120;

/// Layered layout: inputs and constants in column 0, every operation one column right of
/// its deepest operand. Constants are left out of the drawing (they carry no derivative).
pub fn graph_layout(tape: &Tape) -> Option<GraphView> {
    use crate::core::ops::Op;
    if tape.len() > MAX_DRAWN_NODES {
        return None;
    }
    let mut depth = vec![0usize; tape.len()];
    for k in tape.first_op..tape.len() {
        let [a, b] = tape.args[k];
        let db = if (b as usize) < tape.len() { depth[b as usize] } else { 0 };
        depth[k] = 1 + depth[a as usize].max(db);
    }
    let drawn: Vec<usize> = (0..tape.len()).filter(|&k| tape.ops[k] != Op::Const).collect();
    let layers = drawn.iter().map(|&k| depth[k]).max().unwrap_or(0) + 1;
    let mut per_layer = vec![0usize; layers];
    let (dx, dy) = (110.0, 54.0);
    let mut nodes = Vec::new();
    for &k in &drawn {
        let row = per_layer[depth[k]];
        per_layer[depth[k]] += 1;
        let op = match tape.ops[k] {
            Op::Input => "input".to_string(),
            op => op.name(),
        };
        nodes.push(GraphNode {
            id: k,
            name: tape.node_name(k),
            op,
            x: 50.0 + dx * depth[k] as f64,
            y: 30.0 + dy * row as f64,
        });
    }
    let mut edges = Vec::new();
    for k in tape.first_op..tape.len() {
        let [a, b] = tape.args[k];
        for operand in [a as usize, b as usize] {
            if operand < tape.len() && tape.ops[operand] != Op::Const && !edges.contains(&(operand, k)) {
                edges.push((operand, k));
            }
        }
    }
    let rows = per_layer.iter().copied().max().unwrap_or(1);
    Some(GraphView { nodes, edges, width: 100.0 + dx * (layers - 1) as f64, height: 60.0 + dy * (rows - 1) as f64 })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassKind {
    Forward,
    Reverse,
}

/// One row of the step-through table.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRow {
    pub node: usize,
    pub name: String,
    pub op: String,
    pub value: f64,
    /// The tangent / adjoint known after the steps taken so far (None: not reached yet).
    pub deriv: Option<f64>,
    pub current: bool,
}

/// The trace table shows at most this many rows, around the current node: a 100 000-node
/// program would otherwise take seconds to lay out.
pub const MAX_TRACE_ROWS: usize = 200;

/// The nodes the trace table shows for a tape of `len` nodes with `current` lit.
pub fn trace_window(len: usize, current: Option<usize>) -> std::ops::Range<usize> {
    if len <= MAX_TRACE_ROWS {
        return 0..len;
    }
    let start = current.unwrap_or(0).saturating_sub(MAX_TRACE_ROWS / 2).min(len - MAX_TRACE_ROWS);
    start..start + MAX_TRACE_ROWS
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct PassState {
    /// The rows of `window` (every node, unless the tape is long).
    pub rows: Vec<TraceRow>,
    pub window: std::ops::Range<usize>,
    pub steps: usize,
    pub taken: usize,
    /// The column (forward) or row (reverse) of J once the pass is complete.
    pub result: Option<Vec<f64>>,
    /// That column or row as far as the steps taken have filled it: an entry is there once
    /// it is final (forward: its output's tangent is computed; reverse: no later step
    /// adds to its input's adjoint).
    pub fill: Vec<Option<f64>>,
    /// What the last step computed, as the chain rule's products with their numbers.
    pub last: String,
    pub explain: String,
}

/// `name` with a combining mark over its first letter: ẋ1, v̄4.
fn marked(name: &str, mark: char) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| format!("{c}{mark}{}", chars.as_str())).unwrap_or_default()
}

/// The state of a forward pass for input `dir` (or a reverse pass for output `dir`)
/// after `taken` steps.
pub fn pass_state(tape: &Tape, at: &[f64], kind: PassKind, dir: usize, taken: usize) -> PassState {
    use crate::core::trace::{adjoints_after, forward_trace, reverse_trace};
    let lin = tape.linearize(at);
    let (trace, deriv_of): (_, Box<dyn Fn(usize) -> Option<f64>>) = match kind {
        PassKind::Forward => {
            let dir = dir.min(tape.n() - 1);
            let tr = forward_trace(tape, &lin, dir);
            let taken = taken.min(tr.steps.len());
            let t: Vec<Option<f64>> = (0..tape.len()).map(|k| (k < taken).then(|| tr.steps[k].deriv)).collect();
            (tr, Box::new(move |k| t[k]))
        }
        PassKind::Reverse => {
            let dir = dir.min(tape.m() - 1);
            let tr = reverse_trace(tape, &lin, dir);
            let taken = taken.min(tr.steps.len());
            let adj = adjoints_after(tape, &tr, taken);
            (tr, Box::new(move |k| Some(adj[k])))
        }
    };
    let steps = trace.steps.len();
    let taken = taken.min(steps);
    let current = match kind {
        PassKind::Forward => taken.checked_sub(1),
        PassKind::Reverse => trace.steps.get(taken).map(|s| s.node),
    };
    let window = trace_window(tape.len(), current);
    let rows = window
        .clone()
        .map(|k| TraceRow {
            node: k,
            name: tape.node_name(k),
            op: tape.describe(k),
            value: lin.vals[k],
            deriv: deriv_of(k),
            current: Some(k) == current,
        })
        .collect();
    let result = (taken == steps).then(|| trace.result.clone());
    let (fill, last) = fill_and_last(tape, &lin, kind, &trace, taken, &*deriv_of);
    let explain = match kind {
        PassKind::Forward => format!(
            "One forward (JVP) pass seeds ẋ = e_{} and gives column {} of J. The full J needs n = {} such passes after the primal pass — or one batched sweep carrying all {} directions.",
            trace.direction + 1, trace.direction + 1, tape.n(), tape.n()
        ),
        PassKind::Reverse => format!(
            "One reverse (VJP) pass seeds ȳ = e_{} and gives row {} of J — one torch.autograd.grad call. The full J needs m = {} such passes after the primal pass (the row-by-row loop), or one batched sweep with {} seeds: {} bytes of adjoints instead of {}.",
            trace.direction + 1, trace.direction + 1, tape.m(), tape.m(), (tape.len() + 1) * tape.m() * 8, (tape.len() + 1) * 8
        ),
    };
    PassState { rows, window, steps, taken, result, fill, last, explain }
}

/// The part of J the first `taken` steps have finished, and the last step in words;
/// `deriv_of` is each node's tangent or adjoint after those steps (as the trace rows show).
fn fill_and_last(
    tape: &Tape,
    lin: &crate::core::eval::Linearization,
    kind: PassKind,
    trace: &crate::core::trace::Trace,
    taken: usize,
    deriv_of: &dyn Fn(usize) -> Option<f64>,
) -> (Vec<Option<f64>>, String) {
    let name = |k: usize| tape.node_name(k);
    let partial = |k: usize, arg: usize| format!("∂{}/∂{}", name(k), name(arg));
    let Some(step) = taken.checked_sub(1).map(|s| &trace.steps[s]) else {
        return (vec![None; trace.result.len()], String::new());
    };
    let k = step.node;
    let [a, b] = tape.args[k].map(|v| v as usize);
    match kind {
        PassKind::Forward => {
            // Step s computes node s; output i is final once its node is.
            let fill = tape
                .outputs
                .iter()
                .map(|&o| (o as usize) < taken)
                .zip(&trace.result)
                .map(|(done, v)| done.then_some(*v))
                .collect();
            let dot = |k: usize| marked(&name(k), '\u{307}');
            let last = if k < tape.first_op {
                format!("{} = {} (the seed)", dot(k), format_entry(step.deriv))
            } else {
                let t = |j: usize| trace.steps[j].deriv;
                let mut terms = vec![(partial(k, a), lin.da[k], dot(a), t(a))];
                if b < tape.len() {
                    terms.push((partial(k, b), lin.db[k], dot(b), t(b)));
                }
                let symbols = terms.iter().map(|(p, _, d, _)| format!("{p} · {d}")).collect::<Vec<_>>().join(" + ");
                let numbers = terms
                    .iter()
                    .map(|(_, p, _, d)| format!("{} · {}", format_entry(*p), format_entry(*d)))
                    .collect::<Vec<_>>()
                    .join(" + ");
                format!("{} = {symbols} = {numbers} = {}", dot(k), format_entry(step.deriv))
            };
            (fill, last)
        }
        PassKind::Reverse => {
            // Input j is final once no step still to come pushes into it.
            let mut open = vec![false; tape.n()];
            for s in &trace.steps[taken..] {
                for &(target, _) in &s.pushes {
                    if target < tape.n() {
                        open[target] = true;
                    }
                }
            }
            let fill = (0..tape.n()).map(|j| if open[j] { None } else { deriv_of(j) }).collect();
            let bar = |k: usize| marked(&name(k), '\u{304}');
            let partials = [lin.da[k], lin.db[k]];
            let last = step
                .pushes
                .iter()
                .zip(partials)
                .map(|(&(target, amount), p)| {
                    format!(
                        "{} += {} · {} = {} · {} = {}",
                        bar(target),
                        bar(k),
                        partial(k, target),
                        format_entry(step.deriv),
                        format_entry(p),
                        format_entry(amount)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            (fill, last)
        }
    }
}

/// What the finite-difference view shows at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct FdView {
    /// Per entry |J_fd − J_ad| at the tuned steps, forward and central.
    pub forward_err: Vec<Vec<f64>>,
    pub central_err: Vec<Vec<f64>>,
    /// Max entry error against h = 1e-1 … 1e-12, forward and central.
    pub sweep: Vec<crate::core::fd::StepError>,
    /// The h with the smallest central error, and that error.
    pub best_central: (f64, f64),
    pub best_forward: (f64, f64),
    pub complex_err: f64,
    /// The relative steps of the heat maps, forward and central.
    pub steps: (f64, f64),
}

/// The view at `at`, with the heat maps at relative step `h` (None: the tuned steps).
pub fn fd_view(tape: &Tape, at: &[f64], exact: &crate::core::Matrix, h: Option<f64>) -> FdView {
    use crate::core::fd::{fd_jacobian, max_abs_diff, step_sweep, tuned_step, FdKind};
    let mut buf = Vec::new();
    let mut err = |kind: FdKind| {
        let j = fd_jacobian(tape, at, kind, h, &mut buf).0;
        (0..j.rows).map(|i| (0..j.cols).map(|c| (j.get(i, c) - exact.get(i, c)).abs()).collect()).collect()
    };
    let forward_err = err(FdKind::Forward);
    let central_err = err(FdKind::Central);
    let complex_err = max_abs_diff(&crate::core::complex::complex_step_jacobian(tape, at).0, exact);
    let sweep = step_sweep(tape, at, exact);
    let best = |f: fn(&crate::core::fd::StepError) -> f64| {
        sweep
            .iter()
            .filter(|s| f(s).is_finite())
            .map(|s| (s.h, f(s)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((f64::NAN, f64::NAN))
    };
    FdView {
        forward_err,
        central_err,
        best_central: best(|s| s.central),
        best_forward: best(|s| s.forward),
        sweep,
        complex_err,
        steps: match h {
            Some(h) => (h, h),
            None => (tuned_step(FdKind::Forward), tuned_step(FdKind::Central)),
        },
    }
}

pub mod field;
pub mod linear;
pub mod trust;

/// What the panels beside the Jacobian show at one point (finite differences, second
/// order, linearisation, cost): computed together so they share one exact J.
#[derive(Clone, Debug, PartialEq)]
pub struct Panels {
    pub fd: FdView,
    pub second: SecondOrder,
    pub linear: linear::LinearView,
    pub cost: Vec<CostRow>,
}

/// The fixed steps the finite-difference heat maps can use besides the tuned ones.
pub const FD_STEPS: [f64; 12] = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12];

/// Neighbourhood radii of the linearisation view, as fractions of the pad inputs'
/// half-ranges, with their names.
pub const LIN_SCALES: [(f64, &str); 4] = [(0.02, "tiny"), (0.15, "small"), (0.4, "medium"), (1.0, "large")];

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanelChoices {
    /// The finite-difference step for the heat maps (None: tuned).
    pub fd_h: Option<f64>,
    pub inputs: (usize, usize),
    pub outputs: (usize, usize),
    pub radius: f64,
}

pub fn panels(tape: &Tape, at: &[f64], c: PanelChoices, ws: &mut Workspace) -> Panels {
    let j = jacobian(tape, at, Strategy::Forward, ws).j;
    let rows = j.to_rows();
    Panels {
        fd: fd_view(tape, at, &j, c.fd_h),
        second: second_order(tape, at, &rows),
        linear: linear::linear_view(tape, at, &rows, c.inputs, c.outputs, c.radius),
        cost: cost_rows(tape, at, &j, ws),
    }
}
pub mod export;
