#!/usr/bin/env bash
# The lab's end-to-end tests in real headless Chromium: installs Debian's chromium if missing
# (never a Playwright browser download), the npm devDependencies if one of them is missing,
# builds the WebAssembly module (scripts/build-wasm.sh → www/pkg/), the page's script
# (scripts/build-page.sh → www/dist/lab-page.js) and the single file (scripts/build-single.sh →
# www/dist/), then runs the browser tests with node's test runner:
# lab (the page), embed (the API, iframes, embed mode, limits and GD, the embedders' page),
# exports (every format, the single file from file://), hardening (hostile input, CSP), plane
# (the lab for inputs in the plane); and, in
# Node, the page's worker client (worker-client: replies kept by js/boot.js).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "test-browser: $*" >&2; }

if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >&2
    else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >&2; fi
fi
command -v node >/dev/null 2>&1 || { say "error: node is not installed (apt-get install nodejs npm)"; exit 1; }
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/esbuild ]; then
    say "installing the npm devDependencies"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error >&2
    else npm install --no-audit --no-fund --loglevel=error >&2; fi
fi
bash scripts/build-wasm.sh
bash scripts/build-page.sh
bash scripts/build-single.sh
node --test tests/browser/worker-client.test.mjs tests/browser/path-store.test.mjs tests/browser/lab.test.mjs tests/browser/usability.test.mjs tests/browser/embed.test.mjs tests/browser/exports.test.mjs tests/browser/hardening.test.mjs tests/browser/plane.test.mjs
