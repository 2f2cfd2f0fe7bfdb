//! parse → compile → every strategy, Hessian and traces, on arbitrary text. Any panic,
//! overflow or hang is a finding; crashing inputs go into the corpus, which
//! tests/fuzz_corpus.rs replays on every test run.
#![no_main]

use jacobian_playground::fuzz_one;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_one(data);
});
