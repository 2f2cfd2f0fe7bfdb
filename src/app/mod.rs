//! The Leptos app. Components hold no math: they read signals, call `crate::view` for
//! display-ready data, and render it. Every interactive element has a `data-testid`.

mod analysis;
mod batch;
mod dom;
mod editor;
mod export;
mod fd;
mod gallery;
mod heat;
mod linear;
mod link;
mod matrix;
pub mod pad;
mod paint;
mod passes;
mod point;
mod schedule;
mod sharing;
mod state;
mod worker;

pub use dom::{always_changed, context_2d, copy_text, fetch_text, flag, put_rgba, text, too_large};
pub use state::{point_for, NamedPoint, State};

use crate::examples::CLASSIC;
use crate::share::View;
use leptos::prelude::*;

/// Mounts the app and, in the same task (so no frame shows both or neither), removes the
/// prerendered copy of the first screen that scripts/prerender.mjs put in the page.
/// The page's link is read first (a compact one is inflated by the browser, which takes a
/// promise; the prerendered copy is only ever shown for a page without a link, and then
/// this all runs in the task that started the app).
pub fn mount() {
    // Numbers are read by the browser's parser (core/decimal.rs says why), from the first
    // one on: the link's point is read next.
    crate::core::decimal::install_host(js_sys::parse_float);
    // `auto` times its rivals where the cost model is unsure (core/auto.rs).
    crate::core::auto::install_clock(|| web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now()));
    link::with_location_link(Box::new(|link| {
        leptos::mount::mount_to_body(move || view! { <App link=link/> });
        worker::mounted();
        if let Some(pre) = document().get_element_by_id("pre") {
            pre.remove();
        }
        if let Some(html) = document().document_element() {
            let _ = html.class_list().remove_1("pre");
        }
    }));
}

#[component]
fn App(link: crate::share::LinkState) -> impl IntoView {
    let embed = link.embed || dom::framed();
    let state = State::new(embed);
    let compiled = state.compiled;
    let snap = state.snap;
    let source = state.source;
    state.load(&CLASSIC);
    let link_source = StoredValue::new(None);
    let pristine = link::pristine_query(&state);
    let opened = link::open(&state, &link, link_source);
    let offer = link::Offer { query: RwSignal::new(String::new()), from_tab: RwSignal::new(false) };
    link::mirror(state, link_source, pristine, offer);
    provide_context(state);
    let stale = Signal::derive(move || compiled.with(Result::is_err));
    // A matrix input is painted, not dragged: the paint pad takes the 2-D pad's place, and
    // the sliders' too where the image is the only input.
    let image = move || state.tape.with(|t| crate::view::paint::image_input(t).map(|i| i.rows * i.cols == t.n()));
    let painted = flag(move || image().is_some());
    let image_only = flag(move || image() == Some(true));

    let announcement = schedule::announcements(state);
    if embed {
        if let Some(body) = document().body() {
            let _ = body.class_list().add_1("embed");
        }
    }
    let full = RwSignal::new(String::from("./"));
    // Set just before it is followed (not per frame while dragging).
    let refresh_full = move || full.set(link::addresses(&state).readable);
    let closed = move |v: View| sharing::view_closed(state, v);
    view! {
        <header class="top">
            <h1>"Jacobian Playground"</h1>
            <p class="tagline">"Type a function f: Rⁿ → Rᵐ, move the point, and watch J change."</p>
            <a class="open-full" data-testid="open-full" target="_blank" rel="noopener" href=full
                on:pointerdown=move |_| refresh_full() on:focus=move |_| refresh_full()>"Open in the full playground ↗"</a>
        </header>
        <sharing::Toolbar/>
        <link::LinkBanner opened=opened link_source=link_source offer=offer/>
        <main class="layout">
            <p class="sr-only" role="status" aria-live="polite" data-testid="announce">{announcement}</p>
            <section class="panel editor-panel" aria-label="Function">
                <gallery::Gallery/>
                <editor::Editor source=source compiled=compiled/>
            </section>
            // Painting, the 2-D pad is hidden, and the sliders too where the image is the only
            // input (style/main.css: a class here, not wrappers, costs the least wasm).
            <section class="panel point-panel" class:painting=painted class:only=image_only aria-label="Point">
                <pad::Pad/>
                <pad::NewtonTarget/>
                <paint::PaintPad/>
                <point::PointFields/>
            </section>
            <section class="panel matrix-panel" aria-label="Jacobian">
                <matrix::JacobianView snap=snap stale=stale/>
            </section>
            <section class="panel pass-panel" hidden=closed(View::Passes) aria-label="Forward and reverse passes">
                <passes::PassView/>
            </section>
            <section class="panel linear-panel" hidden=closed(View::Linear) aria-label="Local linearisation">
                <linear::LinearPanel/>
            </section>
            <section class="panel fd-panel" hidden=closed(View::Fd) aria-label="Finite differences">
                <fd::FdPanel/>
            </section>
            <section class="panel analysis-panel" hidden=closed(View::Analysis) aria-label="Second order and cost">
                <analysis::SecondOrderView/>
                <analysis::CostView/>
            </section>
            <section class="panel export-panel" hidden=closed(View::Export) aria-label="Export">
                <export::ExportPanel/>
            </section>
            <section class="panel batch-panel" hidden=closed(View::Batch) aria-label="Batch">
                <batch::BatchPanel/>
            </section>
        </main>
    }
}
