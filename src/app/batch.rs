use super::worker::{request, send, BATCH_TEXT};
use super::{flag, text, State};
use crate::view::mosaic::{batch_jacobians, mosaic, BatchJs, Mosaic};
use leptos::prelude::*;

/// `hover` while the pointer is not over a tile's entry.
const NO_HOVER: (usize, usize) = (usize::MAX, 0);
/// The mosaic's height is at most this many CSS pixels (its width follows its shape).
const MOSAIC_HEIGHT: usize = 320;

/// The Batch view: a list of points, every point's J as a tile of one picture on one scale,
/// and (from the text worker) every J in numbers, each entry over the batch as a
/// sparkline, the three ways of the PyTorch threads timed in this browser and the batch as
/// code.
#[component]
pub fn BatchPanel() -> impl IntoView {
    let state = expect_context::<State>();
    let closed = super::sharing::view_closed(state, crate::share::View::Batch);
    // The tiles' points and Js, and their picture (for the pointer's lookups). They are
    // computed while the view is open, again only when the function or the points change
    // (not when the point moves); `drawn` (how many tiles) tells the rest they changed.
    let store = StoredValue::new((BatchJs::default(), None::<Mosaic>));
    let drawn = RwSignal::new(0usize);
    let (legend, width) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let reply = RwSignal::new(String::new());
    Effect::new(move |_| {
        state.tape.track();
        if closed.get() {
            return;
        }
        // A batch that does not read draws nothing: the worker's text says why.
        let b = state.tape.with(|t| state.batch.with(|b| batch_jacobians(t, b))).unwrap_or_default();
        let m = mosaic(&b.js, b.points.len());
        super::put_rgba(canvas, m.image.cols, m.image.rows, &m.image.rgba);
        legend.set(m.image.legend.clone());
        width.set(format!("{}px", MOSAIC_HEIGHT * m.image.cols / m.image.rows.max(1)));
        let count = b.js.len();
        store.set_value((b, Some(m)));
        drawn.set(count);
        state.batch.with(|b| send(BATCH_TEXT, reply, request(state, crate::view::export::BATCH, Some(b))));
    });
    // The tile entry under the pointer: its point, and its row-major index in J.
    let hover = RwSignal::new(NO_HOVER);
    let dims = move || state.tape.with(|t| (t.m(), t.n()));
    let entry_of = move |ev: &web_sys::MouseEvent| {
        let (u, v) = super::pad::unit_at(ev, ev.client_x() as f64, ev.client_y() as f64)?;
        store.with_value(|s| s.1.as_ref()?.entry_at(u, 1.0 - v, s.0.js.len(), dims()))
    };
    let readout = text(move || {
        let ((k, e), n) = (hover.get(), dims().1.max(1));
        drawn.track();
        if k == NO_HOVER.0 {
            return "The pointer over a tile, or the arrow keys, read out its entry.".into();
        }
        store.with_value(|s| {
            state.tape.with(|t| crate::view::mosaic::readout(&s.0, (k, e / n, e % n), (&t.output_names, &t.inputs)))
        })
    });
    // The keyboard's cursor (`mosaic::step`) is the same entry as the pointer's, marked
    // on the picture while the keyboard moved it last.
    let keyed = RwSignal::new(false);
    let marked = StoredValue::new(false);
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let ((m, n), (k, e)) = (dims(), hover.get_untracked());
        let at = (k != NO_HOVER.0).then(|| (k, e / n.max(1), e % n.max(1)));
        let to = match at {
            Some(at) => crate::view::mosaic::step(&ev.key(), at, drawn.get_untracked(), (m, n)),
            None => ev.key().starts_with("Arrow").then_some((0, 0, 0)),
        };
        if let Some((k, i, j)) = to {
            ev.prevent_default();
            hover.set((k, i * n + j));
            keyed.set(true);
        }
    };
    Effect::new(move |_| {
        let (k, e) = hover.get();
        let on = keyed.get() && k != NO_HOVER.0;
        drawn.track();
        if on || marked.get_value() {
            marked.set_value(on);
            let (m, n) = dims();
            store.with_value(|(_, mo)| {
                let Some(mo) = mo else { return };
                let rgba = if on { mo.marked((k, e / n.max(1), e % n.max(1)), (m, n)) } else { mo.image.rgba.clone() };
                super::put_rgba(canvas, mo.image.cols, mo.image.rows, &rgba);
            });
        }
    });
    let add = |cols, rows| move |_| add_points(state, cols, rows);
    view! {
        <h2>"Batch"</h2>
        <label class="label" for="batch-points">"The batch: points of J's columns, one a line"</label>
        <textarea id="batch-points" class="source" data-testid="batch-points" rows="4" spellcheck="false"
            prop:value=text(move || state.batch.get()) on:change=move |ev| state.batch.set(event_target_value(&ev))></textarea>
        <p class="muted">"Shift-click on the pad adds the point you click."</p>
        <div class="seg">
            <button data-testid="batch-add" on:click=add(1, 1)>"Add the point"</button>
            <button data-testid="batch-grid" on:click=add(4, 4)>"Add a 4 × 4 grid over the pad"</button>
            <button data-testid="batch-line" on:click=add(8, 0)>"Add 8 points across the pad"</button>
            <button data-testid="batch-clear" on:click=move |_| state.batch.set(String::new())>"Clear"</button>
        </div>
        <div hidden=flag(move || drawn.get() == 0)>
            <canvas class="mosaic" node_ref=canvas data-testid="batch-mosaic" role="img" style:max-width=width tabindex="0"
                aria-label="Every point's J as a tile: the arrow keys move the entry read out below it, Page Up and Page Down to the point before or after; the text below lists them in numbers"
                on:keydown=on_key
                on:pointermove=move |ev| {
                    keyed.set(false);
                    hover.set(entry_of(&ev).map_or(NO_HOVER, |(k, i, j)| (k, i * dims().1 + j)))
                }></canvas>
            <p class="heat-readout" data-testid="batch-readout" aria-live="polite">{readout}</p>
            <p class="muted legend" data-testid="batch-legend">{legend}</p>
        </div>
        <textarea class="export-text source" data-testid="batch-text" readonly rows="12" spellcheck="false"
            aria-label="every point's J, the three ways timed, and the batch as code" prop:value=reply></textarea>
    }
}

/// Adds points to the batch: the point (`cols` = `rows` = 1), a `cols` × `rows` grid over
/// the pad's view of its two inputs, or (`rows` = 0) `cols` points across the view along
/// its horizontal input, the others at the point.
pub fn add_points(state: State, cols: usize, rows: usize) {
    let at = state.at.get_untracked();
    let (a, b) = state.axes.get_untracked();
    let names = state.tape.with_untracked(|t| t.inputs.clone());
    let mut lines = state.batch.get_untracked();
    // Rounded to 5 digits of the view's width, so the points read as typed ones.
    let step = |r: (f64, f64), i: usize, k: usize| {
        let s = 10f64.powi(4 - (r.1 - r.0).log10().floor() as i32);
        ((r.0 + (r.1 - r.0) * (i as f64 + 0.5) / k as f64) * s).round() / s
    };
    for p in 0..cols * rows.max(1) {
        let mut x = at.clone();
        if cols > 1 && a < x.len() {
            x[a] = step(state.range(&names[a]), p % cols, cols);
        }
        if rows > 1 && b < x.len() {
            x[b] = step(state.range(&names[b]), p / cols, rows);
        }
        if !lines.is_empty() && !lines.ends_with('\n') {
            lines.push('\n');
        }
        lines.push_str(&crate::view::format_list(&x));
    }
    state.batch.set(lines);
}
