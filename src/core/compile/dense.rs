//! `W @ x` with known weights, lowered to one dense block (`core::dense`) instead of
//! rows × cols scalar products: the weights become the block's data, and only the rows are
//! nodes.

use super::Compiler;
use crate::core::dense::Block;
use crate::core::ops::Op;
use crate::core::span::Span;

impl Compiler {
    /// The rows of `weights · operands` (weights row-major, `rows` of them) as one block,
    /// or None where a block cannot stand for it and the caller writes the products out:
    /// a weight that is not a finite number (a NaN or ∞ must reach J as the scalar rules
    /// carry it), or operands that are not consecutive operations (or consecutive
    /// inputs), which the finished tape could not keep contiguous.
    pub(super) fn dense(&mut self, weights: &[u32], rows: usize, operands: &[u32], span: Span) -> Option<Vec<u32>> {
        let from = *operands.first()?;
        let class = |c: &Self, k: u32| match c.ops[k as usize] {
            Op::Const => None,
            Op::Input => Some(true),
            _ => Some(false),
        };
        let input = class(self, from)?;
        let consecutive =
            operands.iter().enumerate().all(|(j, &k)| k == from + j as u32 && class(self, k) == Some(input));
        let a: Option<Vec<f64>> = weights
            .iter()
            .map(|&k| {
                let v = self.consts[k as usize];
                (self.ops[k as usize] == Op::Const && v.is_finite()).then_some(v)
            })
            .collect();
        let a = a.filter(|_| consecutive && rows > 0)?;
        let id = self.blocks.len() as u32;
        let first = self.ops.len() as u32;
        let nodes: Vec<u32> = (0..rows as u32).map(|r| self.intern(Op::Dense, id, r, 0, span)).collect();
        // Past the node bound intern stands node 0 in for each row: the program is an error.
        if self.too_big {
            return Some(nodes);
        }
        self.blocks.push(Block { first, rows: rows as u32, from, cols: operands.len() as u32, a });
        Some(nodes)
    }
}
