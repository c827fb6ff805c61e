// End-to-end tests of the lab in real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser download). The test serves www/ itself; www/pkg must be built
// (bash scripts/build-wasm.sh). One case also serves tests/browser/stub-worker.js in place of the
// worker, for the replies the library does not send yet. Run: node --test tests/browser/lab.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const WWW = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'www');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PATH_TIMEOUT = 120_000;

let server, stubServer, brokenServer, silentServer, context, profile;

before(async () => {
  server = await serve(WWW);
  // www/ again, but with a protocol stand-in for the worker (tests/browser/stub-worker.js)
  stubServer = await serve(WWW, { '/worker.js': join(dirname(fileURLToPath(import.meta.url)), 'stub-worker.js') });
  // www/ again, with a worker that throws as it starts (tests/browser/broken-worker.js)
  brokenServer = await serve(WWW, { '/worker.js': join(dirname(fileURLToPath(import.meta.url)), 'broken-worker.js') });
  // www/ again, with a worker that never answers a solve (tests/browser/silent-worker.js)
  silentServer = await serve(WWW, { '/worker.js': join(dirname(fileURLToPath(import.meta.url)), 'silent-worker.js') });
  profile = mkdtempSync(join(tmpdir(), 'lab-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS,
    viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1,
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  await stubServer?.close();
  await brokenServer?.close();
  await silentServer?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** A fresh page that records console errors, page errors, failed and 4xx/5xx requests; `init`
 * runs in it before its own scripts. */
async function open(hash = '', origin = server, init = null) {
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(origin.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) problems.push(`request leaving the origin: ${r.url()}`); });
  await page.goto(origin.url + hash);
  return { page, problems };
}

const waitDone = (page) => page.waitForFunction(() => window.__lab && window.__lab.status().done, null, { timeout: PATH_TIMEOUT });
const status = (page) => page.evaluate(() => window.__lab.status());
const state = (page) => page.evaluate(() => window.__lab.state());
/** Two animation frames, so that whatever was invalidated has been drawn. */
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** The canvas as a PNG data URL. */
const snapshot = (page, id) => page.evaluate((id) => document.getElementById(id).toDataURL('image/png'), id);

/** Fraction of pixels of canvas `id` that differ (by more than 24 in a channel) from a PNG data URL. */
function differs(page, id, png) {
  return page.evaluate(async ([id, png]) => {
    const c = document.getElementById(id);
    const img = new Image();
    img.src = png;
    await img.decode();
    if (img.width !== c.width || img.height !== c.height) return 1;
    const o = new OffscreenCanvas(c.width, c.height).getContext('2d');
    o.drawImage(img, 0, 0);
    const a = o.getImageData(0, 0, c.width, c.height).data;
    const b = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < a.length; i += 4) {
      if (Math.abs(a[i] - b[i]) > 24 || Math.abs(a[i + 1] - b[i + 1]) > 24 || Math.abs(a[i + 2] - b[i + 2]) > 24) n++;
    }
    return n / (a.length / 4);
  }, [id, png]);
}

/** Every form control's value, by id. */
const controls = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#settings input, #settings select, #csv')]
  .map((el) => [el.id, el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value])));

test('loads, computes and certifies the whole default path', async (t) => {
  const { page, problems } = await open();
  const t0 = Date.now();
  await page.waitForFunction(() => window.__lab && window.__lab.status().reports > 0, null, { timeout: PATH_TIMEOUT });
  const first = Date.now() - t0;
  await waitDone(page);
  const st = await status(page);
  assert.equal(st.reports, 41, 'all 41 τ of the default path are on screen');
  assert.equal(st.messages.length, 0, `no messages, got ${st.messages}`);
  assert.match(await page.textContent('#progress-text'), /41 τ in .* 41 certified/);
  assert.match(await page.textContent('#cert-text'), /^At τ = 1 — certified/);
  assert.equal(await page.getAttribute('#scrubber', 'aria-valuetext'), 'τ = 1');
  assert.ok(page.url().includes('#data=-1.6,0.3;-0.9,-0.4;'), 'the state is written into the URL');
  t.diagnostic(`first fit after ${first} ms, whole path after ${Date.now() - t0} ms`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('canvas pixels change when τ changes (keyboard on the τ slider)', async () => {
  const { page, problems } = await open();
  await waitDone(page);
  await frames(page);
  const fit = await snapshot(page, 'fit-canvas'), neurons = await snapshot(page, 'neurons-canvas');
  await page.focus('#scrubber');
  await page.keyboard.press('End');
  await frames(page);
  assert.equal((await state(page)).tau, 1000);
  assert.equal(await page.getAttribute('#scrubber', 'aria-valuetext'), 'τ = 10³');
  assert.ok(await differs(page, 'fit-canvas', fit) > 0.002, 'the fit view changed');
  assert.ok(await differs(page, 'neurons-canvas', neurons) > 0.002, 'the neurons view changed');
  await page.keyboard.press('ArrowLeft'); // one step of the τ grid: 10^2.85
  await frames(page);
  assert.ok(Math.abs(Math.log10((await state(page)).tau) - 2.85) < 1e-9);
  await page.keyboard.press('Home');
  await frames(page);
  assert.equal((await state(page)).tau, 0.001);
  await page.waitForFunction(() => location.hash.includes('&tau=0.001&')); // written within 250 ms
  assert.deepEqual(problems, []);
  await page.close();
});

test('a frame with nothing new to draw draws no canvas; a resize redraws every view', async () => {
  const { page, problems } = await open();
  await waitDone(page);
  // After the path, a worker solves each τ as infinite width itself and the views against τ
  // draw each answer: wait for the last, so that nothing new arrives while frames are counted.
  await page.waitForFunction(() => { const s = window.__lab.status(); return s.exactSolved === s.reports; }, null, { timeout: PATH_TIMEOUT });
  await frames(page);
  const before = await status(page);
  const fit = await snapshot(page, 'fit-canvas');
  // Only the page's text changes: the message for a bad link (the state stays).
  await page.evaluate(() => { location.hash = '#tau=abc'; });
  await page.waitForFunction(() => window.__lab.status().messages.length === 1);
  await frames(page);
  const after = await status(page);
  assert.ok(after.frames > before.frames, 'the message (a layout change) ran a frame');
  assert.equal(after.draws, before.draws, 'no view was drawn again');
  assert.equal(await differs(page, 'fit-canvas', fit), 0);
  // Narrower: every view is drawn again, at its new size, as a redraw from scratch draws it.
  await page.setViewportSize({ width: 1000, height: 900 });
  await frames(page);
  const resized = await status(page);
  assert.ok(resized.draws >= after.draws + 4, `${resized.draws - after.draws} views drawn again`);
  const ids = ['fit-canvas', 'scrubber', 'neurons-canvas', 'curves-top', 'curves-bottom'];
  const drawn = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await snapshot(page, id)])));
  for (let k = 0; k < 3; k++) { await page.click('#theme-toggle'); await frames(page); } // auto → dark → light → auto (the system's look is light)
  assert.ok((await status(page)).draws >= resized.draws + 3 * 4, 'each theme redrew every view');
  for (const id of ids) assert.equal(await differs(page, id, drawn[id]), 0, id);
  assert.deepEqual(problems, []);
  await page.close();
});

test('dragging a data point moves the fit through it', async () => {
  const { page, problems } = await open();
  await waitDone(page);
  const before = await state(page);
  const fit0 = await page.evaluate(() => window.__lab.fit());
  const [[px, py]] = await page.evaluate(() => window.__lab.points().slice(2, 3));
  await page.mouse.move(px, py);
  await page.mouse.down();
  for (let k = 1; k <= 8; k++) { await page.mouse.move(px + 3 * k, py + 12 * k); await frames(page); }
  await page.mouse.up();
  await page.waitForFunction((n) => window.__lab.status().pathId > n && window.__lab.status().done, 1, { timeout: PATH_TIMEOUT });
  const after = await state(page);
  assert.equal(after.data.length, before.data.length, 'a drag moves, it does not add');
  const [x, y] = after.data[2];
  assert.ok(y < before.data[2][1] - 0.3, `the point moved down (y ${before.data[2][1]} → ${y})`);
  const fit = await page.evaluate(() => window.__lab.fit());
  const at = (f, x) => { let i = f.x.findIndex((v) => v >= x); i = Math.max(1, i); const t = (x - f.x[i - 1]) / (f.x[i] - f.x[i - 1]); return f.y[i - 1] + t * (f.y[i] - f.y[i - 1]); };
  assert.ok(Math.abs(at(fit, x) - y) < 0.03, `the new fit passes through the moved point: f(${x}) = ${at(fit, x)} vs ${y}`);
  assert.ok(Math.abs(at(fit0, x) - y) > 0.3, 'and the old one did not');
  // keyboard: Tab to the point's handle, move it with the arrows, remove it with Delete
  await page.focus('.point-handle >> nth=0');
  await page.keyboard.press('ArrowUp');
  assert.ok((await state(page)).data[0][1] > after.data[0][1]);
  await page.keyboard.press('Delete');
  assert.equal((await state(page)).data.length, after.data.length - 1);
  await waitDone(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a dragged point\'s solves go to both workers, seeded with the fit on screen', async () => {
  // Every solve posted to a worker, with the worker's number (in order of first use). 16 384
  // directions make each of the drag's solves outlast a mouse move, so that the first worker is
  // busy when the next move comes (with the default, a fast machine — or a loaded page whose
  // moves come slower than the worker answers — never needs the second).
  const { page, problems } = await open('#N=16384', server, () => {
    window.__solves = [];
    const post = Worker.prototype.postMessage, workers = [];
    Worker.prototype.postMessage = function (msg, ...rest) {
      if (!workers.includes(this)) workers.push(this);
      if (msg && msg.type === 'solve') window.__solves.push({ worker: workers.indexOf(this), selectedOnly: !!msg.config.selectedOnly, seeded: !!msg.config.warmStart });
      return post.call(this, msg, ...rest);
    };
  });
  await waitDone(page);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency || 1);
  const [[px, py]] = await page.evaluate(() => window.__lab.points().slice(3, 4));
  await page.evaluate(() => { window.__solves = []; });
  await page.mouse.move(px, py);
  await page.mouse.down();
  // One move per frame or so; after every fourth, wait until the page has posted a solve for
  // that group of moves (it posts when a worker is free), so that however slow the machine the
  // drag makes several solves, and the test never depends on how many moves fit in one.
  let posted = 0;
  for (let k = 1; k <= 16; k++) {
    await page.mouse.move(px + k, py - 5 * k);
    if (k % 4 === 0) {
      await page.waitForFunction((n) => window.__solves.length > n, posted, { timeout: 30_000 });
      posted = await page.evaluate(() => window.__solves.length);
    }
  }
  await page.mouse.up();
  await waitDone(page);
  const solves = await page.evaluate(() => window.__solves);
  const drag = solves.filter((s) => s.selectedOnly);
  assert.ok(drag.length >= 4, `${drag.length} solves while dragging`);
  assert.ok(drag.every((s) => s.seeded), 'each seeded with the fit on screen');
  const used = new Set(drag.map((s) => s.worker));
  if (cores >= 2) assert.equal(used.size, 2, `the dragged point's solves went to workers ${[...used]}`);
  assert.equal(solves.at(-1).selectedOnly, false, 'the release asks for the whole path');
  const [x, y] = (await state(page)).data[3];
  const fit = await page.evaluate(() => window.__lab.fit());
  let i = fit.x.findIndex((v) => v >= x);
  i = Math.max(1, i);
  const at = fit.y[i - 1] + (x - fit.x[i - 1]) / (fit.x[i] - fit.x[i - 1]) * (fit.y[i] - fit.y[i - 1]);
  assert.ok(Math.abs(at - y) < 0.03, `the fit passes through the moved point: f(${x}) = ${at} vs ${y}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a shared URL restores the same state, controls and pixels', async (t) => {
  const a = await open();
  await waitDone(a.page);
  await a.page.click('button[data-preset="step"]');
  await a.page.fill('#lambda', '0.05'); await a.page.press('#lambda', 'Enter');
  await a.page.fill('#directions', '1024'); await a.page.press('#directions', 'Enter');
  await a.page.fill('#tau-count', '13'); await a.page.press('#tau-count', 'Enter');
  await a.page.fill('#tau', '0.1'); await a.page.press('#tau', 'Enter');
  await a.page.click('#theme-toggle'); // auto → dark (the system's look is light)
  await a.page.waitForFunction(() => window.__lab.state().tauCount === 13 && window.__lab.status().done, null, { timeout: PATH_TIMEOUT });
  await a.page.click('#copy-link');
  await frames(a.page);
  const hash = new URL(a.page.url()).hash;
  assert.match(hash, /lambda=0\.05&/);
  assert.match(hash, /taus=0\.001:1000:13&/);
  assert.match(hash, /tau=0\.1&/);
  const stateA = await state(a.page), controlsA = await controls(a.page), png = await snapshot(a.page, 'fit-canvas');

  const b = await open(hash);
  const t0 = Date.now();
  await waitDone(b.page);
  t.diagnostic(`the shared path took ${Date.now() - t0} ms`);
  await frames(b.page);
  assert.deepEqual(await state(b.page), stateA);
  assert.deepEqual(await controls(b.page), controlsA);
  assert.equal(new URL(b.page.url()).hash, hash, 'the link is written back unchanged');
  const d = await differs(b.page, 'fit-canvas', png);
  assert.ok(d < 0.002, `the fit view is drawn the same (${(d * 100).toFixed(3)} % of pixels differ)`);
  assert.deepEqual(a.problems, []);
  assert.deepEqual(b.problems, []);
  await a.page.close(); await b.page.close();
});

test('a malformed URL shows specific messages and keeps the defaults', async () => {
  const { page, problems } = await open('#tau=abc&N=0&law=laplace&data=1,2;3,x');
  await waitDone(page);
  const alert = page.locator('#messages');
  assert.ok(await alert.isVisible());
  const text = await alert.textContent();
  assert.match(text, /tau must be a positive number, got 'abc'/);
  assert.match(text, /N \(directions\) must be an integer between 1 and 65536, got '0'/);
  assert.match(text, /law must be one of gaussian, sphere, balanced, uniform-kinks, got 'laplace'/);
  assert.match(text, /data point 2: y = 'x' is not a finite number/);
  const st = await state(page);
  assert.equal(st.tau, 1); assert.equal(st.directions, 4096); assert.equal(st.law, 'gaussian'); assert.equal(st.data.length, 6);
  assert.equal((await status(page)).reports, 41, 'the default path is computed anyway');
  // editing the hash in place applies it (τ only: no new solve) and clears the old messages
  const id = (await status(page)).pathId;
  await page.evaluate(() => { location.hash = '#tau=0.01'; });
  await page.waitForFunction(() => window.__lab.state().tau === 0.01);
  assert.equal((await status(page)).pathId, id, 'changing τ alone does not solve again');
  assert.equal(await alert.isVisible(), false);
  await page.waitForFunction(() => location.hash.startsWith('#data=') && location.hash.includes('&tau=0.01&'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('pasted CSV is checked with the CLI\'s messages; the last good state stays', async () => {
  const { page, problems } = await open();
  await waitDone(page);
  // The message sits under the box, which it describes; only the current one is shown.
  const paste = async (text) => {
    await page.fill('#csv', text); await page.click('#apply-csv');
    if (await page.getAttribute('#csv', 'aria-invalid') !== 'true') return '';
    assert.equal(await page.getAttribute('#csv', 'aria-describedby'), 'csv-message');
    assert.ok(await page.isVisible('#csv-message'));
    return page.textContent('#csv-message');
  };
  assert.match(await paste('x,y\n1,2\n3,abc\n'), /data line 3: y = 'abc' is not a number/);
  assert.match(await paste('x,y\n1,nan\n'), /data line 2: y = nan is not finite/);
  assert.match(await paste('a,b\n1,2\n'), /data line 1: expected the header 'x,y', found 'a,b'/);
  assert.match(await paste('x,y\n-0.2,0.6\n-0.2,0.2\n1,0\n'), /points 1 and 2 have the same x = -0.2 but different y \(0.6 vs 0.2\).*λ > 0/);
  assert.equal((await state(page)).data.length, 6, 'the data on screen are unchanged');
  assert.equal(await page.getAttribute('#csv', 'aria-invalid'), 'true');
  assert.match(await paste('x,y\n-1,0\n0,1\n1,0\n'), /^$/);
  assert.equal((await state(page)).data.length, 3);
  await waitDone(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('limits and gradient descent, when the worker sends them, are drawn with their legend entries', async () => {
  // With the real worker: the limits' entries show exactly when it sent limits; GD's are hidden while GD is off.
  const real = await open();
  await waitDone(real.page);
  const { limits } = await status(real.page);
  for (const sel of ['#fit-legend [data-key="kernel"]', '#fit-legend [data-key="rich"]']) {
    assert.equal(await real.page.isVisible(sel), limits, `${sel} shown iff limits arrived (${limits})`);
  }
  for (const sel of ['#fit-legend [data-key="gd"]', '#curves-legend [data-key="gd"]']) assert.equal(await real.page.isVisible(sel), false);
  assert.deepEqual(real.problems, []);
  await real.page.close();

  const { page, problems } = await open('#tau=0.5&gd=1:400:0:1000', stubServer);
  await waitDone(page);
  await page.waitForFunction(() => window.__lab.status().gdRuns >= 1);
  await frames(page);
  for (const sel of ['#fit-legend [data-key="kernel"]', '#fit-legend [data-key="rich"]', '#fit-legend [data-key="gd"]', '#curves-legend [data-key="kernel"]', '#curves-legend [data-key="gd"]']) {
    assert.ok(await page.isVisible(sel), `${sel} shown`);
  }
  assert.match(await page.textContent('#gd-status'), /stopped at the step cap \(200 steps\), loss 1\.00e-8/);
  const png = await snapshot(page, 'fit-canvas');
  await page.uncheck('#gd');
  await frames(page);
  assert.ok(await differs(page, 'fit-canvas', png) > 0.002, 'the GD curve is drawn, and goes when unticked');
  assert.equal(await page.isVisible('#fit-legend [data-key="gd"]'), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('while no path has come, every view is drawn within a second (with its waiting message)', async () => {
  const { page, problems } = await open('', silentServer);
  await page.waitForFunction(() => window.__lab && window.__lab.status().ready);
  await page.waitForTimeout(1000);
  await frames(page);
  const filled = await page.evaluate(() => ['fit-canvas', 'scrubber', 'neurons-canvas', 'curves-top', 'curves-bottom'].map((id) => {
    const c = document.getElementById(id), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return [id, n / (d.length / 4)];
  }));
  for (const [id, share] of filled) assert.ok(share > 0.5, `${id}: ${(100 * share).toFixed(0)} % of its pixels drawn`);
  const st = await status(page);
  assert.equal(st.reports, 0, 'no path came');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a solver worker that fails as it starts is reported, not waited for', async () => {
  // js/boot.js starts the worker before the page's modules load: its failure usually comes
  // before the page listens, and must be kept for it (js/compute/worker-client.js).
  const { page, problems } = await open('', brokenServer);
  await page.waitForFunction(() => window.__lab && window.__lab.status().messages.length > 0, null, { timeout: PATH_TIMEOUT });
  const st = await status(page);
  assert.ok(st.failed, 'the lab knows it has no solver');
  assert.ok(st.messages.some((m) => /^the solver worker failed to start: .*fails on purpose/.test(m)), `messages: ${st.messages}`);
  assert.match(await page.textContent('#messages'), /failed to start/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('30 irregular points: a fit is on screen within seconds, dashed until certified, and a tau out of time is reported', async () => {
  const csv = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'data', 'random-30.csv'), 'utf8');
  const pts = csv.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const { page, problems } = await open('#data=' + pts.map(([x, y]) => `${x},${y}`).join(';') + '&tau=1');
  // The first look (half a second of solving) comes before any τ of the real path could.
  await page.waitForFunction(() => window.__lab && window.__lab.fit() !== null, null, { timeout: 15_000 });
  await frames(page);
  const legend = await page.evaluate(() => !document.querySelector('#fit-legend [data-key="uncertified"]').hidden);
  assert.ok(legend, 'the legend says the fit on screen is not certified yet');
  assert.ok((await page.textContent('#cert-text')).startsWith('A first look at τ = 1'));
  const fit = await page.evaluate(() => window.__lab.fit());
  assert.ok(fit.y.every(Number.isFinite));
  // Nearly coincident abscissas: some τ's outlast their budget and are reported as they stand.
  await page.waitForFunction(() => /cut short by their time budget/.test(document.getElementById('progress-text').textContent), null, { timeout: 90_000 });
  assert.ok((await status(page)).reports > 0);
  assert.deepEqual(problems, []);
  await page.close();
});
