//! The primal sweeps: plain evaluation, and linearization (values plus every node's local
//! partials from the rule table), which all derivative sweeps then reuse. Buffers live in
//! the caller's `Linearization`, so repeated calls (dragging a point) allocate nothing.

use super::ops::{self, Op};
use super::tape::Tape;

/// Values and local partials of every node at one point. Slot `tape.ground()` is the
/// ground slot: value 0, partials 0.
#[derive(Clone, Debug, Default)]
pub struct Linearization {
    pub vals: Vec<f64>,
    pub da: Vec<f64>,
    pub db: Vec<f64>,
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
                op => ops::value(op, vals[a as usize], vals[b as usize]),
            };
        }
    }

    pub fn eval(&self, x: &[f64]) -> Vec<f64> {
        let mut vals = Vec::new();
        self.eval_into(x, &mut vals);
        self.output_values(&vals)
    }

    pub fn output_values(&self, vals: &[f64]) -> Vec<f64> {
        self.outputs.iter().map(|&o| vals[o as usize]).collect()
    }

    pub fn linearize_into(&self, x: &[f64], lin: &mut Linearization) {
        let len = self.len();
        for v in [&mut lin.vals, &mut lin.da, &mut lin.db] {
            v.clear();
            v.resize(len + 1, 0.0);
        }
        for k in 0..len {
            let [a, b] = self.args[k];
            let (xa, xb) = (lin.vals[a as usize], lin.vals[b as usize]);
            let (v, da, db) = match self.ops[k] {
                Op::Input => (x[a as usize], 0.0, 0.0),
                Op::Const => (self.consts[k], 0.0, 0.0),
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
                ops::second(self.ops[k], lin.vals[a as usize], lin.vals[b as usize], lin.vals[k])
            })
            .collect()
    }
}
