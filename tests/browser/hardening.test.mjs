// Hostile input, in real headless Chromium against the real worker: markup and javascript: in
// every text field (the link, the embed query, the CSV box, the API's options and setters), huge
// numbers and thousands of points change nothing but show a message — no element is created, no
// dialog opens, no CSP violation occurs. And the pages' policies and code stay strict (a static
// check of www/). Run: node --test tests/browser/hardening.test.mjs (www/pkg must be built).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { start, open, labDone, WWW, TIMEOUT } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', 'javascript:alert(3)'];
const points = (n) => Array.from({ length: n }, (_, i) => `${i},${i % 7}`);

/** Elements that injected markup would create, in the document and in every shadow root. */
const INJECTABLE = () => {
  const roots = [document, ...[...document.querySelectorAll('*')].filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
  return roots.reduce((n, r) => n + r.querySelectorAll('script:not([src]), img, object, embed, svg, b, i, style, a[href^="javascript"]').length, 0);
};

test('the link and the embed query: markup, javascript: and huge values are named in messages and change nothing', async () => {
  const hash = [`tau=${encodeURIComponent(XSS[0])}`, `law=${encodeURIComponent(XSS[1])}`, `theme=${encodeURIComponent(XSS[2])}`,
    `data=${encodeURIComponent('1,2;<b>x</b>,3')}`, 'N=1e12', 'taus=1e-3:1e999:41', `seed=${'9'.repeat(100000)}`,
    `grid=${encodeURIComponent(XSS[1])}:1:2`, `gd=1:400:0:${1e9}`, `${encodeURIComponent('<svg onload=alert(4)>')}=1`].join('&');
  const query = `?embed=1&views=${encodeURIComponent(XSS[0])}&controls=${encodeURIComponent(XSS[2])}&edit=${encodeURIComponent(XSS[1])}`;
  const t0 = Date.now();
  const { page, check } = await open(env.context, `${env.server.url}index.html${query}#${hash}`, env.server.url);
  await labDone(page);
  assert.ok(Date.now() - t0 < 30_000);
  const list = await page.$$eval('#message-list > li', (lis) => lis.map((li) => li.textContent));
  const text = list.join('\n');
  for (const re of [/views must be a comma-separated list of .*got '<script>alert\(1\)<\/script>'/, /controls must be .*got 'javascript:alert\(3\)'/,
    /edit must be true or false, got '"><img src=x onerror=alert\(2\)>'/, /tau must be a positive number, got '<script>alert\(1\)<\/script>'/,
    /law must be one of gaussian, sphere, balanced, uniform-kinks, got '"><img src=x onerror=alert\(2\)>'/,
    /theme must be one of auto, light, dark, got 'javascript:alert\(3\)'/, /data point 2: x = '<b>x<\/b>' is not a finite number/,
    /N \(directions\) must be an integer between 1 and 65536, got '1e12'/, /tau max must be a positive number, got '1e999'/,
    /seed must be an integer between 0 and 4294967295, got '9{40}…'/, /grid min must be a finite number, got '"><img src=x onerror=alert\(2\)>'/,
    /GD steps must be an integer between 1 and 1000000, got '1000000000'/, /unknown key '<svg onload=alert\(4\)>' in the link \(ignored\)/]) {
    assert.match(text, re);
  }
  assert.ok(list.length <= 21, 'at most 20 messages and a count of the others');
  assert.equal(await page.$$eval('#message-list', (uls) => uls[0].querySelectorAll('*:not(li)').length), 0, 'messages are text');
  assert.equal(await page.evaluate(INJECTABLE), 0, 'nothing was injected');
  const st = await page.evaluate(() => window.__lab.state());
  assert.deepEqual([st.tau, st.law, st.theme, st.directions, st.tauMax, st.seed, st.data.length], [1, 'gaussian', 'auto', 4096, 1000, 0, 6], 'the defaults are kept');
  assert.ok(await page.isVisible('#fit-canvas') && await page.isVisible('#scrubber'), 'the default views');
  assert.ok(!(await page.getAttribute('#full-link', 'href')).includes('javascript'));
  assert.deepEqual(await check(), []);
  await page.close();

  // Thousands of points.
  const p = await open(env.context, `${env.server.url}#data=${points(5000).join(';')}&taus=0.01:100:3&N=256`, env.server.url);
  await labDone(p.page);
  const st2 = await p.page.evaluate(() => window.__lab.status());
  assert.deepEqual(st2.messages, ['5000 data points is more than the supported maximum of 100']);
  assert.equal((await p.page.evaluate(() => window.__lab.state())).data.length, 6);
  assert.deepEqual(await p.check(), []);
  await p.page.close();
});

test('the CSV box: markup, huge values and thousands of lines are refused with the CLI\'s messages', async () => {
  const { page, check } = await open(env.context, env.server.url + '#taus=0.01:100:5&N=512', env.server.url);
  await labDone(page);
  // Set the box's value as a paste would (Playwright's fill() types long text slowly), then apply.
  const paste = async (text) => { await page.$eval('#csv', (el, t) => { el.value = t; }, text); await page.click('#apply-csv'); return page.textContent('#csv-message'); };
  assert.match(await paste(`x,y\n1,2\n${XSS[0]},3\n`), /data line 3: x = '<script>alert\(1\)<\/script>' is not a number/);
  assert.match(await paste(`x,y\n${XSS[2]}\n`), /data line 2: expected 2 values 'x,y', found 1 in 'javascript:alert\(3\)'/);
  assert.match(await paste(`x,y\n1,1e999\n`), /data line 2: y = 1e999 is not finite/);
  assert.match(await paste(`x,y\n${points(3000).join('\n')}\n`), /3000 data points is more than the supported maximum of 100/);
  const t0 = Date.now();
  assert.match(await paste(`x,y\n1,${'1'.repeat(200000)}x\n`), /data line 2: y = '1{40}…' is not a number/);
  // A guard against a hang, not a speed figure: a scan quadratic in the value's length would take minutes.
  assert.ok(Date.now() - t0 < 10_000, 'a 200 000-digit value is refused without a hang');
  assert.equal((await page.evaluate(() => window.__lab.state())).data.length, 6, 'the data are unchanged');
  assert.equal(await page.evaluate(INJECTABLE), 0);
  assert.deepEqual(await check(), []);
  await page.close();
});

test('the API: hostile options and setter arguments change nothing, show a message, throw it and send it as an event', async () => {
  const { page, check } = await open(env.context, env.server.url + 'fixtures/host.html', env.server.url);
  await page.waitForFunction(() => window.host && window.host.a.done && window.host.b.done, null, { timeout: TIMEOUT });
  const calls = [
    ['setTau', XSS[0], /^tau must be a positive number, got '<script>alert\(1\)<\/script>'$/],
    ['setTau', XSS[2], /^tau must be a positive number, got 'javascript:alert\(3\)'$/],
    ['setTau', 1e308, /^tau = 1e\+308 is outside the τ range \[0\.01, 100\]$/],
    ['setTau', Infinity, /^tau must be a positive number, got 'Infinity'$/],
    ['setTau', '__object__', /^tau must be a positive number, got '\[object Object\]'$/], // its own valueOf/toString are not called
    ['setData', `x,y\n${XSS[1]},1\n`, /^data line 2: x = '"><img src=x onerror=alert\(2\)>' is not a number$/],
    ['setData', Array.from({ length: 5000 }, (_, i) => [i, 0]), /^5000 data points is more than the supported maximum of 100$/],
    ['setData', { x: [1, 2], y: [1] }, /^data has 2 x values but 1 y values$/],
    ['setData', [[1, XSS[0]]], /^data point 1: y = '<script>alert\(1\)<\/script>' is not a finite number$/],
    ['setData', [[-1e308, 0], [1e308, 1]], /^grid NaN:NaN:301 is invalid: need finite min < max and count >= 2$/],
    ['setData', XSS[2], /^data line 1: expected the header 'x,y', found 'javascript:alert\(3\)'$/],
    ['setOptions', { law: XSS[1] }, /^law must be one of gaussian, sphere, balanced, uniform-kinks, got '"><img src=x onerror=alert\(2\)>'$/],
    ['setOptions', { theme: XSS[2] }, /^theme must be one of auto, light, dark, got 'javascript:alert\(3\)'$/],
    ['setOptions', { directions: 1e12 }, /^N \(directions\) must be an integer between 1 and 65536, got '1000000000000'$/],
    ['setOptions', { width: 20001 }, /^m \(width\) must be an integer between 1 and 20000, got '20001'$/],
    ['setOptions', { gdSteps: 1e7 }, /^GD steps must be an integer between 1 and 1000000, got '10000000'$/],
    ['setOptions', { tauCount: 1e6 }, /^tau count must be an integer between 1 and 1000, got '1000000'$/],
    ['setOptions', { views: [XSS[0]] }, /^views must be a comma-separated list of fit, scrubber, neurons, curves \(or all, or none\), got '<script>alert\(1\)<\/script>'$/],
    ['setOptions', { labUrl: XSS[2] }, /^unknown option 'labUrl' \(setOptions takes the state options, views and controls\)$/],
    ['setOptions', { lambda: 0.1, law: 'nope' }, /^law must be one of/], // all or nothing: λ is not applied either
  ];
  const before = await page.evaluate(() => window.host.a.getState());
  const injected = await page.evaluate(INJECTABLE);
  const results = await page.evaluate((cs) => cs.map(([method, arg]) => {
    const value = arg === '__object__' ? { valueOf: () => 5, toString: () => '<b>5</b>' } : arg;
    try { window.host.a[method](value); return 'no error'; } catch (e) { return e.message; }
  }), calls.map(([m, a]) => [m, a]));
  calls.forEach(([m, , re], i) => assert.match(results[i], re, `${m} #${i}`));
  assert.deepEqual(await page.evaluate(() => window.host.a.getState()), before, 'the state is unchanged');
  assert.equal(await page.evaluate(INJECTABLE), injected, 'nothing was injected');
  const shown = await page.evaluate(() => window.host.a.element.querySelector('[role="alert"]').textContent);
  assert.match(shown, /tau must be a positive number, got '<script>alert\(1\)<\/script>'/, 'the message is in the lab, as text');
  const errors = await page.evaluate(() => window.host.log.filter((e) => e.lab === 'a' && e.type === 'error').map((e) => e.detail.message));
  assert.ok(errors.includes('5000 data points is more than the supported maximum of 100'), 'sent as error events');

  // mount() with hostile options: the lab starts with the defaults for them, and says why.
  const m = await page.evaluate(async (xss) => {
    const div = document.createElement('div');
    document.body.append(div);
    const lab = window.host.mount(div, { tau: xss[0], law: xss[1], labUrl: xss[2], workerUrl: 'data:text/javascript,alert(1)', data: 'x,y\n' + '1,1\n'.repeat(2000), nonsense: 1, views: 'fit', tauCount: 5, directions: 256 });
    const errors = [];
    lab.on('error', (e) => errors.push(e.message));
    await new Promise((r) => setTimeout(r, 50));
    const out = { errors, state: lab.getState(), link: lab.link(), shown: lab.element.querySelector('[role=alert]').textContent };
    lab.destroy();
    return out;
  }, XSS);
  for (const re of [/^tau must be a positive number/, /^law must be one of/, /^labUrl must be an http\(s\) URL, got 'javascript:alert\(3\)'$/,
    /^workerUrl must be an http\(s\) URL, got 'data:text\/javascript,alert\(1\)'$/, /^unknown option 'nonsense' \(ignored\)$/,
    /^2000 data points is more than the supported maximum of 100$/]) {
    assert.ok(m.errors.some((e) => re.test(e)), `${re} in ${m.errors}`);
  }
  assert.deepEqual([m.state.tau, m.state.law, m.state.data.length, m.state.tauCount], [1, 'gaussian', 6, 5]);
  assert.match(m.shown, /labUrl must be an http\(s\) URL/, 'shown in the lab');
  assert.ok(m.link.startsWith(env.server.url + 'index.html#data='), m.link);
  assert.equal(await page.evaluate(INJECTABLE), injected);
  assert.deepEqual(await check(), []);
  await page.close();
});

test('the pages\' policies and code stay strict (static check of www/)', () => {
  for (const file of ['index.html', 'embed.html']) {
    const html = readFileSync(join(WWW, file), 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(csp, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'none'", file);
    assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), `${file}: no inline script`);
    assert.ok(!/\son[a-z]+\s*=/.test(html) && !/\sstyle\s*=/.test(html) && !/<style/.test(html), `${file}: no inline handlers or styles`);
  }
  const js = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? js(join(dir, d.name)) : d.name.endsWith('.js') ? [join(dir, d.name)] : []));
  for (const file of [...js(join(WWW, 'js')), join(WWW, 'worker.js')]) {
    const src = readFileSync(file, 'utf8');
    for (const bad of [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\(/, /new Function\(/, /setAttribute\(\s*'style'/, /setTimeout\(\s*['"`]/]) {
      assert.ok(!bad.test(src), `${file}: ${bad}`);
    }
  }
});
