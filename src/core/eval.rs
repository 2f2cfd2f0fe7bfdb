//! The primal sweeps: plain evaluation, and linearization (values plus every node's local
//! partials from the rule table), which all derivative sweeps then reuse. Buffers live in
//! the caller's `Linearization`, so repeated calls (dragging a point) allocate nothing.

use super::ops::{self, Op};
use super::real::Real;
use super::tape::Tape;

/// Values and local partials of every node at one point. Slot `tape.ground()` is the
/// ground slot: value 0, partials 0.
#[derive(Clone, Debug, Default)]
/// Generic over the arithmetic so the digits check (`digits.rs`) linearizes the same
/// tape with the same rules in double-double.
pub struct Linearization<T = f64> {
    pub vals: Vec<T>,
    pub da: Vec<T>,
    pub db: Vec<T>,
}

impl Tape {
    /// Evaluates f at `x` into `vals` (resized to len + 1); returns nothing, read outputs
    /// with `output_values`.
    pub fn eval_into(&self, x: &[f64], vals: &mut Vec<f64>) {
        let len = self.len();
        vals.clear();
        vals.resize(len + 1, 0.0);
        for k in 0..len {
            let [a, b] = self.args[k];
            vals[k] = match self.ops[k] {
                Op::Input => x[a as usize],
                Op::Const => self.consts[k],
                Op::Dense => self.dense_values(k, a, b, vals),
                op => ops::value(op, vals[a as usize], vals[b as usize]),
            };
        }
    }

    /// Node k, row `row` of block `block`: at the block's first row every row's value is
    /// computed from the operands' (`Block::values`), each its products plus the row's
    /// constant term (`consts[k]`, 0 for `W @ x`); the later rows read theirs.
    #[inline]
    fn dense_values<T: Real>(&self, k: usize, block: u32, row: u32, vals: &mut [T]) -> T {
        if row == 0 {
            let block = &self.blocks[block as usize];
            let (before, after) = vals.split_at_mut(k);
            let out = &mut after[..block.rows as usize];
            block.values(&before[block.operands()], out);
            for (v, &c) in out.iter_mut().zip(&self.consts[block.outputs()]) {
                if c != 0.0 {
                    *v = *v + T::of(c);
                }
            }
        }
        vals[k]
    }

    pub fn eval(&self, x: &[f64]) -> Vec<f64> {
        let mut vals = Vec::new();
        self.eval_into(x, &mut vals);
        self.output_values(&vals)
    }

    pub fn output_values(&self, vals: &[f64]) -> Vec<f64> {
        self.outputs.iter().map(|&o| vals[o as usize]).collect()
    }

    pub fn linearize_into<T: Real>(&self, x: &[f64], lin: &mut Linearization<T>) {
        let len = self.len();
        let zero = T::of(0.0);
        for v in [&mut lin.vals, &mut lin.da, &mut lin.db] {
            v.clear();
            v.resize(len + 1, zero);
        }
        for k in 0..len {
            let [a, b] = self.args[k];
            let (xa, xb) = (lin.vals[a as usize], lin.vals[b as usize]);
            let (v, da, db) = match self.ops[k] {
                Op::Input => (T::of(x[a as usize]), zero, zero),
                Op::Const => (T::of(self.consts[k]), zero, zero),
                // A block row's partials are its weights, which the block keeps.
                Op::Dense => (self.dense_values(k, a, b, &mut lin.vals), zero, zero),
                op => {
                    let v = ops::value(op, xa, xb);
                    let (da, db) = ops::first(op, xa, xb, v);
                    (v, da, db)
                }
            };
            lin.vals[k] = v;
            lin.da[k] = da;
            lin.db[k] = db;
        }
    }

    pub fn linearize(&self, x: &[f64]) -> Linearization {
        let mut lin = Linearization::default();
        self.linearize_into(x, &mut lin);
        lin
    }

    /// Second partials of every node at the point of `lin`: (∂²/∂a², ∂²/∂a∂b, ∂²/∂b²).
    pub fn second_partials(&self, lin: &Linearization) -> Vec<(f64, f64, f64)> {
        (0..self.len())
            .map(|k| {
                let [a, b] = self.args[k];
                if self.ops[k] == Op::Dense {
                    return (0.0, 0.0, 0.0);
                }
                ops::second(self.ops[k], lin.vals[a as usize], lin.vals[b as usize], lin.vals[k])
            })
            .collect()
    }
}
