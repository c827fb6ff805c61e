// Screenshots of the lab for a human to look at (not a test): the full page in light and dark,
// a 390-px phone, the embed mode, the embedders' page, a host page with three labs, into
// /tmp/shots (or SHOTS=dir). Run: node tests/browser/shots.mjs (www/pkg must be built).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = process.env.SHOTS || '/tmp/shots';
mkdirSync(OUT, { recursive: true });
const server = await serve(join(HERE, '..', '..', 'www'), {}, { '/fixtures/': join(HERE, 'fixtures') });
const profile = mkdtempSync(join(tmpdir(), 'lab-shots-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
const done = (page) => page.waitForFunction(() => window.__lab && window.__lab.status().done, null, { timeout: 120_000 });
const settle = (page) => page.evaluate(() => new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 300)));

async function shot(name, path, { width = 1280, height = 900, scale = 1, full = true, wait = done, dark = false, parts = [], before = null } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  page.on('console', (m) => { if (m.type() === 'error') console.log(`${name}: console error: ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`${name}: page error: ${e.message}`));
  await page.goto(server.url + path);
  await wait(page);
  if (before) await before(page);
  await settle(page);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: full, scale: scale === 1 ? 'css' : 'device' });
  console.log(join(OUT, `${name}.png`));
  for (const sel of parts) {
    const file = join(OUT, `${name}-${sel.replace(/\W/g, '')}.png`);
    await page.locator(sel).screenshot({ path: file });
    console.log(file);
  }
  await page.close();
}

const only = process.argv.slice(2);
const want = (n) => !only.length || only.includes(n);
if (want('light')) await shot('lab-light', '#tau=0.5&theme=light&gd=1:400:0:20000');
if (want('dark')) await shot('lab-dark', '#tau=0.05&theme=dark', { dark: true });
if (want('phone')) await shot('lab-phone', '#theme=light', { width: 390, height: 844, parts: ['header.top', '.fit-panel', '.curves-panel', '.settings-panel'] });
if (want('embed')) await shot('embed-small', '?embed=1&views=fit,scrubber&controls=play,tau#theme=light', { width: 560, height: 420, full: false });
if (want('embed')) await shot('embed-all', '?embed=1&views=all&controls=all#theme=dark', { width: 720, height: 1000, full: false, dark: true });
if (want('embed')) await shot('embed-phone', '?embed=1&views=fit,scrubber&controls=play,tau,export#theme=light', { width: 390, height: 560, full: false });
if (want('menu')) await shot('menu', '#theme=dark', { full: false, dark: true, before: (p) => p.click('#exports > summary') });
if (want('embedders')) await shot('embedders', 'embed.html', { parts: ['#iframe', '#js', '#params', '#api'], wait: (p) => p.waitForFunction(() => window.examples && window.examples.ready(), null, { timeout: 120_000 }) });
if (want('host')) await shot('host', 'fixtures/host.html', { wait: (p) => p.waitForFunction(() => window.host && window.host.a.done && window.host.b.done, null, { timeout: 120_000 }) });
await context.close();
await server.close();
rmSync(profile, { recursive: true, force: true });
