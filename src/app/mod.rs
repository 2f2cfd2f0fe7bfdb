//! The Leptos app. Components hold no math: they read signals, call `crate::view` for
//! display-ready data, and render it. Every interactive element has a `data-testid`.

mod editor;
mod matrix;
mod point;

use crate::examples::CLASSIC;
use crate::view::{self, ErrorView, Snapshot};
use crate::core::{Tape, Workspace};
use leptos::prelude::*;

pub fn mount() {
    leptos::mount::mount_to_body(App);
}

/// The point as named coordinates, so editing the function keeps values by input name.
pub type NamedPoint = Vec<(String, f64)>;

pub fn point_for(tape: &Tape, point: &NamedPoint) -> Vec<f64> {
    let names: Vec<String> = point.iter().map(|(n, _)| n.clone()).collect();
    let vals: Vec<f64> = point.iter().map(|(_, v)| *v).collect();
    view::adapt_point(&names, &vals, &tape.inputs)
}

#[component]
fn App() -> impl IntoView {
    let source = RwSignal::new(CLASSIC.source.to_string());
    let names = ["x1", "x2", "x3"];
    let point: RwSignal<NamedPoint> =
        RwSignal::new(CLASSIC.at.iter().zip(names).map(|(v, n)| (n.to_string(), *v)).collect());

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

    view! {
        <header class="top">
            <h1>"Jacobian Playground"</h1>
            <p class="tagline">"Type a function f: Rⁿ → Rᵐ, move the point, and watch J change."</p>
        </header>
        <main class="layout">
            <section class="panel editor-panel" aria-label="Function">
                <editor::Editor source=source errors=errors/>
            </section>
            <section class="panel point-panel" aria-label="Point">
                <point::PointFields snap=snap point=point/>
            </section>
            <section class="panel matrix-panel" aria-label="Jacobian">
                <matrix::JacobianView snap=snap stale=Signal::derive(move || !errors.with(Vec::is_empty))/>
            </section>
        </main>
    }
}
