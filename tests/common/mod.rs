#![allow(dead_code)]
use jacobian_playground::core::{compile_source, Tape};
use jacobian_playground::core::{jacobian, Matrix, Strategy, Workspace};

pub fn tape(src: &str) -> Tape {
    compile_source(src).unwrap_or_else(|e| panic!("{src}: {}", e.iter().map(|d| d.render(src)).collect::<String>()))
}

pub fn jac(t: &Tape, x: &[f64], s: Strategy) -> Matrix {
    jacobian(t, x, s, &mut Workspace::default()).j
}

pub const EXACT: [Strategy; 5] =
    [Strategy::Forward, Strategy::Reverse, Strategy::BatchedForward, Strategy::BatchedReverse, Strategy::Sparse];

/// |got − want| ≤ rel·|want| + abs_scale·max|J| for every entry (NaN only matches NaN).
pub fn assert_close(got: &Matrix, want: &[Vec<f64>], rel: f64, abs_scale: f64, what: &str) {
    assert_eq!(got.rows, want.len(), "{what}: rows");
    let scale = want.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
    for (i, row) in want.iter().enumerate() {
        assert_eq!(got.cols, row.len(), "{what}: cols");
        for (j, &w) in row.iter().enumerate() {
            let g = got.get(i, j);
            if w.is_nan() {
                assert!(g.is_nan(), "{what}: J[{i}][{j}] = {g}, want NaN");
                continue;
            }
            let tol = rel * w.abs() + abs_scale * scale;
            assert!(
                (g - w).abs() <= tol,
                "{what}: J[{i}][{j}] = {g:e}, want {w:e} (diff {:e}, tol {tol:e})",
                (g - w).abs()
            );
        }
    }
}
