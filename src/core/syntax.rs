//! The syntax tree, stored flat: every expression lives in one arena and refers to its
//! children by index. Children are pushed before their parent, so a forward loop over the
//! arena visits operands first, and no pass over the tree needs recursion (a 1 MB chain
//! `x+x+…` is a tree of depth 500 000).

use super::span::Span;

pub type ExprId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    /// `@`: matrix–matrix, matrix–vector and vector–vector products.
    MatMul,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
            BinOp::MatMul => "@",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Num(f64),
    Name(String),
    Neg(ExprId),
    Binary(BinOp, ExprId, ExprId),
    Call {
        name: String,
        name_span: Span,
        args: Vec<ExprId>,
    },
    /// A vector or matrix written out: `[1, 2, 3]`, `[[1, 2], [3, 4]]`.
    List(Vec<ExprId>),
    /// `x[2]`, `W[i, j]`, `x[1:3]`: one item per axis.
    Index {
        base: ExprId,
        items: Vec<IndexItem>,
    },
    /// Stands in for an expression that failed to parse; compile never sees it because a
    /// program with parse errors is not compiled.
    Error,
}

/// One axis of an index: an entry, or a slice `a:b` or `a:b:step` (any of the three may
/// be left out, as in Python).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IndexItem {
    At(ExprId),
    Slice(Option<ExprId>, Option<ExprId>, Option<ExprId>),
}

impl IndexItem {
    /// The expressions it holds.
    pub fn exprs(self) -> impl Iterator<Item = ExprId> {
        let (a, b, c) = match self {
            IndexItem::At(a) => (Some(a), None, None),
            IndexItem::Slice(a, b, c) => (a, b, c),
        };
        a.into_iter().chain(b).chain(c)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub name: String,
    pub name_span: Span,
    pub expr: ExprId,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Signature {
    pub name: String,
    pub name_span: Span,
    /// The names it lists: inputs, and parameters (the names given a value, `a = 1`,
    /// after a `;` or in Python's keyword-argument style).
    pub params: Vec<(String, Span)>,
    /// Each name's shape: `[]` for a number, `[n]` for `x[n]`, `[r, c]` for `W[r, c]`.
    pub shapes: Vec<Vec<usize>>,
    /// Each name's default value: `None` for an input, `Some` for a parameter.
    pub defaults: Vec<Option<ExprId>>,
    pub outputs: Vec<ExprId>,
    /// `f(x) = [e]` (m = 1, written as a vector) versus `f(x) = e`.
    pub bracketed: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Binding(Binding),
    Signature(Signature),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    pub exprs: Vec<Expr>,
    pub stmts: Vec<Stmt>,
    /// Each binary expression's operator token, in the order of their ids (errors about
    /// an operation point at its operator).
    pub operators: Vec<(ExprId, Span)>,
}

impl Program {
    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id as usize]
    }

    /// Whether the program has vector or matrix values anywhere (inputs, lists, indexing,
    /// `@` or a tensor function).
    pub fn uses_tensors(&self) -> bool {
        let shaped =
            self.stmts.iter().any(|s| matches!(s, Stmt::Signature(sig) if sig.shapes.iter().any(|d| !d.is_empty())));
        shaped
            || self.exprs.iter().any(|e| match &e.kind {
                ExprKind::List(_) | ExprKind::Index { .. } | ExprKind::Binary(BinOp::MatMul, ..) => true,
                ExprKind::Call { name, args, .. } => {
                    super::tensor::FUNCTIONS.contains(&name.as_str())
                        || (matches!(name.as_str(), "max" | "min") && args.len() == 1)
                }
                _ => false,
            })
    }

    /// Where a binary expression's operator is (the whole expression for any other).
    pub fn operator_span(&self, id: ExprId) -> Span {
        match self.operators.binary_search_by_key(&id, |&(e, _)| e) {
            Ok(k) => self.operators[k].1,
            Err(_) => self.expr(id).span,
        }
    }

    /// The expression with every operation parenthesised, so `-x^2` reads `(-(x ^ 2))`.
    pub fn explicit(&self, root: ExprId) -> String {
        self.print_as(
            root,
            &Dialect {
                call: &|f| f.to_string(),
                name: &|n| n.to_string(),
                pow: "^",
                number: &format_number,
                list: ("[", "]"),
                chains: false,
            },
        )
    }

    /// The expression parenthesised in another language's spelling (exports): every
    /// operation, except, with `Dialect::chains`, the left operand of a left-associative
    /// chain (`a + b - c`, `a * b / c`). Iterative post-order with an explicit stack: deep
    /// trees print without recursion.
    pub fn print_as(&self, root: ExprId, d: &Dialect) -> String {
        enum Work {
            Visit(ExprId),
            /// An operand printed without its own parentheses.
            Bare(ExprId),
            Text(&'static str),
            Owned(String),
        }
        // Pushes comma-separated parts so that they are printed in order.
        fn push_list(stack: &mut Vec<Work>, parts: Vec<Vec<Work>>) {
            for (k, part) in parts.into_iter().enumerate().rev() {
                stack.extend(part.into_iter().rev());
                if k > 0 {
                    stack.push(Work::Text(", "));
                }
            }
        }
        let mut out = String::new();
        let mut stack = vec![Work::Visit(root)];
        while let Some(work) = stack.pop() {
            match work {
                Work::Text(t) => out.push_str(t),
                Work::Owned(t) => out.push_str(&t),
                Work::Visit(id) | Work::Bare(id) => match &self.expr(id).kind {
                    ExprKind::Num(v) => out.push_str(&(d.number)(*v)),
                    ExprKind::Name(n) => out.push_str(&(d.name)(n)),
                    ExprKind::Error => out.push('?'),
                    ExprKind::Neg(a) => {
                        out.push_str("(-");
                        stack.push(Work::Text(")"));
                        stack.push(Work::Visit(*a));
                    }
                    ExprKind::Binary(op, a, b) => {
                        if matches!(work, Work::Visit(_)) {
                            out.push('(');
                            stack.push(Work::Text(")"));
                        }
                        stack.push(Work::Visit(*b));
                        let sym = if *op == BinOp::Pow { d.pow } else { op.symbol() };
                        stack.push(Work::Owned(format!(" {sym} ")));
                        // A sum of 256 terms would otherwise open 256 parentheses, past
                        // the 200 levels Python's parser takes.
                        let class = |o: &BinOp| match o {
                            BinOp::Add | BinOp::Sub => 1,
                            BinOp::Mul | BinOp::Div => 2,
                            _ => 0,
                        };
                        let chained = matches!(&self.expr(*a).kind, ExprKind::Binary(o, ..) if class(o) == class(op) && class(op) > 0);
                        stack.push(if chained && d.chains { Work::Bare(*a) } else { Work::Visit(*a) });
                    }
                    ExprKind::Call { name, args, .. } => {
                        out.push_str(&(d.call)(name));
                        out.push('(');
                        stack.push(Work::Text(")"));
                        push_list(&mut stack, args.iter().map(|&a| vec![Work::Visit(a)]).collect());
                    }
                    ExprKind::List(items) => {
                        out.push_str(d.list.0);
                        stack.push(Work::Text(d.list.1));
                        push_list(&mut stack, items.iter().map(|&a| vec![Work::Visit(a)]).collect());
                    }
                    ExprKind::Index { base, items } => {
                        stack.push(Work::Text("]"));
                        let parts = items
                            .iter()
                            .map(|item| match *item {
                                IndexItem::At(a) => vec![Work::Visit(a)],
                                IndexItem::Slice(a, b, c) => {
                                    let mut v: Vec<Work> = a.map(Work::Visit).into_iter().collect();
                                    v.push(Work::Text(":"));
                                    v.extend(b.map(Work::Visit));
                                    if let Some(c) = c {
                                        v.push(Work::Text(":"));
                                        v.push(Work::Visit(c));
                                    }
                                    v
                                }
                            })
                            .collect();
                        push_list(&mut stack, parts);
                        stack.push(Work::Text("["));
                        stack.push(Work::Visit(*base));
                    }
                },
            }
        }
        out
    }
}

/// How another language spells calls, names, powers and numbers.
pub struct Dialect<'a> {
    pub call: &'a dyn Fn(&str) -> String,
    pub name: &'a dyn Fn(&str) -> String,
    pub pow: &'static str,
    pub number: &'a dyn Fn(f64) -> String,
    /// How a written-out vector or matrix opens (`[`, or a call that makes a tensor).
    pub list: (&'static str, &'static str),
    /// Whether a left-associative chain's left operands go without parentheses.
    pub chains: bool,
}

/// Shortest text that reads back as the same float64.
pub fn format_number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v}")
    } else if (1e-5..1e16).contains(&v.abs()) {
        // Display and LowerExp print the shortest text that reads back exactly, as Debug
        // does; not Debug itself, which the size-optimised wasm build compiles out.
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}
