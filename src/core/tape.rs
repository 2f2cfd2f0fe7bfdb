//! The flat, index-based tape (SSA). Node k only reads nodes < k, so recording order is a
//! topological order: forward sweeps are one loop up, reverse sweeps one loop down.
//! Inputs occupy nodes 0..n. Unary nodes point their second operand at the *ground slot*
//! (index `len()`); constants point both operands there, a scratch slot whose value and tangent are always 0, so sweeps need no
//! arity branch and never form 0·∞.

use super::ops::Op;
use super::span::Span;
use super::sparse::Colouring;
use super::syntax::format_number;
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq)]
pub struct Tape {
    pub ops: Vec<Op>,
    pub args: Vec<[u32; 2]>,
    /// Constant value of a Const node, 0 elsewhere.
    pub consts: Vec<f64>,
    /// Source span that created each node (for highlighting in the editor).
    pub spans: Vec<Span>,
    /// The binding or input name a node was given, if any.
    pub names: Vec<Option<String>>,
    pub inputs: Vec<String>,
    pub outputs: Vec<u32>,
    pub output_names: Vec<String>,
    /// The signature's inputs by name with their shapes (`[]`, `[n]`, `[rows, cols]`), and
    /// the outputs' shape: J's columns are the inputs' entries in order, row-major, and its
    /// rows the outputs' entries.
    pub input_shapes: Vec<(String, Vec<usize>)>,
    pub output_shape: Vec<usize>,
    /// Structural sparsity: `pattern[i]` lists, ascending, the inputs output i can depend
    /// on (a list, not an m × n grid: a big sparse J costs its nonzeros, not m·n).
    pub pattern: Vec<Vec<u32>>,
    /// Inputs are nodes 0..n, constants n..first_op, operations first_op..len: sweeps
    /// start at first_op.
    pub first_op: usize,
    pub col_colouring: Colouring,
    pub row_colouring: Colouring,
}

impl Tape {
    pub fn len(&self) -> usize {
        self.ops.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
    pub fn n(&self) -> usize {
        self.inputs.len()
    }
    pub fn m(&self) -> usize {
        self.outputs.len()
    }
    /// Index of the ground slot (see module docs).
    pub fn ground(&self) -> usize {
        self.ops.len()
    }

    /// Inputs no output depends on: their Jacobian columns are exactly zero.
    pub fn zero_columns(&self) -> Vec<usize> {
        let mut used = vec![false; self.n()];
        for &j in self.pattern.iter().flatten() {
            used[j as usize] = true;
        }
        (0..self.n()).filter(|&j| !used[j]).collect()
    }

    /// Number of structural nonzeros in J.
    pub fn nonzeros(&self) -> usize {
        self.pattern.iter().map(Vec::len).sum()
    }

    pub fn node_name(&self, k: usize) -> String {
        match &self.names[k] {
            Some(name) => name.clone(),
            None => format!("v{k}"),
        }
    }

    /// One node per line: `v3 = mul x1 x3`. With `values` and `partials` (from a
    /// linearization) each line also shows the value and the local partials.
    pub fn print(&self, values: Option<&[f64]>, partials: Option<(&[f64], &[f64])>) -> String {
        let mut out = String::new();
        for k in 0..self.len() {
            let _ = write!(out, "{} = {}", self.node_name(k), self.describe(k));
            if let Some(vals) = values {
                let _ = write!(out, "  → {}", format_number(vals[k]));
            }
            if let (Some((da, db)), op) = (partials, self.ops[k]) {
                if op.arity() >= 1 {
                    let [a, b] = self.args[k];
                    let _ = write!(out, "  ∂/∂{} = {}", self.node_name(a as usize), format_number(da[k]));
                    if op.arity() == 2 {
                        let _ = write!(out, "  ∂/∂{} = {}", self.node_name(b as usize), format_number(db[k]));
                    }
                }
            }
            out.push('\n');
        }
        let outs: Vec<String> = self
            .outputs
            .iter()
            .zip(&self.output_names)
            .map(|(&o, name)| format!("{name} = {}", self.node_name(o as usize)))
            .collect();
        let _ = writeln!(out, "out {}", outs.join(", "));
        out
    }

    /// The right-hand side of node k, e.g. `mul x1 x3` or `const 2`.
    pub fn describe(&self, k: usize) -> String {
        let [a, b] = self.args[k];
        match self.ops[k] {
            Op::Input => format!("input {}", a),
            Op::Const => format!("const {}", format_number(self.consts[k])),
            op if op.arity() == 1 => format!("{} {}", op.name(), self.node_name(a as usize)),
            op => format!("{} {} {}", op.name(), self.node_name(a as usize), self.node_name(b as usize)),
        }
    }
}
