//! The browser entry point. Built for wasm32 by Trunk; natively it only explains itself.

// Talc instead of the default dlmalloc: smaller and faster (ARCHITECTURE.md: page size).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    jacobian_playground::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the playground runs in the browser: `bash scripts/serve.sh` builds and serves it");
    std::process::exit(2);
}
