//! Jacobian Playground: an autodiff core (`core`), plain view-model logic (`view`), the
//! command-line front end (`cli`, `bench`), and, on wasm32 only, the Leptos app (`app`).

pub mod bench;
pub mod cli;
pub mod core;
pub mod examples;
pub mod fuzzing;
pub mod share;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod app;

pub use fuzzing::fuzz_one;

// Talc instead of the default dlmalloc: smaller and faster (ARCHITECTURE.md: page size).
// Here, so both wasm modules (the page and the text worker) are built with it.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
