//! Everything beside J at one point, computed together so the side views share one exact
//! J.

use super::budget::Part;
use super::cost::{cost_rows, CostRow};
use super::fd::{fd_view, FdStep, FdView};
use super::linear;
use super::second::{second_order, SecondOrder};
use crate::core::{Matrix, Tape, Workspace};

/// What the panels beside the Jacobian show at one point (finite differences, second
/// order, linearisation, cost): computed together so they share one exact J.
#[derive(Clone, Debug, PartialEq)]
pub struct Panels {
    /// None beyond `Part::Fd`'s budget; the cost rows are empty beyond `Part::Cost`'s.
    pub fd: Option<FdView>,
    pub second: SecondOrder,
    pub linear: linear::LinearView,
    pub cost: Vec<CostRow>,
}

/// The size of the linearisation's neighbourhood: its radius as a fraction of the pad
/// inputs' half-ranges (`neighbourhood_radius`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Neighbourhood {
    Tiny,
    #[default]
    Small,
    Medium,
    Large,
}

impl Neighbourhood {
    pub const ALL: [Neighbourhood; 4] =
        [Neighbourhood::Tiny, Neighbourhood::Small, Neighbourhood::Medium, Neighbourhood::Large];
    pub fn fraction(self) -> f64 {
        match self {
            Neighbourhood::Tiny => 0.02,
            Neighbourhood::Small => 0.15,
            Neighbourhood::Medium => 0.4,
            Neighbourhood::Large => 1.0,
        }
    }
    /// As the menu and links spell it.
    pub fn key(self) -> &'static str {
        match self {
            Neighbourhood::Tiny => "tiny",
            Neighbourhood::Small => "small",
            Neighbourhood::Medium => "medium",
            Neighbourhood::Large => "large",
        }
    }
    pub fn from_key(text: &str) -> Option<Neighbourhood> {
        Neighbourhood::ALL.into_iter().find(|n| n.key() == text)
    }
}

/// The choices made in the side panels' own menus: one value (one signal in the page, and
/// one signal type: each costs the page's wasm), read together by `panels` anyway.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PanelMenus {
    pub fd_step: FdStep,
    pub neighbourhood: Neighbourhood,
}

/// The linearisation's radius: a fraction of the smaller half-range of the pad's two
/// inputs, so the circle fits the pad whichever input is zoomed.
pub fn neighbourhood_radius(fraction: f64, ranges: [(f64, f64); 2]) -> f64 {
    let half = |(lo, hi): (f64, f64)| (hi - lo) / 2.0;
    fraction * half(ranges[0]).min(half(ranges[1]))
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanelChoices {
    /// The finite-difference step for the heat maps.
    pub fd_step: FdStep,
    pub inputs: (usize, usize),
    pub outputs: (usize, usize),
    pub radius: f64,
}

/// The panels at `at`, given the exact J there (the one J's own view shows: it is not
/// computed again).
pub fn panels(tape: &Tape, at: &[f64], j: &Matrix, c: PanelChoices, ws: &mut Workspace) -> Panels {
    Panels {
        fd: Part::Fd.fits(tape).then(|| fd_view(tape, at, j, c.fd_step)),
        second: second_order(tape, at, j),
        linear: linear::linear_view(tape, at, j, c.inputs, c.outputs, c.radius),
        cost: if Part::Cost.fits(tape) { cost_rows(tape, at, j, ws) } else { Vec::new() },
    }
}
