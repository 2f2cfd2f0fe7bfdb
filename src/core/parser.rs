//! Binding-power (Pratt) parser. Returns the program and every error found, each with a
//! span. Recursion depth is bounded: nesting deeper than `MAX_DEPTH` is an error at the
//! offending token, never a stack overflow.

use super::lexer::{lex, Tok, Token};
use super::span::{Diagnostic, Span};
use super::syntax::{BinOp, Binding, Expr, ExprId, ExprKind, IndexItem, Program, Signature, Stmt};

pub const MAX_DEPTH: usize = 256;

/// The most entries one vector or matrix input may have (each is a column of J).
pub const MAX_INPUT_ENTRIES: usize = 10_000;

/// The longest source read, in bytes (128 KiB: a 64-wide two-layer network written out
/// weight by weight fits). Beyond it nothing is read: compiling a 1 MB program and
/// drawing every view of its ~500 000-operation tape would hold a page for seconds.
pub const MAX_SOURCE: usize = 128 * 1024;

pub fn parse(src: &str) -> (Program, Vec<Diagnostic>) {
    if src.len() > MAX_SOURCE {
        let at = super::span::clamp_to_boundary(src, MAX_SOURCE);
        let end = src[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        let message = format!(
            "the program is {} bytes long; the playground reads programs up to {MAX_SOURCE} bytes (128 KiB), \
             so nothing was compiled: this is where the limit falls",
            src.len()
        );
        return (Program::default(), vec![Diagnostic::new(Span::new(at, end), message)]);
    }
    let (tokens, errors) = lex(src);
    let mut p = Parser {
        tokens,
        pos: 0,
        program: Program::default(),
        errors,
        depth: 0,
        brackets: 0,
        too_deep: false,
        def: None,
        paren: None,
    };
    p.program_();
    let mut errors = p.errors;
    super::span::sort_by_position(&mut errors);
    (p.program, errors)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    program: Program,
    errors: Vec<Diagnostic>,
    depth: usize,
    /// Open ( and [ inside the current statement: newlines inside them are just spaces.
    brackets: usize,
    too_deep: bool,
    /// A Python `def f(x, y):` header waiting for its `return` line.
    def: Option<DefHeader>,
    /// The last parenthesised expression and its span with the parentheses, where a method
    /// or an index after it starts: `(W @ x).tanh()` is written from its '('.
    paren: Option<(ExprId, Span)>,
}

/// A `def` header's name, its span, and its parameters with their spans and shapes.
type DefHeader = (String, Span, Params);

/// The signature's names with their spans, their shapes, and each parameter's default.
type Params = (Vec<(String, Span)>, Vec<Vec<usize>>, Vec<Option<ExprId>>);

/// A statement failed; the parser skips to the next line and carries on.
struct Bail;

type PResult<T> = Result<T, Bail>;

/// Names of Python modules whose functions are this language's own: `torch.tanh(x)` is
/// tanh(x), `torch.nn.functional.relu(x)` relu(x), `np.linalg.norm(x)` norm(x).
const MODULES: [&str; 10] = ["torch", "np", "numpy", "jnp", "jax", "math", "nn", "functional", "F", "linalg"];

/// PyTorch's and NumPy's functions that join a sequence of values, `torch.cat([x, y])`.
const JOINERS: [&str; 6] = ["cat", "concatenate", "stack", "hstack", "vstack", "column_stack"];

/// The names whose `dim=` picks a joiner (`Parser::call`): rows, or side by side.
const JOINED_BY_DIM: [&str; 4] = ["cat", "concatenate", "concat", "stack"];

/// The functions that reduce along an axis (`dim=`, and `keepdim=`).
const REDUCTIONS: [&str; 8] = ["sum", "mean", "logsumexp", "max", "min", "amax", "amin", "norm"];

/// How a call reads a named argument (`Parser::keyword`).
enum Named {
    Positional,
    Axis,
    Ignored,
    Joined,
    KeepDim,
}

/// PyTorch's and NumPy's ways of making a tensor from a value written out.
const TENSOR_MAKERS: [&str; 4] = ["tensor", "as_tensor", "array", "asarray"];

fn infix_power(tok: &Tok) -> Option<(u8, u8, BinOp)> {
    Some(match tok {
        Tok::Plus => (1, 2, BinOp::Add),
        Tok::Minus => (1, 2, BinOp::Sub),
        Tok::Star => (3, 4, BinOp::Mul),
        Tok::Slash => (3, 4, BinOp::Div),
        // As in Python: `@` binds as `*` does.
        Tok::At => (3, 4, BinOp::MatMul),
        // Right-associative, and tighter than unary minus: -x^2 = -(x^2), 2^-1 = 0.5.
        Tok::Caret => (8, 7, BinOp::Pow),
        _ => return None,
    })
}

const PREFIX_MINUS_POWER: u8 = 5;

impl Parser {
    fn peek(&mut self) -> &Token {
        if self.brackets > 0 {
            while self.tokens[self.pos].tok == Tok::Newline {
                self.pos += 1;
            }
        }
        &self.tokens[self.pos]
    }

    fn bump(&mut self) -> Token {
        self.peek();
        let t = self.tokens[self.pos].clone();
        if t.tok != Tok::Eof {
            self.pos += 1;
        }
        t
    }

    fn error(&mut self, span: Span, msg: impl Into<String>) -> Bail {
        self.errors.push(Diagnostic::new(span, msg));
        Bail
    }

    fn expect(&mut self, want: Tok, context: &str) -> PResult<Token> {
        let t = self.peek().clone();
        if t.tok == want {
            Ok(self.bump())
        } else {
            Err(self.unexpected(&t, &format!("expected {} {context}", want.describe())))
        }
    }

    fn unexpected(&mut self, t: &Token, msg: &str) -> Bail {
        let found = t.tok.describe();
        self.error(t.span, format!("{msg}, found {found}"))
    }

    fn push(&mut self, kind: ExprKind, span: Span) -> ExprId {
        self.program.exprs.push(Expr { kind, span });
        (self.program.exprs.len() - 1) as ExprId
    }

    fn program_(&mut self) {
        let mut signature: Option<Span> = None;
        loop {
            self.brackets = 0;
            match self.peek().tok {
                Tok::Eof => break,
                Tok::Newline => {
                    self.bump();
                    continue;
                }
                _ => {}
            }
            match self.statement() {
                Ok(None) => {}
                Ok(Some(Stmt::Signature(sig))) => {
                    if let Some(first) = signature {
                        let d = Diagnostic::new(sig.span, "a second signature line: a program defines one function")
                            .with_label(first, "the first signature is here");
                        self.errors.push(d);
                    } else {
                        signature = Some(sig.span);
                    }
                    self.program.stmts.push(Stmt::Signature(sig));
                }
                Ok(Some(stmt)) => self.program.stmts.push(stmt),
                Err(Bail) => {
                    if self.too_deep {
                        return;
                    }
                    self.skip_line();
                    continue;
                }
            }
            self.brackets = 0;
            let t = self.peek().clone();
            if !matches!(t.tok, Tok::Newline | Tok::Eof) {
                let _ = self.unexpected(&t, "expected the end of the line");
                self.skip_line();
            }
        }
        if signature.is_none() && self.errors.is_empty() {
            let end = self.tokens.last().map_or(Span::default(), |t| t.span);
            if let Some((name, span, _)) = self.def.take() {
                self.errors.push(Diagnostic::new(
                    span,
                    format!("def {name} has no return line: end it with return (…), the outputs"),
                ));
                return;
            }
            let msg = if self.program.stmts.is_empty() {
                "the program is empty: write a signature line such as f(x, y) = [x*y, x+y]"
            } else {
                "missing the signature line, such as f(x, y) = [x*y, x+y], after the bindings"
            };
            self.errors.push(Diagnostic::new(end, msg));
        }
    }

    fn skip_line(&mut self) {
        self.brackets = 0;
        while !matches!(self.tokens[self.pos].tok, Tok::Newline | Tok::Eof) {
            self.pos += 1;
        }
    }

    /// The token `k` places ahead, newlines included (statements start outside brackets).
    fn ahead(&self, k: usize) -> &Tok {
        &self.tokens[(self.pos + k).min(self.tokens.len() - 1)].tok
    }

    /// `name = expr`, `name(params) = outputs`, or the Python forms `def name(params):`
    /// (then bindings, then `return outputs`), `lambda params: outputs` and
    /// `name = lambda params: outputs`. Two names in a row are never anything else, so the
    /// Python keywords stay usable as names.
    fn statement(&mut self) -> PResult<Option<Stmt>> {
        let t = self.peek().clone();
        let Tok::Ident(name) = t.tok.clone() else {
            return Err(self.unexpected(&t, "expected a binding `name = …` or the signature `f(x, y) = […]`"));
        };
        let lambda_after = |p: &Self, k: usize| {
            matches!(p.ahead(k), Tok::Ident(w) if w == "lambda") && matches!(p.ahead(k + 1), Tok::Ident(_) | Tok::Colon)
        };
        match name.as_str() {
            "def" if matches!(self.ahead(1), Tok::Ident(_)) => return self.def_header(),
            "return" if !matches!(self.ahead(1), Tok::Eq | Tok::LParen) || self.def.is_some() => {
                return self.return_(t.span).map(Some)
            }
            _ if lambda_after(self, 0) => return self.lambda("f".into(), t.span).map(Some),
            _ => {}
        }
        self.bump();
        match self.peek().tok.clone() {
            Tok::Eq if lambda_after(self, 1) => {
                self.bump();
                self.lambda(name, t.span).map(Some)
            }
            Tok::Eq => {
                self.bump();
                let expr = self.expr(0)?;
                Ok(Some(Stmt::Binding(Binding { name, name_span: t.span, expr })))
            }
            Tok::LParen => self.signature(name, t.span).map(Some),
            _ => {
                let n = self.peek().clone();
                Err(self.unexpected(&n, &format!("expected '=' or '(' after '{name}'")))
            }
        }
    }

    /// The input names, each with its shape (`x`, `x[4]`, `img[8, 8]`), then the
    /// parameters, each with its default (`a = 1`, `W[3, 4] = randn(3, 4, 1)`), up to
    /// `close` (`)` or, for a lambda, `:`), which is consumed. A `;` ends the inputs (every
    /// name after it is a parameter); a name given a value before it is a parameter too,
    /// as in Python's `def f(x, a=1):`.
    fn params(&mut self, close: Tok) -> PResult<Params> {
        let (mut params, mut shapes, mut defaults) = (Vec::new(), Vec::new(), Vec::new());
        let mut after_semi = false;
        if self.peek().tok != close {
            loop {
                let t = self.peek().clone();
                match t.tok {
                    Tok::Ident(p) => {
                        self.bump();
                        shapes.push(self.shape(&p)?);
                        defaults.push(if self.peek().tok == Tok::Eq {
                            self.bump();
                            Some(self.expr(0)?)
                        } else if after_semi {
                            return Err(self.error(t.span, format!("parameter {p} needs a value, as in {p} = 1")));
                        } else {
                            None
                        });
                        params.push((p, t.span));
                    }
                    _ => return Err(self.unexpected(&t, "expected an input name")),
                }
                match self.peek().tok {
                    Tok::Comma => {}
                    Tok::Semi if !after_semi => after_semi = true,
                    _ => break,
                }
                self.bump();
            }
        }
        let end = self.expect(close, "to close the input list")?.span;
        if defaults.iter().all(Option::is_some) {
            return Err(self.error(end, "the function needs at least one input, as in f(x) = … or f(x; a = 1) = …"));
        }
        Ok((params, shapes, defaults))
    }

    /// An input's shape after its name: nothing (a number), `[n]` or `[rows, cols]`.
    fn shape(&mut self, name: &str) -> PResult<Vec<usize>> {
        if self.peek().tok != Tok::LBracket {
            return Ok(Vec::new());
        }
        let open = self.bump();
        let mut dims = Vec::new();
        loop {
            let t = self.bump();
            match t.tok {
                Tok::Num(v) if v >= 1.0 && v.fract() == 0.0 && v <= MAX_INPUT_ENTRIES as f64 && dims.len() < 2 => {
                    dims.push(v as usize)
                }
                Tok::Num(_) if dims.len() == 2 => {
                    return Err(self.error(t.span, format!("{name} has more than two axes: inputs are numbers, vectors or matrices")))
                }
                _ => {
                    return Err(self.error(
                        t.span,
                        format!("expected a size, a whole number from 1 to {MAX_INPUT_ENTRIES}, as in {name}[4] or {name}[8, 8]"),
                    ))
                }
            }
            match self.bump() {
                Token { tok: Tok::Comma, .. } => continue,
                Token { tok: Tok::RBracket, span } => {
                    if dims.iter().product::<usize>() > MAX_INPUT_ENTRIES {
                        return Err(self.error(
                            open.span.to(span),
                            format!(
                                "{name} would have {} entries; an input has at most {MAX_INPUT_ENTRIES}",
                                dims.iter().product::<usize>()
                            ),
                        ));
                    }
                    return Ok(dims);
                }
                t => return Err(self.unexpected(&t, &format!("expected ',' or ']' in {name}'s shape"))),
            }
        }
    }

    fn signature(&mut self, name: String, name_span: Span) -> PResult<Stmt> {
        self.bump();
        self.brackets += 1;
        let params = self.params(Tok::RParen)?;
        self.brackets -= 1;
        self.expect(Tok::Eq, "after the input list")?;
        self.finish(name, name_span, params)
    }

    /// The signature, once its outputs are read.
    fn finish(&mut self, name: String, name_span: Span, (params, shapes, defaults): Params) -> PResult<Stmt> {
        let (outputs, bracketed, end) = self.outputs()?;
        let span = name_span.to(end);
        Ok(Stmt::Signature(Signature { name, name_span, params, shapes, defaults, outputs, bracketed, span }))
    }

    /// `def name(params):`, then `return …` on the same line or after the body's bindings.
    fn def_header(&mut self) -> PResult<Option<Stmt>> {
        self.bump();
        let t = self.bump();
        let Tok::Ident(name) = t.tok else { return Err(self.unexpected(&t, "expected the function's name")) };
        self.expect(Tok::LParen, "after the function's name")?;
        self.brackets += 1;
        let params = self.params(Tok::RParen)?;
        self.brackets -= 1;
        self.expect(Tok::Colon, "to end the def line")?;
        self.def = Some((name, t.span, params));
        match self.peek().tok.clone() {
            Tok::Ident(w) if w == "return" => {
                let at = self.peek().span;
                self.return_(at).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn return_(&mut self, at: Span) -> PResult<Stmt> {
        self.bump();
        let Some((name, name_span, params)) = self.def.take() else {
            return Err(self.error(at, "'return' outside a def: start with a line such as def f(x, y):"));
        };
        self.finish(name, name_span, params)
    }

    /// `lambda params: outputs`, the `lambda` next.
    fn lambda(&mut self, name: String, name_span: Span) -> PResult<Stmt> {
        self.bump();
        let params = self.params(Tok::Colon)?;
        self.finish(name, name_span, params)
    }

    /// The outputs: `[a, b]`, a tuple `(a, b)` that ends the line, `a, b`, or one
    /// expression. Whether the list was written as a vector, and where it ends.
    fn outputs(&mut self) -> PResult<(Vec<ExprId>, bool, Span)> {
        let open = self.peek().tok.clone();
        if open == Tok::LParen {
            // A tuple or a parenthesised expression (`(x + 1)*y`): tried as a tuple, and
            // read again from the '(' if it is not one.
            let saved = (self.pos, self.program.exprs.len(), self.errors.len(), self.brackets);
            let Some((outs, trailing, end)) = self.list(Tok::RParen) else { return Err(Bail) };
            if (outs.len() > 1 || trailing) && matches!(self.peek().tok, Tok::Newline | Tok::Eof) {
                return Ok((outs, true, end));
            }
            (self.pos, self.brackets) = (saved.0, saved.3);
            self.program.exprs.truncate(saved.1);
            self.program.operators.retain(|&(e, _)| (e as usize) < saved.1);
            self.errors.truncate(saved.2);
        }
        if open == Tok::LBracket {
            // The output list `[a, b]`, or an expression that starts with a vector or
            // matrix written out (`[[1, 2], [3, 4]] @ x`), read again from the '['.
            let saved = (self.pos, self.program.exprs.len(), self.errors.len(), self.brackets);
            let Some((outs, _, end)) = self.list(Tok::RBracket) else { return Err(Bail) };
            if matches!(self.peek().tok, Tok::Newline | Tok::Eof) {
                return Ok((outs, true, end));
            }
            (self.pos, self.brackets) = (saved.0, saved.3);
            self.program.exprs.truncate(saved.1);
            self.program.operators.retain(|&(e, _)| (e as usize) < saved.1);
            self.errors.truncate(saved.2);
        }
        let mut outputs = vec![self.expr(0)?];
        while self.peek().tok == Tok::Comma {
            self.bump();
            outputs.push(self.expr(0)?);
        }
        let end = self.program.expr(outputs[outputs.len() - 1]).span;
        let several = outputs.len() > 1;
        Ok((outputs, several, end))
    }

    /// A comma-separated list from the opening bracket to `close`: its entries, whether a
    /// comma trails, and the closing span. None once an error is recorded.
    fn list(&mut self, close: Tok) -> Option<(Vec<ExprId>, bool, Span)> {
        let open = self.bump();
        self.brackets += 1;
        let mut outputs = Vec::new();
        let mut trailing = false;
        loop {
            if self.peek().tok == close && !outputs.is_empty() {
                trailing = true;
                break;
            }
            outputs.push(self.expr(0).ok()?);
            if self.peek().tok == Tok::Comma {
                self.bump();
            } else {
                break;
            }
        }
        let found = self.peek().clone();
        if found.tok != close {
            let d = if close == Tok::RBracket {
                Diagnostic::new(found.span, format!("expected ']' to close the list, found {}", found.tok.describe()))
            } else {
                Diagnostic::new(found.span, format!("expected ')' to close the '(', found {}", found.tok.describe()))
                    .with_label(open.span, "the '(' is here")
            };
            self.errors.push(d);
            return None;
        }
        let end = self.bump().span;
        self.brackets -= 1;
        Some((outputs, trailing, end))
    }

    fn expr(&mut self, min_power: u8) -> PResult<ExprId> {
        self.depth += 1;
        let result = if self.depth > MAX_DEPTH {
            let t = self.peek().clone();
            self.too_deep = true;
            Err(self
                .error(t.span, format!("expression nested more than {MAX_DEPTH} levels deep: split it into bindings")))
        } else {
            self.expr_inner(min_power)
        };
        self.depth -= 1;
        result
    }

    fn expr_inner(&mut self, min_power: u8) -> PResult<ExprId> {
        let mut lhs = self.atom()?;
        loop {
            lhs = match self.peek().tok {
                Tok::LBracket => self.index(lhs)?,
                Tok::Dot => self.member(lhs)?,
                _ => break,
            };
        }
        loop {
            let t = self.peek().clone();
            let Some((lp, rp, op)) = infix_power(&t.tok) else { break };
            if lp < min_power {
                break;
            }
            self.bump();
            let rhs = self.expr(rp)?;
            let span = self.program.expr(lhs).span.to(self.program.expr(rhs).span);
            lhs = self.push(ExprKind::Binary(op, lhs, rhs), span);
            self.program.operators.push((lhs, t.span));
        }
        Ok(lhs)
    }

    fn atom(&mut self) -> PResult<ExprId> {
        let t = self.bump();
        match t.tok {
            Tok::Num(v) => Ok(self.push(ExprKind::Num(v), t.span)),
            Tok::Minus => {
                let a = self.expr(PREFIX_MINUS_POWER)?;
                let span = t.span.to(self.program.expr(a).span);
                Ok(self.push(ExprKind::Neg(a), span))
            }
            Tok::Plus => self.expr(PREFIX_MINUS_POWER),
            // √x is sqrt(x), binding as a unary minus does: √x^2 = √(x^2).
            Tok::Root => {
                let a = self.expr(PREFIX_MINUS_POWER)?;
                let span = t.span.to(self.program.expr(a).span);
                Ok(self.push(ExprKind::Call { name: "sqrt".into(), name_span: t.span, args: vec![a] }, span))
            }
            Tok::LParen => {
                self.brackets += 1;
                let inner = self.expr(0)?;
                // A Python tuple, `torch.cat((x, y))`, is a vector or matrix written out.
                let mut items = vec![inner];
                let mut tuple = false;
                while self.peek().tok == Tok::Comma {
                    self.bump();
                    tuple = true;
                    if self.peek().tok == Tok::RParen {
                        break;
                    }
                    items.push(self.expr(0)?);
                }
                let close = self.peek().clone();
                if close.tok != Tok::RParen {
                    let d = Diagnostic::new(
                        close.span,
                        format!("expected ')' to close the '(', found {}", close.tok.describe()),
                    )
                    .with_label(t.span, "the '(' is here");
                    self.errors.push(d);
                    return Err(Bail);
                }
                self.bump();
                self.brackets -= 1;
                if tuple {
                    return Ok(self.push(ExprKind::List(items), t.span.to(close.span)));
                }
                self.paren = Some((inner, t.span.to(close.span)));
                Ok(inner)
            }
            Tok::Ident(name) => {
                if self.peek().tok == Tok::LParen {
                    self.call(name, t.span, None, false)
                } else {
                    Ok(self.push(ExprKind::Name(name), t.span))
                }
            }
            Tok::RParen | Tok::RBracket => {
                Err(self.error(t.span, format!("unbalanced {}: nothing to close", t.tok.describe())))
            }
            Tok::LBracket => {
                // A vector or matrix written out: the list again, from its '['.
                self.pos -= 1;
                let Some((items, _, end)) = self.list(Tok::RBracket) else { return Err(Bail) };
                Ok(self.push(ExprKind::List(items), t.span.to(end)))
            }
            Tok::Eof | Tok::Newline => Err(self.unexpected(&t, "expected an expression")),
            _ => Err(self.unexpected(&t, "expected an expression")),
        }
    }

    /// `base[…]`: an entry or a slice per axis, `x[2]`, `W[i, j]`, `x[1:3]`, `W[:, 0]`,
    /// `x[::2]`.
    fn index(&mut self, base: ExprId) -> PResult<ExprId> {
        let open = self.bump();
        self.brackets += 1;
        let mut items = Vec::new();
        loop {
            let start = if self.peek().tok == Tok::Colon { None } else { Some(self.expr(0)?) };
            let item = match start {
                Some(at) if self.peek().tok != Tok::Colon => IndexItem::At(at),
                start => {
                    self.bump();
                    let ends = |t: &Tok| matches!(t, Tok::Comma | Tok::RBracket | Tok::Colon);
                    let end = if ends(&self.peek().tok) { None } else { Some(self.expr(0)?) };
                    let mut step = None;
                    if self.peek().tok == Tok::Colon {
                        self.bump();
                        if !ends(&self.peek().tok) {
                            step = Some(self.expr(0)?);
                        }
                    }
                    IndexItem::Slice(start, end, step)
                }
            };
            items.push(item);
            if self.peek().tok == Tok::Comma {
                self.bump();
            } else {
                break;
            }
        }
        let close = self.close(open.span, Tok::RBracket, "the index")?;
        let span = self.start(base).to(close);
        Ok(self.push(ExprKind::Index { base, items }, span))
    }

    /// `.name` after a value, NumPy's and PyTorch's spellings read as this language's: a
    /// module's name is dropped (`torch.tanh(x)`, `np.pi`, `F.relu(x)`), `W.T` and `W.t()`
    /// are transpose(W), and a method is its function with the value first (`x.sum()` is
    /// sum(x), `x.reshape(2, 2)` is reshape(x, 2, 2)).
    fn member(&mut self, base: ExprId) -> PResult<ExprId> {
        self.bump();
        let t = self.bump();
        let Tok::Ident(name) = t.tok else {
            return Err(self.unexpected(&t, "expected a name after '.', as in W.T or x.sum()"));
        };
        let called = self.peek().tok == Tok::LParen;
        let module = matches!(&self.program.expr(base).kind, ExprKind::Name(m) if MODULES.contains(&m.as_str()));
        if module && name != "T" {
            return if called {
                self.call(name, t.span, None, true)
            } else {
                Ok(self.push(ExprKind::Name(name), t.span))
            };
        }
        if name == "T" && !called {
            let span = self.start(base).to(t.span);
            return Ok(
                self.push(ExprKind::Call { name: "transpose".into(), name_span: t.span, args: vec![base] }, span)
            );
        }
        if !called {
            return Err(self.error(
                t.span,
                format!("a '.' after a value is followed by T or a call, as in W.T or x.sum(), not '{name}'"),
            ));
        }
        self.call(if name == "t" { "transpose".into() } else { name }, t.span, Some(base), true)
    }

    /// Where `e`, followed by a method or an index, starts: at its '(' if it was written in
    /// parentheses.
    fn start(&self, e: ExprId) -> Span {
        match self.paren {
            Some((p, span)) if p == e => span,
            _ => self.program.expr(e).span,
        }
    }

    /// A call from its '(' on; a method's value (`first`) is its first argument.
    /// `framework`: written as a method or after a module prefix (`x.max(1)`,
    /// `torch.max(x, 1)`), so PyTorch's or NumPy's meaning where it differs from the
    /// language's own.
    fn call(&mut self, name: String, name_span: Span, first: Option<ExprId>, framework: bool) -> PResult<ExprId> {
        let open = self.bump();
        self.brackets += 1;
        let mut args: Vec<ExprId> = first.into_iter().collect();
        let mut axis = false;
        // A joiner's `dim=` (read here, since it picks the function) and `keepdim=True`.
        let mut joined: Option<(i64, Span)> = None;
        let mut keepdim: Option<Span> = None;
        if self.peek().tok != Tok::RParen {
            loop {
                let mut named = Named::Positional;
                if let (Tok::Ident(key), Tok::Eq) = (self.ahead(0).clone(), self.ahead(1)) {
                    named = self.keyword(key, &name)?;
                }
                let arg = self.expr(0)?;
                let at = self.program.expr(arg).span;
                match named {
                    Named::Positional => args.push(arg),
                    Named::Axis => {
                        axis = true;
                        args.push(arg);
                    }
                    Named::Ignored => {}
                    Named::Joined => {
                        let Some(d) = self.whole_literal(arg) else {
                            return Err(
                                self.error(at, format!("{name}'s dim= is a whole number written out, 0 or 1 (or -1)"))
                            );
                        };
                        joined = Some((d, at));
                    }
                    Named::KeepDim => match &self.program.expr(arg).kind {
                        ExprKind::Name(b) if b == "True" => keepdim = Some(at),
                        ExprKind::Name(b) if b == "False" => {}
                        ExprKind::Num(v) if *v == 1.0 => keepdim = Some(at),
                        ExprKind::Num(v) if *v == 0.0 => {}
                        _ => return Err(self.error(at, "keepdim= is True or False")),
                    },
                }
                if self.peek().tok == Tok::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        let close = self.close(open.span, Tok::RParen, &format!("the call to {name}"))?;
        let span = first.map_or(name_span, |v| self.start(v)).to(close);
        // PyTorch's and NumPy's `x.max(1)` and `torch.max(x, 1)` reduce along axis 1 (with
        // a value in place of the 1, PyTorch's is the entrywise maximum); the language's
        // own `max(x, 1)` is entrywise.
        let whole = |e: ExprId| matches!(self.program.expr(e).kind, ExprKind::Num(v) if v.fract() == 0.0);
        let axis = axis
            || framework
                && args.len() == 2
                && match self.program.expr(args[1]).kind {
                    ExprKind::Neg(e) => whole(e),
                    _ => whole(args[1]),
                };
        // PyTorch's and NumPy's joiners take one sequence of values, `torch.cat([x, y])`:
        // its entries are the language's arguments.
        if JOINERS.contains(&name.as_str()) && args.len() == 1 {
            if let ExprKind::List(items) = &self.program.expr(args[0]).kind {
                args = items.clone();
            }
        }
        // NumPy's and PyTorch's other names for what the language has.
        let name = match name.as_str() {
            "maximum" => "max".into(),
            "minimum" => "min".into(),
            // Along an axis, max and min reduce (PyTorch's amax: the values, no indices);
            // with two values and no axis they are the elementwise maximum and minimum.
            "max" if axis => "amax".into(),
            "min" if axis => "amin".into(),
            "view" => "reshape".into(),
            "expand_dims" => "unsqueeze".into(),
            // Joined along the first axis (rows), or along the last (side by side).
            n if JOINED_BY_DIM.contains(&n) => match (n, joined.map(|j| j.0)) {
                ("stack", None | Some(0)) => "stack".into(),
                ("stack", Some(1 | -1)) => "column_stack".into(),
                (_, None | Some(0 | -2)) => "concat".into(),
                (_, Some(1 | -1)) => "hstack".into(),
                (_, Some(d)) => {
                    let at = joined.map_or(span, |j| j.1);
                    return Err(self.error(
                        at,
                        format!("{name} joins along dim 0 or 1 (or -1): a value has at most two axes, not dim {d}"),
                    ));
                }
            },
            // A value written out is already a tensor: `torch.tensor([[1, 2], [3, 4]])`.
            _ if TENSOR_MAKERS.contains(&name.as_str()) && args.len() == 1 => return Ok(args[0]),
            "matmul" | "mm" | "mv" if args.len() == 2 => {
                let product = self.push(ExprKind::Binary(BinOp::MatMul, args[0], args[1]), span);
                self.program.operators.push((product, name_span));
                return Ok(product);
            }
            _ => name,
        };
        let Some(at) = keepdim else { return Ok(self.push(ExprKind::Call { name, name_span, args }, span)) };
        // `keepdim=True` keeps the reduced axis with size 1: the reduction, unsqueezed
        // there (`sum(M, 1, keepdim=True)` is unsqueeze(sum(M, 1), 1), a column). Only
        // reductions take it (`keyword`); max and min left by that name are entrywise.
        if matches!(name.as_str(), "max" | "min") {
            return Err(self.error(at, format!(
                    "keepdim= is for a reduction along an axis (sum, mean, max, min, norm or logsumexp, with dim=), not \
                     {name} here"
                )));
        }
        if args.len() != 2 {
            return Err(self.error(
                at,
                "keepdim=True keeps the axis a reduction runs along: give it, as in sum(M, dim=1, keepdim=True)",
            ));
        }
        // The axis is read twice, so the program's expressions are a DAG here: lowering
        // memoises each expression.
        let dim = args[1];
        let call = self.push(ExprKind::Call { name, name_span, args }, span);
        Ok(self.push(ExprKind::Call { name: "unsqueeze".into(), name_span, args: vec![call, dim] }, span))
    }

    /// A whole number written out, such as a joiner's axis: `1`, `-1`.
    fn whole_literal(&self, e: ExprId) -> Option<i64> {
        match self.program.expr(e).kind {
            ExprKind::Num(v) if v.fract() == 0.0 && v.abs() < 1e9 => Some(v as i64),
            ExprKind::Neg(a) => self.whole_literal(a).map(|v| -v),
            _ => None,
        }
    }

    /// What a named argument is: `dim=` or `axis=` (read as the argument it names:
    /// `softmax(x, dim=0)` is softmax(x, 0)), a joiner's `dim=` (which picks the joiner),
    /// `keepdim=` (NumPy's `keepdims=`), or a tensor's `dtype=` and `requires_grad=`, read
    /// and left out (every value is a float64, and J is with respect to the signature's
    /// inputs). Any other name is an error.
    fn keyword(&mut self, key: String, name: &str) -> PResult<Named> {
        let at = self.peek().span;
        let named = match key.as_str() {
            "dtype" | "requires_grad" if TENSOR_MAKERS.contains(&name) => Named::Ignored,
            "dim" | "axis" if JOINED_BY_DIM.contains(&name) => Named::Joined,
            "dim" | "axis" if REDUCTIONS.contains(&name) || matches!(name, "softmax" | "log_softmax") => Named::Axis,
            "keepdim" | "keepdims" if REDUCTIONS.contains(&name) => Named::KeepDim,
            "dim" | "axis" => {
                return Err(self.error(
                    at,
                    format!(
                        "{name} takes no {key}=: sum, mean, max, min, norm, logsumexp, softmax, log_softmax, cat and \
                         stack do"
                    ),
                ))
            }
            _ => {
                return Err(
                    self.error(at, format!("{key}= is not read: the named arguments are dim= (or axis=) and keepdim="))
                )
            }
        };
        self.bump();
        self.bump();
        Ok(named)
    }

    /// The `closer` of a bracket opened at `open` after a comma-separated list in `what`
    /// (an index, a call): consumed, its span returned; anything else is the error "expected
    /// ',' or ']' in the index", with the opener labelled.
    fn close(&mut self, open: Span, closer: Tok, what: &str) -> PResult<Span> {
        let close = self.peek().clone();
        if close.tok != closer {
            let d = Diagnostic::new(
                close.span,
                format!("expected ',' or {} in {what}, found {}", closer.describe(), close.tok.describe()),
            )
            .with_label(open, format!("{} opens here", what.split(" to ").next().unwrap_or(what)));
            self.errors.push(d);
            return Err(Bail);
        }
        self.bump();
        self.brackets -= 1;
        Ok(close.span)
    }
}
