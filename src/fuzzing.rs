//! The body of the fuzz target, kept in the library so regression tests replay crashes
//! through exactly the same code.

use crate::core::eval::Linearization;
use crate::core::hessian::hessian;
use crate::core::jacobian::forward_columns;
use crate::core::trace::{forward_trace, reverse_trace};
use crate::core::Tape;
use crate::core::{compile_source, fd};
use crate::core::{jacobian, Matrix, Strategy, Workspace};

/// Source text is the input up to the first NUL; the bytes after it pick the point.
pub fn fuzz_one(data: &[u8]) {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let src = String::from_utf8_lossy(&data[..split]);
    let point_bytes = data.get(split + 1..).unwrap_or(&[]);
    let tape = match compile_source(&src) {
        Ok(t) => t,
        Err(diags) => {
            for d in &diags {
                let _ = d.render(&src);
            }
            return;
        }
    };
    if tape.n() > 16 || tape.len() > 20_000 {
        return;
    }
    let x: Vec<f64> = (0..tape.n())
        .map(|j| match point_bytes.get(j) {
            Some(255) => f64::NAN,
            Some(254) => f64::INFINITY,
            Some(&b) => (b as f64 - 128.0) / 16.0,
            None => 0.5 + j as f64,
        })
        .collect();
    let mut ws = Workspace::default();
    let lin = tape.linearize(&x);
    let magnitude = path_magnitude(&tape, &lin);
    let forward = jacobian(&tape, &x, Strategy::Forward, &mut ws).j;
    for s in Strategy::ALL {
        let r = jacobian(&tape, &x, s, &mut ws);
        assert_eq!((r.j.rows, r.j.cols), (tape.m(), tape.n()));
        if s.is_exact() {
            if let Err(e) = exact_agree(&r.j, &forward, &magnitude, 1e-9) {
                panic!("{} disagrees with forward: {e}", s.name());
            }
        }
    }
    let _ = forward_trace(&tape, &lin, 0);
    let _ = reverse_trace(&tape, &lin, 0);
    // The pass view, node by node or (a big network) operation by operation, at its start,
    // midway and end.
    for kind in [crate::view::PassKind::Forward, crate::view::PassKind::Reverse] {
        let steps = crate::view::pass_state(&tape, &x, kind, 0, 0).steps;
        for taken in [1, steps / 2, steps + 1] {
            let p = crate::view::pass_state(&tape, &x, kind, 0, taken);
            assert!(p.taken <= p.steps && p.rows.len() <= crate::view::MAX_TRACE_ROWS);
        }
    }
    let _ = tape.print(Some(&lin.vals), Some((&lin.da, &lin.db)));
    if tape.m() == 1 {
        let _ = hessian(&tape, &x, 0);
    }
    let _ = fd::step_sweep(&tape, &x, &forward);
    // J's formulas (the Export view's "Formulas", written by the worker) never panic.
    let _ = crate::view::formulas::formulas_text(&src, &tape, &x);
    // Nor does its MathML, and the chain rule's factors (bindings or operations) multiply
    // out to J wherever they are finite.
    let _ = crate::view::mathml::j_markup(&src, &tape, &x, &forward);
    if let Ok(c) = crate::view::chain::chain(&src, &tape, &x) {
        let finite = |m: &Matrix| m.data.iter().all(|v| v.is_finite());
        if c.factors.iter().all(finite) && finite(&forward) {
            let mut p = c.factors[0].clone();
            for f in &c.factors[1..] {
                p = crate::view::chain::product(f, &p);
            }
            if let Err(e) = exact_agree(&p, &forward, &magnitude, 1e-9) {
                panic!("the chain rule's product disagrees with J: {e}");
            }
        }
    }
    if tape.variables.iter().any(|v| v.param) {
        by_everything_agrees(&src, &tape, &x, &forward, &magnitude);
    }
}

/// With parameters: J by every name, its input columns, is J by the inputs (the same
/// function, the parameters compiled as inputs instead of constants).
fn by_everything_agrees(src: &str, tape: &Tape, x: &[f64], forward: &Matrix, magnitude: &Matrix) {
    let (program, _) = crate::core::parser::parse(src);
    let given: Vec<(String, f64)> = tape.inputs.iter().cloned().zip(x.iter().copied()).collect();
    let Ok(all) = crate::core::compile::compile_with(&program, crate::core::compile::Wrt::All, &given) else {
        panic!("compiles by the inputs but not by every name")
    };
    if all.n() > 64 || all.len() > 20_000 {
        return;
    }
    let at = all.point_from(&given);
    let j = jacobian(&all, &at, Strategy::Forward, &mut Workspace::default()).j;
    let columns: Vec<usize> =
        all.inputs.iter().enumerate().filter(|(_, n)| tape.inputs.contains(n)).map(|(k, _)| k).collect();
    assert_eq!(columns.len(), tape.n());
    let mut inputs_only = Matrix { rows: j.rows, cols: columns.len(), data: Vec::new() };
    for i in 0..j.rows {
        inputs_only.data.extend(columns.iter().map(|&k| j.get(i, k)));
    }
    if let Err(e) = exact_agree(&inputs_only, forward, magnitude, 1e-9) {
        panic!("J by every name disagrees with J by the inputs: {e}");
    }
}

/// The Jacobian of |partials|: for each entry, the sum of |path products|, which bounds
/// how far two summation orders of the same paths can round apart.
pub fn path_magnitude(tape: &Tape, lin: &Linearization) -> Matrix {
    let mut abs = lin.clone();
    abs.da.iter_mut().chain(abs.db.iter_mut()).for_each(|p| *p = p.abs());
    // A dense block's partials are its weights; a softmax kind's, its local Jacobian at
    // the point, which the copy holds as weights.
    let mut abs_tape = tape.clone();
    for b in &mut abs_tape.blocks {
        if b.kind != crate::core::dense::Kind::Linear {
            let (rows, cols) = (b.rows as usize, b.cols as usize);
            b.a = (0..rows * cols).map(|e| b.partial(e / cols, e % cols, &lin.vals)).collect();
            b.kind = crate::core::dense::Kind::Linear;
        }
    }
    abs_tape.blocks.iter_mut().flat_map(|b| b.a.iter_mut()).for_each(|w| *w = w.abs());
    forward_columns(&abs_tape, &abs, &mut Vec::new()).0
}

/// Two exact strategies' J agree: entry by entry the same ∞, −∞ or NaN, and finite
/// entries within `rel` of the path magnitude (where that is finite; where a path is
/// infinite only the kind of value is compared).
pub fn exact_agree(a: &Matrix, b: &Matrix, magnitude: &Matrix, rel: f64) -> Result<(), String> {
    for (k, ((&x, &y), &mag)) in a.data.iter().zip(&b.data).zip(&magnitude.data).enumerate() {
        let (i, j) = (k / a.cols.max(1), k % a.cols.max(1));
        let same_kind = if x.is_finite() || y.is_finite() {
            x.is_finite() && y.is_finite()
        } else {
            x.is_nan() == y.is_nan() && (x.is_nan() || x == y)
        };
        if !same_kind {
            return Err(format!("J[{i}][{j}]: {x} vs {y}"));
        }
        if x.is_finite() && mag.is_finite() && (x - y).abs() > rel * mag {
            return Err(format!("J[{i}][{j}]: {x:e} vs {y:e} (path magnitude {mag:e})"));
        }
    }
    Ok(())
}
