//! The worker that writes text for the page (`src/bin/export_worker.rs`): the exports, the
//! Batch view and the "how it was read" echo. public/boot.js's `jpAsk` starts one per
//! kind of request and keeps only the newest request waiting while it writes one.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A promise of the worker's text for `request` (null where a newer request of the
    /// same kind took its place).
    #[wasm_bindgen(js_name = jpAsk)]
    fn ask(kind: u32, request: &str) -> js_sys::Promise;
}

/// The kinds of request, each with its own worker.
pub const EXPORTS: u32 = 0;
pub const ECHO: u32 = 1;

/// Asks the worker; its text goes to `reply` when it comes.
pub fn send(kind: u32, reply: RwSignal<String>, request: String) {
    super::dom::on_promise(
        ask(kind, &request),
        Box::new(move |v| {
            if let Some(text) = v.and_then(|v| v.as_string()) {
                reply.set(text)
            }
        }),
    );
}
