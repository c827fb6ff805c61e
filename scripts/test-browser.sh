#!/usr/bin/env bash
# The lab's end-to-end tests in real headless Chromium: installs Debian's chromium if missing
# (never a Playwright browser download), the npm devDependencies if node_modules is missing,
# builds the WebAssembly module (scripts/build-wasm.sh → www/pkg/), then runs
# tests/browser/lab.test.mjs with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "test-browser: $*" >&2; }

if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >&2
    else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >&2; fi
fi
command -v node >/dev/null 2>&1 || { say "error: node is not installed (apt-get install nodejs npm)"; exit 1; }
if [ ! -d node_modules/playwright-core ]; then
    say "installing the npm devDependencies"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error >&2
    else npm install --no-audit --no-fund --loglevel=error >&2; fi
fi
bash scripts/build-wasm.sh
node --test tests/browser/lab.test.mjs
