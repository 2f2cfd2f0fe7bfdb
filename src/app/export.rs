use super::{copy_text, text, State};
use crate::core::compile::Wrt;
use crate::view::export::{export_request, shown_part, FORMATS};
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

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
    let worker = StoredValue::new_local(Courier::default());
    // Nothing is asked for while the Export view is closed (embed mode starts so).
    let closed = super::sharing::view_closed(state, crate::share::View::Export);
    Effect::new(move |_| {
        let k = format.get();
        state.snap.track();
        if closed.get() {
            return;
        }
        // The point J is shown at, and the other values the page holds by name: the worker
        // compiles the same function and finds the same point.
        // (Later entries win: J's point over the page's value of the same name.)
        let mut given = state.point.get_untracked();
        state.params.with_untracked(|p| given.extend_from_slice(p));
        state.tape.with_untracked(|t| {
            state.at.with_untracked(|x| given.extend(t.inputs.iter().cloned().zip(x.iter().copied())))
        });
        let wrt = Wrt::ALL[state.wrt.get_untracked() as usize % 3];
        let request = state.source.with_untracked(|src| export_request(k, wrt, src, &given));
        send(worker, full, request);
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

/// The export worker and the one request waiting for it: while it writes one export,
/// only the newest of the requests made meanwhile is kept (dragging asks every frame).
#[derive(Default)]
struct Courier {
    worker: Option<web_sys::Worker>,
    busy: bool,
    waiting: Option<String>,
}

fn send(courier: StoredValue<Courier, LocalStorage>, reply: RwSignal<String>, request: String) {
    courier.update_value(|c| {
        if c.worker.is_none() {
            c.worker = start_worker(courier, reply);
        }
        match &c.worker {
            Some(_) if c.busy => c.waiting = Some(request),
            Some(w) => c.busy = w.post_message(&request.into()).is_ok(),
            None => {}
        }
    });
}

/// The export worker: each answer goes to `reply`, and the waiting request, if any, is sent.
fn start_worker(courier: StoredValue<Courier, LocalStorage>, reply: RwSignal<String>) -> Option<web_sys::Worker> {
    let w = web_sys::Worker::new("export-worker.js").ok()?;
    let on = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        reply.set(e.data().as_string().unwrap_or_default());
        courier.update_value(|c| {
            c.busy = false;
            if let (Some(next), Some(w)) = (c.waiting.take(), &c.worker) {
                c.busy = w.post_message(&next.into()).is_ok();
            }
        });
    });
    w.set_onmessage(Some(on.as_ref().unchecked_ref()));
    on.forget();
    Some(w)
}
