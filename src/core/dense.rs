//! Dense blocks: a matrix of known weights times a vector of nodes, y = A·x, recorded as
//! one tape node per output row (`Op::Dense`) whose weights are data, never nodes. A
//! layer `W @ x` with a 128 × 784 `W` is 128 nodes and one matrix, where written out in
//! scalars it was 200 000 nodes.
//!
//! The block is linear, so its local Jacobian is A itself and its rules are products with
//! A (`linear.rs`): forward carries the w tangents of its operands as one matrix product
//! A·Ṫ, reverse pushes Aᵀ·Ā to its operands. Both keep the sweeps' strong zero (a zero
//! weight or tangent times ∞ adds nothing), and with w > 1 directions they are one GEMM
//! over contiguous memory (`Real::gemm`: `matrixmultiply` for float64).

pub use super::linear::WIDE;
use super::linear::{forward, reverse, sum_products};
use super::product::{Dims, Known, Rule};
use super::real::Real;
use std::ops::Range;

pub use super::kind::Kind;

/// A tensor node whose rows are the nodes `first..first + rows` and whose operands are the
/// nodes `from..from + cols`: contiguous, so a sweep reads and writes both as row-major
/// matrices of `w` directions per node without gathering. A linear block's every weight
/// is finite (the compiler makes a block only then), so only the operands can bring ∞ or
/// NaN.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub first: u32,
    pub rows: u32,
    pub from: u32,
    pub cols: u32,
    /// A linear block's weights, rows × cols, row-major; empty for the other kinds.
    pub a: Vec<f64>,
    pub kind: Kind,
}

impl Block {
    /// The nodes the block defines.
    pub fn outputs(&self) -> Range<usize> {
        self.first as usize..(self.first + self.rows) as usize
    }

    /// The nodes the block reads.
    pub fn operands(&self) -> Range<usize> {
        self.from as usize..(self.from + self.cols) as usize
    }

    /// An affine map's block.
    pub fn linear(first: u32, rows: u32, from: u32, cols: u32, a: Vec<f64>) -> Block {
        Block { first, rows, from, cols, a, kind: Kind::Linear }
    }

    /// How the printed tape and the pass view name the block: `dense 3×4`, `sum` for one
    /// row of ones (`sum(x)`), or its kind's name.
    pub fn title(&self) -> String {
        match self.kind {
            Kind::Linear if self.rows == 1 && self.a.iter().all(|&w| w == 1.0) => "sum".into(),
            Kind::Linear => format!("dense {}×{}", self.rows, self.cols),
            Kind::Gather => "gather".into(),
            Kind::Product => {
                let Dims { r, c, q, .. } = self.dims();
                format!("matmul {r}×{c} @ {c}×{q}")
            }
            kind => kind.name().into(),
        }
    }

    /// A product's shape (`product.rs`).
    pub fn dims(&self) -> Dims {
        Dims::of(&self.a)
    }

    /// The nodes row `r` reads: a gather's one, a product's A row and B column, or every
    /// operand (the structural pattern's rule).
    pub fn reads(&self, r: usize) -> Vec<usize> {
        match self.kind {
            Kind::Gather => vec![self.source(r)],
            Kind::Product => self.dims().reads(r, self.from as usize),
            _ => self.operands().collect(),
        }
    }

    /// Which operand (from 0) row `r` of a gather copies.
    pub fn gathered(&self, r: usize) -> usize {
        self.a[r] as usize
    }

    /// The node row `r` of a gather copies.
    pub fn source(&self, r: usize) -> usize {
        self.from as usize + self.gathered(r)
    }

    /// The weights of row `r` (a linear block's).
    pub fn row(&self, r: usize) -> &[f64] {
        let c = self.cols as usize;
        &self.a[r * c..r * c + c]
    }

    /// Multiply-adds per direction: what one sweep through the block costs (a nonlinear
    /// kind's inner product over its operands and a pass over each side).
    pub fn work(&self) -> usize {
        match self.kind {
            Kind::Linear => self.rows as usize * self.cols as usize,
            Kind::Gather => self.rows as usize,
            Kind::Product => {
                // r·c·q per variable factor.
                let d = self.dims();
                self.rows as usize * d.c * if d.known == Known::Neither { 2 } else { 1 }
            }
            _ => 2 * (self.rows + self.cols) as usize,
        }
    }

    /// ∂(row r)/∂(operand j) at the values `vals` (every node's): a weight, or the
    /// kind's partial at the block's values.
    pub fn partial(&self, r: usize, j: usize, vals: &[f64]) -> f64 {
        match self.kind {
            Kind::Linear => self.a[r * self.cols as usize + j],
            Kind::Gather => (self.gathered(r) == j) as u8 as f64,
            Kind::Product => super::product::partial(&self.a, &vals[self.operands()], r, j),
            kind if kind.gradient() => {
                super::reduce::partial(kind, &vals[self.operands()], vals[self.first as usize], j)
            }
            kind => super::softmax::partial(kind, &vals[self.operands()], &vals[self.outputs()], r, j),
        }
    }

    /// The sweeps' forward rule: y (rows × w) from the operands' tangents x (cols × w),
    /// at the values `vals` (every node's; a linear block does not read them).
    #[inline]
    pub fn jvp<T: Real>(&self, vals: &[T], x: &[T], w: usize, y: &mut [T]) {
        match self.kind {
            Kind::Linear => forward(&self.a, [self.rows as usize, self.cols as usize], x, w, y),
            Kind::Gather => {
                for (r, out) in y.chunks_exact_mut(w).enumerate() {
                    out.copy_from_slice(&x[self.gathered(r) * w..][..w]);
                }
            }
            Kind::Product => super::product::apply(&self.a, &vals[self.operands()], x, w, y, Rule::Forward),
            kind if kind.gradient() => {
                super::reduce::apply(kind, &vals[self.operands()], vals[self.first as usize], x, w, y, false)
            }
            kind => super::softmax::forward(kind, &vals[self.operands()], &vals[self.outputs()], x, w, y),
        }
    }

    /// The sweeps' reverse rule: the operands' adjoints x (cols × w) gain the block's
    /// transpose applied to its rows' adjoints y (rows × w).
    #[inline]
    pub fn vjp<T: Real>(&self, vals: &[T], y: &[T], w: usize, x: &mut [T]) {
        match self.kind {
            Kind::Linear => reverse(&self.a, [self.rows as usize, self.cols as usize], y, w, x),
            Kind::Gather => {
                for (r, g) in y.chunks_exact(w).enumerate() {
                    for (a, &g) in x[self.gathered(r) * w..][..w].iter_mut().zip(g) {
                        *a = *a + g;
                    }
                }
            }
            Kind::Product => super::product::apply(&self.a, &vals[self.operands()], y, w, x, Rule::Reverse),
            kind if kind.gradient() => {
                super::reduce::apply(kind, &vals[self.operands()], vals[self.first as usize], y, w, x, true)
            }
            kind => super::softmax::reverse(kind, &vals[self.operands()], &vals[self.outputs()], y, w, x),
        }
    }

    /// The Hessian's second-order term through a nonlinear block (`hessian.rs`), from
    /// the operands' values `x`, the rows' `y`, their adjoints `ybar` and the forward
    /// tangents `ty` and `tx`: `softmax::second_order`'s or `reduce::second_order`'s.
    #[allow(clippy::too_many_arguments)]
    pub fn second_order(
        &self,
        x: &[f64],
        y: &[f64],
        ybar: &[f64],
        ty: &[f64],
        tx: &[f64],
        w: usize,
        earlier: &mut [f64],
    ) {
        match self.kind {
            Kind::Linear | Kind::Gather => {}
            Kind::Product => super::product::apply(&self.a, x, tx, w, earlier, Rule::Second(ybar)),
            kind if kind.gradient() => super::reduce::second_order(kind, x, y[0], ybar[0], ty, tx, w, earlier),
            kind => super::softmax::second_order(kind, x, y, ybar, ty, tx, w, earlier),
        }
    }

    /// Row `r`'s value from its operands' values, in `sum_products`' order.
    #[inline]
    pub fn value<T: Real>(&self, r: usize, x: &[T]) -> T {
        sum_products(self.row(r), x)
    }

    /// Every row's value into `y`, each summed as `value` sums it (the same bits). Wide
    /// rows go four at a time: one running sum is a chain of dependent adds, and four rows'
    /// four running sums each are sixteen chains the processor overlaps.
    pub fn values<T: Real>(&self, x: &[T], y: &mut [T]) {
        if self.kind.gradient() {
            y[0] = super::reduce::value(self.kind, x);
            return;
        }
        if self.kind == Kind::Product {
            return super::product::values(&self.a, x, y);
        }
        if self.kind == Kind::Gather {
            for (r, y) in y.iter_mut().enumerate() {
                *y = x[self.gathered(r)];
            }
            return;
        }
        if self.kind != Kind::Linear {
            return super::softmax::values(self.kind, x, y);
        }
        super::linear::values(&self.a, self.cols as usize, x, y)
    }
}
