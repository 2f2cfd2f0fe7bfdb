//! Name resolution and lowering of the syntax tree to the tape. Folds constants, shares
//! identical subexpressions (hash-consing), drops nodes no output uses, and computes the
//! structural sparsity pattern. Walks the tree with an explicit stack: no recursion.

use super::dense::{Block, Kind};
use super::ops::{self, lookup_constant, lookup_function, Op};
use super::parser::parse;
use super::span::{Diagnostic, Span};
use super::sparse::{colour, Colouring};
use super::syntax::{BinOp, ExprId, ExprKind, Program, Stmt};
use super::tape::{NameMap, Tape, Variable};
use super::tensor::{self, Dims};
// FxHash, not std's SipHash: the page then carries one hasher (the memo's), not two, and a
// program's names are no attacker's keys to a server.
use rustc_hash::FxHashMap as HashMap;

/// Parse and compile; on any error, every diagnostic found.
pub fn compile_source(src: &str) -> Result<Tape, Vec<Diagnostic>> {
    parse_and_compile(src).map(|(_, tape)| tape)
}

/// `compile_source`, keeping the syntax tree too (the exports print it).
pub fn parse_and_compile(src: &str) -> Result<(Program, Tape), Vec<Diagnostic>> {
    let (program, errors) = parse(src);
    if !errors.is_empty() {
        return Err(errors);
    }
    let tape = compile(&program)?;
    Ok((program, tape))
}

pub fn compile(program: &Program) -> Result<Tape, Vec<Diagnostic>> {
    compile_with(program, Wrt::Inputs, &[])
}

/// Which of the signature's names are J's columns. The others are compiled in as
/// constants, so every strategy, view and check differentiates with respect to the chosen
/// ones without knowing the others exist.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Wrt {
    /// The inputs (the names without a value): the parameters are constants.
    #[default]
    Inputs,
    /// The parameters: the inputs are constants.
    Params,
    /// Every name, in the signature's order.
    All,
}

impl Wrt {
    pub const ALL: [Wrt; 3] = [Wrt::Inputs, Wrt::Params, Wrt::All];

    /// The word links and the command line use.
    pub fn word(self) -> &'static str {
        match self {
            Wrt::Inputs => "inputs",
            Wrt::Params => "params",
            Wrt::All => "all",
        }
    }

    pub fn from_word(word: &str) -> Option<Wrt> {
        Wrt::ALL.into_iter().find(|w| w.word() == word)
    }

    /// The choice stored as its index in `ALL` (the page's signal, a link's value); an
    /// index past the end reads as its remainder.
    pub fn nth(k: u8) -> Wrt {
        Wrt::ALL[k as usize % Wrt::ALL.len()]
    }

    /// What J is by, in ∂f/∂…: the inputs x, the parameters p, or both.
    pub fn symbol(self) -> &'static str {
        match self {
            Wrt::Inputs => "x",
            Wrt::Params => "p",
            Wrt::All => "(x, p)",
        }
    }

    fn columns(self, param: bool) -> bool {
        match self {
            Wrt::Inputs => !param,
            Wrt::Params => param,
            Wrt::All => true,
        }
    }
}

/// Compiles with J's columns chosen by `wrt`. `given` holds values by entry name (`a`,
/// `x[2]`, `W[0, 1]`) for the names that are constants under that choice; a parameter not
/// given keeps its default, and an input not given is 1 (as a new input on the page).
pub fn compile_with(program: &Program, wrt: Wrt, given: &[(String, f64)]) -> Result<Tape, Vec<Diagnostic>> {
    let mut c = Compiler { wrt, ..Compiler::default() };
    c.run(program, &super::tape::by_name(given));
    if c.errors.is_empty() {
        Ok(affine::recognise(c.finish()))
    } else {
        super::span::sort_by_position(&mut c.errors);
        Err(c.errors)
    }
}

mod affine;
pub use affine::MIN_TERMS;
mod dense;
mod tensor_ops;
use tensor_ops::Item;

/// A lowered value is a tape node, or with this bit set an index into `Compiler::tensors`
/// (node indices stay far below it: a tape is bounded by `MAX_NODES`).
const TENSOR: u32 = 1 << 31;

/// The most nodes a program may lower to: vectors and matrices are written out entry by
/// entry on the tape, and `randn(1000, 1000) @ …` must be an error, not a hang.
pub const MAX_NODES: usize = 1_000_000;

/// A vector or matrix: its shape and its entries' nodes, row-major.
#[derive(Clone, Debug)]
struct Tensor {
    dims: Dims,
    nodes: Vec<u32>,
}

#[derive(Default)]
struct Compiler {
    ops: Vec<Op>,
    args: Vec<[u32; 2]>,
    consts: Vec<f64>,
    spans: Vec<Span>,
    names: Vec<Option<String>>,
    /// Hash-consing table. FxHash rather than SipHash: this is the compiler's hottest map
    /// (SipHash showed in profiles of compiling large programs) and its keys are not
    /// attacker-chosen in a way that matters (a slow function only slows its own page).
    memo: rustc_hash::FxHashMap<(Op, u32, u32, u64), u32>,
    scope: NameMap,
    /// Names drawn like Latin ones, by how they read, with the span of their first
    /// look-alike letter (the scope's type, so no other map is compiled into the page).
    look_alikes: NameMap,
    inputs: Vec<String>,
    outputs: Vec<u32>,
    output_names: Vec<String>,
    errors: Vec<Diagnostic>,
    tensors: Vec<Tensor>,
    input_shapes: Vec<(String, Dims)>,
    output_shape: Dims,
    /// Set once the program has grown past `MAX_NODES` (reported once).
    too_big: bool,
    /// Dense blocks in recording order, numbered as the nodes are while compiling.
    blocks: Vec<Block>,
    wrt: Wrt,
    variables: Vec<Variable>,
}

const UNARY: u32 = u32::MAX;

impl Compiler {
    fn node(&mut self, op: Op, a: u32, b: u32, span: Span) -> u32 {
        let (a, b) = if op.commutative() && b < a { (b, a) } else { (a, b) };
        let is_const = |k: u32| k != UNARY && self.ops[k as usize] == Op::Const;
        if op != Op::Input && is_const(a) && (b == UNARY || is_const(b)) {
            let y = if b == UNARY { 0.0 } else { self.consts[b as usize] };
            return self.constant(ops::value(op, self.consts[a as usize], y), span);
        }
        self.intern(op, a, b, 0, span)
    }

    fn constant(&mut self, v: f64, span: Span) -> u32 {
        let k = self.intern(Op::Const, UNARY, UNARY, v.to_bits(), span);
        self.consts[k as usize] = v;
        k
    }

    fn intern(&mut self, op: Op, a: u32, b: u32, bits: u64, span: Span) -> u32 {
        if op != Op::Input {
            if let Some(&k) = self.memo.get(&(op, a, b, bits)) {
                return k;
            }
        }
        // Every node passes here: past the bound the program is an error (said once), and
        // the rest of the lowering only looks its operands up (node 0 stands in).
        if self.ops.len() >= MAX_NODES && op != Op::Input {
            tensor_ops::too_big(self, span);
            return 0;
        }
        let k = self.ops.len() as u32;
        self.ops.push(op);
        self.args.push([a, b]);
        self.consts.push(0.0);
        self.spans.push(span);
        self.names.push(None);
        self.memo.insert((op, a, b, bits), k);
        k
    }

    fn run(&mut self, program: &Program, given: &super::tape::ByName) {
        let Some(sig) = program.stmts.iter().find_map(|s| match s {
            Stmt::Signature(sig) => Some(sig),
            _ => None,
        }) else {
            self.errors
                .push(Diagnostic::new(Span::default(), "missing the signature line, such as f(x, y) = [x*y, x+y]"));
            return;
        };
        // Defaults first, with nothing in scope: a parameter's value is data, the same
        // whichever names are J's columns.
        let none = HashMap::default();
        let defaults: Vec<Option<(Dims, Vec<f64>)>> = sig
            .defaults
            .iter()
            .zip(&sig.shapes)
            .map(|(d, dims)| d.and_then(|e| self.param_value(program, e, dims, &none)))
            .collect();
        for (j, (name, span)) in sig.params.iter().enumerate() {
            if let Some(&(_, first)) = self.scope.get(name) {
                self.errors.push(
                    Diagnostic::new(*span, format!("input '{name}' is listed twice"))
                        .with_label(first, "first listed here"),
                );
                continue;
            }
            if let Some(msg) = reserved(name) {
                self.errors.push(Diagnostic::new(*span, format!("'{name}' can't name an input: {msg}")));
                continue;
            }
            let param = sig.defaults[j].is_some();
            let (dims, default) = match &defaults[j] {
                Some((dims, values)) => (dims.clone(), values.clone()),
                None if param => {
                    // Its value's error is said; uses of the name are not errors too.
                    let v = self.constant(f64::NAN, *span);
                    self.define(name, v, *span);
                    continue;
                }
                None => (sig.shapes[j].clone(), Vec::new()),
            };
            let column = self.wrt.columns(param);
            let count: usize = dims.iter().product();
            let mut values = Vec::new();
            let nodes: Vec<u32> = (0..count)
                .map(|e| {
                    let label = tensor::entry_name(name, &dims, e);
                    if !column {
                        let v = given.get(&label).unwrap_or(default.get(e).copied().unwrap_or(1.0));
                        values.push(v);
                        return self.constant(v, *span);
                    }
                    let k = self.intern(Op::Input, self.inputs.len() as u32, UNARY, 0, *span);
                    self.names[k as usize] = Some(label.clone());
                    self.inputs.push(label);
                    k
                })
                .collect();
            if column {
                self.input_shapes.push((name.clone(), dims.clone()));
                values = default;
            }
            self.variables.push(Variable { name: name.clone(), dims: dims.clone(), param, column, values });
            let v = self.value(dims, nodes);
            self.define(name, v, *span);
        }
        if self.inputs.is_empty() && self.errors.is_empty() {
            let what = if self.wrt == Wrt::Params { "parameters" } else { "inputs" };
            self.errors.push(Diagnostic::new(sig.name_span, format!("{} has no {what} to differentiate by", sig.name)));
        }
        let mut later = NameMap::default();
        for stmt in &program.stmts {
            if let Stmt::Binding(b) = stmt {
                later.entry(b.name.clone()).or_insert((0, b.name_span));
            }
        }
        for stmt in &program.stmts {
            match stmt {
                Stmt::Binding(b) => {
                    let k = self.lower(program, b.expr, &later);
                    later.remove(b.name.as_str());
                    if let Some(&(_, first)) = self.scope.get(&b.name) {
                        self.errors.push(
                            Diagnostic::new(
                                b.name_span,
                                format!("'{}' is already defined: names can't be redefined", b.name),
                            )
                            .with_label(first, "first defined here"),
                        );
                    } else if let Some(msg) = reserved(&b.name) {
                        self.errors
                            .push(Diagnostic::new(b.name_span, format!("'{}' can't be redefined: {msg}", b.name)));
                    } else {
                        let (dims, nodes) = self.parts(k);
                        for (e, &node) in nodes.iter().enumerate() {
                            if self.names[node as usize].is_none() {
                                self.names[node as usize] = Some(tensor::entry_name(&b.name, &dims, e));
                            }
                        }
                        self.define(&b.name, k, b.name_span);
                    }
                }
                Stmt::Signature(s) if std::ptr::eq(s, sig) => {
                    let m = s.outputs.len();
                    for (i, &e) in s.outputs.iter().enumerate() {
                        let k = self.lower(program, e, &later);
                        let (dims, nodes) = self.parts(k);
                        if m == 1 && !s.bracketed {
                            // One output expression: a number (`f`) or a vector or matrix
                            // whose entries are the outputs (`f[0]`, `f[1, 2]`).
                            self.output_shape = dims.clone();
                            for (e, &node) in nodes.iter().enumerate() {
                                self.outputs.push(node);
                                self.output_names.push(tensor::entry_name(&s.name, &dims, e));
                            }
                        } else if !dims.is_empty() {
                            self.errors.push(Diagnostic::new(
                                program.expr(e).span,
                                format!(
                                    "each entry of the output list is a number, but this is {}: write the vector or matrix alone after '=', or concat(…) the outputs",
                                    tensor::describe(&dims)
                                ),
                            ));
                        } else {
                            self.outputs.push(k);
                            self.output_names.push(format!("{}{}", s.name, i + 1));
                        }
                    }
                    if s.bracketed || m > 1 {
                        self.output_shape = vec![m];
                    }
                }
                Stmt::Signature(_) => {}
            }
        }
    }

    /// A parameter's default: its shape (the declared one, or the value's where none is
    /// declared: `W = randn(3, 4, 1)`) and its entries. A number fills a declared shape.
    fn param_value(
        &mut self,
        program: &Program,
        e: ExprId,
        declared: &[usize],
        none: &NameMap,
    ) -> Option<(Dims, Vec<f64>)> {
        let k = self.lower(program, e, none);
        let (dims, nodes) = self.parts(k);
        // Nothing is in scope, so every entry is a constant.
        let span = program.expr(e).span;
        let values: Vec<f64> = nodes.iter().map(|&n| self.consts[n as usize]).collect();
        match (declared.is_empty(), dims == declared) {
            (true, _) | (_, true) => Some((dims, values)),
            _ if dims.is_empty() => Some((declared.to_vec(), vec![values[0]; declared.iter().product()])),
            _ => {
                self.errors.push(Diagnostic::new(
                    span,
                    format!(
                        "the parameter is declared {} but its value is {}",
                        tensor::describe(declared),
                        tensor::describe(&dims)
                    ),
                ));
                None
            }
        }
    }

    /// Puts a name in scope. Two names that read alike (Latin `x` and Cyrillic `х`) are an
    /// error at the look-alike letter, in either order: what the reader sees must be what
    /// is computed.
    fn define(&mut self, name: &str, k: u32, span: Span) {
        let clash = match super::lexer::look_alike(name) {
            Some((n, c, reads)) => {
                let at = Span::new(span.start + n, span.start + n + c.len_utf8());
                let other = self.scope.get(&reads).map(|o| o.1);
                self.look_alikes.insert(reads.clone(), (c as u32, at));
                other.map(|o| (c as u32, at, o, reads))
            }
            None => self.look_alikes.get(name).map(|&(c, at)| (c, at, span, name.to_string())),
        };
        if let Some((c, at, other, reads)) = clash {
            let c = char::from_u32(c).unwrap_or('?');
            self.errors.push(
                Diagnostic::new(
                    at,
                    format!("{}: this name looks like '{reads}' but is another", super::lexer::not_latin(c)),
                )
                .with_label(other, "the Latin one"),
            );
        }
        self.scope.insert(name.to_string(), (k, span));
    }

    /// Lowers one expression tree, children first, with an explicit stack.
    fn lower(&mut self, program: &Program, root: ExprId, later: &NameMap) -> u32 {
        // Tape node per tree node (ExprIds are dense arena indices); NONE = not lowered yet.
        const NONE: u32 = u32::MAX;
        let mut done = vec![NONE; program.exprs.len()];
        let mut stack = vec![root];
        let mut pending: Vec<ExprId> = Vec::new();
        while let Some(&id) = stack.last() {
            if done[id as usize] != NONE {
                stack.pop();
                continue;
            }
            let expr = program.expr(id);
            let children: &[ExprId] = match &expr.kind {
                ExprKind::Neg(a) => std::slice::from_ref(a),
                ExprKind::Binary(_, a, _) => std::slice::from_ref(a),
                ExprKind::Call { args, .. } | ExprKind::List(args) => args,
                ExprKind::Index { base, .. } => std::slice::from_ref(base),
                _ => &[],
            };
            pending.clear();
            pending.extend(children.iter().copied().filter(|&c| done[c as usize] == NONE));
            if let ExprKind::Index { items, .. } = &expr.kind {
                pending.extend(items.iter().flat_map(|i| i.exprs()).filter(|&c| done[c as usize] == NONE));
            }
            if let ExprKind::Binary(_, _, b) = &expr.kind {
                if done[*b as usize] == NONE {
                    pending.push(*b);
                }
            }
            if !pending.is_empty() {
                stack.extend(pending.iter().rev());
                continue;
            }
            stack.pop();
            let span = expr.span;
            let k = match &expr.kind {
                ExprKind::Num(v) => self.constant(*v, span),
                ExprKind::Error => self.constant(f64::NAN, span),
                ExprKind::Name(name) => self.resolve(name, span, later),
                ExprKind::Neg(a) => self.map(done[*a as usize], |c, k| c.node(Op::Neg, k, UNARY, span)),
                ExprKind::Binary(op, a, b) => {
                    let (x, y) = (done[*a as usize], done[*b as usize]);
                    if (x | y) & TENSOR == 0 {
                        self.scalar_binary(*op, x, y, span)
                    } else {
                        let names =
                            (operand_name(program, *a, "the left side"), operand_name(program, *b, "the right side"));
                        self.tensor_binary(*op, x, y, program.operator_span(id), span, names)
                    }
                }
                ExprKind::Call { name, name_span, args } => {
                    let operands: Vec<u32> = args.iter().map(|a| done[*a as usize]).collect();
                    self.call(name, *name_span, span, &operands)
                }
                ExprKind::List(items) => {
                    let operands: Vec<u32> = items.iter().map(|a| done[*a as usize]).collect();
                    self.list(&operands, span)
                }
                ExprKind::Index { base, items } => {
                    let at = |e: ExprId| done[e as usize];
                    let items: Vec<Item> = items
                        .iter()
                        .map(|item| match *item {
                            super::syntax::IndexItem::At(a) => Item::At(at(a)),
                            super::syntax::IndexItem::Slice(a, b, c) => Item::Slice(a.map(at), b.map(at), c.map(at)),
                        })
                        .collect();
                    let name = operand_name(program, *base, "this value");
                    self.index(done[*base as usize], &items, &name, span)
                }
            };
            done[id as usize] = k;
        }
        done[root as usize]
    }

    /// A constant integer exponent becomes an integer power, defined for negative bases.
    fn power(&mut self, a: u32, b: u32, span: Span) -> u32 {
        if self.ops[b as usize] == Op::Const {
            let y = self.consts[b as usize];
            if y.fract() == 0.0 && y.abs() <= i32::MAX as f64 {
                return self.node(Op::Powi(y as i32), a, UNARY, span);
            }
            // An integer past an integer power's range (3^3^3): |a|^y, times a where y is
            // odd (a·|a|^(y-1)), so a negative base is defined here too.
            if y.fract() == 0.0 && y.is_finite() {
                let m = self.node(Op::Abs, a, UNARY, span);
                if (y % 2.0).abs() == 1.0 {
                    let even = self.constant(y - 1.0, span);
                    let p = self.node(Op::Pow, m, even, span);
                    return self.node(Op::Mul, a, p, span);
                }
                return self.node(Op::Pow, m, b, span);
            }
        }
        self.node(Op::Pow, a, b, span)
    }

    fn resolve(&mut self, name: &str, span: Span, later: &NameMap) -> u32 {
        if let Some(&(k, _)) = self.scope.get(name) {
            return k;
        }
        if let Some(v) = lookup_constant(name) {
            return self.constant(v, span);
        }
        let d = if lookup_function(name).is_some() || tensor::FUNCTIONS.contains(&name) {
            Diagnostic::new(span, format!("'{name}' is a function: call it, as in {name}(x)"))
        } else if let Some(&(_, def)) = later.get(name) {
            Diagnostic::new(span, format!("'{name}' is used before it is defined: move its definition above this line"))
                .with_label(def, "defined here")
        } else {
            Diagnostic::new(span, format!("unknown name '{name}'{}", self.suggest(name)))
        };
        self.errors.push(d);
        // A poisoned value: the operations it reaches add no messages of their own.
        self.poison(span)
    }

    fn suggest(&self, name: &str) -> String {
        // ASCII only: full Unicode case mapping would put its tables in the page.
        let lower = name.to_ascii_lowercase();
        if lower != name && (self.scope.contains_key(&lower) || lookup_constant(&lower).is_some()) {
            return format!(": did you mean '{lower}'?");
        }
        let mut known: Vec<&str> = self.scope.keys().map(String::as_str).collect();
        // Insertion sort: a few names, and the standard sort adds code to the page per type.
        for i in 1..known.len() {
            let mut k = i;
            while k > 0 && known[k - 1] > known[k] {
                known.swap(k - 1, k);
                k -= 1;
            }
        }
        if known.is_empty() {
            String::new()
        } else {
            let shown: Vec<&str> = known.into_iter().take(8).collect();
            format!(" (known here: {})", shown.join(", "))
        }
    }

    fn call(&mut self, name: &str, name_span: Span, span: Span, args: &[u32]) -> u32 {
        if let Some(k) = self.tensor_call(name, span, args) {
            return k;
        }
        let Some((op, arity)) = lookup_function(name) else {
            let msg = if self.scope.contains_key(name) {
                format!("'{name}' is a value, not a function")
            } else {
                let mut list: Vec<&str> = ops::functions().map(|op| op.spec().name).collect();
                list.extend(tensor::FUNCTIONS);
                format!("unknown function '{name}'; the functions are {}", list.join(" "))
            };
            self.errors.push(Diagnostic::new(name_span, msg));
            return self.constant(f64::NAN, span);
        };
        if args.len() != arity {
            let plural = if arity == 1 { "" } else { "s" };
            self.errors.push(Diagnostic::new(
                span,
                format!(
                    "{name} takes {arity} argument{plural}, but {} {} given",
                    args.len(),
                    if args.len() == 1 { "was" } else { "were" }
                ),
            ));
            return self.constant(f64::NAN, span);
        }
        if args.iter().any(|&a| a & TENSOR != 0) {
            // Entry by entry (two operands broadcast as the operators do).
            return if arity == 1 {
                self.map(args[0], |c, k| c.node(op, k, UNARY, span))
            } else {
                let names = ("the first argument".to_string(), "the second".to_string());
                self.broadcast_with(args[0], args[1], span, span, names, &|c, a, b| match op {
                    Op::Pow => c.power(a, b, span),
                    _ => c.node(op, a, b, span),
                })
            };
        }
        match op {
            Op::Pow => self.power(args[0], args[1], span),
            _ if arity == 1 => self.node(op, args[0], UNARY, span),
            _ => self.node(op, args[0], args[1], span),
        }
    }

    fn scalar_binary(&mut self, op: BinOp, a: u32, b: u32, span: Span) -> u32 {
        match op {
            BinOp::Add => self.node(Op::Add, a, b, span),
            BinOp::Sub => self.node(Op::Sub, a, b, span),
            BinOp::Mul => self.node(Op::Mul, a, b, span),
            BinOp::Div => self.node(Op::Div, a, b, span),
            BinOp::Pow => self.power(a, b, span),
            // Of two numbers: the product, as NumPy's `@` of two 1-vectors.
            BinOp::MatMul => {
                let d = Diagnostic::new(span, "@ multiplies vectors and matrices, but both sides are numbers: use *");
                self.errors.push(d);
                self.constant(f64::NAN, span)
            }
        }
    }

    /// `W @ x + b` with a constant `b`: each row's bias becomes its dense row's constant
    /// term (written-out rows keep theirs there too), so the add is not a node of its own
    /// and the sweeps carry no tangents through it. Only a row nothing else reads, whose
    /// constant is still 0, so the value is the same sum in the same order, `Wx + b`.
    fn fold_biases(&mut self) {
        let len = self.ops.len();
        // The args that are nodes (a dense row's are its block and row number).
        let node_args = |op: Op| if op == Op::Dense { 0 } else { op.arity() };
        let mut uses = vec![0u32; len];
        // A block reads its operands by their place, which an alias cannot redirect: a
        // sum a block reads stays, and so must the bias-free row it adds to.
        let mut block_reads = vec![false; len];
        for k in 0..len {
            for &a in &self.args[k][..node_args(self.ops[k])] {
                uses[a as usize] += 1;
            }
        }
        for block in &self.blocks {
            for j in block.operands() {
                uses[j] += 1;
                block_reads[j] = true;
            }
        }
        for &o in &self.outputs {
            uses[o as usize] += 2;
        }
        let mut alias: Vec<u32> = (0..len as u32).collect();
        for k in 0..len {
            for j in 0..node_args(self.ops[k]) {
                self.args[k][j] = alias[self.args[k][j] as usize];
            }
            let [a, b] = self.args[k].map(|v| v as usize);
            let foldable = |d: usize, c: usize, this: &Self| {
                this.ops[d] == Op::Dense
                    && this.blocks[this.args[d][0] as usize].kind == Kind::Linear
                    && uses[d] == 1
                    && this.consts[d] == 0.0
                    && this.ops[c] == Op::Const
                    && this.consts[c].is_finite()
            };
            if block_reads[k] {
                continue;
            }
            let (row, bias) = match self.ops[k] {
                Op::Add if foldable(a, b, self) => (a, self.consts[b]),
                Op::Add if foldable(b, a, self) => (b, self.consts[a]),
                Op::Sub if foldable(a, b, self) => (a, -self.consts[b]),
                _ => continue,
            };
            self.consts[row] = bias;
            alias[k] = row as u32;
            if self.names[row].is_none() {
                self.names[row] = self.names[k].take();
            }
        }
        for o in &mut self.outputs {
            *o = alias[*o as usize];
        }
    }

    /// Keeps inputs and the nodes outputs reach, renumbers them, and computes the pattern.
    fn finish(mut self) -> Tape {
        self.fold_biases();
        let len = self.ops.len();
        let n = self.inputs.len();
        let mut live = vec![false; len];
        for &o in &self.outputs {
            live[o as usize] = true;
        }
        let mut block_live = vec![false; self.blocks.len()];
        for k in (0..len).rev() {
            if !live[k] {
                continue;
            }
            let [a, b] = self.args[k];
            match self.ops[k] {
                // A block is kept whole: its rows stay one contiguous run.
                Op::Dense => {
                    block_live[a as usize] = true;
                    let block = &self.blocks[a as usize];
                    live[block.outputs()].fill(true);
                    live[block.operands()].fill(true);
                }
                op if op.arity() > 0 => {
                    live[a as usize] = true;
                    if op.arity() == 2 {
                        live[b as usize] = true;
                    }
                }
                _ => {}
            }
        }
        let operation = |op: Op| op.arity() > 0 || op == Op::Dense;
        // Inputs first, in signature order, then constants, then live operations in
        // recording order: still a topological order, and sweeps can skip the leaves.
        let mut order: Vec<usize> = (0..len).filter(|&k| self.ops[k] == Op::Input).collect();
        order.extend((0..len).filter(|&k| live[k] && self.ops[k] == Op::Const));
        let first_op = order.len();
        order.extend((0..len).filter(|&k| live[k] && operation(self.ops[k])));
        let mut new_index = vec![u32::MAX; len];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new as u32;
        }
        // Blocks keep their order; a dense row's args become [its block's new number, row].
        let mut block_index = vec![u32::MAX; self.blocks.len()];
        let mut blocks = Vec::new();
        for (old, block) in self.blocks.into_iter().enumerate() {
            if block_live[old] {
                block_index[old] = blocks.len() as u32;
                let renumbered = |r: std::ops::Range<usize>| {
                    let start = new_index[r.start];
                    // Runs of consecutive operations (or inputs) stay consecutive: only
                    // dead nodes and leaves move, and a block's run holds neither.
                    assert!(r.clone().enumerate().all(|(j, k)| new_index[k] == start + j as u32));
                    start
                };
                let (first, from) = (renumbered(block.outputs()), renumbered(block.operands()));
                blocks.push(Block { first, from, ..block });
            }
        }
        let ground = order.len() as u32;
        let mut tape = Tape {
            ops: Vec::with_capacity(order.len()),
            args: Vec::with_capacity(order.len()),
            consts: Vec::with_capacity(order.len()),
            spans: Vec::with_capacity(order.len()),
            names: Vec::with_capacity(order.len()),
            inputs: self.inputs,
            outputs: self.outputs.iter().map(|&o| new_index[o as usize]).collect(),
            output_names: self.output_names,
            input_shapes: self.input_shapes,
            variables: self.variables,
            output_shape: self.output_shape,
            pattern: Vec::new(),
            first_op,
            blocks,
            col_colouring: Colouring { colour: Vec::new(), count: 0 },
            row_colouring: Colouring { colour: Vec::new(), count: 0 },
        };
        for &old in &order {
            let op = self.ops[old];
            let [a, b] = self.args[old];
            let args = match op.arity() {
                _ if op == Op::Dense => [block_index[a as usize], b],
                0 => [if op == Op::Input { a } else { ground }, ground],
                1 => [new_index[a as usize], ground],
                _ => [new_index[a as usize], new_index[b as usize]],
            };
            tape.ops.push(op);
            tape.args.push(args);
            tape.consts.push(self.consts[old]);
            tape.spans.push(self.spans[old]);
            tape.names.push(self.names[old].clone());
        }
        tape.pattern = sparsity_pattern(&tape, n);
        (tape.col_colouring, tape.row_colouring) = colour(&tape.pattern, n);
        tape
    }
}

/// How an error names an operand: its name when it is one, else `fallback`.
fn operand_name(program: &Program, id: ExprId, fallback: &str) -> String {
    match &program.expr(id).kind {
        ExprKind::Name(n) => n.clone(),
        _ => fallback.to_string(),
    }
}

fn reserved(name: &str) -> Option<&'static str> {
    if lookup_constant(name).is_some() {
        Some("it is a built-in constant")
    } else if lookup_function(name).is_some() || tensor::FUNCTIONS.contains(&name) {
        Some("it is a built-in function")
    } else {
        None
    }
}

/// Which inputs each output can structurally depend on, as bitsets propagated up the tape.
fn sparsity_pattern(tape: &Tape, n: usize) -> Vec<Vec<u32>> {
    let words = n.div_ceil(64).max(1);
    let mut sets = vec![0u64; tape.len() * words];
    for k in 0..tape.len() {
        let [a, b] = tape.args[k];
        if tape.ops[k] == Op::Dense {
            // A row of most blocks reads every operand: the first row's set serves all.
            let block = &tape.blocks[a as usize];
            let first = block.first as usize;
            if matches!(block.kind, Kind::Gather | Kind::Product) {
                // Each row reads some of the operands (`Block::reads`).
                for j in block.reads(b as usize) {
                    for w in 0..words {
                        sets[k * words + w] |= sets[j * words + w];
                    }
                }
            } else if b == 0 {
                for j in block.operands() {
                    for w in 0..words {
                        sets[k * words + w] |= sets[j * words + w];
                    }
                }
            } else {
                sets.copy_within(first * words..first * words + words, k * words);
            }
            continue;
        }
        match tape.ops[k].arity() {
            0 => {
                if tape.ops[k] == Op::Input {
                    let j = a as usize;
                    sets[k * words + j / 64] |= 1 << (j % 64);
                }
            }
            arity => {
                for w in 0..words {
                    let mut s = sets[a as usize * words + w];
                    if arity == 2 {
                        s |= sets[b as usize * words + w];
                    }
                    sets[k * words + w] = s;
                }
            }
        }
    }
    // Each output's set read a word at a time, a set bit at a time.
    let row = |o: u32| {
        let mut cols = Vec::new();
        for (w, &word) in sets[o as usize * words..][..words].iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                cols.push((w * 64) as u32 + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
        cols
    };
    tape.outputs.iter().map(|&o| row(o)).collect()
}
