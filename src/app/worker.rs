//! The worker that writes text for the page (`src/bin/export_worker.rs`): the exports, the
//! Batch view, the "how it was read" echo, the digits check (with J's formulas and MathML,
//! and Newton's method), the cost table's timings and the sparsity figure. public/boot.js's `jpAsk` starts one per kind of request and keeps
//! only the newest request waiting while it writes one.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A promise of the worker's text for `request` (null where a newer request of the
    /// same kind took its place).
    #[wasm_bindgen(js_name = jpAsk)]
    fn ask(kind: u32, request: &str) -> js_sys::Promise;
    /// Builds the worker's markup tokens (`view::markup`) into `host`, replacing what it
    /// held.
    #[wasm_bindgen(js_name = jpBuild)]
    pub fn build(host: &web_sys::Element, tokens: &str);
    /// Tells public/boot.js the app has mounted, before the prerendered copy is removed:
    /// it moves the copy's J in MathML into the app's place for it.
    #[wasm_bindgen(js_name = jpMounted)]
    pub fn mounted();
}

/// The kinds of request, each with its own worker.
pub const EXPORTS: u32 = 0;
pub const ECHO: u32 = 1;
pub const DIGITS: u32 = 2;
pub const BATCH_TEXT: u32 = 3;
pub const COST: u32 = 4;
/// The sparsity figure: its own worker, so a measurement under way never holds it back
/// and a new one never takes its place.
pub const FIGURE: u32 = 5;

/// Asks the worker; its text goes to `reply` when it comes.
pub fn send(kind: u32, reply: RwSignal<String>, request: String) {
    send_then(kind, request, Box::new(move |text| reply.set(text)));
}

/// Asks the worker; `then` gets its text (not called where a newer request took its place).
pub fn send_then(kind: u32, request: String, then: Box<dyn FnOnce(String)>) {
    super::dom::on_promise(
        ask(kind, &request),
        Box::new(move |v| {
            if let Some(text) = v.and_then(|v| v.as_string()) {
                then(text)
            }
        }),
    );
}

/// A request about the page's function as it stands (`view::export::export_request`):
/// the worker compiles the same function with the same columns and finds the same point.
/// `extra` follows the other parts (a batch's points, a strategy's label).
pub fn request(state: super::State, format: usize, extra: Option<&str>) -> String {
    // Later entries win: J's point over the page's value of the same name.
    let mut given = state.point.get_untracked();
    state.params.with_untracked(|p| given.extend_from_slice(p));
    state
        .tape
        .with_untracked(|t| state.at.with_untracked(|x| given.extend(t.inputs.iter().cloned().zip(x.iter().copied()))));
    let wrt = crate::core::compile::Wrt::nth(state.wrt.get_untracked());
    let mut request = state.source.with_untracked(|src| crate::view::export::export_request(format, wrt, src, &given));
    if let Some(extra) = extra {
        request.push('\u{1}');
        request.push_str(extra);
    }
    request
}
