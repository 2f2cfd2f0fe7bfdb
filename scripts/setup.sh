# Sourced by scripts/test.sh and scripts/serve.sh. Installs what is missing, idempotently,
# into a cache outside the clone keyed by version, and defines `trunk_build`.
# Usage: source scripts/setup.sh [--browser]
# Env: JP_FORCE_DEBIAN_WASM=1 builds the wasm32 std from Debian's rust-web-src instead of
#      using rustup's wasm32 target (the fallback for when rustup's server is unreachable).

set -euo pipefail
JP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JP_CACHE="${JP_CACHE:-$HOME/.cache/jacobian-playground}"
TRUNK_VERSION=0.21.14
mkdir -p "$JP_CACHE"

jp_log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

apt_updated=0
jp_apt_install() {
  if [ "$apt_updated" = 0 ]; then
    jp_log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    apt_updated=1
  fi
  jp_log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# --- the pinned toolchain (rust-toolchain.toml) ---------------------------------------------
# The release build passes unstable flags through RUSTC_BOOTSTRAP, which only the compiler
# they were tried with is known to take, so the toolchain is pinned. Where rustup's stable
# already is that version, the pin is a link to it (no download, as on this machine kind).
JP_RUST="$(sed -n 's/^channel = "\(.*\)"/\1/p' "$JP_ROOT/rust-toolchain.toml")"
if ! rustup toolchain list | grep -q "^$JP_RUST-"; then
  triple="$(rustc +stable -vV | sed -n 's/^host: //p')"
  if [ "$(rustc +stable -V | cut -d' ' -f2)" = "$JP_RUST" ]; then
    ln -s "$(rustc +stable --print sysroot)" "${RUSTUP_HOME:-$HOME/.rustup}/toolchains/$JP_RUST-$triple"
    jp_log "toolchain $JP_RUST: rustup's stable, linked"
  else
    jp_log "rustup toolchain install $JP_RUST"
    rustup toolchain install "$JP_RUST" --profile minimal -c clippy,rustfmt >&2
  fi
fi
for c in clippy rustfmt; do
  rustup component list --installed --toolchain "$JP_RUST" 2>/dev/null | grep -q "^$c" \
    || rustup component add "$c" --toolchain "$JP_RUST" >&2 || jp_log "could not add $c with rustup"
done

# --- wasm32 target: rustup first, Debian's rust-web packages as the fallback ------------
JP_WASM_ENV=()
jp_debian_wasm() {
  if ! [ -x /usr/bin/rustc ] || ! [ -d /usr/lib/rustlib/src/rust/library ]; then
    jp_apt_install rustc-web cargo-web rust-web-src
  fi
  if ! rustup toolchain list | grep -q '^web-debian'; then
    rustup toolchain link web-debian /usr >&2
  fi
  local sysroot
  sysroot="$(rustup run stable rustc --print sysroot)"
  local lld="$sysroot/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
  [ -x "$lld" ] || { jp_log "no rust-lld at $lld"; return 1; }
  JP_WASM_ENV=(RUSTUP_TOOLCHAIN=web-debian RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$lld" CARGO_TARGET_DIR="$JP_ROOT/target/debian-web")
  # The pin's target and components come from rustup's server, which is what failed (or
  # was skipped): the native build uses rustup's stable as it is.
  export RUSTUP_TOOLCHAIN=stable
  jp_log "wasm32 via Debian rustc-web (std built from source)"
}

if [ "${JP_FORCE_DEBIAN_WASM:-0}" = 1 ]; then
  jp_debian_wasm
elif rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  && rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
  :
elif timeout 180 rustup target add wasm32-unknown-unknown >&2 && timeout 180 rustup component add rust-src >&2; then
  jp_log "installed the wasm32 target and the std source with rustup"
else
  jp_log "rustup could not add wasm32; falling back to Debian's rust-web packages"
  jp_debian_wasm
fi

# --- cargo-installed tools, cached by version ---------------------------------------------
jp_cargo_tool() { # name version binary [--locked]
  local name=$1 version=$2 bin=$3 locked=${4:-}
  local root="$JP_CACHE/$name-$version"
  if ! [ -x "$root/bin/$bin" ]; then
    jp_log "cargo install $name $version (cold: several minutes)"
    cargo install "$name" --version "$version" $locked --root "$root" >&2
  fi
  export PATH="$root/bin:$PATH"
}

jp_cargo_tool trunk "$TRUNK_VERSION" trunk --locked
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print}' "$JP_ROOT/Cargo.lock")"
[ -n "$WASM_BINDGEN_VERSION" ] || { jp_log "wasm-bindgen not found in Cargo.lock"; exit 1; }
# Its own lockfile wants a crate the registry mirror lacks, so no --locked here.
jp_cargo_tool wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen

# The fuzzer (tests only). It runs on the stable compiler with RUSTC_BOOTSTRAP=1 and no
# sanitizer (`-s none`), so no nightly toolchain is needed.
if [ "${1:-}" = "--browser" ]; then
  jp_cargo_tool cargo-fuzz 0.13.2 cargo-fuzz --locked
fi

# --- node packages: the build's (scripts/) always, the tests' (tests/e2e/) with --browser ---
jp_npm_ci() { # dir
  local stamp="$1/node_modules/.lock-hash" want
  want="$(sha256sum "$1/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    jp_log "npm ci (${1#"$JP_ROOT"/})"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$want" > "$stamp"
  fi
}
jp_npm_ci "$JP_ROOT/scripts"

# Chromium: the tests' browser, and the release build's prerender.
if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    jp_apt_install chromium chromium-driver
  fi
  jp_npm_ci "$JP_ROOT/tests/e2e"
fi

# JAX from PyPI in a venv keyed by the pinned list: the tests run the page's JAX exports and
# compare their J with ours (tests/export.rs reads JP_PYTHON).
if [ "${1:-}" = "--browser" ]; then
  venv="$JP_CACHE/py-jax-$(sha256sum "$JP_ROOT/scripts/requirements-jax.txt" | cut -c1-12)"
  if ! [ -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import jax" 2>/dev/null; then
    jp_log "pip install jax into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$JP_ROOT/scripts/requirements-jax.txt" >&2
  fi
  export JP_PYTHON="$venv/bin/python"
fi

# A release page is made by every step below or not at all: a missing tool is an error,
# never a quietly different page.
jp_need() { # path what
  [ -x "$1" ] || { jp_log "the release build needs $2 ($1 is missing): run 'source scripts/setup.sh --browser' or see README.md"; return 1; }
}

# Trunk runs cargo with --offline, but building std from source (release builds, and
# every build on the Debian fallback) must first download std's own dependencies: one
# online cargo build of the same profile does that, and Trunk's build then finds
# everything in place.
jp_prefetch_std() { # release|dev
  [ "${#JP_WASM_ENV[@]}" -gt 0 ] || [ "$1" = release ] || return 0
  local profile=dev
  [ "$1" = release ] && profile=wasm-release
  (cd "$JP_ROOT" && env "${JP_WASM_ENV[@]}" "${JP_SIZE_ENV[@]}" cargo build --quiet --target wasm32-unknown-unknown \
    --profile "$profile" --bin playground)
}

# Trunk runs cargo with --offline, and a native `cargo test` never downloads the
# wasm-only crates (leptos, talc, …): fetch them for the wasm target first (seconds when
# they are already in cargo's cache, no network then).
jp_fetch_wasm_deps() {
  (cd "$JP_ROOT" && cargo fetch --quiet --target wasm32-unknown-unknown)
}

# Release wasm only: two unstable size flags, let through on the stable compiler with
# RUSTC_BOOTSTRAP (as the Debian fallback already does for build-std). `fmt-debug=none`
# compiles every Debug impl to nothing and `location-detail=none` drops panic locations.
# Nothing the page shows may use `{:?}` (tests/size_flags.rs checks).
# And std itself is rebuilt for size (build-std with `optimize_for_size`, panics abort at
# once with no message machinery), for a longer build.
# `--cfg erase_components` has Leptos type-erase each component's view (AnyView) instead
# of nesting every child's type into the App's: the same page, smaller. (What each of
# these saves is in ARCHITECTURE.md, under page size.)
JP_SIZE_ENV=()
trunk_build() { # extra trunk args
  local opt="${JP_WASM_OPT:-$JP_ROOT/scripts/node_modules/.bin/wasm-opt}" terser="${JP_TERSER:-$JP_ROOT/scripts/node_modules/.bin/terser}"
  local release=0
  if [[ " $* " == *" --release "* ]]; then
    release=1
    jp_need "$opt" "binaryen's wasm-opt" && jp_need "$terser" terser \
      && jp_need "${CHROMIUM:-/usr/bin/chromium}" "Chromium for the prerender" || return 1
    JP_SIZE_ENV=(RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
      "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=-Zfmt-debug=none -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort --cfg=erase_components")
    jp_prefetch_std release || return 1
  else
    JP_SIZE_ENV=()
    jp_prefetch_std dev || return 1
  fi
  jp_fetch_wasm_deps || return 1
  (cd "$JP_ROOT" && env "${JP_WASM_ENV[@]}" "${JP_SIZE_ENV[@]}" trunk build "$@") || return $?
  if [ "$release" = 1 ]; then
    # Release builds are shrunk by binaryen's wasm-opt from npm (Debian's binaryen 108 is
    # too old for what rustc emits). --zero-filled-memory: the module defines its own
    # (zeroed) memory; --low-memory-unused: Rust's data and stack never use the first 1 KB
    # (the stack only gets there after a 1 MB overflow); --strip-producers drops toolchain
    # names. --flatten --rereloop before -Oz rebuilds each function's control flow, which
    # -Oz then shrinks further than it shrinks rustc's (1.5 KB gzipped; the core's timings
    # in the page unchanged, ARCHITECTURE.md); --converge repeats the passes while they
    # still shrink it (0.6 KB more, ~20 s more build). drop-exports first removes wasm-streams' dead exports and unlinks the futures
    # only they created from the function table, and fails if it finds none of either
    # (their names changed, and the page would quietly grow).
    node "$JP_ROOT/scripts/drop-exports.mjs" "$JP_ROOT/dist/playground_bg.wasm" "$JP_ROOT/dist/playground_bg.wasm" \
      '^(__wbg_)?intounderlying' 'wasm_streams' >&2 || return 1
    "$opt" --flatten --rereloop -Oz -Oz --converge --low-memory-unused --zero-filled-memory --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$JP_ROOT/dist/playground_bg.wasm" -o "$JP_ROOT/dist/playground_bg.wasm" || return 1
    # The export worker's module (src/bin/export_worker.rs), shrunk the same way; it has
    # no streams for drop-exports to remove.
    "$opt" --flatten --rereloop -Oz -Oz --converge --low-memory-unused --zero-filled-memory --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$JP_ROOT/dist/export_worker_bg.wasm" -o "$JP_ROOT/dist/export_worker_bg.wasm" || return 1
    "$terser" "$JP_ROOT/dist/export_worker.js" --compress --mangle -o "$JP_ROOT/dist/export_worker.js" || return 1
    # Their JS glue goes too (classes, dispose hooks, finalization registries).
    node "$JP_ROOT/scripts/drop-js-glue.mjs" "$JP_ROOT/dist/playground.js" >&2 || return 1
    # terser minifies wasm-bindgen's JS glue (Trunk leaves it as generated). Local names
    # only; the export and import names the wasm uses stay.
    for js in playground.js boot.js sw.js; do
      "$terser" "$JP_ROOT/dist/$js" --module --compress --mangle -o "$JP_ROOT/dist/$js" || return 1
    done
    "$terser" "$JP_ROOT/dist/pre.js" --compress --mangle -o "$JP_ROOT/dist/pre.js" || return 1
    # wasm-bindgen's import and export names (hashes, closure signatures) become one or two
    # letters in each wasm module and its glue alike.
    node "$JP_ROOT/scripts/short-names.mjs" "$JP_ROOT/dist/playground_bg.wasm" "$JP_ROOT/dist/playground.js" >&2 || return 1
    node "$JP_ROOT/scripts/short-names.mjs" "$JP_ROOT/dist/export_worker_bg.wasm" "$JP_ROOT/dist/export_worker.js" >&2 || return 1
    # The first screen, prerendered into index.html by the app itself in headless
    # Chromium; a first visit paints it while the wasm loads.
    node "$JP_ROOT/scripts/prerender.mjs" "$JP_ROOT/dist" >&2 || return 1
  fi
  # The service worker's list of files to cache for offline use.
  node "$JP_ROOT/scripts/precache.mjs" "$JP_ROOT/dist" >&2 || return 1
}
trunk_serve() {
  if [[ " $* " == *" --release "* ]]; then jp_prefetch_std release; else jp_prefetch_std dev; fi
  jp_fetch_wasm_deps
  (cd "$JP_ROOT" && env "${JP_WASM_ENV[@]}" trunk serve "$@")
}
