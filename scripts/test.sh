#!/usr/bin/env bash
# Every test: native core tests, the release wasm build, the size budget, and the
# end-to-end tests in headless Chromium against dist/ served on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/setup.sh" --browser
cd "$JP_ROOT"

# Build products live outside the clone, beside the tools (as the lints' already do): a
# clean clone then builds this crate again, but not its few hundred dependencies or the
# page's std. Cargo rebuilds whatever changed; the fuzzer's build has a directory of its
# own (its flags differ). Logs the steps write stay in the clone's target/.
export CARGO_TARGET_DIR="$JP_CACHE/target"
mkdir -p target

# The test command must not change tracked files (a lockfile it regenerates, say):
# what it changed is compared at the end.
tracked_before="$(git diff --binary 2>/dev/null | sha256sum || true)"

# Each step's heading says how long the command has run so far, so where the time goes
# is in every log.
t0=$(date +%s)
step() { echo "== $1 [$(( $(date +%s) - t0 )) s in]"; }

step "format and lints (cargo fmt --check, cargo clippy -D warnings: native and the page)"
cargo fmt --check
(cd fuzz && cargo fmt --check)
# Lints check their own build of every dependency (metadata only, shared with nothing the
# tests build), so that build is kept outside the clone like the tools: a clean clone then
# re-lints only this crate. Cargo's fingerprints re-check whatever changed.
clippy_target="$JP_CACHE/clippy-target"
CARGO_TARGET_DIR="$clippy_target" cargo clippy --quiet --all-targets -- -D warnings
CARGO_TARGET_DIR="$clippy_target" cargo clippy --quiet --target wasm32-unknown-unknown --lib --bin playground -- -D warnings

step "native tests (cargo test)"
cargo test --profile tests --quiet 2>&1

step "a release build missing wasm-opt, terser or Chromium fails, saying which"
for missing in JP_WASM_OPT CHROMIUM JP_TERSER; do
  if out="$(env "$missing=/nonexistent/$missing" bash -c 'source scripts/setup.sh && trunk_build --release' 2>&1)"; then
    echo "a release build without $missing succeeded"; exit 1
  fi
  grep -q "the release build needs .*/nonexistent/$missing is missing" <<<"$out" || { echo "$out"; exit 1; }
done

step "wasm release build (trunk build --release)"
start=$(date +%s)
trunk_build --release > target/trunk-build.log 2>&1 || { cat target/trunk-build.log; exit 1; }
tail -n 2 target/trunk-build.log
# Trunk ships a stylesheet it cannot parse unminified, with only a warning: a syntax error
# in style/main.css would otherwise pass unnoticed (and cost part of the budget).
if grep -q "CSS parsing failed" target/trunk-build.log; then grep "CSS parsing failed" target/trunk-build.log; exit 1; fi
echo "wasm build took $(( $(date +%s) - start )) s"

step "size budget"
node scripts/size.mjs dist

step "end-to-end tests (headless Chromium)"
node --test --test-concurrency=1 tests/e2e/

step "fuzzing the core for 60 s (corpus in fuzz/corpus; new finds go to a scratch dir)"
scratch="$(mktemp -d)"
# The fuzzer's own status, read before anything else runs: with pipefail, a `|| true`
# after the pipeline would run on a crash and leave PIPESTATUS holding its own 0.
set +e
RUSTC_BOOTSTRAP=1 cargo +stable fuzz run compile_and_differentiate -s none --target-dir "$JP_CACHE/fuzz-target" \
  "$scratch" fuzz/corpus/compile_and_differentiate \
  -- -max_total_time=60 -print_final_stats=1 2>&1 | grep -E "^(Done|stat::number_of_executed_units|==|SUMMARY|.*(panicked|crash|deadly))"
status=${PIPESTATUS[0]}
set -e
rm -rf "$scratch"
[ "$status" = 0 ] || { echo "the fuzzer found a crash: see fuzz/artifacts/"; exit 1; }

step "benchmarks build and run (a smoke run; numbers come from scripts/bench.sh)"
cargo run --release --quiet --bin jacobian -- bench-suite --rounds 1 > /dev/null
JP_BENCH_MOVES=5 node tests/e2e/bench-interaction.mjs > /dev/null
JP_BENCH_FAMILIES='^classic' node tests/e2e/bench-strategies.mjs > target/bench-strategies.txt
grep -q "^classic 3×3 .*| .* µs | auto [a-z_]* [0-9.]*$" target/bench-strategies.txt
grep -q "^the page's auto within 10 % of the fastest exact strategy on [01] of 1 families" target/bench-strategies.txt

step "the work tree is as the tests found it"
if [ "$(git diff --binary 2>/dev/null | sha256sum || true)" != "$tracked_before" ]; then
  git status --short
  echo "the test command changed tracked files (commit what it needs, e.g. fuzz/Cargo.lock)"
  exit 1
fi
step "all green"
