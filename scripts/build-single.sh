#!/usr/bin/env bash
# The lab as one self-contained HTML file, for offline teaching and e-mail attachments:
# www/dist/scaling-path-lab.html (git-ignored). It works from file:// with no network: the CSS
# is inlined, the page's ES modules are bundled into one inline module script, and the worker,
# the wasm-bindgen bindings and the WebAssembly bytes (base64) are inlined into it — a classic
# bootstrap worker from a blob: URL imports www/worker.js (a blob: module), which loads the
# bindings from another blob: URL with the bytes (its `self.scalingPathInline` hook); the plane's
# worker (www/plane-worker.js) and module likewise. The page's
# modules are bundled by esbuild (npm devDependency), readable, with js/env.js replaced by a
# module that starts that inlined worker. Its own Content-Security-Policy allows exactly that:
# the inline script and style by their SHA-256 hashes, blob: workers and scripts,
# 'wasm-unsafe-eval', nothing from any network.
#
# Needs www/pkg (runs scripts/build-wasm.sh when it is missing), node and node_modules (npm ci;
# scripts/build-wasm.sh and scripts/test-browser.sh run it). Prints the file's size.
# Run after scripts/build-wasm.sh (scripts/test-browser.sh does), or standalone.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "build-single: $*" >&2; }
command -v node >/dev/null 2>&1 || { say "error: node is not installed (apt-get install nodejs npm)"; exit 1; }
[ -f www/pkg/scaling_path_bg.wasm ] && [ -f www/pkg-plane/scaling_path_plane_bg.wasm ] || bash scripts/build-wasm.sh
[ -f node_modules/esbuild/package.json ] || { say "error: esbuild is not installed: run npm ci (the npm devDependencies)"; exit 1; }
mkdir -p www/dist

node --input-type=module - <<'EOF'
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const WWW = resolve('www');
const OUT = join(WWW, 'dist', 'scaling-path-lab.html');
const read = (p) => readFileSync(join(WWW, p), 'utf8');
const fail = (m) => { console.error(`build-single: error: ${m}`); process.exit(1); };
const where = (m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '');

/** A JS string literal that is safe inside <script> (no "</script", no "<!--"). */
const literal = (s) => JSON.stringify(s).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

// --- the worker: prelude (bindings + bytes) + www/worker.js ----------------------------------
const worker = read('worker.js');
if (!worker.includes('self.scalingPathInline')) fail('www/worker.js has no scalingPathInline hook');
const bindings = read('pkg/scaling_path.js');
if (/^\s*import\s/m.test(bindings)) fail('the bindings import other modules: inline them too');
const wasm64 = readFileSync(join(WWW, 'pkg', 'scaling_path_bg.wasm')).toString('base64');
// The plane's worker and module (www/plane-worker.js, www/pkg-plane/), inlined the same way.
const planeWorker = read('plane-worker.js');
if (!planeWorker.includes('self.scalingPathInline')) fail('www/plane-worker.js has no scalingPathInline hook');
const planeBindings = read('pkg-plane/scaling_path_plane.js');
if (/^\s*import\s/m.test(planeBindings)) fail('the plane\'s bindings import other modules: inline them too');
const planeWasm64 = readFileSync(join(WWW, 'pkg-plane', 'scaling_path_plane_bg.wasm')).toString('base64');

// js/env.js, replaced: the inlined worker. Chromium refuses module workers from blob: URLs in a
// file:// page (an opaque origin), but a classic worker may import() a blob: module: so a
// classic bootstrap sets self.scalingPathInline, then imports www/worker.js as a module.
const env = `
const LINE = { wasm: ${literal(wasm64)}, bindings: ${literal(bindings)}, worker: ${literal(worker)}, url: null };
const PLANE = { wasm: ${literal(planeWasm64)}, bindings: ${literal(planeBindings)}, worker: ${literal(planeWorker)}, url: null };
function workerUrl(m) {
  if (!m.url) {
    const blob = (t) => 'URL.createObjectURL(new Blob([' + JSON.stringify(t) + '], { type: "text/javascript" }))';
    const boot = 'self.scalingPathEarlyMessages = []; self.onmessage = (e) => self.scalingPathEarlyMessages.push(e);\\n' +
      'self.scalingPathInline = { url: () => ' + blob(m.bindings) + ',' +
      ' wasm: Uint8Array.from(atob("' + m.wasm + '"), (c) => c.charCodeAt(0)) };\\n' +
      'import(' + blob(m.worker) + ').catch((e) => postMessage({ type: "error", id: null,' +
      ' message: "the solver worker could not be loaded: " + (e && e.message) }));\\n';
    m.url = URL.createObjectURL(new Blob([boot], { type: 'text/javascript' }));
  }
  return m.url;
}
export function workerFactory() { return () => new Worker(workerUrl(LINE)); }
export function planeWorkerFactory() { return () => new Worker(workerUrl(PLANE)); }
export const STYLESHEET = null;
export const FULL_LAB = location.href.split(/[?#]/)[0];
export const SINGLE_FILE = true;
`;

// --- the page's modules, bundled by esbuild with the env.js above --------------------------
const ENV = join(WWW, 'js', 'env.js');
const single = { name: 'single', setup(b) {
  b.onLoad({ filter: /[\\/]env\.js$/ }, (a) => (a.path === ENV ? { contents: env, loader: 'js' } : undefined));
  b.onResolve({ filter: /^[^./]/ }, (a) => ({ errors: [{ text: `bare import '${a.path}'` }] }));
} };
let result;
try {
  result = await build({ entryPoints: [join(WWW, 'js', 'main.js')], bundle: true, format: 'esm', platform: 'browser',
    charset: 'utf8', write: false, logLevel: 'silent', plugins: [single] });
} catch (e) {
  fail((e.errors || []).map((m) => where(m) + m.text).join('; ') || e.message);
}
if (result.warnings.length) fail(result.warnings.map((m) => where(m) + m.text).join('; '));
const bundle = result.outputFiles[0].text;
if (/<\/script|<!--/i.test(bundle)) fail('the bundle contains "</script" or "<!--"');

// --- the page --------------------------------------------------------------------------------
const css = read('css/lab.css');
if (/<\/style/i.test(css)) fail('the CSS contains "</style"');
const sha = (t) => `'sha256-${createHash('sha256').update(t, 'utf8').digest('base64')}'`;
const icon = `data:image/svg+xml;base64,${readFileSync(join(WWW, 'favicon.svg')).toString('base64')}`;
const csp = ["default-src 'none'", `script-src ${sha(bundle)} blob: 'wasm-unsafe-eval'`, `style-src ${sha(css)}`,
  'worker-src blob:', 'img-src data: blob:', "object-src 'none'", "base-uri 'none'", "form-action 'none'"].join('; ');
const index = read('index.html');
const title = (/<title>([^<]*)<\/title>/.exec(index) || [, 'Scaling path lab'])[1];
const description = (/<meta name="description" content="([^"]*)">/.exec(index) || [, ''])[1];
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${title}</title>
<meta name="description" content="${description}">
<link rel="icon" href="${icon}">
<style>${css}</style>
<script type="module">${bundle}</script>
</head>
<body>
<noscript><p class="noscript">The scaling path lab computes in your browser: it needs JavaScript (and WebAssembly).</p></noscript>
</body>
</html>
`;
if (!existsSync(OUT) || readFileSync(OUT, 'utf8') !== html) writeFileSync(OUT, html);
const gz = (await import('node:zlib')).gzipSync(html, { level: 9 }).length;
console.error(`build-single: ${relative(process.cwd(), OUT)}: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB (${(gz / 1024).toFixed(0)} KB gzipped), WebAssembly ${(wasm64.length * 3 / 4 / 1024).toFixed(0)} + ${(planeWasm64.length * 3 / 4 / 1024).toFixed(0)} KB (line + plane)`);
EOF
