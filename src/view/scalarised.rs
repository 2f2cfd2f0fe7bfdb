//! A small tensor program written out as a scalar one, so J's formulas (#20 part 1) cover
//! it too: its tape, one binding a node, in the language's own syntax. The tape is the
//! program the engine differentiates, so its formulas are J's; a vector's entries keep
//! their names (`x[0]`), written `x_0` in the scalar program and named back afterwards.

use crate::core::dense::Kind;
use crate::core::ops::Op;
use crate::core::syntax::format_number;
use crate::core::Tape;
use std::collections::HashMap;

/// Tensor programs of at most this many tape nodes are written out (each node one
/// binding: past a few dozen, the formulas would not be read).
pub const MAX_NODES: usize = 64;

/// An entry's name as an identifier: `W[1, 2]` → `W_1_2`.
fn identifier(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            '[' | ',' => Some('_'),
            ']' | ' ' => None,
            c => Some(c),
        })
        .collect()
}

/// The tape as a scalar program (each node a binding, the outputs a list), the
/// identifiers of J's columns, and each identifier's name on the tape (to name the
/// formulas back). None past `MAX_NODES`, or where two names would be spelled alike.
pub fn scalarised(tape: &Tape) -> Option<(String, Vec<String>, HashMap<String, String>)> {
    if tape.len() > MAX_NODES {
        return None;
    }
    let mut back = HashMap::new();
    let mut ident = Vec::with_capacity(tape.len());
    for k in 0..tape.len() {
        let name = if k < tape.n() { Some(tape.inputs[k].clone()) } else { tape.names[k].clone() };
        let id = match name {
            Some(n) => {
                let id = identifier(&n);
                back.insert(id.clone(), n);
                id
            }
            None => format!("v{k}"),
        };
        ident.push(id);
    }
    let mut seen = ident.clone();
    seen.sort();
    seen.dedup();
    if seen.len() != ident.len() {
        return None;
    }
    // An operand: a constant as its number, anything else by its binding.
    let operand = |k: usize| match tape.ops.get(k) {
        Some(Op::Const) => format!("({})", format_number(tape.consts[k])),
        _ => ident[k].clone(),
    };
    let mut src = String::new();
    for (k, id) in ident.iter().enumerate().skip(tape.n()) {
        let [a, b] = tape.args[k].map(|v| v as usize);
        let expr = match tape.ops[k] {
            Op::Input | Op::Const => continue,
            Op::Dense => {
                let block = &tape.blocks[a];
                if block.kind == Kind::Gather {
                    operand(block.source(b))
                } else if block.kind == Kind::Product {
                    // A row of A times a column of B, as the products written out.
                    let factor = |f: Result<usize, f64>| match f {
                        Ok(o) => operand(block.from as usize + o),
                        Err(v) => format!("({})", format_number(v)),
                    };
                    let terms: Vec<String> = (0..block.dims().c)
                        .map(|k| crate::core::product::factors(&block.a, b, k).map(factor).join(" * "))
                        .collect();
                    terms.join(" + ")
                } else if block.kind != Kind::Linear {
                    // The kind's formula in its operands (the engine's values shift by
                    // the largest operand first; the formula is the same function).
                    let exps: Vec<String> = block.operands().map(|j| format!("exp({})", operand(j))).collect();
                    let sum = exps.join(" + ");
                    let own = block.operands().nth(b).map(&operand).unwrap_or_default();
                    let all: Vec<String> = block.operands().map(&operand).collect();
                    match block.kind {
                        Kind::Softmax => format!("exp({own}) / ({sum})"),
                        Kind::LogSoftmax => format!("{own} - log({sum})"),
                        Kind::LogSumExp => format!("log({sum})"),
                        // A fold of the binary functions (hypot's for a norm).
                        kind => {
                            let f = if kind == Kind::Norm { "hypot" } else { kind.name() };
                            all[1..].iter().fold(all[0].clone(), |acc, v| format!("{f}({acc}, {v})"))
                        }
                    }
                } else {
                    let mut terms: Vec<String> = block
                        .row(b)
                        .iter()
                        .zip(block.operands())
                        .filter(|&(&w, _)| w != 0.0)
                        .map(|(&w, j)| format!("({}) * {}", format_number(w), operand(j)))
                        .collect();
                    if tape.consts[k] != 0.0 || terms.is_empty() {
                        terms.push(format!("({})", format_number(tape.consts[k])));
                    }
                    terms.join(" + ")
                }
            }
            Op::Add => format!("{} + {}", operand(a), operand(b)),
            Op::Sub => format!("{} - {}", operand(a), operand(b)),
            Op::Mul => format!("{} * {}", operand(a), operand(b)),
            Op::Div => format!("{} / {}", operand(a), operand(b)),
            Op::Neg => format!("-{}", operand(a)),
            Op::Powi(p) => format!("{}^({p})", operand(a)),
            Op::Pow => format!("{}^{}", operand(a), operand(b)),
            op if op.arity() == 2 => format!("{}({}, {})", op.spec().name, operand(a), operand(b)),
            op => format!("{}({})", op.spec().name, operand(a)),
        };
        src.push_str(&format!("{id} = {expr}\n"));
    }
    let columns: Vec<String> = ident[..tape.n()].to_vec();
    let outputs: Vec<String> = tape.outputs.iter().map(|&o| operand(o as usize)).collect();
    src.push_str(&format!("f({}) = [{}]\n", columns.join(", "), outputs.join(", ")));
    Some((src, columns, back))
}
