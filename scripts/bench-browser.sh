#!/usr/bin/env bash
# The lab's speed figures in headless Chromium (benches/browser.mjs): builds the WASM module and
# the CLI, then measures first fit, full path, drag → redraw, scrubbing frame rate, WASM size, and
# the native CLI on the same path. Not part of the test suite (timings are not tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
bash scripts/build-page.sh
cargo build --release --quiet --bin scaling-path
SCALING_PATH_TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export SCALING_PATH_TARGET
node benches/browser.mjs
