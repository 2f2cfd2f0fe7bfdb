//! `W @ x` with known weights, lowered to one dense block (`core::dense`) instead of
//! rows × cols scalar products: the weights become the block's data, and only the rows are
//! nodes. softmax, log_softmax, logsumexp, max, min and norm become blocks of their own
//! kinds the same way.

use super::Compiler;
use crate::core::dense::{Block, Kind};
use crate::core::ops::Op;
use crate::core::span::Span;

impl Compiler {
    /// The rows of `weights · operands` (weights row-major, `rows` of them) as one block,
    /// or None where a block cannot stand for it and the caller writes the products out:
    /// a weight that is not a finite number (a NaN or ∞ must reach J as the scalar rules
    /// carry it), or operands that are not consecutive operations (or consecutive
    /// inputs), which the finished tape could not keep contiguous.
    pub(super) fn dense(&mut self, weights: &[u32], rows: usize, operands: &[u32], span: Span) -> Option<Vec<u32>> {
        let a: Option<Vec<f64>> = weights
            .iter()
            .map(|&k| {
                let v = self.consts[k as usize];
                (self.ops[k as usize] == Op::Const && v.is_finite()).then_some(v)
            })
            .collect();
        self.block(Kind::Linear, a?, rows, operands, span)
    }

    /// softmax, log_softmax, logsumexp, max, min or norm of `operands` as one node of that
    /// kind (`core::softmax`, `core::reduce`), or None where the operands are not
    /// consecutive (as for `dense`) and the caller writes the function out in scalar nodes.
    pub(super) fn tensor_node(&mut self, kind: Kind, operands: &[u32], span: Span) -> Option<Vec<u32>> {
        let rows = if kind.reduces() { 1 } else { operands.len() };
        self.block(kind, Vec::new(), rows, operands, span)
    }

    fn block(&mut self, kind: Kind, a: Vec<f64>, rows: usize, operands: &[u32], span: Span) -> Option<Vec<u32>> {
        let from = *operands.first()?;
        let class = |c: &Self, k: u32| match c.ops[k as usize] {
            Op::Const => None,
            Op::Input => Some(true),
            _ => Some(false),
        };
        let input = class(self, from)?;
        let consecutive =
            operands.iter().enumerate().all(|(j, &k)| k == from + j as u32 && class(self, k) == Some(input));
        if !consecutive || rows == 0 {
            return None;
        }
        let cols = operands.len() as u32;
        let id = self.blocks.len() as u32;
        let first = self.ops.len() as u32;
        let nodes: Vec<u32> = (0..rows as u32).map(|r| self.intern(Op::Dense, id, r, 0, span)).collect();
        // Past the node bound intern stands node 0 in for each row: the program is an error.
        if self.too_big {
            return Some(nodes);
        }
        self.blocks.push(Block { first, rows: rows as u32, from, cols, a, kind });
        Some(nodes)
    }
}
