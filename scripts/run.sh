#!/usr/bin/env bash
# The main job: build the solver and its CLI (release), then compute and summarize the scaling
# path of the bundled example data set. (The browser lab will make this "build and serve".)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo (Rust) is not installed; install the Rust toolchain first (rustup or Debian's cargo)" >&2
    exit 1
fi
cargo build --release --quiet --bin scaling-path
echo "Scaling path of examples/data/example.csv (4096 directions, 13 values of tau):"
./target/release/scaling-path summary --data examples/data/example.csv --tau-range 1e-3:1e3:13 "$@"
