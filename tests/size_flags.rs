//! The release wasm is built with `-Zfmt-debug=none`, which turns every `{:?}` into
//! nothing. So no code the page runs may format with Debug: this scans the sources that
//! are compiled into the page (the CLI and benchmarks are native-only and exempt).
use std::fs;
use std::path::Path;

fn scan(dir: &Path, hits: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scan(&path, hits);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path.to_string_lossy().replace('\\', "/");
            if ["src/cli.rs", "src/bench.rs", "src/bin/jacobian.rs"].iter().any(|n| name.ends_with(n)) {
                continue;
            }
            for (k, line) in fs::read_to_string(&path).unwrap().lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                if line.contains(":?}") || line.contains(":#?}") || line.contains("dbg!(") {
                    hits.push(format!("{name}:{}: {line}", k + 1));
                }
            }
        }
    }
}

#[test]
fn page_code_never_formats_with_debug() {
    let mut hits = Vec::new();
    scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut hits);
    assert!(hits.is_empty(), "Debug formatting prints nothing in the release page:\n{}", hits.join("\n"));
}

#[test]
fn numbers_print_without_debug_and_read_back_exactly() {
    use jacobian_playground::core::syntax::format_number;
    for (v, s) in [
        (0.1, "0.1"),
        (1e-20, "1e-20"),
        (1.5e300, "1.5e300"),
        (123456.789, "123456.789"),
        (-2.5e-7, "-2.5e-7"),
        (3.0, "3"),
        (1e16, "1e16"),
    ] {
        assert_eq!(format_number(v), s);
    }
    let mut x: u64 = 0x9e3779b97f4a7c15;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let v = f64::from_bits(x);
        if v.is_finite() {
            assert_eq!(format_number(v).parse::<f64>().unwrap(), v, "{}", format_number(v));
        }
    }
}
