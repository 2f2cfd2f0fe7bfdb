//! The base types every strategy returns: a dense row-major matrix and what computing it
//! cost. They sit below everything that computes a Jacobian, so the strategies, finite
//! differences, complex step and the Hessian all import them from here and none from
//! each other.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    /// Derivative sweeps over the tape (a batched sweep carrying k directions is one), or
    /// the perturbed evaluations of f for finite differences and the complex step.
    pub passes: usize,
    /// Plain evaluations of f at the point besides those (the primal sweep): 0 or 1.
    pub primal: usize,
    pub node_visits: usize,
    /// Bytes of tangent / adjoint (or perturbed value) storage.
    pub bytes: usize,
}

/// Row-major m × n.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix { rows, cols, data: vec![0.0; rows * cols] }
    }
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[i * self.cols + j] = v;
    }
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }
    /// The entry at (i, j), or None outside the matrix (a view can ask with another
    /// function's indices for a moment).
    pub fn entry(&self, i: usize, j: usize) -> Option<f64> {
        (i < self.rows && j < self.cols).then(|| self.data[i * self.cols + j])
    }
    /// The rows in order (none for a 0-row matrix, and empty ones for 0 columns).
    pub fn rows_iter(&self) -> impl ExactSizeIterator<Item = &[f64]> {
        (0..self.rows).map(move |i| self.row(i))
    }
    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        self.rows_iter().map(<[f64]>::to_vec).collect()
    }
    /// Resizes to rows × cols and zeroes, reusing the allocation.
    pub fn reset(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.clear();
        self.data.resize(rows * cols, 0.0);
    }
    /// Resizes to rows × cols, reusing the allocation, for a caller that writes every
    /// entry: no pass zeroing what it overwrites.
    pub fn reshape_for_overwrite(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.resize(rows * cols, 0.0);
    }
    /// Whether every entry is finite: it runs on every J while a point is dragged, so in
    /// one pass of running sums without a branch per entry (`real::all_finite`).
    pub fn all_finite(&self) -> bool {
        super::real::all_finite(&self.data)
    }
    pub fn max_abs(&self) -> f64 {
        self.data.iter().fold(0.0, |m, v| m.max(v.abs()))
    }
}
