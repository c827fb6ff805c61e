// Exports and the single file, in real headless Chromium at devicePixelRatio 2: every export is a
// valid file (PNG decodes at device resolution, SVG parses and renders, CSV re-imports to the
// same numbers, JSON has the CLI's schema), downloads arrive under their names, and the single
// HTML file draws the path from file:// with no network under its own CSP.
// Run: node --test tests/browser/exports.test.mjs (after scripts/build-wasm.sh and build-single.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { start, open, frames, labDone, SINGLE, TIMEOUT } from './helpers.mjs';

let env;
before(async () => { env = await start({ deviceScaleFactor: 2 }); });
after(async () => { await env?.close(); });

const exported = async (page, kind) => {
  const r = await page.evaluate((k) => window.__lab.exportBase64(k), kind);
  return { ...r, bytes: Buffer.from(r.base64, 'base64') };
};
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decodes a PNG in the page; [width, height]. */
const decodePng = (page, base64) => page.evaluate(async (b64) => {
  const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
  return [bmp.width, bmp.height];
}, base64);

/** Parses an SVG in the page and renders it as an image: {root, error, paths, texts, width, natural}. */
const parseSvg = (page, text) => page.evaluate(async (t) => {
  const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
  const img = new Image();
  const url = URL.createObjectURL(new Blob([t], { type: 'image/svg+xml' }));
  img.src = url;
  await img.decode();
  URL.revokeObjectURL(url);
  return { root: doc.documentElement.nodeName, error: !!doc.querySelector('parsererror'), paths: doc.querySelectorAll('path').length,
    texts: doc.querySelectorAll('text').length, width: Number(doc.documentElement.getAttribute('width')), natural: img.naturalWidth };
}, text);

const csv = (text) => text.trim().split('\n').map((l) => l.split(','));

test('every export is a valid file: PNG, SVG, CSV and JSON', async (t) => {
  const { page, check } = await open(env.context, env.server.url + '#taus=0.01:100:9&N=1024&tau=0.5&gd=1:200:0:20000&theme=light', env.server.url);
  await labDone(page);
  await page.waitForFunction(() => window.__lab.status().gdRuns >= 1, null, { timeout: TIMEOUT });
  await frames(page);
  const size = await page.evaluate(() => Object.fromEntries(['fit-canvas', 'neurons-canvas', 'curves-top', 'curves-bottom', 'scrubber']
    .map((id) => [id, document.getElementById(id).clientWidth])));

  // Images: PNG at devicePixelRatio 2 (decoded by the browser), SVG (parsed, then rendered).
  for (const [view, canvas] of [['fit', 'fit-canvas'], ['neurons', 'neurons-canvas'], ['curves', 'curves-top'], ['scrubber', 'scrubber']]) {
    const png = await exported(page, `${view}.png`);
    assert.equal(png.type, 'image/png');
    assert.ok(png.bytes.subarray(0, 8).equals(PNG), `${view}.png has the PNG signature`);
    const [w, h] = await decodePng(page, png.base64);
    assert.equal(w, 2 * size[canvas], `${view}.png is at device resolution (${w} px for ${size[canvas]} CSS px)`);
    assert.ok(h > 2 * 50);
    const svg = await exported(page, `${view}.svg`);
    assert.equal(svg.type, 'image/svg+xml');
    const s = await parseSvg(page, svg.bytes.toString());
    assert.equal(s.root, 'svg'); assert.equal(s.error, false);
    assert.equal(s.width, size[canvas]);
    assert.equal(s.natural, size[canvas], 'the SVG renders');
    assert.ok(s.paths > 10 && s.texts > 3, `${view}.svg has the plot's primitives (${s.paths} paths, ${s.texts} texts)`);
  }

  // JSON in the CLI's schema (src/path/report.rs).
  const json = JSON.parse((await exported(page, 'path.json')).bytes.toString());
  const state = await page.evaluate(() => window.__lab.state());
  assert.deepEqual(Object.keys(json), ['data', 'lambda', 'init', 'path', 'kernel_limit', 'rich_limit']);
  assert.deepEqual(json.data, { x: state.data.map((p) => p[0]), y: state.data.map((p) => p[1]) });
  assert.equal(json.lambda, 0);
  assert.deepEqual(Object.keys(json.init), ['law', 'symmetric', 'kind', 'count', 'weights', 'neurons']);
  assert.equal(json.init.law, 'gaussian'); assert.equal(json.init.symmetric, true);
  assert.equal(json.init.weights.length, json.init.count);
  assert.ok(json.init.neurons.every((r) => r.length === 3));
  assert.equal(json.path.length, 10, 'the 9 τ of the path and the selected τ = 0.5');
  for (let i = 0; i < json.path.length; i++) {
    const p = json.path[i];
    for (const k of ['tau', 'alpha', 'primal', 'dual', 'gap', 'residual', 'neurons', 'fit']) assert.ok(k in p, `path[${i}].${k}`);
    if (i) assert.ok(p.tau > json.path[i - 1].tau, 'τ increasing');
    assert.equal(p.alpha.length, 6);
    assert.ok(p.neurons.length > 0 && p.neurons.every((r) => r.length === 5 && Number.isInteger(r[0])));
    assert.equal(p.fit.x.length, 301); assert.equal(p.fit.y.length, 301);
    assert.ok(p.certified && Math.abs(p.gap - (p.primal - p.dual)) <= 1e-9 * Math.max(1, Math.abs(p.primal)));
  }
  assert.equal(json.kernel_limit.fit.x.length, 301);
  assert.ok(json.rich_limit.kinks.length > 0 && json.rich_limit.neurons.every((r) => r.length === 3));

  // The fits' CSV: the same numbers as the JSON (String(x) round-trips a double).
  const fits = csv((await exported(page, 'path.csv')).bytes.toString());
  assert.deepEqual(fits[0], ['x', ...json.path.map((p) => `tau=${p.tau}`), 'kernel_limit', 'rich_limit']);
  assert.equal(fits.length, 302);
  for (let i = 1; i < fits.length; i++) {
    const row = fits[i].map(Number);
    assert.equal(row[0], json.path[0].fit.x[i - 1]);
    json.path.forEach((p, j) => assert.equal(row[j + 1], p.fit.y[i - 1]));
    assert.equal(row.at(-2), json.kernel_limit.fit.y[i - 1]);
    assert.equal(row.at(-1), json.rich_limit.fit.y[i - 1]);
  }
  const certs = csv((await exported(page, 'path-certificates.csv')).bytes.toString());
  assert.equal(certs[0].join(','), 'tau,primal,dual,gap,relative_gap,residual,certified,transport_cost,kernel_distance,rich_distance');
  certs.slice(1).forEach((r, j) => {
    const p = json.path[j];
    assert.deepEqual(r.map(Number), [p.tau, p.primal, p.dual, p.gap, p.relative_gap, p.residual, 1, p.transport_cost, p.kernel_distance, p.rich_distance]);
  });

  // The data's CSV re-imports (the lab's own reader, as the CSV box and the CLI read it) exactly.
  const data = (await exported(page, 'data.csv')).bytes.toString();
  const back = await page.evaluate(async (text) => (await import('/js/state/validate.js')).parseCsv(text), data);
  assert.deepEqual(back, { data: state.data });

  // Through the UI: the Download menu saves files under their names, and closes after each.
  for (const kind of ['fit.svg', 'data.csv', 'curves.png']) {
    await page.click('#exports > summary');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#exports [data-export="${kind}"]`)]);
    assert.equal(await page.getAttribute('#exports', 'open'), null, 'the menu closed');
    assert.equal(download.suggestedFilename(), `scaling-path-${kind}`);
    const file = readFileSync(await download.path());
    if (kind === 'fit.svg') assert.match(file.toString(), /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    if (kind === 'data.csv') assert.equal(file.toString(), data);
    if (kind === 'curves.png') assert.ok(file.subarray(0, 8).equals(PNG));
  }
  t.diagnostic(`path.json for 10 τ at N = 1024: ${JSON.stringify(json).length} bytes`);
  assert.deepEqual(await check(), []);
  await page.close();
});

test('a mounted lab exports too (from its shadow root)', async () => {
  const { page, check } = await open(env.context, env.server.url + 'fixtures/host.html', env.server.url);
  await page.waitForFunction(() => window.host && window.host.a.done, null, { timeout: TIMEOUT });
  const r = await page.evaluate(async () => {
    const blob = await window.host.a.export('fit.png');
    const bmp = await createImageBitmap(blob);
    const svg = await (await window.host.a.export('curves.svg')).text();
    let unknown = '';
    try { await window.host.a.export('fit.exe'); } catch (e) { unknown = e.message; }
    return { type: blob.type, w: bmp.width, css: window.host.a.element.querySelector('.fit-canvas').clientWidth, svg: svg.slice(0, 60), unknown };
  });
  assert.equal(r.type, 'image/png');
  assert.equal(r.w, 2 * r.css);
  assert.match(r.svg, /<svg xmlns/);
  assert.match(r.unknown, /^unknown export 'fit\.exe': expected one of fit\.png, fit\.svg/);
  await page.waitForFunction(() => window.host.b.done, null, { timeout: TIMEOUT });
  assert.deepEqual(await check(), []);
  await page.close();
});

test('the single file works from file:// with no network, under its own strict CSP', async (t) => {
  assert.ok(existsSync(SINGLE), `${SINGLE} exists (bash scripts/build-single.sh)`);
  t.diagnostic(`single file: ${(statSync(SINGLE).size / 1024).toFixed(0)} KB`);
  const html = readFileSync(SINGLE, 'utf8');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)[1];
  assert.match(csp, /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]{44}' blob: 'wasm-unsafe-eval'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; worker-src blob:/);
  assert.ok(!/unsafe-inline|'unsafe-eval'/.test(csp));
  assert.equal((html.match(/<script/g) || []).length, 1, 'one script');
  assert.ok(!/ on[a-z]+="/.test(html) && !/ style="/.test(html), 'no inline handlers or style attributes');

  const { page, check } = await open(env.context, 'file://' + SINGLE + '#taus=0.01:100:9&N=1024&theme=dark');
  await labDone(page);
  await frames(page);
  const st = await page.evaluate(() => window.__lab.status());
  assert.equal(st.reports, 9);
  assert.deepEqual(st.messages, []);
  // The path is drawn: many pixels of the fit canvas are neither background nor grid.
  const inked = await page.evaluate(() => {
    const c = document.getElementById('fit-canvas'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 3 * 90) n++; // brighter than the dark grid
    return n / (d.length / 4);
  });
  assert.ok(inked > 0.01, `the fit view is drawn (${(inked * 100).toFixed(1)} % of its pixels)`);
  const png = await exported(page, 'fit.png');
  assert.ok(png.bytes.subarray(0, 8).equals(PNG), 'exports work offline');
  assert.deepEqual(await check(), []);
  await page.close();

  const embed = await open(env.context, 'file://' + SINGLE + '?embed=1&views=fit,scrubber&controls=play#taus=0.01:100:5&N=512');
  await labDone(embed.page);
  assert.equal(await embed.page.isVisible('#neurons-canvas'), false);
  assert.match(await embed.page.getAttribute('#full-link', 'href'), /^file:\/\/.*scaling-path-lab\.html#data=/);
  assert.deepEqual(await embed.check(), []);
  await embed.page.close();
});
