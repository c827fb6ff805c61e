#!/usr/bin/env bash
# The WebAssembly side: builds the module (scripts/build-wasm.sh, installing what is missing) and
# the CLI, then runs in Node the bindings-vs-CLI equivalence test and the worker protocol test.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null 2>&1 || { echo "error: node is needed for the WASM tests (apt-get install nodejs npm)" >&2; exit 1; }
bash scripts/build-wasm.sh
cargo build --release --quiet --bin scaling-path
SCALING_PATH_TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export SCALING_PATH_TARGET
node --test tests/wasm/equivalence.test.mjs tests/wasm/worker.test.mjs tests/wasm/preview.test.mjs tests/wasm/plane.test.mjs
