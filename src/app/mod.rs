//! The Leptos app. Components hold no math: they read signals, call `crate::view` for
//! display-ready data, and render it. Every interactive element has a `data-testid`.

mod analysis;
mod editor;
mod export;
mod fd;
mod gallery;
mod heat;
mod linear;
mod link;
mod matrix;
pub mod pad;
mod passes;
mod point;
mod sharing;

use crate::core::{Tape, Workspace};
use crate::examples::{Example, CLASSIC};
use crate::share::View;
use crate::view::field::FieldKind;
use crate::view::{self, ErrorView, Snapshot};
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
    link::with_location_link(Box::new(|link| {
        leptos::mount::mount_to_body(move || view! { <App link=link/> });
        if let Some(pre) = document().get_element_by_id("pre") {
            pre.remove();
        }
        if let Some(html) = document().document_element() {
            let _ = html.class_list().remove_1("pre");
        }
    }));
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
    /// The pad's (and the sliders') range per input, where it was zoomed or has followed
    /// the point: its low and its high end (the point's own type: no new signal type in
    /// the page). Other inputs' ranges come from `home`.
    pub ranges: RwSignal<NamedPoint>,
    /// The two inputs the pad shows (indices into the inputs).
    pub axes: RwSignal<(usize, usize)>,
    pub note: RwSignal<String>,
    /// The pass being stepped through: direction, which input/output, steps taken.
    pub pass_kind: RwSignal<view::PassKind>,
    pub pass_dir: RwSignal<usize>,
    pub pass_step: RwSignal<usize>,
    /// True while the pad is being dragged.
    pub dragging: RwSignal<bool>,
    /// What the pad's background shows.
    pub field_kind: RwSignal<FieldKind>,
    /// The two outputs the linearisation view plots, and its radius as a fraction of the
    /// input range.
    pub lin_outputs: RwSignal<(usize, usize)>,
    /// Index into `view::LIN_SCALES`.
    pub lin_scale: RwSignal<usize>,
    /// The finite-difference step the heat maps use: 0 for the tuned steps, else
    /// `view::FD_STEPS[k - 1]`. (Indices, not values: one signal type fewer in the page.)
    pub fd_h: RwSignal<usize>,
    /// Which side views are open (`share::View::bit`).
    pub views: RwSignal<u8>,
    /// False until the first paint: the side views stay hidden (unlaid-out) until then, so
    /// the first frame lays out the function, the point and J only.
    pub side_shown: RwSignal<bool>,
    /// Embedded in another page (`embed=1`, or framed): compact, saves nothing.
    pub embed: bool,
    pub tape: Memo<Tape>,
    pub errors: Memo<Vec<ErrorView>>,
    pub at: Memo<Vec<f64>>,
    /// `at`, but while dragging it follows once per animation frame: the heavy panels
    /// (finite differences, cost, second order, linearisation) read this, so a pointer
    /// move only pays for the Jacobian, the pad and the pass view.
    pub slow_at: RwSignal<Vec<f64>>,
    /// `slow_at` one task later (the same frame while dragging): the pass view and the
    /// field follow it, so for a big function no one task computes every view.
    pub late_at: RwSignal<Vec<f64>>,
    pub snap: Memo<Snapshot>,
    /// The panels beside J (finite differences, second order, linearisation, cost) at
    /// `slow_at`; None only before the first point.
    pub panels: Memo<Option<view::Panels>>,
    /// The pass being stepped through, at `late_at`: the pass view shows it, and J shows
    /// the entries it has filled while it is under way.
    pub pass: Memo<view::PassState>,
}

impl State {
    pub fn load(&self, ex: &Example) {
        self.source.set(ex.source.to_string());
        let (names, n, m) = self.compiled_shape().unwrap_or_default();
        self.field_kind.set(FieldKind::default_for(n, m));
        let p: NamedPoint = names.into_iter().zip(ex.at.iter().copied()).collect();
        self.home.set(p.clone());
        self.ranges.set(Vec::new());
        self.point.set(p);
        self.axes.set((0, 1));
        self.lin_outputs.set((0, 1));
        self.note.set(ex.note.to_string());
        self.pass_dir.set(0);
        self.pass_step.set(0);
    }

    /// The current source's input names, n and m, if it compiles (read from the compiled
    /// memo, so a function set just before is compiled once, not again here).
    pub fn compiled_shape(&self) -> Option<(Vec<String>, usize, usize)> {
        if !self.errors.with_untracked(Vec::is_empty) {
            return None;
        }
        Some(self.tape.with_untracked(|t| (t.inputs.clone(), t.n(), t.m())))
    }

    /// Reads the side panels without a memo per panel: each memo type costs wasm, and
    /// these all change together anyway.
    pub fn with_panels<R>(&self, f: impl FnOnce(Option<&view::Panels>) -> R) -> R {
        self.panels.with(|p| f(p.as_ref()))
    }

    /// Sets a coordinate; the view follows it off the pad (`view::follow`), or, for a
    /// typed one (`margin` 0.1), off the pad's middle.
    pub fn set_coordinate(&self, name: &str, v: f64) {
        self.set_coordinate_within(name, v, 0.0)
    }

    pub fn set_coordinate_within(&self, name: &str, v: f64, margin: f64) {
        let range = self.range_untracked(name);
        let followed = view::follow(range, v, margin);
        if followed != range {
            self.set_range(name, followed);
        }
        self.point.update(|p| match p.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = v,
            None => p.push((name.to_string(), v)),
        });
    }

    /// Slider / pad range of the input called `name`.
    pub fn range(&self, name: &str) -> (f64, f64) {
        self.ranges.track();
        self.home.track();
        self.range_untracked(name)
    }

    fn range_untracked(&self, name: &str) -> (f64, f64) {
        // Entries come in pairs: (name, low), (name, high).
        if let Some(r) = self.ranges.with_untracked(|r| r.chunks(2).find(|e| e[0].0 == name).map(|e| (e[0].1, e[1].1)))
        {
            return r;
        }
        let home = self.home.with_untracked(|h| h.iter().find(|(n, _)| n == name).map(|e| e.1));
        view::input_range(home.unwrap_or(1.0))
    }

    pub fn set_range(&self, name: &str, (lo, hi): (f64, f64)) {
        self.ranges.update(|r| {
            r.retain(|(n, _)| n != name);
            r.extend([(name.to_string(), lo), (name.to_string(), hi)]);
        });
    }
}

/// Copies `value` with the Clipboard API where the page may use it; otherwise (or if the
/// browser refuses) `select` selects the text for Ctrl+C and says so in `status`.
pub fn copy_text(value: String, select: Box<dyn Fn()>, status: RwSignal<String>) {
    let fallback = move || {
        select();
        status.set("Selected: press Ctrl+C (⌘C) to copy.".into());
    };
    let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else { return fallback() };
    if clipboard.is_undefined() {
        return fallback();
    }
    let promise = clipboard.write_text(&value);
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => status.set("Copied.".into()),
            Err(_) => fallback(),
        }
    });
}

/// The 2-D drawing context of a canvas, if the browser gives one.
pub fn context_2d(el: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    use wasm_bindgen::JsCast;
    el.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// Says why a side view is empty when the function is too large for it to follow the point.
pub fn too_large(state: State, part: view::budget::Part) -> impl IntoView {
    let why = text(move || state.tape.with(|t| part.too_large(t)).unwrap_or_default());
    view! { <p class="muted too-large" data-testid="too-large" hidden=flag(move || why.with(String::is_empty))>{why}</p> }
}

/// Reactive text through one concrete type. Each `move ||` closure rendered directly gets
/// its own copy of the render and effect code; a derived `Signal<String>` shares one
/// (ARCHITECTURE.md gives the size this saves).
pub fn text<T: Into<String>>(f: impl Fn() -> T + Send + Sync + 'static) -> Signal<String> {
    Signal::derive(move || f().into())
}

/// A reactive flag (`hidden`, `class:x`, `prop:selected`) through one concrete type, for
/// the same reason as `text`.
pub fn flag(f: impl Fn() -> bool + Send + Sync + 'static) -> Signal<bool> {
    Signal::derive(f)
}

/// The compare function for memos whose value is new on nearly every recomputation (J, the
/// side panels, a pass's state): the derived `PartialEq` over every field would be
/// compiled into the page per type and would almost never find them equal.
pub fn always_changed<T>(_: Option<&T>, _: Option<&T>) -> bool {
    true
}

pub fn point_for(tape: &Tape, point: &NamedPoint) -> Vec<f64> {
    let names: Vec<String> = point.iter().map(|(n, _)| n.clone()).collect();
    let vals: Vec<f64> = point.iter().map(|(_, v)| *v).collect();
    view::adapt_point(&names, &vals, &tape.inputs)
}

/// Inside another page's frame? (Comparing `top` with `self` is allowed cross-origin.)
fn framed() -> bool {
    web_sys::window().is_some_and(|w| match w.top() {
        Ok(Some(top)) => !js_sys::Object::is(top.as_ref(), w.as_ref()),
        _ => false,
    })
}

fn panels_memo(state: State) -> Memo<Option<view::Panels>> {
    Memo::new_with_compare(
        move |prev: Option<&Option<view::Panels>>| {
            let (inputs, outputs) = (state.axes.get(), state.lin_outputs.get());
            let scale = view::LIN_SCALES.get(state.lin_scale.get()).map_or(0.15, |s| s.0);
            let fd_h = state.fd_h.get().checked_sub(1).and_then(|k| view::FD_STEPS.get(k).copied());
            let now = state.tape.with(|t| {
                state.slow_at.with(|x| {
                    if x.len() != t.n() {
                        return None;
                    }
                    // The neighbourhood radius: a fraction of the pad inputs' half-ranges.
                    let half = |k: usize| {
                        let (lo, hi) = state.range(&t.inputs[k.min(t.n() - 1)]);
                        (hi - lo) / 2.0
                    };
                    let choices = view::PanelChoices {
                        fd_h,
                        inputs,
                        outputs,
                        radius: scale * half(inputs.0).min(half(inputs.1)),
                    };
                    Some(view::panels(t, x, choices, &mut Workspace::default()))
                })
            });
            // While the function and the point disagree for a moment, keep the last picture.
            now.or_else(|| prev.cloned().flatten())
        },
        always_changed,
    )
}

fn pass_memo(state: State) -> Memo<view::PassState> {
    Memo::new_with_compare(
        move |_| {
            let (kind, dir, taken) = (state.pass_kind.get(), state.pass_dir.get(), state.pass_step.get());
            // At `late_at`, in a task after an edit's own and the panels', and once per frame
            // while dragging. Until it catches up with a new function, at `at`.
            state.tape.with(|t| {
                state.late_at.with(|x| {
                    if x.len() == t.n() {
                        view::pass_state(t, x, kind, dir, taken)
                    } else {
                        state.at.with_untracked(|x| view::pass_state(t, x, kind, dir, taken))
                    }
                })
            })
        },
        always_changed,
    )
}

/// What a screen reader hears after the point or function changes: the point and J, once
/// things have been still for 0.6 s (never per pointer move).
fn announcements(state: State) -> RwSignal<String> {
    let said = RwSignal::new(String::new());
    let generation = StoredValue::new(0usize);
    Effect::new(move |_| {
        state.slow_at.track();
        if state.dragging.get() {
            return;
        }
        generation.update_value(|g| *g += 1);
        let gen = generation.get_value();
        set_timeout(
            move || {
                if generation.get_value() == gen {
                    said.set(state.snap.with_untracked(view::announce));
                }
            },
            std::time::Duration::from_millis(600),
        );
    });
    said
}

/// Copies `at` into `slow` in a task of its own, or, while dragging, at most once per
/// animation frame; the first copy waits for the first paint, and the side views are shown
/// in the task before it. (A coarser rhythm would not help: the side panels are not what
/// a move waits on.)
fn follow_per_frame(
    at: Memo<Vec<f64>>,
    slow: RwSignal<Vec<f64>>,
    dragging: RwSignal<bool>,
    side_shown: RwSignal<bool>,
) {
    let pending = StoredValue::new(false);
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        at.track();
        if first.get_value() {
            // The first time, after the first paint: J shows before the side panels.
            first.set_value(false);
            request_animation_frame(move || {
                set_timeout(move || side_shown.set(true), std::time::Duration::ZERO);
                set_timeout(move || slow.set(at.get_untracked()), std::time::Duration::ZERO);
            });
            return;
        }
        if !dragging.get() {
            // A task of its own: an edit's compile and the side panels never share one.
            set_timeout(move || slow.set(at.get_untracked()), std::time::Duration::ZERO);
            return;
        }
        if !pending.get_value() {
            pending.set_value(true);
            request_animation_frame(move || {
                pending.set_value(false);
                slow.set(at.get_untracked());
            });
        }
    });
}

/// Copies `slow` into `late` in the next task, or at once while dragging (a frame's views
/// then update together).
fn follow_next_task(slow: RwSignal<Vec<f64>>, late: RwSignal<Vec<f64>>, dragging: RwSignal<bool>) {
    Effect::new(move |_| {
        slow.track();
        if dragging.get_untracked() {
            late.set(slow.get_untracked());
        } else {
            set_timeout(move || late.set(slow.get_untracked()), std::time::Duration::ZERO);
        }
    });
}

#[component]
fn App(link: crate::share::LinkState) -> impl IntoView {
    let source = RwSignal::new(String::new());
    let point: RwSignal<NamedPoint> = RwSignal::new(Vec::new());
    let home: RwSignal<NamedPoint> = RwSignal::new(Vec::new());
    let compiled: Memo<Result<Tape, Vec<ErrorView>>> =
        Memo::new_with_compare(move |_| view::compile(&source.get()), always_changed);
    // The last function that compiled: a broken edit never blanks the results.
    let tape: Memo<Tape> = Memo::new(move |prev: Option<&Tape>| {
        compiled.with(|c| match c {
            Ok(t) => t.clone(),
            Err(_) => prev.cloned().unwrap_or_else(|| match view::compile(CLASSIC.source) {
                Ok(t) => t,
                // Not `expect`: the error type's Debug is compiled out of the page.
                Err(_) => unreachable!("the classic example compiles"),
            }),
        })
    });
    let errors = Memo::new(move |_| compiled.with(|c| c.as_ref().err().cloned().unwrap_or_default()));
    let at = Memo::new(move |_| tape.with(|t| point.with(|p| point_for(t, p))));
    let snap: Memo<Snapshot> = Memo::new_with_compare(
        move |_| {
            let mut ws = Workspace::default();
            tape.with(|t| at.with(|x| view::snapshot(t, x, &mut ws)))
        },
        always_changed,
    );
    let embed = link.embed || framed();
    let dragging = RwSignal::new(false);
    let slow_at = RwSignal::new(Vec::new());
    let side_shown = RwSignal::new(false);
    follow_per_frame(at, slow_at, dragging, side_shown);
    let late_at = RwSignal::new(Vec::new());
    follow_next_task(slow_at, late_at, dragging);
    let state = State {
        source,
        point,
        home,
        ranges: RwSignal::new(Vec::new()),
        dragging,
        field_kind: RwSignal::new(FieldKind::Off),
        lin_outputs: RwSignal::new((0, 1)),
        lin_scale: RwSignal::new(1),
        fd_h: RwSignal::new(0),
        views: RwSignal::new(if embed { 0 } else { crate::share::ALL_VIEWS }),
        side_shown,
        embed,
        slow_at,
        late_at,
        axes: RwSignal::new((0, 1)),
        note: RwSignal::new(String::new()),
        pass_kind: RwSignal::new(view::PassKind::Forward),
        pass_dir: RwSignal::new(0),
        pass_step: RwSignal::new(0),
        tape,
        errors,
        at,
        snap,
        panels: Memo::new_with_compare(|_| None, always_changed),
        pass: Memo::new_with_compare(|_| view::PassState::default(), always_changed),
    };
    let state = State { panels: panels_memo(state), pass: pass_memo(state), ..state };
    state.load(&CLASSIC);
    let link_source = StoredValue::new(None);
    let pristine = link::pristine_query(&state);
    let opened = link::open(&state, &link, link_source);
    let offer = link::Offer { query: RwSignal::new(String::new()), from_tab: RwSignal::new(false) };
    link::mirror(state, link_source, pristine, offer);
    provide_context(state);
    let stale = Signal::derive(move || !errors.with(Vec::is_empty));

    let announcement = announcements(state);
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
                <editor::Editor source=source errors=errors/>
            </section>
            <section class="panel point-panel" aria-label="Point">
                <pad::Pad/>
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
        </main>
    }
}
