//! How much work each side view may do per point. They are recomputed as the point moves,
//! so each stays within a few tens of milliseconds, and one that would not says why
//! instead of freezing the page.

use crate::core::Tape;

/// The side views' computations that grow with n and m.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Part {
    /// The finite-difference maps and their step sweep: about 45 evaluations of f per input.
    Fd,
    /// Every strategy once for the cost table: about 6 sweeps per input and 2 per output.
    Cost,
    /// The Hessian's forward-over-reverse sweeps: about 3 per input.
    Hessian,
}

/// Node visits one part may cost per point (the FD sweep: `FD_VISITS`). The parts run in
/// one task, which must stay well inside a frame budget of 200 ms in the browser.
pub const PART_VISITS: usize = 10_000_000;

/// The FD sweep's limit is lower: its evaluations run for longest per visit in the browser.
pub const FD_VISITS: usize = 5_000_000;

impl Part {
    pub fn visits(self, tape: &Tape) -> usize {
        let (n, m) = (tape.n(), tape.m());
        tape.work().saturating_mul(match self {
            Part::Fd => 45 * n,
            Part::Cost => 6 * n + 2 * m + 8,
            Part::Hessian => 3 * n,
        })
    }

    pub fn limit(self) -> usize {
        if self == Part::Fd {
            FD_VISITS
        } else {
            PART_VISITS
        }
    }

    pub fn fits(self, tape: &Tape) -> bool {
        self.visits(tape) <= self.limit()
    }

    /// Why this part is not computed for `tape`, or None when it is.
    pub fn too_large(self, tape: &Tape) -> Option<String> {
        let visits = self.visits(tape);
        (visits > self.limit()).then(|| {
            format!(
                "Not computed as you move the point: for this f ({} inputs) it would take about {} million operations per point (limit {} million). J above is exact.",
                tape.n(),
                visits.div_ceil(1_000_000),
                self.limit() / 1_000_000
            )
        })
    }
}
