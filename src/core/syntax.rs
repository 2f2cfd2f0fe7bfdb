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
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
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
    /// Stands in for an expression that failed to parse; compile never sees it because a
    /// program with parse errors is not compiled.
    Error,
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
    pub params: Vec<(String, Span)>,
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
}

impl Program {
    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id as usize]
    }

    /// The expression with every operation parenthesised, so `-x^2` reads `(-(x ^ 2))`.
    pub fn explicit(&self, root: ExprId) -> String {
        self.print_as(
            root,
            &Dialect { call: &|f| f.to_string(), name: &|n| n.to_string(), pow: "^", number: &format_number },
        )
    }

    /// The expression fully parenthesised in another language's spelling (exports).
    /// Iterative post-order with an explicit stack: deep trees print without recursion.
    pub fn print_as(&self, root: ExprId, d: &Dialect) -> String {
        enum Work {
            Visit(ExprId),
            Text(&'static str),
            Owned(String),
        }
        let mut out = String::new();
        let mut stack = vec![Work::Visit(root)];
        while let Some(work) = stack.pop() {
            match work {
                Work::Text(t) => out.push_str(t),
                Work::Owned(t) => out.push_str(&t),
                Work::Visit(id) => match &self.expr(id).kind {
                    ExprKind::Num(v) => out.push_str(&(d.number)(*v)),
                    ExprKind::Name(n) => out.push_str(&(d.name)(n)),
                    ExprKind::Error => out.push('?'),
                    ExprKind::Neg(a) => {
                        out.push_str("(-");
                        stack.push(Work::Text(")"));
                        stack.push(Work::Visit(*a));
                    }
                    ExprKind::Binary(op, a, b) => {
                        out.push('(');
                        stack.push(Work::Text(")"));
                        stack.push(Work::Visit(*b));
                        let sym = if *op == BinOp::Pow { d.pow } else { op.symbol() };
                        stack.push(Work::Owned(format!(" {sym} ")));
                        stack.push(Work::Visit(*a));
                    }
                    ExprKind::Call { name, args, .. } => {
                        out.push_str(&(d.call)(name));
                        out.push('(');
                        stack.push(Work::Text(")"));
                        for (k, arg) in args.iter().enumerate().rev() {
                            stack.push(Work::Visit(*arg));
                            if k > 0 {
                                stack.push(Work::Text(", "));
                            }
                        }
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
