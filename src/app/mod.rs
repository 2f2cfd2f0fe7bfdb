//! The Leptos app. Components hold no math: they read signals, call `crate::view` for
//! display-ready data, and render it. Every interactive element has a `data-testid`.

mod analysis;
mod editor;
mod fd;
mod gallery;
mod link;
mod matrix;
mod pad;
mod passes;
mod point;

use crate::core::{Tape, Workspace};
use crate::examples::{Example, CLASSIC};
use crate::view::{self, ErrorView, Snapshot};
use leptos::prelude::*;

pub fn mount() {
    leptos::mount::mount_to_body(App);
}

/// The point as named coordinates, so editing the function keeps values by input name.
pub type NamedPoint = Vec<(String, f64)>;

/// App-wide state, shared with components through context.
#[derive(Clone, Copy)]
pub struct State {
    pub source: RwSignal<String>,
    pub point: RwSignal<NamedPoint>,
    /// Where Home returns to and what slider ranges are centred on.
    pub home: RwSignal<NamedPoint>,
    /// The two inputs the pad shows (indices into the inputs).
    pub axes: RwSignal<(usize, usize)>,
    pub note: RwSignal<String>,
    /// The pass being stepped through: direction, which input/output, steps taken.
    pub pass_kind: RwSignal<view::PassKind>,
    pub pass_dir: RwSignal<usize>,
    pub pass_step: RwSignal<usize>,
    pub tape: Memo<Tape>,
    pub errors: Memo<Vec<ErrorView>>,
    pub at: Memo<Vec<f64>>,
    pub snap: Memo<Snapshot>,
}

impl State {
    pub fn load(&self, ex: &Example) {
        let names = view::compile(ex.source).map(|t| t.inputs).unwrap_or_default();
        let p: NamedPoint = names.into_iter().zip(ex.at.iter().copied()).collect();
        self.home.set(p.clone());
        self.point.set(p);
        self.axes.set((0, 1));
        self.note.set(ex.note.to_string());
        self.pass_dir.set(0);
        self.pass_step.set(0);
        self.source.set(ex.source.to_string());
    }

    pub fn set_coordinate(&self, name: &str, v: f64) {
        self.point.update(|p| match p.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = v,
            None => p.push((name.to_string(), v)),
        });
    }

    /// Slider / pad range of the input called `name`.
    pub fn range(&self, name: &str) -> (f64, f64) {
        let home = self.home.with(|h| h.iter().find(|(n, _)| n == name).map(|e| e.1));
        view::input_range(home.unwrap_or(1.0))
    }
}

pub fn point_for(tape: &Tape, point: &NamedPoint) -> Vec<f64> {
    let names: Vec<String> = point.iter().map(|(n, _)| n.clone()).collect();
    let vals: Vec<f64> = point.iter().map(|(_, v)| *v).collect();
    view::adapt_point(&names, &vals, &tape.inputs)
}

#[component]
fn App() -> impl IntoView {
    let source = RwSignal::new(String::new());
    let point: RwSignal<NamedPoint> = RwSignal::new(Vec::new());
    let home: RwSignal<NamedPoint> = RwSignal::new(Vec::new());
    let compiled: Memo<Result<Tape, Vec<ErrorView>>> = Memo::new(move |_| view::compile(&source.get()));
    // The last function that compiled: a broken edit never blanks the results.
    let tape: Memo<Tape> = Memo::new(move |prev: Option<&Tape>| {
        compiled.with(|c| match c {
            Ok(t) => t.clone(),
            Err(_) => prev.cloned().unwrap_or_else(|| view::compile(CLASSIC.source).expect("the classic example compiles")),
        })
    });
    let errors = Memo::new(move |_| compiled.with(|c| c.as_ref().err().cloned().unwrap_or_default()));
    let at = Memo::new(move |_| tape.with(|t| point.with(|p| point_for(t, p))));
    let snap: Memo<Snapshot> = Memo::new(move |_| {
        let mut ws = Workspace::default();
        tape.with(|t| at.with(|x| view::snapshot(t, x, &mut ws)))
    });
    let state = State {
        source,
        point,
        home,
        axes: RwSignal::new((0, 1)),
        note: RwSignal::new(String::new()),
        pass_kind: RwSignal::new(view::PassKind::Forward),
        pass_dir: RwSignal::new(0),
        pass_step: RwSignal::new(0),
        tape,
        errors,
        at,
        snap,
    };
    state.load(&CLASSIC);
    let link_problems = link::apply_location(&state);
    link::mirror_to_location(state);
    provide_context(state);
    let stale = Signal::derive(move || !errors.with(Vec::is_empty));

    view! {
        <header class="top">
            <h1>"Jacobian Playground"</h1>
            <p class="tagline">"Type a function f: Rⁿ → Rᵐ, move the point, and watch J change."</p>
        </header>
        <link::LinkProblems problems=link_problems/>
        <main class="layout">
            <section class="panel editor-panel" aria-label="Function">
                <gallery::Gallery/>
                <editor::Editor source=source errors=errors/>
            </section>
            <section class="panel point-panel" aria-label="Point">
                <pad::Pad/>
                <point::PointFields/>
            </section>
            <section class="panel matrix-panel" aria-label="Jacobian">
                <matrix::JacobianView snap=snap stale=stale/>
            </section>
            <section class="panel pass-panel" aria-label="Forward and reverse passes">
                <passes::PassView/>
            </section>
            <section class="panel fd-panel" aria-label="Finite differences">
                <fd::FdPanel/>
            </section>
            <section class="panel analysis-panel" aria-label="Second order and cost">
                <analysis::SecondOrderView/>
                <analysis::CostView/>
            </section>
        </main>
    }
}
