//! The browser entry point. Built for wasm32 by Trunk; natively it only explains itself.
//!
//! In the page there is no `main`: wasm-bindgen's start function mounts the app. std's
//! `main` wrapper would bring its exit path (flushing stdout, which the page has not), and
//! with it the text of every `io::ErrorKind`.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    jacobian_playground::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the playground runs in the browser: `bash scripts/serve.sh` builds and serves it");
    std::process::exit(2);
}
