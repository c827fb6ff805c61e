#!/usr/bin/env bash
# Every test: the Rust suite (unit, integration — solver certificates, MATH checks, limits,
# gradient descent, property tests, CLI end to end — and a compile check of the benchmarks),
# then the WebAssembly bindings against the native CLI in Node, then the lab end to end in
# headless Chromium. Installs what is missing (wasm target, wasm-bindgen CLI, chromium, npm
# devDependencies) on the way.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo (Rust) is not installed; install the Rust toolchain first" >&2
    exit 1
fi
cargo test --all-targets --quiet
cargo bench --no-run --quiet
bash scripts/test-wasm.sh
bash scripts/test-browser.sh
