#!/usr/bin/env bash
# Every test: native core tests, the release wasm build, the size budget, and the
# end-to-end tests in headless Chromium against dist/ served on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/setup.sh" --browser
cd "$JP_ROOT"

echo "== native tests (cargo test)"
cargo test --release --quiet 2>&1

echo "== wasm release build (trunk build --release)"
start=$(date +%s)
trunk_build --release > target/trunk-build.log 2>&1 || { cat target/trunk-build.log; exit 1; }
tail -n 2 target/trunk-build.log
echo "wasm build took $(( $(date +%s) - start )) s"

echo "== size budget"
node scripts/size.mjs dist

echo "== end-to-end tests (headless Chromium)"
node --test --test-concurrency=1 tests/e2e/
