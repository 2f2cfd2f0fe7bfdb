#!/usr/bin/env bash
# The benchmarks (not tests): the native core's J/f table for the scaling families, then
# the browser interaction benchmark on the release build. Compare ratios within one run.
set -euo pipefail
source "$(dirname "$0")/setup.sh" --browser
cd "$JP_ROOT"
echo "== native core: J/f per strategy (medians of 31 interleaved rounds)"
cargo run --release --quiet --bin jacobian -- bench-suite
echo "== native core against JAX-jit on the same programs (exported by jacobian --export jax)"
"$JP_PYTHON" scripts/bench-jax.py
[ -f dist/playground_bg.wasm ] || trunk_build --release > target/trunk-build.log 2>&1
echo "== browser: the same families' J per strategy in the release page (its cost table's timings, µs)"
node tests/e2e/bench-strategies.mjs
echo "== browser: pointer move → J updated / next frame, per gallery example"
node tests/e2e/bench-interaction.mjs
