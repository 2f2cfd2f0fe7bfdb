//! A tensor program's chain of layers (#20 part 2 for networks): each operation of the
//! source (`W1 @ x + b1`, `tanh(·)`, `softmax(·)`) is a layer, and J is the product of
//! their Jacobians, e.g. J = W2 · diag(1 − h²) · W1 for a tanh network.
//!
//! The layers come from the tape, not the syntax: the tape is already in topological order
//! and the compiler emits each operation of the source as consecutive nodes with its span
//! (a dense block with its folded bias, an elementwise run, a softmax's nodes), so a layer
//! is a maximal run of input-dependent nodes with one span. The state after layer k holds
//! every node of layers ≤ k that a later layer (or an output) reads, as in the chain of
//! bindings; a layer's Jacobian is its nodes' local partials (the rule table's, at the
//! point) carried through the layer's own nodes, so an operation made of several nodes
//! (softmax's maxima, exponentials, sum and quotients) is one factor.

use super::chain::{Chain, MAX_LAYERS};
use crate::core::{Matrix, Tape};

/// The most multiply-adds the layers' Jacobians take to build (a node's row is as long as
/// the state before its layer).
pub const MAX_WORK: usize = 1_000_000;

/// A layer's operation as the source wrote it, with the layer before it (where it holds
/// that layer's text) as `·`: `tanh(·)` rather than `tanh(W1 @ x)`.
fn operation(source: &str, span: (usize, usize), inner: Option<(usize, usize)>) -> String {
    let text = |a: usize, b: usize| source.get(a..b).unwrap_or("");
    let s = match inner {
        Some((a, b)) if span.0 <= a && b <= span.1 && (a, b) != span => {
            format!("{}·{}", text(span.0, a), text(b, span.1))
        }
        _ => text(span.0, span.1).to_string(),
    };
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 28 {
        format!("{}…", s.chars().take(27).collect::<String>())
    } else {
        s
    }
}

/// The tape's chain of operations at `at` (J's columns' values), or why it has none.
pub fn operations_chain(source: &str, tape: &Tape, at: &[f64]) -> Result<Chain, String> {
    let (len, n) = (tape.len(), tape.n());
    // Which nodes depend on the inputs; the others are constants, in no state.
    let mut live = vec![false; len];
    for k in 0..len {
        live[k] = k < n || tape.operands(k).iter().any(|&j| live[j]);
    }
    // Layers: runs of live nodes after the inputs with one span.
    let mut layer_of = vec![usize::MAX; len];
    layer_of[..n].fill(0);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for k in n..len {
        if !live[k] {
            continue;
        }
        let s = (tape.spans[k].start, tape.spans[k].end);
        if spans.last() != Some(&s) {
            spans.push(s);
        }
        layer_of[k] = spans.len();
    }
    let last = spans.len();
    if last < 2 {
        return Err("the program is one operation: J is that operation's Jacobian".into());
    }
    if last > MAX_LAYERS {
        return Err(format!("the program has {last} operations, more than the {MAX_LAYERS} drawn as a chain"));
    }
    // The last layer that reads each node (the outputs are read after the last layer).
    let mut read_until = vec![0usize; len];
    for k in n..len {
        if live[k] {
            for j in tape.operands(k) {
                read_until[j] = read_until[j].max(layer_of[k]);
            }
        }
    }
    for &o in &tape.outputs {
        read_until[o as usize] = last + 1;
    }
    let mut states: Vec<Vec<usize>> = vec![(0..n).collect()];
    for k in 1..last {
        states.push((0..len).filter(|&j| live[j] && layer_of[j] <= k && read_until[j] > k).collect());
    }
    let work: usize = (1..=last).map(|k| (0..len).filter(|&j| layer_of[j] == k).count() * states[k - 1].len()).sum();
    if work > MAX_WORK {
        return Err(format!(
            "its layers' Jacobians take {work} multiply-adds to build, more than the {MAX_WORK} drawn"
        ));
    }
    let lin = tape.linearize(at);
    let mut factors = Vec::new();
    let mut ops = Vec::new();
    for k in 1..=last {
        let before = &states[k - 1];
        let width = before.len();
        // Each node of the layer: its row, ∂node/∂(state before), through the layer's nodes.
        let mut rows: Vec<Vec<f64>> = Vec::new();
        let mut row_of = std::collections::HashMap::new();
        for j in (0..len).filter(|&j| layer_of[j] == k) {
            let mut row = vec![0.0; width];
            for (a, p) in tape.partials(j, &lin.vals, &lin.da, &lin.db) {
                if a >= len || !live[a] || p == 0.0 {
                    continue;
                }
                if layer_of[a] == k {
                    let Some(&r) = row_of.get(&a) else { continue };
                    for (x, y) in row.iter_mut().zip(&rows[r]) {
                        *x += p * y;
                    }
                } else if let Ok(i) = before.binary_search(&a) {
                    row[i] += p;
                }
            }
            row_of.insert(j, rows.len());
            rows.push(row);
        }
        let after: Vec<usize> =
            if k == last { tape.outputs.iter().map(|&o| o as usize).collect() } else { states[k].clone() };
        let mut f = Matrix::zeros(after.len(), width);
        for (i, &j) in after.iter().enumerate() {
            if layer_of[j] == k {
                if let Some(&r) = row_of.get(&j) {
                    f.data[i * width..(i + 1) * width].copy_from_slice(&rows[r]);
                }
            } else if let Ok(c) = before.binary_search(&j) {
                f.set(i, c, 1.0);
            }
        }
        factors.push(f);
        ops.push(operation(source, spans[k - 1], (k > 1).then(|| spans[k - 2])));
    }
    let mut names: Vec<Vec<String>> = states.iter().map(|s| s.iter().map(|&j| tape.node_name(j)).collect()).collect();
    names.push(tape.output_names.clone());
    Ok(Chain { states: names, factors, ops })
}
