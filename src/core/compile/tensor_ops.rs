//! Vectors and matrices, lowered entry by entry onto the scalar tape: broadcasting, `@`,
//! lists, indexing and the tensor functions. Shapes are checked here, at compile time, and
//! each error names both shapes at the operator.

use super::{Compiler, Tensor, MAX_NODES, TENSOR, UNARY};
use crate::core::dense::Kind;
use crate::core::ops::Op;
use crate::core::span::{Diagnostic, Span};
use crate::core::syntax::BinOp;
use crate::core::tensor::{self, describe, Dims, Generator};

/// A NaN no program can write: the value of an operation that failed, so the operations
/// built on it stay quiet instead of reporting the same mistake again.
const POISON_BITS: u64 = 0x7ff8_0000_dead_beef;

/// The program passed `MAX_NODES` at `span`: said once.
pub(super) fn too_big(c: &mut Compiler, span: Span) {
    if !c.too_big {
        c.too_big = true;
        c.errors.push(Diagnostic::new(
            span,
            format!(
                "this operation takes the program past {MAX_NODES} operations on numbers (vectors and matrices are \
                 written out entry by entry): use smaller sizes"
            ),
        ));
    }
}

/// One index item once lowered: an entry, or a slice's two ends and step (each may be
/// left out).
#[derive(Clone, Copy)]
pub(super) enum Item {
    At(u32),
    Slice(Option<u32>, Option<u32>, Option<u32>),
}

impl Compiler {
    /// A value from a shape and its entries: the node itself for a number.
    pub(super) fn value(&mut self, dims: Dims, nodes: Vec<u32>) -> u32 {
        if dims.is_empty() && nodes.len() == 1 {
            return nodes[0];
        }
        self.tensors.push(Tensor { dims, nodes });
        TENSOR | (self.tensors.len() - 1) as u32
    }

    /// A value's shape and entries (a number is one entry of shape `[]`).
    pub(super) fn parts(&self, v: u32) -> (Dims, Vec<u32>) {
        if v & TENSOR == 0 {
            (Vec::new(), vec![v])
        } else {
            let t = &self.tensors[(v & !TENSOR) as usize];
            (t.dims.clone(), t.nodes.clone())
        }
    }

    pub(super) fn poison(&mut self, span: Span) -> u32 {
        self.constant(f64::from_bits(POISON_BITS), span)
    }

    fn is_poison(&self, v: u32) -> bool {
        v & TENSOR == 0 && self.ops[v as usize] == Op::Const && self.consts[v as usize].to_bits() == POISON_BITS
    }

    /// Reports an error and returns the failed value.
    fn fail(&mut self, span: Span, message: String) -> u32 {
        self.errors.push(Diagnostic::new(span, message));
        self.poison(span)
    }

    /// Whether `count` more nodes fit under `MAX_NODES`; the first time they do not, says so
    /// (before the work: an operation that would not fit is not begun).
    fn room(&mut self, count: usize, span: Span) -> bool {
        if self.ops.len().saturating_add(count) <= MAX_NODES {
            return true;
        }
        too_big(self, span);
        false
    }

    /// `f` applied to each entry.
    pub(super) fn map(&mut self, v: u32, f: impl Fn(&mut Self, u32) -> u32) -> u32 {
        let (dims, nodes) = self.parts(v);
        let out = nodes.into_iter().map(|k| f(self, k)).collect();
        self.value(dims, out)
    }

    /// `f` of the pairs of entries NumPy's broadcasting pairs up (a number with anything,
    /// equal shapes, a matrix with a row or a column).
    pub(super) fn broadcast_with(
        &mut self,
        a: u32,
        b: u32,
        op_span: Span,
        span: Span,
        (a_name, b_name): (String, String),
        f: &dyn Fn(&mut Self, u32, u32) -> u32,
    ) -> u32 {
        if self.is_poison(a) || self.is_poison(b) {
            return self.poison(span);
        }
        let ((da, na), (db, nb)) = (self.parts(a), self.parts(b));
        let Some((dims, pairs)) = tensor::broadcast(&da, &db) else {
            return self.fail(
                op_span,
                format!(
                    "these shapes do not combine entry by entry: {a_name} is {} but {b_name} is {} (a number goes with \
                     anything, otherwise the sizes must match, or one of them be 1)",
                    describe(&da),
                    describe(&db)
                ),
            );
        };
        if !self.room(pairs.len(), op_span) {
            return self.poison(span);
        }
        let out = pairs.into_iter().map(|(i, j)| f(self, na[i], nb[j])).collect();
        self.value(dims, out)
    }

    pub(super) fn tensor_binary(
        &mut self,
        op: BinOp,
        a: u32,
        b: u32,
        op_span: Span,
        span: Span,
        names: (String, String),
    ) -> u32 {
        if op == BinOp::MatMul {
            return self.matmul(a, b, op_span, span, names);
        }
        self.broadcast_with(a, b, op_span, span, names, &|c, x, y| c.scalar_binary(op, x, y, span))
    }

    fn matmul(&mut self, a: u32, b: u32, op_span: Span, span: Span, (a_name, b_name): (String, String)) -> u32 {
        if self.is_poison(a) || self.is_poison(b) {
            return self.poison(span);
        }
        let ((da, na), (db, nb)) = (self.parts(a), self.parts(b));
        let Some((dims, inner)) = tensor::matmul_dims(&da, &db) else {
            let message = tensor::matmul_mismatch(&a_name, &da, &b_name, &db);
            return self.fail(op_span, message);
        };
        let (rows, cols) = match (da.len(), db.len()) {
            (2, 2) => (da[0], db[1]),
            (2, 1) => (da[0], 1),
            (1, 2) => (1, db[1]),
            _ => (1, 1),
        };
        // Known weights times a vector: one dense block (a matrix times a vector, or a
        // vector times a matrix: the block's rows are then the matrix's columns).
        if cols == 1 && da.len() == 2 && db.len() == 1 {
            if let Some(out) = self.dense(&na, rows, &nb, span) {
                return self.value(dims, out);
            }
        }
        if rows == 1 && da.len() == 1 && db.len() == 2 {
            let transposed: Vec<u32> =
                (0..cols).flat_map(|j| (0..inner).map(move |k| (k, j))).map(|(k, j)| nb[k * cols + j]).collect();
            if let Some(out) = self.dense(&transposed, cols, &na, span) {
                return self.value(dims, out);
            }
        }
        // Otherwise one product node, whose multiply-adds count against the bound on nodes.
        if rows * cols * inner <= MAX_NODES {
            if let Some(out) = self.product(&na, &nb, [rows, inner, cols], span) {
                return self.value(dims, out);
            }
        }
        if !self.room(rows * cols * inner * 2, op_span) {
            return self.poison(span);
        }
        // Entry (i, k) of a (a vector is one row) times entry (k, j) of b (a column).
        let b_cols = if db.len() == 2 { db[1] } else { 1 };
        let mut out = Vec::with_capacity(rows * cols);
        for i in 0..rows {
            for j in 0..cols {
                let terms: Vec<(u32, u32)> = (0..inner).map(|k| (na[i * inner + k], nb[k * b_cols + j])).collect();
                out.push(self.dot_nodes(&terms, span));
            }
        }
        self.value(dims, out)
    }

    /// Σ xₖ·yₖ, summed left to right as written out by hand.
    fn dot_nodes(&mut self, terms: &[(u32, u32)], span: Span) -> u32 {
        let mut acc: Option<u32> = None;
        for &(x, y) in terms {
            let p = self.node(Op::Mul, x, y, span);
            acc = Some(match acc {
                None => p,
                Some(s) => self.node(Op::Add, s, p, span),
            });
        }
        acc.unwrap_or_else(|| self.constant(0.0, span))
    }

    /// `op` folded over entries, left to right.
    fn fold(&mut self, op: Op, nodes: &[u32], span: Span) -> u32 {
        let mut acc = nodes[0];
        for &k in &nodes[1..] {
            acc = self.node(op, acc, k, span);
        }
        acc
    }

    /// `[a, b, c]` (numbers: a vector) or `[[…], […]]` (equal vectors: a matrix's rows).
    pub(super) fn list(&mut self, items: &[u32], span: Span) -> u32 {
        if items.iter().any(|&v| self.is_poison(v)) {
            return self.poison(span);
        }
        let parts: Vec<(Dims, Vec<u32>)> = items.iter().map(|&v| self.parts(v)).collect();
        let first = parts[0].0.clone();
        if let Some((k, (d, _))) = parts.iter().enumerate().find(|(_, (d, _))| *d != first) {
            return self.fail(
                span,
                format!(
                    "the entries of a list must all have one shape: entry 0 is {} but entry {k} is {}",
                    describe(&first),
                    describe(d)
                ),
            );
        }
        match first.len() {
            0 => self.value(vec![items.len()], parts.into_iter().flat_map(|(_, n)| n).collect()),
            1 => self.value(vec![items.len(), first[0]], parts.into_iter().flat_map(|(_, n)| n).collect()),
            _ => self
                .fail(span, "a list of matrices would have three axes: values are numbers, vectors or matrices".into()),
        }
    }

    /// A constant whole number (an index, a size, a seed), or an error saying what it is for.
    fn whole(&mut self, v: u32, span: Span, what: &str) -> Option<i64> {
        if v & TENSOR == 0 && self.ops[v as usize] == Op::Const {
            let x = self.consts[v as usize];
            if x.fract() == 0.0 && x.abs() < 1e15 {
                return Some(x as i64);
            }
        }
        if !self.is_poison(v) {
            self.errors.push(Diagnostic::new(
                span,
                format!("{what} must be a whole number written in the program, not one that depends on the point"),
            ));
        }
        None
    }

    /// `base[items]`: per axis an entry (NumPy's negative indices count from the end) or a
    /// slice; axes left out are taken whole.
    pub(super) fn index(&mut self, base: u32, items: &[Item], name: &str, span: Span) -> u32 {
        if self.is_poison(base) {
            return self.poison(span);
        }
        let (dims, nodes) = self.parts(base);
        if items.len() > dims.len() {
            let msg = if dims.is_empty() {
                format!("{name} is a number: it has no entries to index")
            } else {
                format!(
                    "{name} is {}: it has {} ax{}, indexed here with {}",
                    describe(&dims),
                    dims.len(),
                    if dims.len() == 1 { "is" } else { "es" },
                    items.len()
                )
            };
            return self.fail(span, msg);
        }
        // Per axis: the positions kept, and whether the axis stays.
        let mut axes: Vec<(Vec<usize>, bool)> = Vec::new();
        for (axis, &len) in dims.iter().enumerate() {
            let whole = |c: &mut Self, v: u32| c.whole(v, span, "an index");
            match items.get(axis) {
                None => axes.push(((0..len).collect(), true)),
                Some(&Item::Slice(a, b, step)) => {
                    let step = match step.map(|v| whole(self, v)) {
                        None => 1,
                        Some(None) => return self.poison(span),
                        Some(Some(0)) => return self.fail(span, "a slice's step cannot be 0".into()),
                        Some(Some(s)) => s,
                    };
                    // An end left out is None; one that is not a whole number fails.
                    let mut end = |v: Option<u32>| match v {
                        None => Some(None),
                        Some(v) => whole(self, v).map(Some),
                    };
                    let (Some(lo), Some(hi)) = (end(a), end(b)) else { return self.poison(span) };
                    axes.push((slice_positions(len, lo, hi, step), true));
                }
                Some(&Item::At(a)) => {
                    let Some(i) = whole(self, a) else { return self.poison(span) };
                    let i = if i < 0 { i + len as i64 } else { i };
                    if i < 0 || i >= len as i64 {
                        return self.fail(
                            span,
                            format!(
                                "index {i} is out of range: {name} is {}, indexed 0 to {} along this axis",
                                describe(&dims),
                                len - 1
                            ),
                        );
                    }
                    axes.push((vec![i as usize], false));
                }
            }
        }
        let stride = if dims.len() == 2 { dims[1] } else { 1 };
        let out_dims: Dims = axes.iter().filter(|(_, keep)| *keep).map(|(p, _)| p.len()).collect();
        let out: Vec<u32> = match axes.as_slice() {
            [(r, _)] => r.iter().map(|&i| nodes[i]).collect(),
            [(r, _), (c, _)] => {
                r.iter().flat_map(|&i| c.iter().map(move |&j| i * stride + j)).map(|k| nodes[k]).collect()
            }
            _ => nodes,
        };
        if out.is_empty() {
            return self.fail(span, format!("this slice of {name} is empty"));
        }
        self.value(out_dims, out)
    }

    /// The functions on vectors and matrices; None for a name that is not one of them (or
    /// `max`/`min` of two values, which the scalar table takes entry by entry).
    pub(super) fn tensor_call(&mut self, name: &str, span: Span, args: &[u32]) -> Option<u32> {
        let reduction = matches!(name, "max" | "min") && args.len() == 1;
        if !reduction && !tensor::FUNCTIONS.contains(&name) {
            return None;
        }
        if args.iter().any(|&v| self.is_poison(v)) {
            return Some(self.poison(span));
        }
        let arity_error = |c: &mut Self, want: &str| {
            c.fail(
                span,
                format!(
                    "{name} takes {want}, but {} {} given",
                    args.len(),
                    if args.len() == 1 { "was" } else { "were" }
                ),
            )
        };
        let parts: Vec<(Dims, Vec<u32>)> = args.iter().map(|&v| self.parts(v)).collect();
        let one = |want: usize| args.len() == want;
        // amax and amin are max and min that always reduce (along `dim` if given).
        let name = name.strip_prefix('a').filter(|n| matches!(*n, "max" | "min")).unwrap_or(name);
        Some(match name {
            // Along one axis (PyTorch's dim, NumPy's axis): a lane at a time.
            "sum" | "mean" | "logsumexp" | "max" | "min" | "norm" | "softmax" | "log_softmax" if one(2) => {
                let (dims, nodes) = parts[0].clone();
                let Some(lanes) = self.lanes(&dims, args[1], span) else { return Some(self.poison(span)) };
                let mut out = if name.ends_with("softmax") { nodes.clone() } else { Vec::new() };
                for lane in lanes {
                    let row: Vec<u32> = lane.iter().map(|&k| nodes[k]).collect();
                    if name.ends_with("softmax") {
                        for (k, v) in lane.into_iter().zip(self.softmax_row(&row, name == "log_softmax", span)) {
                            out[k] = v;
                        }
                    } else {
                        out.push(self.reduce(name, &row, span));
                    }
                }
                let shape = match dims.len() {
                    _ if name.ends_with("softmax") => dims,
                    2 => vec![out.len()],
                    _ => Vec::new(),
                };
                self.value(shape, out)
            }
            "sum" | "mean" | "max" | "min" | "norm" | "logsumexp" | "flatten" | "transpose" if !one(1) => {
                arity_error(self, "one argument")
            }
            "sum" | "mean" | "logsumexp" | "max" | "min" | "norm" => self.reduce(name, &parts[0].1, span),
            "softmax" | "log_softmax" if !one(1) => arity_error(self, "one argument"),
            "softmax" | "log_softmax" => {
                // Over a vector, or each row of a matrix (PyTorch's dim = -1).
                let (dims, nodes) = parts[0].clone();
                let width = *dims.last().unwrap_or(&1);
                let mut out = Vec::with_capacity(nodes.len());
                for row in nodes.chunks(width) {
                    out.extend(self.softmax_row(row, name == "log_softmax", span));
                }
                self.value(dims, out)
            }
            "flatten" => {
                let n = parts[0].1.len();
                self.value(vec![n], parts[0].1.clone())
            }
            "transpose" => match parts[0].0.as_slice() {
                [r, c] => {
                    let (r, c) = (*r, *c);
                    let nodes = &parts[0].1;
                    let out = (0..c).flat_map(|j| (0..r).map(move |i| nodes[i * c + j])).collect();
                    self.value(vec![c, r], out)
                }
                _ => args[0],
            },
            "dot" => {
                if !one(2) {
                    return Some(arity_error(self, "two vectors"));
                }
                match (parts[0].0.as_slice(), parts[1].0.as_slice()) {
                    ([n], [m]) if n == m => {
                        // Two variable vectors: one product node. With known weights the sum
                        // is written out, the scalar form `W @ x`'s rows are compared with.
                        let variable = |c: &Self, p: &[u32]| p.iter().all(|&k| c.ops[k as usize] != Op::Const);
                        if variable(self, &parts[0].1) && variable(self, &parts[1].1) {
                            if let Some(out) = self.product(&parts[0].1, &parts[1].1, [1, *n, 1], span) {
                                return Some(out[0]);
                            }
                        }
                        let terms: Vec<(u32, u32)> =
                            parts[0].1.iter().copied().zip(parts[1].1.iter().copied()).collect();
                        self.dot_nodes(&terms, span)
                    }
                    (a, b) => {
                        let msg = format!(
                            "dot takes two vectors of one length, but they are {} and {}",
                            describe(a),
                            describe(b)
                        );
                        self.fail(span, msg)
                    }
                }
            }
            "outer" => {
                if !one(2) {
                    return Some(arity_error(self, "two vectors"));
                }
                let (a, b) = (parts[0].1.clone(), parts[1].1.clone());
                if !self.room(a.len() * b.len(), span) {
                    return Some(self.poison(span));
                }
                let out = a.iter().flat_map(|&x| b.iter().map(move |&y| (x, y))).collect::<Vec<_>>();
                let out = out.into_iter().map(|(x, y)| self.node(Op::Mul, x, y, span)).collect();
                self.value(vec![a.len(), b.len()], out)
            }
            "diag" => match (args.len(), parts.first().map(|p| p.0.clone())) {
                (1, Some(d)) if d.len() == 1 => {
                    let n = d[0];
                    let zero = self.constant(0.0, span);
                    let v = &parts[0].1;
                    let out = (0..n * n).map(|k| if k / n == k % n { v[k / n] } else { zero }).collect();
                    self.value(vec![n, n], out)
                }
                (1, Some(d)) if d.len() == 2 => {
                    let (r, c) = (d[0], d[1]);
                    let out = (0..r.min(c)).map(|k| parts[0].1[k * c + k]).collect();
                    self.value(vec![r.min(c)], out)
                }
                (1, _) => self.fail(
                    span,
                    "diag takes a vector (a diagonal matrix) or a matrix (its diagonal), not a number".into(),
                ),
                _ => arity_error(self, "one vector (a diagonal matrix) or one matrix (its diagonal)"),
            },
            "reshape" => {
                if args.len() < 2 || args.len() > 3 {
                    return Some(arity_error(self, "a value and one or two sizes"));
                }
                let Some(dims) = self.sizes(&args[1..], span) else { return Some(self.poison(span)) };
                let n = parts[0].1.len();
                if dims.iter().product::<usize>() != n {
                    let msg = format!(
                        "reshape keeps every entry: {} has {n}, but {} would have {}",
                        describe(&parts[0].0),
                        describe(&dims),
                        dims.iter().product::<usize>()
                    );
                    return Some(self.fail(span, msg));
                }
                self.value(dims, parts[0].1.clone())
            }
            "concat" | "hstack" | "vstack" | "stack" | "column_stack" => self.join(name, &parts, span),
            "unsqueeze" => {
                if !one(2) {
                    return Some(arity_error(self, "a value and an axis"));
                }
                let Some(d) = self.whole(args[1], span, "the axis") else { return Some(self.poison(span)) };
                let (dims, nodes) = parts[0].clone();
                let n = nodes.len();
                let out = match (dims.len(), d) {
                    (0, 0 | -1) => vec![1],
                    (1, 0 | -2) => vec![1, n],
                    (1, 1 | -1) => vec![n, 1],
                    (2, _) => {
                        return Some(self.fail(
                            span,
                            format!("unsqueeze would give {} a third axis: a value has at most two", describe(&dims)),
                        ))
                    }
                    _ => {
                        let axes = if dims.is_empty() { "0 (or -1)" } else { "0 or 1 (or -2 or -1)" };
                        return Some(
                            self.fail(span, format!("unsqueeze's axis is {axes} for {}, not {d}", describe(&dims))),
                        );
                    }
                };
                self.value(out, nodes)
            }
            "eye" | "zeros" | "ones" | "randn" | "uniform" => self.made(name, args, span),
            _ => return None,
        })
    }

    /// `sum`, `mean`, `logsumexp`, `max`, `min` or `norm` of some entries.
    fn reduce(&mut self, name: &str, nodes: &[u32], span: Span) -> u32 {
        let kind = match name {
            "max" => Kind::Max,
            "min" => Kind::Min,
            "norm" => Kind::Norm,
            _ => Kind::Linear,
        };
        if let Some(op) = kind.binary() {
            // One node over consecutive entries (`core::reduce`); else the binary
            // operation's fold, hypot's for a norm (no overflow or underflow on the way,
            // and a zero vector's gradient 0, the table's hypot'(0, 0)).
            if nodes.len() > 1 {
                if let Some(node) =
                    self.tensor_node(kind, nodes, span).or_else(|| self.gathered_node(kind, nodes, span))
                {
                    return node[0];
                }
            }
            if kind == Kind::Norm && nodes.len() == 1 {
                return self.node(Op::Abs, nodes[0], UNARY, span);
            }
            return self.fold(op, nodes, span);
        }
        if name == "logsumexp" {
            if let Some(node) = self
                .tensor_node(Kind::LogSumExp, nodes, span)
                .or_else(|| self.gathered_node(Kind::LogSumExp, nodes, span))
            {
                return node[0];
            }
            let (shift, sum) = self.exp_sum(nodes, span);
            let l = self.node(Op::Log, sum, UNARY, span);
            return self.node(Op::Add, shift, l, span);
        }
        // A sum of consecutive nodes is one node: a dense row of ones (left to right as
        // the fold below would add them, or in `dense::WIDE`'s running sums, as the
        // written-out sum of as many would be).
        let ones = vec![self.constant(1.0, span); nodes.len()];
        let row = if nodes.len() > 1 { self.dense(&ones, 1, nodes, span) } else { None };
        let s = match row {
            Some(row) => row[0],
            None => self.fold(Op::Add, nodes, span),
        };
        if name == "sum" {
            return s;
        }
        let n = self.constant(nodes.len() as f64, span);
        self.node(Op::Div, s, n, span)
    }

    /// The lanes along axis `dim` of a value of shape `dims`, each as positions in its
    /// row-major entries: a vector's one lane (dim 0 or -1), a matrix's rows (dim 1 or -1,
    /// PyTorch's last axis) or columns (dim 0 or -2).
    fn lanes(&mut self, dims: &Dims, dim: u32, span: Span) -> Option<Vec<Vec<usize>>> {
        let d = self.whole(dim, span, "dim")?;
        let rank = dims.len() as i64;
        if !(-rank..rank).contains(&d) {
            let axes = if rank == 2 { "0 or 1 (or -2 or -1)" } else { "0 (or -1)" };
            let what = if rank == 0 {
                "a number has no axes".to_string()
            } else {
                format!("dim is {axes} for {}", describe(dims))
            };
            self.errors.push(Diagnostic::new(span, format!("dim {d} is not an axis here: {what}")));
            return None;
        }
        Some(match (dims.as_slice(), d.rem_euclid(rank)) {
            ([r, c], 0) => (0..*c).map(|j| (0..*r).map(|i| i * c + j).collect()).collect(),
            ([r, c], _) => (0..*r).map(|i| (i * c..i * c + c).collect()).collect(),
            _ => vec![(0..dims.iter().product()).collect()],
        })
    }

    /// max of the entries and Σ exp(entry − max): the shift keeps exp from overflowing, and
    /// its derivative cancels exactly (softmax does not depend on it).
    fn exp_sum(&mut self, nodes: &[u32], span: Span) -> (u32, u32) {
        let shift = self.fold(Op::Max, nodes, span);
        // Every difference, then every exponential: each operation one run of nodes, which
        // the tape prints and steps through as one.
        let diffs: Vec<u32> = nodes.iter().map(|&z| self.node(Op::Sub, z, shift, span)).collect();
        let exps: Vec<u32> = diffs.iter().map(|&d| self.node(Op::Exp, d, UNARY, span)).collect();
        (shift, self.fold(Op::Add, &exps, span))
    }

    /// softmax or log_softmax of one lane: one node of that kind where its entries are
    /// consecutive nodes, else written out in scalar nodes (the same function).
    fn softmax_row(&mut self, row: &[u32], log: bool, span: Span) -> Vec<u32> {
        let kind = if log { Kind::LogSoftmax } else { Kind::Softmax };
        if let Some(nodes) = self.tensor_node(kind, row, span).or_else(|| self.gathered_node(kind, row, span)) {
            return nodes;
        }
        let (shift, sum) = self.exp_sum(row, span);
        if log {
            let l = self.node(Op::Log, sum, UNARY, span);
            row.iter()
                .map(|&z| {
                    let d = self.node(Op::Sub, z, shift, span);
                    self.node(Op::Sub, d, l, span)
                })
                .collect()
        } else {
            row.iter()
                .map(|&z| {
                    let d = self.node(Op::Sub, z, shift, span);
                    let e = self.node(Op::Exp, d, UNARY, span);
                    self.node(Op::Div, e, sum, span)
                })
                .collect()
        }
    }

    /// The joiners. `concat` and `hstack` put numbers and vectors end to end; otherwise
    /// `concat` and `vstack` stack rows (a vector is one row: NumPy's `vstack`), `hstack`
    /// and `column_stack` put columns side by side (a vector is one column), and `stack`
    /// joins values of one shape along a new first axis (numbers make a vector, vectors a
    /// matrix's rows). Matrices must agree in width (rows) or height (columns).
    fn join(&mut self, name: &str, parts: &[(Dims, Vec<u32>)], span: Span) -> u32 {
        if parts.is_empty() {
            return self.fail(span, format!("{name} takes the values to join, at least one"));
        }
        let rank = |k: usize| parts[k].0.len();
        let low = (0..parts.len()).all(|k| rank(k) < 2);
        let columns = matches!(name, "hstack" | "column_stack");
        // A part that breaks the rule: what the rule is, and which part.
        let broken = match name {
            "stack" if rank(0) == 2 => {
                return self.fail(span, "stack of matrices would have three axes: a value has at most two".into())
            }
            "stack" => (0..parts.len()).find(|&k| parts[k].0 != parts[0].0).map(|k| ("values of one shape", k)),
            "concat" | "hstack" if !low => {
                (0..parts.len()).find(|&k| rank(k) != 2).map(|k| ("vectors end to end or matrices, not both", k))
            }
            _ => None,
        };
        let end_to_end = low && (matches!(name, "concat" | "hstack") || name == "stack" && rank(0) == 0);
        // Each part as a matrix, rows × cols, row-major.
        let shapes: Vec<(usize, usize)> = parts
            .iter()
            .map(|(d, n)| match d.as_slice() {
                [r, c] => (*r, *c),
                _ if columns => (n.len(), 1),
                _ => (1, n.len()),
            })
            .collect();
        let side = |s: (usize, usize)| if columns { s.0 } else { s.1 };
        let broken = broken.or_else(|| {
            let what = if columns { "values of one height" } else { "values of one width" };
            (!end_to_end).then(|| shapes.iter().position(|&s| side(s) != side(shapes[0])).map(|k| (what, k))).flatten()
        });
        if let Some((what, k)) = broken {
            let msg = format!(
                "{name} joins {what}: argument 0 is {} but argument {k} is {}",
                describe(&parts[0].0),
                describe(&parts[k].0)
            );
            return self.fail(span, msg);
        }
        let all = || parts.iter().flat_map(|p| p.1.iter().copied());
        if !self.room(all().count(), span) {
            return self.poison(span);
        }
        if end_to_end {
            let out: Vec<u32> = all().collect();
            return self.value(vec![out.len()], out);
        }
        if !columns {
            return self.value(vec![shapes.iter().map(|s| s.0).sum(), shapes[0].1], all().collect());
        }
        let rows = shapes[0].0;
        let mut out = Vec::new();
        for i in 0..rows {
            for (p, &(_, c)) in parts.iter().zip(&shapes) {
                out.extend_from_slice(&p.1[i * c..i * c + c]);
            }
        }
        self.value(vec![rows, out.len() / rows], out)
    }

    /// One or two sizes, each a whole number from 1 up, also as NumPy writes them: one
    /// list, `reshape(x, [2, 2])`.
    fn sizes(&mut self, args: &[u32], span: Span) -> Option<Dims> {
        let (shape, listed) = match args {
            [a] if a & TENSOR != 0 => self.parts(*a),
            _ => (Vec::new(), args.to_vec()),
        };
        if shape.len() > 1 || listed.len() > 2 {
            self.errors.push(Diagnostic::new(span, String::from("the sizes are one or two whole numbers")));
            return None;
        }
        let mut dims = Vec::new();
        for a in listed {
            let n = self.whole(a, span, "a size")?;
            if n < 1 || n > MAX_NODES as i64 {
                self.errors.push(Diagnostic::new(span, format!("a size must be from 1 to {MAX_NODES}, not {n}")));
                return None;
            }
            dims.push(n as usize);
        }
        Some(dims)
    }

    /// `eye(n)`, `zeros(…)`, `ones(…)`, `randn(…, seed)`, `uniform(…, seed)`: constants.
    fn made(&mut self, name: &str, args: &[u32], span: Span) -> u32 {
        let seeded = matches!(name, "randn" | "uniform");
        let (lo, hi) = match name {
            "eye" => (1, 1),
            _ if seeded => (2, 3),
            _ => (1, 2),
        };
        if args.len() < lo || args.len() > hi {
            let want = match name {
                "eye" => "one size",
                _ if seeded => "one or two sizes and a seed, as in randn(3, 4, 1)",
                _ => "one or two sizes",
            };
            let msg = format!(
                "{name} takes {want}, but {} {} given",
                args.len(),
                if args.len() == 1 { "was" } else { "were" }
            );
            return self.fail(span, msg);
        }
        let size_args = if seeded { &args[..args.len() - 1] } else { args };
        let Some(mut dims) = self.sizes(size_args, span) else { return self.poison(span) };
        if name == "eye" {
            dims.push(dims[0]);
        }
        let count: usize = dims.iter().product();
        if !self.room(count, span) {
            return self.poison(span);
        }
        let values: Vec<f64> = match name {
            "eye" => (0..count).map(|k| if k / dims[0] == k % dims[0] { 1.0 } else { 0.0 }).collect(),
            "zeros" => vec![0.0; count],
            "ones" => vec![1.0; count],
            _ => {
                let Some(seed) = self.whole(args[args.len() - 1], span, "the seed") else { return self.poison(span) };
                let mut g = Generator::new(seed as u64);
                if name == "randn" {
                    g.normals(count)
                } else {
                    (0..count).map(|_| g.uniform()).collect()
                }
            }
        };
        let nodes = values.into_iter().map(|v| self.constant(v, span)).collect();
        self.value(dims, nodes)
    }
}

/// The positions `lo:hi:step` keeps of an axis of `len` entries, as Python's slices do: a
/// negative end counts from the end, ends out of range are clamped, and a negative step
/// walks back from the end (`x[::-1]` reverses).
fn slice_positions(len: usize, lo: Option<i64>, hi: Option<i64>, step: i64) -> Vec<usize> {
    let len = len as i64;
    let (floor, ceil) = if step > 0 { (0, len) } else { (-1, len - 1) };
    let end = |v: Option<i64>, default: i64| match v {
        None => default,
        Some(v) => (if v < 0 { v + len } else { v }).clamp(floor, ceil),
    };
    let (mut at, hi) = if step > 0 { (end(lo, 0), end(hi, len)) } else { (end(lo, len - 1), end(hi, -1)) };
    let mut out = Vec::new();
    while (step > 0 && at < hi) || (step < 0 && at > hi) {
        out.push(at as usize);
        at += step;
    }
    out
}
