//! The body of the fuzz target, kept in the library so regression tests replay crashes
//! through exactly the same code.

use crate::core::hessian::hessian;
use crate::core::jacobian::{jacobian, Strategy, Workspace};
use crate::core::trace::{forward_trace, reverse_trace};
use crate::core::{compile_source, fd};

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
            Some(&b) if b == 255 => f64::NAN,
            Some(&b) if b == 254 => f64::INFINITY,
            Some(&b) => (b as f64 - 128.0) / 16.0,
            None => 0.5 + j as f64,
        })
        .collect();
    let mut ws = Workspace::default();
    for s in Strategy::ALL {
        let r = jacobian(&tape, &x, s, &mut ws);
        assert_eq!((r.j.rows, r.j.cols), (tape.m(), tape.n()));
    }
    let lin = tape.linearize(&x);
    let _ = forward_trace(&tape, &lin, 0);
    let _ = reverse_trace(&tape, &lin, 0);
    let _ = tape.print(Some(&lin.vals), Some((&lin.da, &lin.db)));
    if tape.m() == 1 {
        let _ = hessian(&tape, &x, 0);
    }
    let exact = jacobian(&tape, &x, Strategy::Forward, &mut ws).j;
    let _ = fd::step_sweep(&tape, &x, &exact);
}
