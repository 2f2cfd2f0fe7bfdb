//! The flat, index-based tape (SSA). Node k only reads nodes < k, so recording order is a
//! topological order: forward sweeps are one loop up, reverse sweeps one loop down.
//! Inputs occupy nodes 0..n. Unary nodes point their second operand at the *ground slot*
//! (index `len()`); constants point both operands there, a scratch slot whose value and tangent are always 0, so sweeps need no
//! arity branch and never form 0·∞.
//!
//! A block (`dense.rs`: a matrix of weights times a vector of nodes, a matrix product,
//! softmax, log-softmax, logsumexp, max, min or norm of a vector of nodes, or a gather)
//! is the one node kind with more than two operands: its rows are `Op::Dense` nodes whose
//! args are `[block, row]`, and the sweeps run the whole block at once where they meet it.

use super::dense::{Block, Kind};
use super::ops::Op;
use super::product::Known;
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
    /// Every name the signature lists, J's columns or not, in its order.
    pub variables: Vec<Variable>,
    /// Structural sparsity: `pattern[i]` lists, ascending, the inputs output i can depend
    /// on (a list, not an m × n grid: a big sparse J costs its nonzeros, not m·n).
    pub pattern: Vec<Vec<u32>>,
    /// Inputs are nodes 0..n, constants n..first_op, operations first_op..len: sweeps
    /// start at first_op.
    pub first_op: usize,
    /// The dense blocks, in tape order (`args[k] = [block, row]` for their rows; a row's
    /// constant term, from an affine sum written out, is `consts[k]`).
    pub blocks: Vec<Block>,
    pub col_colouring: Colouring,
    pub row_colouring: Colouring,
}

/// The map from names the compiler keeps: a name to a number (a node, an index) and the
/// place it was written. One type for every such map, since each map type is its own
/// copy of the hash table's code in the page.
pub type NameMap = rustc_hash::FxHashMap<String, (u32, super::span::Span)>;

/// Values by entry name (a name given twice: its later value).
pub struct ByName<'a> {
    index: NameMap,
    given: &'a [(String, f64)],
}

impl ByName<'_> {
    pub fn get(&self, name: &str) -> Option<f64> {
        self.index.get(name).map(|&(k, _)| self.given[k as usize].1)
    }
}

pub fn by_name(given: &[(String, f64)]) -> ByName<'_> {
    let index = given.iter().enumerate().map(|(k, (n, _))| (n.clone(), (k as u32, Default::default()))).collect();
    ByName { index, given }
}

/// A name the signature lists: an input, or a parameter (a name given a value).
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    pub name: String,
    pub dims: Vec<usize>,
    pub param: bool,
    /// Its entries are J's columns (inputs of the tape); else they are constants.
    pub column: bool,
    /// The values its entries were compiled with when they are constants; a parameter's
    /// default when they are columns; empty for an input that is a column.
    pub values: Vec<f64>,
}

impl Tape {
    /// The point for this tape (J's columns' values) from values by entry name: a
    /// column not named takes its parameter's default, or 1 for an input.
    pub fn point_from(&self, given: &[(String, f64)]) -> Vec<f64> {
        let given = by_name(given);
        let mut at = Vec::with_capacity(self.n());
        for v in self.variables.iter().filter(|v| v.column) {
            for e in 0..v.dims.iter().product() {
                let name = super::tensor::entry_name(&v.name, &v.dims, e);
                at.push(given.get(&name).unwrap_or(v.values.get(e).copied().unwrap_or(1.0)));
            }
        }
        at
    }

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

    /// What one sweep with one direction costs, in node visits: a node one each, and a
    /// dense block its rows × cols multiply-adds (the unit of every budget and cost count).
    pub fn work(&self) -> usize {
        self.len() + self.blocks.iter().map(|b| b.work() - b.rows as usize).sum::<usize>()
    }

    /// Node k's operands: two for a binary operation, one for a unary one, a block's
    /// operands for a dense row, none for a leaf.
    pub fn operands(&self, k: usize) -> Vec<usize> {
        let [a, b] = self.args[k].map(|v| v as usize);
        match self.ops[k] {
            Op::Input | Op::Const => Vec::new(),
            Op::Dense => self.blocks[a].reads(b),
            op if op.arity() == 1 => vec![a],
            _ => vec![a, b],
        }
    }

    /// Node k's operands with its local partials, from a linearization's values and
    /// partials (a block row's: its weights, or its kind's partials at the block's values).
    pub fn partials(&self, k: usize, vals: &[f64], da: &[f64], db: &[f64]) -> Vec<(usize, f64)> {
        let operands = self.operands(k);
        let [b, r] = self.args[k].map(|v| v as usize);
        let partial = |j: usize, o: usize| match self.ops[k] {
            Op::Dense => self.blocks[b].partial(r, o - self.blocks[b].from as usize, vals),
            _ => [da[k], db[k]][j],
        };
        operands.into_iter().enumerate().map(|(j, o)| (o, partial(j, o))).collect()
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
    /// linearization) each line also shows the value and the local partials. A tensor
    /// operation is one line too: a dense block (`dense 128×784 · x[0]…x[783]`), and an
    /// elementwise one, a run of nodes made by one operator of the source
    /// (`h[0]…h[63] = tanh ×64 v5…v68`); and a vector or matrix input
    /// (`img[0, 0]…img[7, 7] = input 0…63 (8×8)`).
    pub fn print(&self, values: Option<&[f64]>, partials: Option<(&[f64], &[f64])>) -> String {
        let mut out = String::new();
        let groups = self.groups();
        for (g, shape) in groups.iter().zip(self.matrix_shapes(&groups)) {
            self.print_group(g.clone(), shape, values, partials, &mut out);
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

    /// The tape's operations as the source wrote them, in order: a vector or matrix input,
    /// a dense block, a run of nodes one operator made entry by entry, or a single node.
    /// Together they hold every node once.
    pub fn groups(&self) -> Vec<std::ops::Range<usize>> {
        let mut inputs = self.input_shapes.iter().map(|(_, dims)| dims.iter().product::<usize>());
        let mut out = Vec::new();
        let mut k = 0;
        while k < self.len() {
            let size =
                if k < self.n() { inputs.next().unwrap_or(1).clamp(1, self.n() - k) } else { self.operation_len(k) };
            out.push(k..k + size);
            k += size;
        }
        out
    }

    /// Each group's shape where it is a matrix: a matrix input's, a matrix product's
    /// (r × q), or an elementwise run's whose operands are such a matrix, entry for entry
    /// (`tanh(X @ W)`). None for the rest, whose count of entries says their size. The
    /// groups are in tape order (`groups`, or the pass view's).
    pub fn matrix_shapes(&self, groups: &[std::ops::Range<usize>]) -> Vec<Option<[usize; 2]>> {
        // (first node, entries, shape) of each matrix so far, in node order: a Vec searched
        // by halves, not a hash map (each map type is its own copy of the table's code).
        let mut known: Vec<(usize, usize, [usize; 2])> = Vec::new();
        let mut at = 0;
        for (_, dims) in &self.input_shapes {
            let size = dims.iter().product::<usize>();
            if let [r, c] = dims[..] {
                known.push((at, size, [r, c]));
            }
            at += size;
        }
        let find = |known: &[(usize, usize, [usize; 2])], k: usize, len: usize| {
            let i = known.partition_point(|e| e.0 < k);
            known.get(i).filter(|e| e.0 == k && e.1 == len).map(|e| e.2)
        };
        let mut out = Vec::with_capacity(groups.len());
        for g in groups {
            let k = g.start;
            let shape = match self.ops[k] {
                _ if k < self.n() => find(&known, k, g.len()),
                Op::Dense => {
                    let b = &self.blocks[self.args[k][0] as usize];
                    let whole = b.kind == Kind::Product && b.first as usize == k && b.rows as usize == g.len();
                    Some(b).filter(|_| whole).map(|b| b.dims()).filter(|d| d.r > 1 && d.q > 1).map(|d| [d.r, d.q])
                }
                Op::Const => None,
                op => (0..op.arity()).find_map(|side| {
                    let a = self.args[k][side] as usize;
                    let consecutive = g.clone().enumerate().all(|(i, j)| self.args[j][side] as usize == a + i);
                    find(&known, a, g.len()).filter(|_| consecutive)
                }),
            };
            if let Some(s) = shape.filter(|_| k >= self.n()) {
                known.push((k, g.len(), s));
            }
            out.push(shape);
        }
        out
    }

    /// How a run one operator made is named: `tanh 3×8` over a matrix, else `tanh ×24`.
    pub fn run_title(name: &str, len: usize, shape: Option<[usize; 2]>) -> String {
        match shape {
            Some([r, c]) => format!("{name} {r}×{c}"),
            None => format!("{name} ×{len}"),
        }
    }

    /// How many nodes from k on one operation made: a dense block's rows from k on, or a run
    /// one operator made entry by entry (`run`).
    pub fn operation_len(&self, k: usize) -> usize {
        match self.ops[k] {
            Op::Dense => self.blocks[self.args[k][0] as usize].rows as usize - self.args[k][1] as usize,
            _ => self.run(k),
        }
    }

    /// One group's line of `print`.
    fn print_group(
        &self,
        g: std::ops::Range<usize>,
        shape: Option<[usize; 2]>,
        values: Option<&[f64]>,
        partials: Option<(&[f64], &[f64])>,
        out: &mut String,
    ) {
        let k = g.start;
        if g.len() > 1 && k < self.n() {
            let last = g.end - 1;
            let dims = self.input_shapes.iter().scan(0, |at, (_, d)| {
                let first = *at;
                *at += d.iter().product::<usize>();
                Some((first, d))
            });
            let shape = dims
                .filter(|&(first, _)| first == k)
                .map(|(_, d)| d.iter().map(usize::to_string).collect::<Vec<_>>().join("×"))
                .next()
                .unwrap_or_default();
            let _ = write!(out, "{}…{} = input {k}…{last} ({shape})", self.node_name(k), self.node_name(last));
            if let Some(vals) = values {
                let shown: Vec<String> = vals[g.clone()].iter().take(3).map(|&v| format_number(v)).collect();
                let _ = write!(out, "  → [{}{}]", shown.join(", "), if g.len() > 3 { ", …" } else { "" });
            }
            out.push('\n');
            return;
        }
        if self.ops[k] == Op::Dense {
            // A block is one line: its rows are the one operation `A · operands`.
            self.print_block(&self.blocks[self.args[k][0] as usize], values, out);
            return;
        }
        if g.len() > 1 {
            self.print_run(g, shape, values, out);
            return;
        }
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

    /// How many nodes from k on one operator of the source made entry by entry: the same
    /// operation with the same span (1 when k starts no such run).
    pub fn run(&self, k: usize) -> usize {
        let op = self.ops[k];
        if matches!(op, Op::Input | Op::Const | Op::Dense) {
            return 1;
        }
        (k..self.len()).take_while(|&j| self.ops[j] == op && self.spans[j] == self.spans[k]).count()
    }

    fn print_run(
        &self,
        run: std::ops::Range<usize>,
        shape: Option<[usize; 2]>,
        values: Option<&[f64]>,
        out: &mut String,
    ) {
        let op = self.ops[run.start];
        // An operand list: a run of nodes, one node for every entry (broadcast), or the first few.
        let list = |side: usize| -> String {
            let nodes: Vec<usize> = run.clone().map(|k| self.args[k][side] as usize).collect();
            if nodes.windows(2).all(|w| w[1] == w[0] + 1) {
                format!("{}…{}", self.node_name(nodes[0]), self.node_name(nodes[nodes.len() - 1]))
            } else if nodes.iter().all(|&j| j == nodes[0]) {
                self.node_name(nodes[0])
            } else {
                let shown: Vec<String> = nodes.iter().take(3).map(|&j| self.node_name(j)).collect();
                format!("[{}{}]", shown.join(", "), if nodes.len() > 3 { ", …" } else { "" })
            }
        };
        let (first, last) = (self.node_name(run.start), self.node_name(run.end - 1));
        if let Some(leaves) = self.fold_leaves(run.clone()) {
            // A reduction (`sum`, `max`, `norm`): each node combines the next entry with
            // the node before it, so the run reads as one operation over its entries.
            let (lo, hi) = (self.node_name(leaves.start), self.node_name(leaves.end - 1));
            let _ = write!(out, "{first}…{last} = {} ×{} folding {lo}…{hi}", op.name(), run.len());
        } else {
            let _ = write!(out, "{first}…{last} = {} {}", Self::run_title(&op.name(), run.len(), shape), list(0));
            if op.arity() == 2 {
                let _ = write!(out, " {}", list(1));
            }
        }
        if let Some(vals) = values {
            let shown: Vec<String> = vals[run.clone()].iter().take(3).map(|&v| format_number(v)).collect();
            let more = if run.len() > 3 { ", …" } else { "" };
            let _ = write!(out, "  → [{}{more}]", shown.join(", "));
        }
        out.push('\n');
    }

    /// The entries a run folds, when it is a reduction's chain: its first node combines
    /// two consecutive nodes, and each later one the next node with the one before it.
    fn fold_leaves(&self, run: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
        let [a0, b0] = self.args[run.start].map(|v| v as usize);
        if self.ops[run.start].arity() != 2 || b0 != a0 + 1 || run.len() < 2 {
            return None;
        }
        let chained = (run.start + 1..run.end).enumerate().all(|(i, k)| {
            let [a, b] = self.args[k].map(|v| v as usize);
            b == k - 1 && a == b0 + 1 + i
        });
        chained.then(|| a0..b0 + run.len())
    }

    fn print_block(&self, block: &Block, values: Option<&[f64]>, out: &mut String) {
        let span = |r: std::ops::Range<usize>| match r.len() {
            1 => self.node_name(r.start),
            _ => format!("{}…{}", self.node_name(r.start), self.node_name(r.end - 1)),
        };
        // A product reads `A · x`; a sum or a softmax kind, as a function of its operands.
        let title = block.title();
        let dot = if title.starts_with("dense") { " ·" } else { "" };
        // A gather lists the operands it copies (a column: every c-th of the span); a
        // product names its two factors.
        let operands = match block.kind {
            Kind::Product => {
                let (ops, d) = (block.operands(), block.dims());
                match d.known {
                    Known::A => format!("weights @ {}", span(ops)),
                    Known::B => format!("{} @ weights", span(ops)),
                    Known::Neither => {
                        let split = ops.start + d.r * d.c;
                        format!("{} @ {}", span(ops.start..split), span(split..ops.end))
                    }
                }
            }
            Kind::Gather => {
                let shown: Vec<String> =
                    (0..block.rows as usize).take(3).map(|r| self.node_name(block.source(r))).collect();
                format!("[{}{}]", shown.join(", "), if block.rows > 3 { ", …" } else { "" })
            }
            _ => span(block.operands()),
        };
        let _ = write!(out, "{} = {title}{dot} {operands}", span(block.outputs()));
        // The rows' constant terms: a folded bias, or a written-out sum's constants.
        let consts = &self.consts[block.outputs()];
        if consts.iter().any(|&c| c != 0.0) {
            let shown: Vec<String> = consts.iter().take(3).map(|&c| format_number(c)).collect();
            let _ = write!(out, " + [{}{}]", shown.join(", "), if block.rows > 3 { ", …" } else { "" });
        }
        if let Some(vals) = values {
            let shown: Vec<String> = vals[block.outputs()].iter().take(3).map(|&v| format_number(v)).collect();
            let more = if block.rows > 3 { ", …" } else { "" };
            let _ = write!(out, "  → [{}{more}]", shown.join(", "));
        }
        out.push('\n');
    }

    /// The right-hand side of node k, e.g. `mul x1 x3` or `const 2`.
    pub fn describe(&self, k: usize) -> String {
        let [a, b] = self.args[k];
        match self.ops[k] {
            Op::Input => format!("input {}", a),
            Op::Const => format!("const {}", format_number(self.consts[k])),
            Op::Dense if self.blocks[a as usize].kind == Kind::Gather => {
                let block = &self.blocks[a as usize];
                format!("gather {}", self.node_name(block.source(b as usize)))
            }
            Op::Dense if self.blocks[a as usize].kind == Kind::Product => {
                let block = &self.blocks[a as usize];
                let (from, last) = (block.operands().start, block.operands().end - 1);
                format!("row {b} of {} {}…{}", block.title(), self.node_name(from), self.node_name(last))
            }
            Op::Dense if self.blocks[a as usize].kind != Kind::Linear => {
                let block = &self.blocks[a as usize];
                let (from, last) = (block.operands().start, block.operands().end - 1);
                let (from, last) = (self.node_name(from), self.node_name(last));
                match block.kind.reduces() {
                    true => format!("{} {from}…{last}", block.kind.name()),
                    false => format!("row {b} of {} {from}…{last}", block.kind.name()),
                }
            }
            Op::Dense => {
                let block = &self.blocks[a as usize];
                let c = self.consts[k];
                let constant = if c == 0.0 { String::new() } else { format!(" + {}", format_number(c)) };
                format!(
                    "row {} of dense {}×{} · {}…{constant}",
                    b,
                    block.rows,
                    block.cols,
                    self.node_name(block.from as usize)
                )
            }
            op if op.arity() == 1 => format!("{} {}", op.name(), self.node_name(a as usize)),
            op => format!("{} {} {}", op.name(), self.node_name(a as usize), self.node_name(b as usize)),
        }
    }
}
