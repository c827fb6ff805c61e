#!/usr/bin/env bash
# Builds the WebAssembly module of the browser lab, installing what is missing first:
#   * the Rust target wasm32-unknown-unknown (rustup);
#   * wasm-bindgen-cli of exactly the wasm-bindgen version in Cargo.lock (cargo install);
#   * Debian's nodejs and npm (as root), then the npm devDependencies (binaryen's wasm-opt, never
#     Debian's binaryen, whose output does not load; esbuild for scripts/build-page.sh and
#     scripts/build-single.sh) — optional here: without npm the module is built unoptimized, with
#     a warning.
# Outputs: www/pkg/ (wasm-bindgen --target web, for the module worker) and <target>/pkg-node/
# (--target nodejs, for tests/wasm/), and the same for the plane's module (www/pkg-plane/,
# <target>/pkg-plane-node/), all git-ignored. A step whose input did not change is
# skipped, so a second run prints nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { echo "build-wasm: $*" >&2; }
die() { say "error: $*"; exit 1; }

command -v cargo >/dev/null 2>&1 || die "cargo (Rust) is not installed; install the Rust toolchain first (rustup)"

# 1. The Rust target (its standard library lives in the sysroot).
if [ ! -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ]; then
    command -v rustup >/dev/null 2>&1 || die "the wasm32-unknown-unknown target is missing and there is no rustup to add it"
    say "adding the Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown >&2
fi

# 2. wasm-bindgen-cli, the same version as the wasm-bindgen crate in Cargo.lock.
[ -f Cargo.lock ] || cargo generate-lockfile --quiet
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (found '${have:-none}'; takes a few minutes)"
    # Its own temporary target directory, whatever CARGO_TARGET_DIR says. --locked can fail
    # when the registry lacks one of the locked versions: then resolve afresh.
    log=$(mktemp)
    if ! env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$want" --locked --quiet 2>"$log"; then
        say "the --locked install failed ($(grep -m1 '^error' "$log" || echo 'see cargo'));" \
            "installing with a fresh resolution of its dependencies"
        env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$want" --quiet \
            || die "cannot install wasm-bindgen-cli $want"
    fi
    rm -f "$log"
fi

# 3. Node and npm (Debian's, when missing and we may install), then the npm devDependencies
# (wasm-opt, esbuild), when one is missing or package-lock.json changed since the last install.
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's nodejs and npm"
    { apt-get update -qq && apt-get install -y -qq nodejs npm; } >&2 || say "warning: could not install nodejs/npm"
fi
wasm_opt=""
if command -v npm >/dev/null 2>&1; then
    if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        say "installing the npm devDependencies (binaryen, esbuild, playwright-core)"
        npm ci --no-audit --no-fund --loglevel=error >&2 || say "warning: npm ci failed: the module stays unoptimized"
    fi
    [ -x node_modules/.bin/wasm-opt ] && wasm_opt=node_modules/.bin/wasm-opt
else
    say "warning: npm is not installed: the module stays unoptimized (apt-get install npm)"
fi

# 4. Compile both modules (cargo is quiet and quick when nothing changed): the line's, and the
# plane's (--features plane, src/bindings/plane.rs), each copied out of cargo's one output path.
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
out_wasm="$target_dir/wasm32-unknown-unknown/release/scaling_path.wasm"
compile() { # compile NAME [CARGO_ARGS...]: leaves $target_dir/wasm-modules/NAME.wasm
    local name=$1
    shift
    cargo build --release --target wasm32-unknown-unknown --lib --quiet "$@"
    [ -f "$out_wasm" ] || die "cargo did not produce $out_wasm"
    mkdir -p "$target_dir/wasm-modules"
    cmp -s "$out_wasm" "$target_dir/wasm-modules/$name.wasm" || cp "$out_wasm" "$target_dir/wasm-modules/$name.wasm"
}
compile scaling_path
compile scaling_path_plane --features plane

# 5. Bind (and optimize) for the web and for Node, unless the stamp says this input is done.
bind() { # bind NAME TARGET OUT_DIR
    local name=$1 out=$3 wasm="$target_dir/wasm-modules/$1.wasm"
    local stamp
    stamp=$( (sha256sum "$wasm"; wasm-bindgen --version; [ -n "$wasm_opt" ] && "$wasm_opt" --version; sha256sum "$0") | sha256sum | cut -c1-64)
    [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ] && return 0
    rm -rf "$out"
    wasm-bindgen --target "$2" --out-dir "$out" --out-name "$name" "$wasm"
    if [ -n "$wasm_opt" ]; then
        # No inlining of its own (--no-inline='*' first): rustc has inlined what pays, and
        # wasm-opt's inlining of every single-caller function made functions of 17–23 KB that
        # the browser's optimizing tier recompiles at great cost. V8 tiers a function up after
        # "bytes executed", so a big function with a loop is recompiled even when it runs once
        # (the limits: 180 ms of TurboFan). Measured in Node on the lab's first path (both
        # workers' parts): TurboFan time 600–700 → ~450 ms; in headless Chromium the renderer's
        # compile threads 320 → 200 ms of CPU and the page's path ~0.1 s sooner.
        "$wasm_opt" --no-inline='*' -O3 --enable-simd "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
    fi
    # The nodejs target is CommonJS; inside the repository (target/ under it) Node would take it
    # for an ES module because of the root package.json's "type": "module".
    [ "$2" = nodejs ] && echo '{"type": "commonjs"}' >"$out/package.json"
    echo "$stamp" >"$out/.stamp"
    if [ "$2" = web ]; then
        local raw gz
        raw=$(wc -c <"$out/${name}_bg.wasm")
        gz=$(gzip -9 -c "$out/${name}_bg.wasm" | wc -c)
        say "$out/${name}_bg.wasm: $((raw / 1024)) KB raw, $((gz / 1024)) KB gzipped${wasm_opt:+ (wasm-opt -O3)}"
    fi
}
bind scaling_path web www/pkg
bind scaling_path nodejs "$target_dir/pkg-node"
bind scaling_path_plane web www/pkg-plane
bind scaling_path_plane nodejs "$target_dir/pkg-plane-node"
