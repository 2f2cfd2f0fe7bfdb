//! What a tensor node (`dense::Block`) computes: its kind, apart from the files that hold
//! the kinds' rules (`dense.rs`, `softmax.rs`, `reduce.rs`, `product.rs`), which all name it.

use super::ops::Op;

/// What a block computes from its operands: an affine map (its weights in `a`), a
/// gather (its rows' operands in `a`), a matrix product (its shape and any known factor in
/// `a`), or one of the nonlinear tensor nodes whose rules `softmax.rs` and `reduce.rs`
/// hold (their `a` is empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Linear,
    Softmax,
    LogSoftmax,
    /// One row: log Σ exp(xⱼ).
    LogSumExp,
    /// One row each: the largest operand, the least, and the Euclidean norm.
    Max,
    Min,
    Norm,
    /// Copies of some of its operands, row r of operand `a[r]` (a lane of a matrix that is
    /// not consecutive, such as a column), so that a node of another kind can read them
    /// as consecutive operands.
    Gather,
    /// A matrix product A·B (`product.rs`): its operands the variable factors' entries
    /// (A's then B's), its `a` the shape and a known factor's entries, if one is known.
    Product,
}

impl Kind {
    /// The name on the printed tape and in the pass view.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Linear => "dense",
            Kind::Softmax => "softmax",
            Kind::LogSoftmax => "log_softmax",
            Kind::LogSumExp => "logsumexp",
            Kind::Max => "max",
            Kind::Min => "min",
            Kind::Norm => "norm",
            Kind::Gather => "gather",
            Kind::Product => "matmul",
        }
    }

    /// Whether the kind is one row over its operands (a reduction), not one per operand.
    pub fn reduces(self) -> bool {
        matches!(self, Kind::LogSumExp | Kind::Max | Kind::Min | Kind::Norm)
    }

    /// The binary function a reduction folds (hypot for a norm): what the compiler
    /// writes out where the operands are not consecutive, and complex step's values.
    pub fn binary(self) -> Option<Op> {
        match self {
            Kind::Max => Some(Op::Max),
            Kind::Min => Some(Op::Min),
            Kind::Norm => Some(Op::Hypot),
            _ => None,
        }
    }

    /// Whether `reduce.rs` holds its rules (a one-row local Jacobian read from the values).
    pub fn gradient(self) -> bool {
        self.binary().is_some()
    }
}
