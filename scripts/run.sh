#!/usr/bin/env bash
# The main job: install what is missing, build the CLI, the WebAssembly module and the page's
# script, then serve the browser lab (www/) on http://127.0.0.1:PORT (PORT from the environment,
# default 8000) until interrupted. Everything runs in the browser; the server only hands out files.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8000}"
if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo (Rust) is not installed; install the Rust toolchain first (rustup)" >&2
    exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "error: python3 is needed to serve the lab (apt-get install python3)" >&2
    exit 1
fi
cargo build --release --quiet --bin scaling-path
bash scripts/build-wasm.sh
bash scripts/build-page.sh     # www/dist/lab-page.js: the page's modules in one script (index.html loads it)
bash scripts/build-single.sh   # www/dist/scaling-path-lab.html: the lab in one file, for offline use
if python3 -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; then
    echo "The scaling-path lab: http://127.0.0.1:$port/  (Ctrl-C to stop; PORT=... to change the port)"
    echo "  for embedders: http://127.0.0.1:$port/embed.html   offline single file: www/dist/scaling-path-lab.html"
    exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
fi
echo "error: port $port on 127.0.0.1 is taken or invalid; choose another, e.g. PORT=8001 bash scripts/run.sh" >&2
exit 1
