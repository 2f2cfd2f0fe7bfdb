//! The text worker: the Export view's PyTorch, JAX, LaTeX, CSV and JSON, the Batch view,
//! the "how it was read" echo and the digits check under J, built as its own wasm module
//! and started on the first request of each kind (public/boot.js's `jpAsk`). That is a
//! page's worth of code the page does not carry, and a long export never holds the page.
//! Natively it only explains itself.
#![cfg_attr(target_arch = "wasm32", no_main)]

/// Numbers are read by the browser's parser, as in the page (core/decimal.rs says why).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    jacobian_playground::core::decimal::install_host(js_sys::parse_float);
    // The Batch view times its three ways with the worker's clock.
    jacobian_playground::core::auto::install_clock(performance_now);
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// `view::export::export_request`'s text in, the export out (public/export-worker.js
/// passes messages through).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn export_text(request: &str) -> String {
    jacobian_playground::view::export::export_text(request)
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the export worker runs in the browser, beside the playground");
    std::process::exit(2);
}
