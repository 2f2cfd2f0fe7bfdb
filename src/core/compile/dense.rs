//! `W @ x` with known weights, lowered to one dense block (`core::dense`) instead of
//! rows × cols scalar products: the weights become the block's data, and only the rows are
//! nodes. softmax, log_softmax, logsumexp, max, min and norm become blocks of their own
//! kinds the same way, and so does a product of two variable matrices.

use super::Compiler;
use crate::core::dense::{Block, Kind};
use crate::core::ops::Op;
use crate::core::product::{Dims, Known};
use crate::core::span::Span;

impl Compiler {
    /// The rows of `weights · operands` (weights row-major, `rows` of them) as one block,
    /// or None where a block cannot stand for it and the caller writes the products out:
    /// a weight that is not a finite number (a NaN or ∞ must reach J as the scalar rules
    /// carry it), or operands that are not consecutive operations (or consecutive
    /// inputs), which the finished tape could not keep contiguous.
    pub(super) fn dense(&mut self, weights: &[u32], rows: usize, operands: &[u32], span: Span) -> Option<Vec<u32>> {
        let a = self.weights(weights)?;
        self.block(Kind::Linear, a, rows, operands, span)
    }

    /// The values of nodes that are all finite constants: weights a block can keep.
    fn weights(&self, nodes: &[u32]) -> Option<Vec<f64>> {
        nodes
            .iter()
            .map(|&k| {
                let v = self.consts[k as usize];
                (self.ops[k as usize] == Op::Const && v.is_finite()).then_some(v)
            })
            .collect()
    }

    /// softmax, log_softmax, logsumexp, max, min or norm of `operands` as one node of that
    /// kind (`core::softmax`, `core::reduce`), or None where the operands are not
    /// consecutive (as for `dense`) and the caller writes the function out in scalar nodes.
    pub(super) fn tensor_node(&mut self, kind: Kind, operands: &[u32], span: Span) -> Option<Vec<u32>> {
        let rows = if kind.reduces() { 1 } else { operands.len() };
        self.block(kind, Vec::new(), rows, operands, span)
    }

    /// `kind` of `operands` that are not consecutive nodes (a matrix's column) as one node,
    /// reading them through a gather block whose rows copy them in order; None where a
    /// gather cannot stand for them (a constant among them, or a span of over 2¹⁶ nodes)
    /// and the caller writes the function out.
    pub(super) fn gathered_node(&mut self, kind: Kind, operands: &[u32], span: Span) -> Option<Vec<u32>> {
        let copies = self.gather(operands, span)?;
        self.tensor_node(kind, &copies, span)
    }

    /// `A @ B` (A `r` × `c` and B `c` × `q`, their entries' nodes row-major) where B or A
    /// or both are variables, as one product node (`core::product`): a factor of finite
    /// constants is its data, and its operands are the variable factors' entries, A's then
    /// B's, copied into consecutive rows by a gather for each factor where they are not
    /// already consecutive (`X @ X.T`). None where a factor mixes constants and variables,
    /// both are constants, or a gather cannot take them, and the caller writes the
    /// products out.
    pub(super) fn product(&mut self, a: &[u32], b: &[u32], [r, c, q]: [usize; 3], span: Span) -> Option<Vec<u32>> {
        if c == 0 {
            return None;
        }
        let (known, weights, a, b) = match (self.weights(a), self.weights(b)) {
            (Some(w), _) => (Known::A, w, b, &[][..]),
            (_, Some(w)) => (Known::B, w, a, &[][..]),
            _ => (Known::Neither, Vec::new(), a, b),
        };
        let shape = Dims { r, c, q, known }.data(&weights);
        let both: Vec<u32> = a.iter().chain(b).copied().collect();
        if let Some(rows) = self.block(Kind::Product, shape.clone(), r * q, &both, span) {
            return Some(rows);
        }
        // A's nodes stay where they are the last operations made, so B's copies follow.
        let last = a.iter().enumerate().all(|(j, &k)| k as usize + a.len() - j == self.ops.len());
        let mut copies = match last && !b.is_empty() && self.ops[a[0] as usize] != Op::Input {
            true => a.to_vec(),
            false => self.gather(a, span)?,
        };
        if !b.is_empty() {
            copies.extend(self.gather(b, span)?);
        }
        self.block(Kind::Product, shape, r * q, &copies, span)
    }

    /// Rows that copy `operands` in order (a gather block over the span they lie in), or
    /// None where a constant is among them, they mix inputs and operations, or they span
    /// over 2¹⁶ nodes.
    fn gather(&mut self, operands: &[u32], span: Span) -> Option<Vec<u32>> {
        let (from, to) = operands.iter().fold((u32::MAX, 0), |(lo, hi), &k| (lo.min(k), hi.max(k)));
        if to.checked_sub(from)? > 1 << 16 {
            return None;
        }
        let a = operands.iter().map(|&k| (k - from) as f64).collect();
        self.block_over(Kind::Gather, a, operands.len(), from, to - from + 1, span)
    }

    #[inline(never)]
    fn block(&mut self, kind: Kind, a: Vec<f64>, rows: usize, operands: &[u32], span: Span) -> Option<Vec<u32>> {
        let from = *operands.first()?;
        if !operands.iter().enumerate().all(|(j, &k)| k == from + j as u32) {
            return None;
        }
        self.block_over(kind, a, rows, from, operands.len() as u32, span)
    }

    /// A block over the operands `from..from + cols`: all operations or all inputs (the
    /// finished tape keeps each kind together), no constant.
    fn block_over(
        &mut self,
        kind: Kind,
        a: Vec<f64>,
        rows: usize,
        from: u32,
        cols: u32,
        span: Span,
    ) -> Option<Vec<u32>> {
        let class = |c: &Self, k: u32| match c.ops[k as usize] {
            Op::Const => None,
            Op::Input => Some(true),
            _ => Some(false),
        };
        let input = class(self, from)?;
        if rows == 0 || !(from..from + cols).all(|k| class(self, k) == Some(input)) {
            return None;
        }
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
