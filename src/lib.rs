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
