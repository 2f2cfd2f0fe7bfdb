//! Replays every input the fuzzer kept (fuzz/corpus) through the fuzz target's body, so
//! what the fuzzer explored stays covered on every test run; crashes it finds are added
//! to the corpus and become regression tests here.

use std::fs;
use std::path::Path;

#[test]
fn every_corpus_input_runs_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/compile_and_differentiate");
    let mut count = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let data = fs::read(entry.unwrap().path()).unwrap();
        jacobian_playground::fuzz_one(&data);
        count += 1;
    }
    assert!(count >= 4, "the corpus is there ({count} inputs)");
}
