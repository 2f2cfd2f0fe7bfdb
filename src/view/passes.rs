//! The pass view: the computational graph's layout, and one forward or reverse pass
//! stepped node by node, with what it has filled into J.

use super::format::{bytes, format_entry};
use crate::core::Tape;

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

/// The terms a step's sentence writes out (a dense row has one per weight).
const TERMS_SHOWN: usize = 4;

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
        depth[k] = 1 + tape.operands(k).into_iter().map(|j| depth[j]).max().unwrap_or(0);
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
            Op::Dense => tape.blocks[tape.args[k][0] as usize].title().split(' ').next().unwrap_or_default().into(),
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
        for operand in tape.operands(k) {
            if tape.ops[operand] != Op::Const && !edges.contains(&(operand, k)) {
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

/// One row of the step-through table: a node, or in a big program one tensor operation
/// (`Tape::groups`).
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRow {
    pub node: usize,
    pub name: String,
    pub op: String,
    pub value: f64,
    /// The tangent / adjoint known after the steps taken so far (None: not reached yet);
    /// for a tensor operation, its first entry's value and its derivatives' largest
    /// magnitude.
    pub deriv: Option<f64>,
    pub current: bool,
    /// A tensor operation's tangents or adjoints as a CSS style: a background strip of up to
    /// `STRIP_CELLS` cells, blue − … white 0 … red +, on the operation's own scale (empty
    /// for a single node, or before the pass reaches it).
    pub strip: String,
}

/// Cells of a tensor operation's strip; a longer operation shows each block's entry of
/// largest magnitude.
pub const STRIP_CELLS: usize = 48;

/// A big program's tensor operations, constants left out, when stepping through them
/// instead of node by node makes the pass at least four times shorter (a network, not a
/// long chain of scalars).
fn layered(tape: &Tape) -> Option<Vec<std::ops::Range<usize>>> {
    if tape.len() <= MAX_DRAWN_NODES {
        return None;
    }
    // The inputs are one group (a network has one input tensor), then each dense block
    // and each run one operator made (`Tape::groups` without its inputs' shapes, which the
    // page does not need).
    let mut groups = Vec::new();
    groups.push(0..tape.n());
    let mut k = tape.first_op;
    while k < tape.len() {
        let size = tape.operation_len(k);
        groups.push(k..k + size);
        k += size;
    }
    (groups.len() * 4 <= tape.len()).then_some(groups)
}

/// A strip of `values` as a CSS background, each of its cells a block's entry of
/// largest magnitude (NaN first) on the values' own scale; and that scale.
fn strip(values: &[f64]) -> (String, f64) {
    use std::fmt::Write as _;
    let cells = values.len().min(STRIP_CELLS);
    let (mut pooled, mut scale) = ([0.0f64; STRIP_CELLS], 0.0f64);
    for (i, &v) in values.iter().enumerate() {
        let c = &mut pooled[i * cells / values.len()];
        // NaN first, then the larger magnitude.
        if v.is_nan() || v.abs() > c.abs() {
            *c = v;
        }
        if v.abs() > scale && v.is_finite() {
            scale = v.abs();
        }
    }
    // Colours without positions: the browser spaces them evenly and blends neighbours.
    let mut out = String::from("background-image:linear-gradient(90deg");
    for &v in &pooled[..cells] {
        let [r, g, b, _] = super::field::colour(v, if scale > 0.0 { scale } else { 1.0 }, true);
        let _ = write!(out, ",rgb({r},{g},{b})");
    }
    out.push(')');
    (out, scale)
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
    use crate::core::dense::Kind;
    use crate::core::ops::Op;
    use crate::core::trace::{adjoints_after, forward_trace, reverse_trace};
    let lin = tape.linearize(at);
    let trace = match kind {
        PassKind::Forward => forward_trace(tape, &lin, dir.min(tape.n() - 1)),
        PassKind::Reverse => reverse_trace(tape, &lin, dir.min(tape.m() - 1)),
    };
    // A big network steps through its tensor operations: step s of the pass is the nodes
    // of its s-th operation (forward: in order, inputs first; reverse: operations from
    // the last), so `taken` counts operations and is turned into the nodes' steps.
    let groups = layered(tape);
    let (steps, reported, taken) = match (&groups, kind) {
        (None, _) => (trace.steps.len(), taken.min(trace.steps.len()), taken.min(trace.steps.len())),
        (Some(g), PassKind::Forward) => {
            let t = taken.min(g.len());
            (g.len(), t, t.checked_sub(1).map_or(0, |s| g[s].end))
        }
        (Some(g), PassKind::Reverse) => {
            // The operations are the groups after the inputs', and the pass takes them last first.
            let ops = g.iter().filter(|g| g.start >= tape.first_op).count();
            let t = taken.min(ops);
            let first = if t == 0 { usize::MAX } else { g[g.len() - t].start };
            (ops, t, trace.steps.iter().take_while(|s| s.node >= first).count())
        }
    };
    let deriv_of: Box<dyn Fn(usize) -> Option<f64>> = match kind {
        PassKind::Forward => {
            let t: Vec<Option<f64>> = (0..tape.len()).map(|k| (k < taken).then(|| trace.steps[k].deriv)).collect();
            Box::new(move |k| t[k])
        }
        PassKind::Reverse => {
            let adj = adjoints_after(tape, &trace, taken);
            Box::new(move |k| Some(adj[k]))
        }
    };
    let current = match kind {
        PassKind::Forward => taken.checked_sub(1),
        PassKind::Reverse => trace.steps.get(taken).map(|s| s.node),
    };
    let row = |k: usize| TraceRow {
        node: k,
        name: tape.node_name(k),
        op: tape.describe(k),
        value: lin.vals[k],
        deriv: deriv_of(k),
        current: Some(k) == current,
        strip: String::new(),
    };
    let (window, rows) = match &groups {
        None => {
            let window = trace_window(tape.len(), current);
            (window.clone(), window.map(row).collect())
        }
        Some(g) => {
            let shapes = tape.matrix_shapes(g);
            let lit = current.and_then(|k| g.iter().position(|g| g.contains(&k)));
            let window = trace_window(g.len(), lit);
            let rows = window
                .clone()
                .map(|i| {
                    let nodes = g[i].clone();
                    if nodes.len() == 1 {
                        return TraceRow { node: i, ..row(nodes.start) };
                    }
                    // The printed tape's words for the operation, without its printer's code.
                    let name = format!("{}…{}", tape.node_name(nodes.start), tape.node_name(nodes.end - 1));
                    let op = match tape.ops[nodes.start] {
                        Op::Input => "input".to_string(),
                        Op::Dense => {
                            let b = &tape.blocks[tape.args[nodes.start][0] as usize];
                            match b.kind {
                                Kind::Linear | Kind::Product => b.title(),
                                kind => format!("{} ×{}", kind.name(), b.rows),
                            }
                        }
                        op => Tape::run_title(&op.name(), nodes.len(), shapes[i]),
                    };
                    // An operation is reached whole: every entry's derivative, or none yet.
                    let reached = deriv_of(nodes.start).is_some();
                    let derivs: Vec<f64> = nodes.clone().map(|k| deriv_of(k).unwrap_or(0.0)).collect();
                    let (strip, largest) = if reached { strip(&derivs) } else { (String::new(), 0.0) };
                    TraceRow {
                        node: i,
                        name,
                        op,
                        value: lin.vals[nodes.start],
                        deriv: reached.then_some(largest),
                        current: Some(i) == lit,
                        strip,
                    }
                })
                .collect();
            (window, rows)
        }
    };
    let result = (reported == steps).then(|| trace.result.clone());
    let (fill, last) = fill_and_last(tape, &lin, kind, &trace, taken, &*deriv_of);
    let explain = match kind {
        PassKind::Forward => format!(
            "One forward (JVP) pass seeds ẋ = e_{} ({} moves alone) and gives {}'s column of J. The full J needs n = {} such passes after the primal pass — or one batched sweep carrying all {} directions.",
            trace.direction + 1, tape.inputs[trace.direction], tape.inputs[trace.direction], tape.n(), tape.n()
        ),
        PassKind::Reverse => format!(
            "One reverse (VJP) pass seeds ȳ = e_{} (on {} alone) and gives {}'s row of J — one torch.autograd.grad call. The full J needs m = {} such passes after the primal pass (the row-by-row loop), or one batched sweep with {} seeds: {} of adjoints instead of {}.",
            trace.direction + 1, tape.output_names[trace.direction], tape.output_names[trace.direction], tape.m(), tape.m(), bytes((tape.len() + 1) * tape.m() * 8), bytes((tape.len() + 1) * 8)
        ),
    };
    PassState { rows, window, steps, taken: reported, result, fill, last, explain }
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
    // A dense row has an operand per weight: the sentence names the first few.
    let partials = tape.partials(k, &lin.vals, &lin.da, &lin.db);
    let more = partials.len().saturating_sub(TERMS_SHOWN);
    let more = if more > 0 { format!(" + … ({more} more terms)") } else { String::new() };
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
                let terms: Vec<_> =
                    partials.iter().take(TERMS_SHOWN).map(|&(j, p)| (partial(k, j), p, dot(j), t(j))).collect();
                let symbols = terms.iter().map(|(p, _, d, _)| format!("{p} · {d}")).collect::<Vec<_>>().join(" + ");
                let numbers = terms
                    .iter()
                    .map(|(_, p, _, d)| format!("{} · {}", format_entry(*p), format_entry(*d)))
                    .collect::<Vec<_>>()
                    .join(" + ");
                format!("{} = {symbols}{more} = {numbers}{more} = {}", dot(k), format_entry(step.deriv))
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
            let last = step
                .pushes
                .iter()
                .zip(partials.iter().map(|&(_, p)| p))
                .take(TERMS_SHOWN)
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
            let more =
                if more.is_empty() { more } else { format!("; … ({} more operands)", partials.len() - TERMS_SHOWN) };
            (fill, last + &more)
        }
    }
}
