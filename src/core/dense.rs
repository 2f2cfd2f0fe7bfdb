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

#[cfg(target_arch = "x86_64")]
use super::linear::finish;
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
            Kind::Product => self.rows as usize * self.dims().c * (1 + (self.dims().known == Known::Neither) as usize),
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
        // The same sums compiled for 256-bit vectors, where the processor has them: each
        // row's four running sums are then one register (older processors use two
        // 128-bit halves). The page sums row by row: the interleaved code costs bytes.
        #[cfg(target_arch = "x86_64")]
        {
            let cols = self.cols as usize;
            if cols >= WIDE && std::arch::is_x86_feature_detected!("avx2") {
                if let (Some(x), Some(y)) = (T::as_f64s(x), T::as_f64s_mut(y)) {
                    // A big block's rows in two halves, the first on the second thread: the
                    // same rows as the reverse sweep's product gives that thread
                    // (`thin::at_b`), which then finds them in its core's cache. Each row
                    // sums as it would alone.
                    let half = super::pair::first_half(y.len());
                    if y.len() * cols >= super::thin::SPLIT_ROWS_WORK && half > 0 {
                        let (a0, a1) = self.a.split_at(half * cols);
                        let (y0, y1) = y.split_at_mut(half);
                        // SAFETY (both): the processor has AVX2.
                        super::pair::both(
                            || unsafe { values_avx2(a1, cols, x, y1) },
                            || unsafe { values_avx2(a0, cols, x, y0) },
                        );
                    } else {
                        // SAFETY: the processor has AVX2.
                        unsafe { values_avx2(&self.a, cols, x, y) };
                    }
                    return;
                }
            }
            self.values_in_order(x, y)
        }
        #[cfg(not(target_arch = "x86_64"))]
        for (r, out) in y.iter_mut().enumerate() {
            *out = sum_products(self.row(r), x);
        }
    }

    /// Every row's value, four rows at a time where rows are wide (`dot4_rows`).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn values_in_order<T: Real>(&self, x: &[T], y: &mut [T]) {
        values_in_order_from(&self.a, self.cols as usize, 0, x, y)
    }
}

/// `values_in_order` for f64 with 256-bit vectors, written out: each row's four running
/// sums are one register, eight rows at a time (eight independent chains of adds), and
/// x's four entries are loaded once for all eight. Left to the compiler, the same loop
/// was vectorised across rows, shuffling lanes at every step at half this speed. Each
/// product is rounded before its add (no fused multiply-add), so every row sums to the
/// bits `dot4` gives, here and in the page. `a` holds y's rows, `cols` values each.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn values_avx2(a: &[f64], cols: usize, x: &[f64], y: &mut [f64]) {
    use std::arch::x86_64::*;
    const R: usize = 8;
    let body = cols - cols % 4;
    let mut done = 0;
    for (rows, out) in a.chunks_exact(R * cols).zip(y.chunks_exact_mut(R)) {
        let mut acc = [_mm256_setzero_pd(); R];
        for c in (0..body).step_by(4) {
            // SAFETY: c + 4 ≤ body ≤ cols = x.len(), and each row r holds cols values.
            let xv = unsafe { _mm256_loadu_pd(x.as_ptr().add(c)) };
            for (r, acc) in acc.iter_mut().enumerate() {
                let av = unsafe { _mm256_loadu_pd(rows.as_ptr().add(r * cols + c)) };
                *acc = _mm256_add_pd(*acc, _mm256_mul_pd(av, xv));
            }
        }
        for (r, out) in out.iter_mut().enumerate() {
            let mut sums = [0.0f64; 4];
            // SAFETY: `sums` has room for four values.
            unsafe { _mm256_storeu_pd(sums.as_mut_ptr(), acc[r]) };
            *out = finish(sums, &rows[r * cols + body..(r + 1) * cols], &x[body..]);
        }
        done += R;
    }
    values_in_order_from(a, cols, done, x, y)
}

/// `values_in_order` for the rows from `done` on (`a` holds y's rows, `cols` values each).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn values_in_order_from<T: Real>(a: &[f64], cols: usize, mut done: usize, x: &[T], y: &mut [T]) {
    if cols >= WIDE {
        for (rows, out) in a[done * cols..].chunks_exact(4 * cols).zip(y[done..].chunks_exact_mut(4)) {
            out.copy_from_slice(&dot4_rows(rows, x));
            done += 4;
        }
    }
    for (r, out) in y.iter_mut().enumerate().skip(done) {
        *out = sum_products(&a[r * cols..(r + 1) * cols], x);
    }
}

/// `dot4` of four consecutive rows (`rows`: 4 × x.len(), row-major) at once, each row
/// summed exactly as `dot4` sums it.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn dot4_rows<T: Real>(rows: &[f64], x: &[T]) -> [T; 4] {
    let cols = x.len();
    let mut acc = [[T::of(0.0); 4]; 4];
    let body = cols - cols % 4;
    let (r0, rest) = rows.split_at(cols);
    let (r1, rest) = rest.split_at(cols);
    let (r2, r3) = rest.split_at(cols);
    for c in (0..body).step_by(4) {
        let xs = &x[c..c + 4];
        for (acc, row) in acc.iter_mut().zip([r0, r1, r2, r3]) {
            let a = &row[c..c + 4];
            for k in 0..4 {
                acc[k] = acc[k] + T::of(a[k]) * xs[k];
            }
        }
    }
    let tail = &x[body..];
    [
        finish(acc[0], &r0[body..], tail),
        finish(acc[1], &r1[body..], tail),
        finish(acc[2], &r2[body..], tail),
        finish(acc[3], &r3[body..], tail),
    ]
}
