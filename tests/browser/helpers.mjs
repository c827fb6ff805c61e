// Shared by the embed, export and hardening tests: one headless Chromium (Debian's, through
// playwright-core), a server for www/ with tests/browser/fixtures/ under /fixtures/, and pages
// that record every problem — console errors, page errors, failed or 4xx/5xx requests, requests
// leaving the origin, CSP violations (in every frame) and dialogs (an alert() would be XSS).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const WWW = join(HERE, '..', '..', 'www');
export const SINGLE = join(WWW, 'dist', 'scaling-path-lab.html');
export const TIMEOUT = 120_000;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts the server and a browser context; returns {server, context, close()}. */
export async function start({ deviceScaleFactor = 1 } = {}) {
  const server = await serve(WWW, {}, { '/fixtures/': join(HERE, 'fixtures') });
  const profile = mkdtempSync(join(tmpdir(), 'lab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS,
    viewport: { width: 1280, height: 900 }, deviceScaleFactor, acceptDownloads: true,
  });
  // Every frame records its CSP violations (the init script runs before the page's own).
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
  });
  return {
    server, context,
    close: async () => { await context.close(); await server.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

/** Opens `url` in a new page that records problems; returns {page, problems, check()}. */
export async function open(context, url, origin) {
  const page = await context.newPage();
  const problems = [];
  const allowed = (u) => (origin && u.startsWith(origin)) || /^(data|blob|file):/.test(u) || u === 'about:blank';
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => { if (!allowed(r.url())) problems.push(`request leaving the origin: ${r.url()}`); });
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  await page.goto(url);
  /** Adds the CSP violations of every frame to the problems and returns them all. */
  const check = async () => {
    for (const f of page.frames()) {
      const v = await f.evaluate(() => window.__csp || []).catch(() => []);
      problems.push(...v.map((s) => `CSP violation in ${f.url()}: ${s}`));
    }
    return problems;
  };
  return { page, problems, check };
}

/** Two animation frames in `target` (a page or a frame): whatever was invalidated is drawn. */
export const frames = (target) => target.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Waits until the page's own lab (window.__lab) has its whole path. */
export const labDone = (target) => target.waitForFunction(() => window.__lab && window.__lab.status().done, null, { timeout: TIMEOUT });
