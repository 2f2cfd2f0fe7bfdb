//! parse → compile → every strategy, Hessian and traces, on arbitrary text. Any panic,
//! overflow or hang is a finding; crashes found are kept as tests in tests/fuzz_regressions.rs.
#![no_main]

use jacobian_playground::fuzz_one;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_one(data);
});
