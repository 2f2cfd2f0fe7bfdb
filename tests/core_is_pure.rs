//! The autodiff core must build and run natively: no web, wasm or UI import may appear
//! anywhere under src/core, and the web crates must stay wasm-only dependencies.

use std::fs;
use std::path::Path;

const FORBIDDEN: &[&str] =
    &["leptos", "web_sys", "wasm_bindgen", "js_sys", "plotters", "crate::app", "crate::view", "gloo"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn core_has_no_web_or_ui_imports() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"), &mut files);
    assert!(files.len() >= 10, "found the core's files");
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            for word in FORBIDDEN {
                assert!(!code.contains(word), "{}:{}: the core must not use {word}: {line}", file.display(), n + 1);
            }
        }
    }
}

#[test]
fn web_crates_are_wasm_only_dependencies() {
    let toml = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let (native, wasm) =
        toml.split_once("[target.'cfg(target_arch = \"wasm32\")'.dependencies]").expect("a wasm-only section");
    let wasm = wasm.split("\n[").next().unwrap();
    for web in ["leptos", "wasm-bindgen", "web-sys"] {
        assert!(wasm.contains(&format!("{web} =")), "{web} is a wasm-only dependency");
        assert!(!native.contains(&format!("\n{web} =")), "{web} must not be a native dependency");
    }
}
