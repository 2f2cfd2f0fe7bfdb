use super::worker::{request, send, EXPORTS};
use super::{copy_text, text, State};
use crate::view::export::{shown_part, BATCH, FORMATS};
use leptos::prelude::*;

/// The function and J as PyTorch / JAX code, LaTeX, CSV or JSON, with a copy button. The
/// text is a textarea's value: never markup. It is written by the export worker
/// (`src/bin/export_worker.rs`), started the first time the view is open.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = expect_context::<State>();
    let format = state.export_format;
    let status = RwSignal::new(String::new());
    let area = NodeRef::<leptos::html::Textarea>::new();
    // The worker's latest answer: the whole text (Copy takes it); the box shows
    // `shown_part` of it.
    let full = RwSignal::new(String::new());
    // Nothing is asked for while the Export view is closed (embed mode starts so).
    let closed = super::sharing::view_closed(state, crate::share::View::Export);
    Effect::new(move |_| {
        let k = format.get();
        state.snap.track();
        if closed.get() {
            return;
        }
        let request =
            if k == BATCH { state.batch.with(|b| request(state, k, Some(b))) } else { request(state, k, None) };
        send(EXPORTS, full, request);
    });
    let body = text(move || shown_part(full.get()));
    let copy = move |_| {
        copy_text(
            full.get_untracked(),
            Box::new(move || {
                if let Some(el) = area.get_untracked() {
                    el.select();
                }
            }),
            status,
        )
    };
    view! {
        <h2>"Export"</h2>
        <div class="seg" role="group" aria-label="export format">
            {FORMATS.iter().enumerate().map(|(k, &(key, label))| view! {
                <button data-testid=format!("export-{key}") aria-pressed=text(move || (format.get() == k).to_string())
                    on:click=move |_| { format.set(k); status.set(String::new()) }>{label}</button>
            }).collect_view()}
        </div>
        <div hidden=super::flag(move || format.get() != BATCH)>
            <label class="label" for="batch-points">"The batch: points of J's columns, one a line"</label>
            <textarea id="batch-points" class="source" data-testid="batch-points" rows="4" spellcheck="false"
                prop:value=text(move || state.batch.get()) on:change=move |ev| state.batch.set(event_target_value(&ev))></textarea>
            <p class="muted">"Shift-click on the pad adds the point you click."</p>
            <button data-testid="batch-add" on:click=move |_| add_points(state, 1, 1)>"Add the point"</button>
            <button data-testid="batch-grid" on:click=move |_| add_points(state, 4, 4)>"Add a 4 × 4 grid over the pad"</button>
            <button data-testid="batch-line" on:click=move |_| add_points(state, 8, 0)>"Add 8 points across the pad"</button>
            <button data-testid="batch-clear" on:click=move |_| state.batch.set(String::new())>"Clear"</button>
        </div>
        <textarea class="export-text source" data-testid="export-text" node_ref=area readonly rows="12" spellcheck="false"
            aria-label="exported text" prop:value=body></textarea>
        <button data-testid="export-copy" on:click=copy>"Copy"</button>
        <span class="muted" data-testid="export-status" role="status">{status}</span>
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
