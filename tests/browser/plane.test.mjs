// The lab for inputs in the plane in real headless Chromium: the page switches to it for 2-D
// data, every τ is certified, the heat map's pixels agree with the labels at the data, editing
// (click, Shift-click, drag, keys) changes the data and the link, the link round-trips, bad links
// and bad points give messages (no NaN, no lost input), and the JSON export is the CLI's schema.
// Run: node --test tests/browser/plane.test.mjs (after scripts/build-wasm.sh and build-page.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, SINGLE, TIMEOUT } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** A small, quick configuration: 100 neurons, 7 τ. */
const QUICK = 'dim=2&width=100&seed=3&tauMin=0.001&tauMax=1000&tauCount=7&gdSteps=50000';

const done = (page) => page.waitForFunction(() => window.__planeLab && window.__planeLab.status().doneAt, null, { timeout: TIMEOUT });
const status = (page) => page.evaluate(() => window.__planeLab.status());
const state = (page) => page.evaluate(() => window.__planeLab.state());

/** The colour drawn at client pixel (u, v) of the path's map, as [r, g, b]. */
async function colourAt(page, u, v) {
  return page.evaluate(([u, v]) => {
    const c = document.getElementById('plane-path'), r = c.getBoundingClientRect(), s = c.width / r.width;
    return Array.from(c.getContext('2d').getImageData(Math.round((u - r.left) * s), Math.round((v - r.top) * s), 1, 1).data).slice(0, 3);
  }, [u, v]);
}

test('2-D data open the plane lab; every τ is certified and the map is red at +1, blue at −1', async () => {
  const { page, check } = await open(env.context, `${env.server.url}index.html#${QUICK}&tau=1`, env.server.url);
  await done(page);
  const s = await status(page);
  assert.equal(s.reports, 7);
  assert.equal(s.certified, 7, 'every τ certified');
  assert.deepEqual(s.messages, []);
  assert.equal(await page.evaluate(() => typeof window.__lab), 'undefined', 'the line\'s lab is not started');
  // Just beside each point (outside its marker) the fit is close to its label: red for +1,
  // blue for −1, in most of four directions.
  const data = (await state(page)).data;
  const points = await page.evaluate(() => window.__planeLab.points());
  let agree = 0;
  for (let i = 0; i < data.length; i++) {
    let votes = 0;
    for (const [du, dv] of [[8, 0], [-8, 0], [0, 8], [0, -8]]) {
      const [r, , b] = await colourAt(page, points[i][0] + du, points[i][1] + dv);
      if ((data[i][2] > 0) === (r > b)) votes++;
    }
    if (votes >= 3) agree++;
  }
  assert.ok(agree >= data.length - 1, `the map's colour agrees with the label beside ${agree} of ${data.length} points`);
  // The ends of the paper's scales are the limits themselves, solved in the page.
  await page.waitForFunction(() => /rich limit \(\d+ units\)/.test(document.getElementById('plane-small-label-0').textContent), null, { timeout: TIMEOUT });
  assert.match(await page.textContent('#plane-small-label-5'), /kernel limit/);
  // Gradient descent at the selected τ finishes and is drawn.
  await page.waitForFunction(() => window.__planeLab.status().gdRuns > 0, null, { timeout: TIMEOUT });
  assert.match(await page.textContent('#gd-caption'), /converged|capped/);
  assert.deepEqual(await check(), []);
  await page.close();
});

test('click, Shift-click, drag and keys edit the data; the link round-trips', async () => {
  const { page, check } = await open(env.context, `${env.server.url}index.html#${QUICK}&gd=0`, env.server.url);
  await done(page);
  const n0 = (await state(page)).data.length;
  // Click: +1 at an empty place; Shift-click: −1.
  let [u, v] = await page.evaluate(() => window.__planeLab.pixel(-0.2, -0.4));
  await page.mouse.click(u, v);
  [u, v] = await page.evaluate(() => window.__planeLab.pixel(0.0, 0.55));
  await page.keyboard.down('Shift');
  await page.mouse.click(u, v);
  await page.keyboard.up('Shift');
  let s = await state(page);
  assert.equal(s.data.length, n0 + 2);
  assert.ok(Math.abs(s.data[n0][0] + 0.2) < 0.01 && Math.abs(s.data[n0][1] + 0.4) < 0.01 && s.data[n0][2] === 1, JSON.stringify(s.data[n0]));
  assert.equal(s.data[n0 + 1][2], -1);
  // Drag the first point.
  const p0 = (await page.evaluate(() => window.__planeLab.points()))[0];
  const [tu, tv] = await page.evaluate(() => window.__planeLab.pixel(-0.5, 0.3));
  await page.mouse.move(p0[0], p0[1]);
  await page.mouse.down();
  await page.mouse.move((p0[0] + tu) / 2, (p0[1] + tv) / 2);
  await page.mouse.move(tu, tv);
  await page.mouse.up();
  s = await state(page);
  assert.ok(Math.abs(s.data[0][0] + 0.5) < 0.01 && Math.abs(s.data[0][1] - 0.3) < 0.01, `dragged to ${s.data[0]}`);
  // Keys: select the last point, flip its label, move it, delete the one before.
  await page.focus('#plane-path');
  await page.keyboard.press(',');
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowRight');
  s = await state(page);
  const last = s.data[s.data.length - 1];
  assert.equal(last[2], 1, 'label set by +');
  assert.ok(Math.abs(last[0] - 0.02) < 1e-9, `moved right: ${last}`);
  await page.keyboard.press('Delete');
  assert.equal((await state(page)).data.length, n0 + 1);
  await done(page);
  // The link holds the state: a fresh page from it has the same data and options.
  const link = await page.evaluate(() => location.href);
  const before = await state(page);
  const other = await open(env.context, link, env.server.url);
  await done(other.page);
  assert.deepEqual(await state(other.page), before);
  assert.equal((await status(other.page)).certified, 7);
  assert.deepEqual(await check(), []);
  assert.deepEqual(await other.check(), []);
  await page.close();
  await other.page.close();
});

test('the scrubber selects τ; the JSON export is the CLI\'s schema', async () => {
  const { page, check } = await open(env.context, `${env.server.url}index.html#${QUICK}&gd=0&tau=1`, env.server.url);
  await done(page);
  await page.focus('#plane-tau');
  await page.keyboard.press('ArrowRight');
  assert.equal((await status(page)).selectedTau, 10);
  assert.match(await page.evaluate(() => location.hash), /tau=10(&|$)/);
  assert.match(await page.textContent('#path-caption'), /τ = 10: certified/);
  const json = await page.evaluate(() => window.__planeLab.pathJson());
  assert.equal(json.dim, 2);
  assert.equal(json.path.length, 7);
  assert.deepEqual(json.path.map((r) => r.tau), [...json.path.map((r) => r.tau)].sort((a, b) => a - b));
  for (const r of json.path) {
    assert.ok(r.neurons.every((row) => row.length === 6), 'rows [p, share, a, w1, w2, b]');
    assert.equal(r.fit.f.length, r.fit.x2.length);
    assert.ok(typeof r.relative_gap === 'number' && r.certified === true);
  }
  assert.ok(json.init.neurons.every((t) => t.length === 4) && json.init.neurons.length === 100);
  // The kernel end is near the kernel limit: the core's distance falls from the middle to the end.
  const far = json.path.map((r) => r.kernel_distance);
  assert.ok(far.every((v) => Number.isFinite(v)) && far[6] < far[3], `kernel distances ${far}`);
  // Gradient descent at every τ: one run per τ, each drawn as a ring against τ.
  await page.click('#plane-sweep');
  await page.waitForFunction(() => window.__planeLab.status().gdRuns >= 7, null, { timeout: TIMEOUT });
  assert.match(await page.textContent('#plane-sweep-status'), /at 7 of 7 τ/);
  assert.deepEqual(await check(), []);
  await page.close();
});

test('bad links and impossible points give messages, never NaN', async () => {
  const { page, check } = await open(env.context, `${env.server.url}index.html#dim=2&width=-4&law=uniform-kinks&data=0,0,1;1,nan,2`, env.server.url);
  await page.waitForFunction(() => window.__planeLab && window.__planeLab.status().messages.length >= 3, null, { timeout: TIMEOUT });
  const messages = (await status(page)).messages.join(' | ');
  assert.match(messages, /m \(width\)/);
  assert.match(messages, /law in the plane/);
  assert.match(messages, /point 2/);
  await done(page);
  // Two points at one place with different labels: a message, the points kept.
  await page.fill('#plane-data', '0.1, 0.2, 1\n0.1, 0.2, -1\n0.5, 0.5, 1');
  await page.click('#plane-data-apply');
  const s = await status(page);
  assert.match(s.messages.join(' '), /same place with different labels/);
  assert.equal((await state(page)).data.length, 3, 'the typed points are kept');
  assert.ok(!/NaN/.test(await page.textContent('body')), 'no NaN on the page');
  assert.deepEqual(await check(), []);
  await page.close();
});

test('the line\'s lab links to the plane\'s, and back', async () => {
  const { page, check } = await open(env.context, `${env.server.url}index.html`, env.server.url);
  await page.waitForFunction(() => window.__lab, null, { timeout: TIMEOUT });
  await page.click('#to-plane');
  await page.waitForFunction(() => window.__planeLab && window.__planeLab.status().reports > 0, null, { timeout: TIMEOUT });
  assert.match(await page.textContent('h1'), /plane/);
  // And back: "Inputs on the line (1-D)" opens the line's lab again.
  await page.click('#to-line');
  await page.waitForFunction(() => window.__lab && window.__lab.status().done, null, { timeout: TIMEOUT });
  assert.doesNotMatch(await page.textContent('h1'), /plane/);
  assert.deepEqual(await check(), []);
  await page.close();
});

test('the single file opens the plane lab from disk, with no network', async () => {
  const { page, check } = await open(env.context, `file://${SINGLE}#${QUICK}&gd=0`, 'file://');
  await done(page);
  assert.equal((await status(page)).certified, 7);
  assert.deepEqual(await check(), []);
  await page.close();
});

test('the transport scene computes the paper\'s table, exact, with the cheapest entry of each column marked', async () => {
  const { page, check } = await open(env.context, `${env.server.url}index.html?scene=plane-transport#${QUICK}&gd=0`, env.server.url);
  assert.match(await page.textContent('#plane-scene'), /Transport costs/);
  await page.waitForFunction(() => /columns cheapest/.test(document.getElementById('plane-transport-status').textContent), null, { timeout: TIMEOUT });
  // 7 τ from 1e-3 to 1e3: those in [0.1, 100] are 0.1, 1, 10, 100.
  const cells = await page.$$eval('#plane-transport-table tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => [Number(td.textContent), td.classList.contains('best')])));
  assert.equal(cells.length, 4);
  for (let j = 0; j < 4; j++) {
    const column = cells.map((r) => r[j][0]);
    const marked = cells.findIndex((r) => r[j][1]);
    assert.equal(column[marked], Math.min(...column), `column ${j}: the marked entry is the least`);
    assert.ok(column.every((v) => v > 0 && Number.isFinite(v)));
  }
  // The diagonal entry never exceeds the path's own transport cost at that τ (its plan is one coupling).
  const json = await page.evaluate(() => window.__planeLab.pathJson());
  const costs = [0.1, 1, 10, 100].map((t) => json.path.find((r) => Math.abs(r.tau / t - 1) < 1e-9).transport_cost);
  for (let i = 0; i < 4; i++) assert.ok(cells[i][i][0] <= costs[i] * (1 + 1e-3), `diagonal ${i}: ${cells[i][i][0]} vs ${costs[i]}`);
  assert.deepEqual(await check(), []);
  await page.close();
});

test('points in the plane pasted into the line\'s data box switch the page to the plane\'s lab', async () => {
  const { page, check } = await open(env.context, `${env.server.url}index.html`, env.server.url);
  await page.waitForFunction(() => window.__lab, null, { timeout: TIMEOUT });
  await page.fill('#csv', 'x1,x2,y\n0.1,0.2,1\n-0.5,0.4,-1\n0.6,-0.3,1\n');
  await page.click('#apply-csv');
  await page.waitForFunction(() => window.__planeLab && window.__planeLab.status().doneAt, null, { timeout: TIMEOUT });
  assert.deepEqual((await state(page)).data, [[0.1, 0.2, 1], [-0.5, 0.4, -1], [0.6, -0.3, 1]]);
  await check();
  await page.close();
});
