//! Binding-power (Pratt) parser. Returns the program and every error found, each with a
//! span. Recursion depth is bounded: nesting deeper than `MAX_DEPTH` is an error at the
//! offending token, never a stack overflow.

use super::lexer::{lex, Tok, Token};
use super::span::{Diagnostic, Span};
use super::syntax::{BinOp, Binding, Expr, ExprId, ExprKind, Program, Signature, Stmt};

pub const MAX_DEPTH: usize = 256;

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
    let mut p = Parser { tokens, pos: 0, program: Program::default(), errors, depth: 0, brackets: 0, too_deep: false };
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
}

/// A statement failed; the parser skips to the next line and carries on.
struct Bail;

type PResult<T> = Result<T, Bail>;

fn infix_power(tok: &Tok) -> Option<(u8, u8, BinOp)> {
    Some(match tok {
        Tok::Plus => (1, 2, BinOp::Add),
        Tok::Minus => (1, 2, BinOp::Sub),
        Tok::Star => (3, 4, BinOp::Mul),
        Tok::Slash => (3, 4, BinOp::Div),
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
                Ok(Stmt::Signature(sig)) => {
                    if let Some(first) = signature {
                        let d = Diagnostic::new(sig.span, "a second signature line: a program defines one function")
                            .with_label(first, "the first signature is here");
                        self.errors.push(d);
                    } else {
                        signature = Some(sig.span);
                    }
                    self.program.stmts.push(Stmt::Signature(sig));
                }
                Ok(stmt) => self.program.stmts.push(stmt),
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

    /// `name = expr` or `name(params) = outputs`.
    fn statement(&mut self) -> PResult<Stmt> {
        let t = self.peek().clone();
        let Tok::Ident(name) = t.tok.clone() else {
            return Err(self.unexpected(&t, "expected a binding `name = …` or the signature `f(x, y) = […]`"));
        };
        self.bump();
        match self.peek().tok {
            Tok::Eq => {
                self.bump();
                let expr = self.expr(0)?;
                Ok(Stmt::Binding(Binding { name, name_span: t.span, expr }))
            }
            Tok::LParen => self.signature(name, t.span),
            _ => {
                let n = self.peek().clone();
                Err(self.unexpected(&n, &format!("expected '=' or '(' after '{name}'")))
            }
        }
    }

    fn signature(&mut self, name: String, name_span: Span) -> PResult<Stmt> {
        self.bump();
        self.brackets += 1;
        let mut params = Vec::new();
        if self.peek().tok != Tok::RParen {
            loop {
                let t = self.peek().clone();
                match t.tok {
                    Tok::Ident(p) => {
                        self.bump();
                        params.push((p, t.span));
                    }
                    _ => return Err(self.unexpected(&t, "expected an input name")),
                }
                if self.peek().tok == Tok::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        let close = self.expect(Tok::RParen, "to close the input list")?;
        self.brackets -= 1;
        if params.is_empty() {
            return Err(self.error(close.span, "the function needs at least one input, as in f(x) = …"));
        }
        self.expect(Tok::Eq, "after the input list")?;
        let mut outputs = Vec::new();
        let bracketed = self.peek().tok == Tok::LBracket;
        let end;
        if bracketed {
            self.bump();
            self.brackets += 1;
            loop {
                if self.peek().tok == Tok::RBracket && !outputs.is_empty() {
                    break; // trailing comma
                }
                outputs.push(self.expr(0)?);
                if self.peek().tok == Tok::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
            end = self.expect(Tok::RBracket, "to close the output list")?.span;
            self.brackets -= 1;
        } else {
            let e = self.expr(0)?;
            end = self.program.expr(e).span;
            outputs.push(e);
        }
        Ok(Stmt::Signature(Signature { name, name_span, params, outputs, bracketed, span: name_span.to(end) }))
    }

    fn expr(&mut self, min_power: u8) -> PResult<ExprId> {
        self.depth += 1;
        let result = if self.depth > MAX_DEPTH {
            let t = self.peek().clone();
            self.too_deep = true;
            Err(self.error(t.span, format!("expression nested more than {MAX_DEPTH} levels deep: split it into bindings")))
        } else {
            self.expr_inner(min_power)
        };
        self.depth -= 1;
        result
    }

    fn expr_inner(&mut self, min_power: u8) -> PResult<ExprId> {
        let mut lhs = self.atom()?;
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
            Tok::LParen => {
                self.brackets += 1;
                let inner = self.expr(0)?;
                let close = self.peek().clone();
                if close.tok != Tok::RParen {
                    let d = Diagnostic::new(close.span, format!("expected ')' to close the '(', found {}", close.tok.describe()))
                        .with_label(t.span, "the '(' is here");
                    self.errors.push(d);
                    return Err(Bail);
                }
                self.bump();
                self.brackets -= 1;
                Ok(inner)
            }
            Tok::Ident(name) => {
                if self.peek().tok == Tok::LParen {
                    self.call(name, t.span)
                } else {
                    Ok(self.push(ExprKind::Name(name), t.span))
                }
            }
            Tok::RParen | Tok::RBracket => Err(self.error(t.span, format!("unbalanced {}: nothing to close", t.tok.describe()))),
            Tok::LBracket => Err(self.error(t.span, "'[' only opens the output list of the signature line")),
            Tok::Eof | Tok::Newline => Err(self.unexpected(&t, "expected an expression")),
            _ => Err(self.unexpected(&t, "expected an expression")),
        }
    }

    fn call(&mut self, name: String, name_span: Span) -> PResult<ExprId> {
        let open = self.bump();
        self.brackets += 1;
        let mut args = Vec::new();
        if self.peek().tok != Tok::RParen {
            loop {
                args.push(self.expr(0)?);
                if self.peek().tok == Tok::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        let close = self.peek().clone();
        if close.tok != Tok::RParen {
            let d = Diagnostic::new(close.span, format!("expected ',' or ')' in the call to {name}, found {}", close.tok.describe()))
                .with_label(open.span, "the call opens here");
            self.errors.push(d);
            return Err(Bail);
        }
        self.bump();
        self.brackets -= 1;
        Ok(self.push(ExprKind::Call { name, name_span, args }, name_span.to(close.span)))
    }
}
