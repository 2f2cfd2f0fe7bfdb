use super::worker::{request, send, EXPORTS};
use super::{copy_text, text, State};
use crate::view::export::{shown_part, FORMATS};
use leptos::prelude::*;

/// The function and J as PyTorch / JAX code, LaTeX, CSV or JSON, with a copy button. The
/// text is a textarea's value: never markup. It is written by the export worker
/// (`src/bin/export_worker.rs`), started the first time the view is open.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = expect_context::<State>();
    let format = RwSignal::new(0usize);
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
        send(EXPORTS, full, request(state, k, None));
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
        <textarea class="export-text source" data-testid="export-text" node_ref=area readonly rows="12" spellcheck="false"
            aria-label="exported text" prop:value=body></textarea>
        <button data-testid="export-copy" on:click=copy>"Copy"</button>
        <span class="muted" data-testid="export-status" role="status">{status}</span>
    }
}
