// Embedding, in real headless Chromium against the real worker: a host page (fixtures/host.html,
// as strict a CSP as the lab's) with two labs mounted through the JS API and one in an iframe,
// driven and listened to side by side; the embed mode's URL parameters; the limits and gradient
// descent end to end; the embedders' page. Run: node --test tests/browser/embed.test.mjs
// (www/pkg must be built: bash scripts/build-wasm.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, frames, labDone, TIMEOUT, WWW } from './helpers.mjs';
import { serve } from './server.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const hostDone = (page) => page.waitForFunction(() => window.host && window.host.a.done && window.host.b.done, null, { timeout: TIMEOUT });
const events = (page, lab, type) => page.evaluate(([l, t]) => window.host.log.filter((e) => e.lab === l && e.type === t), [lab, type]);

test('two API labs and an iframe lab on one host page work side by side', async (t) => {
  const t0 = Date.now();
  const { page, check } = await open(env.context, env.server.url + 'fixtures/host.html', env.server.url);
  await hostDone(page);
  const frame = page.frame({ url: /index\.html\?embed=1/ });
  await labDone(frame);
  t.diagnostic(`three paths in ${Date.now() - t0} ms`);

  // Their events: progress for each τ, then ready, for each lab separately.
  for (const lab of ['a', 'b']) {
    const ready = await events(page, lab, 'ready');
    assert.equal(ready.length, 1, `lab ${lab}: one ready`);
    assert.equal(ready[0].detail.taus, 9);
    assert.equal(ready[0].detail.certified, 9);
    const progress = await events(page, lab, 'progress');
    assert.ok(progress.length >= 9 && progress.every((e) => e.detail.total === 9), `lab ${lab}: progress events`);
    assert.deepEqual(await events(page, lab, 'error'), [], `lab ${lab}: no error`);
  }

  // No id is used twice in the page (lab B lives in the page's own DOM, lab A in a shadow root).
  const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  assert.ok(ids.some((id) => /^spl\d+-fit-canvas$/.test(id)), 'lab B\'s ids are prefixed');
  assert.equal(await page.evaluate(() => !!window.host.a.element.getRootNode().host), true, 'lab A is in a shadow root');

  // Styles stay on their side: the host's red buttons stay red, the labs' buttons are not.
  const bg = await page.evaluate(() => {
    const style = (el) => getComputedStyle(el).backgroundColor;
    return { host: style(document.getElementById('host-button')), a: style(window.host.a.element.querySelector('button')), b: style(window.host.b.element.querySelector('button')) };
  });
  assert.equal(bg.host, 'rgb(255, 0, 0)');
  assert.notEqual(bg.a, 'rgb(255, 0, 0)');
  assert.notEqual(bg.b, 'rgb(255, 0, 0)');

  // setTau on A changes A only (no new solve); the change event says so.
  const bBefore = await page.evaluate(() => window.host.b.getState());
  await page.evaluate(() => window.host.a.setTau(10));
  assert.equal(await page.evaluate(() => window.host.a.getState().tau), 10);
  assert.deepEqual(await page.evaluate(() => window.host.b.getState()), bBefore);
  const change = (await events(page, 'a', 'change')).at(-1);
  assert.deepEqual(change.detail.changed, ['tau']);
  assert.equal(change.detail.source, 'api');
  assert.deepEqual(await events(page, 'b', 'change'), []);

  // setData on A: a new path for A (a second ready), B untouched; the fit passes through the data.
  await page.evaluate(() => window.host.a.setData([[-1, 1], [-0.5, 0], [0.5, 0], [1, 1]]));
  await page.waitForFunction(() => window.host.log.filter((e) => e.lab === 'a' && e.type === 'ready').length === 2, null, { timeout: TIMEOUT });
  const path = await page.evaluate(() => window.host.a.getPath());
  assert.deepEqual(path.data, { x: [-1, -0.5, 0.5, 1], y: [1, 0, 0, 1] });
  assert.equal((await events(page, 'b', 'ready')).length, 1, 'B did not solve again');

  // The iframe: driven through its hash; its "Open in the full lab" link carries the state.
  await frame.evaluate(() => { location.hash = '#tau=0.1'; });
  await frame.waitForFunction(() => window.__lab.state().tau === 0.1);
  await frame.waitForFunction(() => document.getElementById('full-link').href.includes('&tau=0.1&'));
  const link = await frame.evaluate(() => { const a = document.getElementById('full-link'); return { href: a.href, target: a.target, rel: a.rel }; });
  assert.ok(link.href.startsWith(env.server.url + 'index.html#data=-1,0;0,1;1,0&tau=0.1&'), link.href);
  assert.equal(link.target, '_blank');
  assert.equal(link.rel, 'noopener');
  const visible = {};
  for (const id of ['fit-canvas', 'scrubber', 'neurons-canvas', 'curves-top']) visible[id] = await frame.isVisible(`#${id}`);
  assert.deepEqual(visible, { 'fit-canvas': true, scrubber: true, 'neurons-canvas': false, 'curves-top': false }, 'the iframe shows only the views asked for');

  // The canvases are the labs' own: A's fit changes with its τ, B's does not. (First B settles:
  // after its path, its τ's are solved as infinite width itself in the background, each drawn.)
  const png = (lab) => page.evaluate((l) => window.host[l].element.querySelector('.fit-canvas').toDataURL(), lab);
  for (let last = '', now = await png('b'), tries = 0; now !== last && tries < 60; tries++) {
    last = now;
    await page.waitForTimeout(1000);
    now = await png('b');
  }
  const [a1, b1] = [await png('a'), await png('b')];
  await page.evaluate(() => window.host.a.setTau(0.01));
  await frames(page);
  assert.notEqual(await png('a'), a1);
  assert.equal(await png('b'), b1);

  // destroy(): B is gone, A still answers.
  await page.evaluate(() => window.host.b.destroy());
  assert.equal(await page.evaluate(() => document.getElementById('lab-b').childElementCount), 0);
  assert.equal(await page.evaluate(() => document.querySelectorAll('[id^="spl"]').length), 0, 'no element of B is left');
  await page.evaluate(() => window.host.a.setTau(1));
  assert.equal(await page.evaluate(() => window.host.a.getState().tau), 1);
  assert.match(await page.evaluate(() => { try { window.host.b.setTau(1); return ''; } catch (e) { return e.message; } }), /destroyed/);
  assert.deepEqual(await check(), []);
  await page.close();
});

test('a lab imported from another origin (with CORS) starts its worker through a blob: bootstrap', async () => {
  const other = await serve(WWW, {}, {}, { cors: true });
  try {
    const { page, check } = await open(env.context, `${env.server.url}fixtures/cross-origin.html?lab=${encodeURIComponent(other.url)}`, 'http://127.0.0.1:');
    await page.waitForFunction(() => window.cross && window.cross.lab.done, null, { timeout: TIMEOUT });
    const workers = page.workers().map((w) => w.url());
    assert.deepEqual(await page.evaluate(() => window.cross.errors), []);
    // One worker, or two when the path is split over two cores (lab-compute.js): all from blob: URLs.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency || 1);
    assert.equal(workers.length, cores >= 2 ? 2 : 1, `workers: ${workers}`);
    assert.ok(workers.every((w) => w.startsWith('blob:')), `every worker from a blob: URL (${workers})`);
    assert.ok((await page.evaluate(() => window.cross.lab.link())).startsWith(other.url + 'index.html#data='), 'the full lab is on the lab\'s origin');
    assert.deepEqual(await check(), []);
    await page.close();
  } finally {
    await other.close();
  }
});

test('embed mode: the query chooses views and controls, bad values are named, the page fills its frame', async () => {
  const url = env.server.url + 'index.html?embed=1&views=fit,curves&controls=tau,lambda,export&edit=0#taus=0.01:100:9&N=1024&theme=light';
  const { page, check } = await open(env.context, url, env.server.url);
  await page.setViewportSize({ width: 600, height: 700 });
  await labDone(page);
  const shown = await page.evaluate(() => [...document.querySelectorAll('[data-show]')].filter((e) => !e.hidden).map((e) => e.dataset.show));
  for (const s of ['view:fit', 'view:curves', 'control:export']) assert.ok(shown.includes(s), `${s} shown`);
  for (const id of ['neurons-canvas', 'scrubber', 'play', 'csv', 'law', 'gd']) {
    assert.equal(await page.isVisible(`#${id}`), false, `#${id} hidden`);
  }
  assert.ok(await page.isVisible('#tau') && await page.isVisible('#lambda'));
  assert.equal(await page.isVisible('header'), false, 'no chrome');
  assert.equal(await page.getAttribute('#fit-canvas', 'class'), 'fit-canvas readonly', 'edit=0: no point editing');
  // The layout fills the frame: no page scroll, the fit canvas takes the room left.
  const box = await page.evaluate(() => ({ doc: document.documentElement.scrollHeight, fit: document.getElementById('fit-canvas').clientHeight }));
  assert.ok(box.doc <= 700, `fits the frame (${box.doc} px)`);
  assert.ok(box.fit > 150, `the fit canvas fills it (${box.fit} px)`);
  // A typed τ goes through the form's checks.
  await page.fill('#tau', '5'); await page.press('#tau', 'Enter');
  assert.equal((await page.evaluate(() => window.__lab.state())).tau, 5);
  assert.deepEqual(await check(), []);
  await page.close();

  const bad = await open(env.context, env.server.url + 'index.html?embed=1&views=fit,graph&controls=play,everything&edit=maybe#taus=0.01:100:5&N=512', env.server.url);
  await labDone(bad.page);
  const text = await bad.page.textContent('#messages');
  assert.match(text, /views must be a comma-separated list of fit, scrubber, neurons, curves \(or all, or none\), got 'graph'/);
  assert.match(text, /controls must be a comma-separated list of .* got 'everything'/);
  assert.match(text, /edit must be true or false, got 'maybe'/);
  assert.ok(await bad.page.isVisible('#fit-canvas') && await bad.page.isVisible('#scrubber'), 'the default views');
  assert.deepEqual(await bad.check(), []);
  await bad.page.close();
});

test('the real worker: kernel and rich limits and gradient descent end to end; GD waits for λ = 0', async () => {
  const { page, check } = await open(env.context, env.server.url + '#taus=0.01:100:9&N=1024&tau=0.5&gd=1:200:0:20000', env.server.url);
  await labDone(page);
  await page.waitForFunction(() => window.__lab.status().gdRuns >= 1, null, { timeout: TIMEOUT });
  await frames(page);
  for (const sel of ['#fit-legend [data-key="kernel"]', '#fit-legend [data-key="rich"]', '#fit-legend [data-key="gd"]',
    '#curves-legend [data-key="kernel"]', '#curves-legend [data-key="rich"]', '#curves-legend [data-key="gd"]']) {
    assert.ok(await page.isVisible(sel), `${sel} shown`);
  }
  assert.match(await page.textContent('#gd-status'), /GD at τ = 0\.5 \(m = 200\): converged in \d+ steps \(loss \d\.\d\de-\d+\)/);
  assert.equal((await page.evaluate(() => window.__lab.status())).gdSupported, true);
  // The exported path has both limits in the CLI's fields.
  const json = JSON.parse(Buffer.from((await page.evaluate(() => window.__lab.exportBase64('path.json'))).base64, 'base64').toString());
  assert.ok(json.kernel_limit.fit.y.length === 301 && json.rich_limit.kinks.length > 0);
  assert.ok(json.path.every((p) => Number.isFinite(p.kernel_distance) && Number.isFinite(p.rich_distance)));

  // λ > 0: no rich limit, no GD (the status says why; no error message). Waited for as a new
  // path: the λ = 0 one is done too, and \`labDone\` alone raced the edit (1 run in ~10 failed).
  const previous = (await page.evaluate(() => window.__lab.status())).pathId;
  await page.fill('#lambda', '0.1'); await page.press('#lambda', 'Enter');
  await page.waitForFunction((id) => window.__lab.status().pathId > id && window.__lab.status().done, previous, { timeout: TIMEOUT });
  await frames(page);
  assert.equal(await page.isVisible('#fit-legend [data-key="rich"]'), false);
  assert.ok(await page.isVisible('#fit-legend [data-key="kernel"]'));
  // The rule is the core's: the page asks, and shows the core's refusal in the GD row.
  await page.waitForFunction(() => /Not run:/.test(document.getElementById('gd-status').textContent), null, { timeout: TIMEOUT });
  assert.match(await page.textContent('#gd-status'), /Not run: gradient descent fits the data exactly: it needs λ = 0 \(config\.lambda is 0\.1\)/);
  assert.equal(await page.isVisible('#fit-legend [data-key="gd"]'), false);
  assert.deepEqual((await page.evaluate(() => window.__lab.status())).messages, []);
  assert.ok(await page.isVisible('#kernel-lazy') && !await page.isVisible('#kernel-fk'), 'at λ > 0 the distance is to the kernel prediction at τ');
  assert.deepEqual(await check(), []);
  await page.close();
});

test('the embedders\' page: generated snippets, live examples, the handle\'s events', async () => {
  const { page, check } = await open(env.context, env.server.url + 'embed.html', env.server.url);
  await page.waitForFunction(() => window.examples && window.examples.ready(), null, { timeout: TIMEOUT });
  const snippet = await page.textContent('#iframe-snippet');
  assert.match(snippet, new RegExp(`^<iframe src="${env.server.url}index\\.html\\?embed=1&amp;views=fit,scrubber,curves&amp;controls=play,tau,export#data=`));
  assert.equal(await page.getAttribute('#iframe-preview', 'src'), snippet.match(/src="([^"]*)"/)[1].replace(/&amp;/g, '&'), 'the preview is the snippet');
  // Another choice of views rewrites the snippet and the preview.
  await page.uncheck('#gen-views-curves');
  await page.check('#gen-views-neurons');
  await page.waitForFunction(() => document.getElementById('iframe-snippet').textContent.includes('views=fit,scrubber,neurons&'));
  // A hostile "lab link": named in a message, nothing of it reaches the snippet but numbers.
  await page.fill('#gen-link', 'javascript:alert(1)#tau=<script>alert(1)</script>&law="><img src=x onerror=alert(2)>');
  await page.waitForFunction(() => !document.getElementById('gen-message').hidden);
  assert.match(await page.textContent('#gen-message'), /tau must be a positive number, got '<script>alert\(1\)<\/script>'/);
  const s2 = await page.textContent('#iframe-snippet');
  assert.ok(!/<script|javascript:|onerror/.test(s2.replace(/^<iframe /, '')), s2);
  // The JS example: its snippet names this server's lab.js; its buttons drive it; events are listed.
  assert.match(await page.textContent('#js-snippet'), new RegExp(`import \\{ mount \\} from '${env.server.url}js/lab\\.js'`));
  await page.click('button[data-tau="100"]');
  await page.waitForFunction(() => document.getElementById('event-log').textContent.includes('change — tau (api)'));
  assert.equal(await page.evaluate(() => window.examples.lab.getState().tau), 100);
  await page.click('#api-bad');
  await page.waitForFunction(() => document.getElementById('event-log').textContent.includes("error — tau must be a positive number, got '<script>'"));
  assert.equal(await page.evaluate(() => window.examples.lab.getState().tau), 100, 'the refused value changed nothing');
  // A new choice of views reloads the preview iframe: whatever the old one was still fetching
  // (its WebAssembly, on a loaded machine) is aborted by the browser, by design.
  assert.deepEqual((await check()).filter((p) => !/^request failed: .*\(net::ERR_ABORTED\)$/.test(p)), []);
  await page.close();
});
