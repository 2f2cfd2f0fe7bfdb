//! The two release profiles must keep their purposes: `release` (native CLI, benchmarks)
//! is built for speed, `wasm-release` (the page) for size. A size-first `release` once
//! made every native benchmark quote a binary 1.3-1.9x slower than it should have been.
use std::collections::HashMap;

/// The `key = value` lines of one `[section]` of Cargo.toml, values as written.
fn section(toml: &str, name: &str) -> HashMap<String, String> {
    let header = format!("[{name}]");
    let mut inside = false;
    let mut keys = HashMap::new();
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == header;
        } else if inside {
            if let Some((k, v)) = line.split_once('=') {
                keys.insert(k.trim().to_string(), v.trim().to_string());
            }
        }
    }
    keys
}

#[test]
fn release_is_speed_first_and_wasm_release_size_first() {
    let toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let release = section(&toml, "profile.release");
    assert_eq!(release.get("opt-level").map(String::as_str), Some("3"), "native release must be opt-level 3");
    assert_eq!(release.get("lto").map(String::as_str), Some("true"));
    assert_eq!(release.get("codegen-units").map(String::as_str), Some("1"));
    let wasm = section(&toml, "profile.wasm-release");
    assert_eq!(wasm.get("inherits").map(String::as_str), Some("\"release\""));
    assert_eq!(wasm.get("opt-level").map(String::as_str), Some("\"z\""), "the page must be size-first");
    // The native tests' profile is release's speed, built faster (no fat LTO), and the
    // test command uses it.
    let tests = section(&toml, "profile.tests");
    assert_eq!(tests.get("inherits").map(String::as_str), Some("\"release\""));
    assert_eq!(tests.get("opt-level"), None, "the tests run at release's opt-level");
    let script = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/test.sh")).unwrap();
    assert!(script.contains("cargo test --profile tests"), "the test command builds the tests with `tests`");
    let trunk = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).unwrap();
    assert!(trunk.contains("data-cargo-profile=\"wasm-release\""), "Trunk must build the wasm-release profile");
}
