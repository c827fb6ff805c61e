#!/usr/bin/env bash
# Every test: unit, integration (solver certificates, MATH checks, property tests, CLI end to
# end), and a compile check of the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo (Rust) is not installed; install the Rust toolchain first" >&2
    exit 1
fi
cargo test --all-targets --quiet
cargo bench --no-run --quiet
