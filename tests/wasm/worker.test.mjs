// www/worker.js against www/PROTOCOL.md, run in a Node worker thread through worker-shim.mjs
// (the --target web build in www/pkg, as the page loads it). Run: bash scripts/test-wasm.sh.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';

const worker = new Worker(new URL('./worker-shim.mjs', import.meta.url), {
  workerData: { workerUrl: new URL('../../www/worker.js', import.meta.url).href },
});
after(() => worker.terminate());

/** Every reply, in order of arrival; `waiters` are woken on each. */
const replies = [];
let waiters = [];
worker.on('message', (msg) => {
  replies.push(msg);
  waiters = waiters.filter((w) => !w(msg));
});
worker.on('error', (err) => { throw err; });

/** The first reply (from now on, or among those already received when `past`) matching `pred`. */
function next(pred, { timeoutMs = 60_000, past = false } = {}) {
  if (past) {
    const found = replies.find(pred);
    if (found) return Promise.resolve(found);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching reply within ${timeoutMs} ms`)), timeoutMs);
    waiters.push((msg) => {
      if (!pred(msg)) return false;
      clearTimeout(timer);
      resolve(msg);
      return true;
    });
  });
}

let nextId = 1;
const send = (msg) => {
  const id = nextId++;
  worker.postMessage({ id, ...msg });
  return id;
};
const of = (id) => replies.filter((m) => m.id === id);
/** The replies that arrived after the first one of request `id`. The worker posts in order and
 * handles a request only between two units of work (one τ each), so a job it stopped posts
 * nothing after the first reply of what it received next. (Counting from when the test *sent*
 * the request would also count replies already in flight then: how many depends on the load.) */
function repliesAfterFirstOf(id) {
  const firstAt = replies.findIndex((m) => m.id === id);
  assert.ok(firstAt >= 0, `no reply of request ${id}`);
  return replies.slice(firstAt + 1);
}

/** Sends a solve, waits for its end (asserting done) and returns its replies. */
async function solveAll(config) {
  const id = send({ type: 'solve', config });
  const end = await next((m) => m.id === id && (m.type === 'done' || m.type === 'error'));
  assert.equal(end.type, 'done', end.message);
  return of(id);
}
const small = {
  x: [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7], y: [0.3, -0.4, 0.6, -0.1, 0.5, -0.3], lambda: 0, law: 'gaussian', symmetric: true,
  directions: 512, width: null, seed: 0, tauMin: 1e-2, tauMax: 1e2, tauCount: 5, tau: 1, grid: { min: -3, max: 3, count: 61 },
};
const long = { ...small, directions: 4096, tauMin: 1e-3, tauMax: 1e3, tauCount: 41 };

test('ready comes first, with the version', async () => {
  const ready = await next((m) => m.type === 'ready', { past: true });
  assert.equal(replies[0], ready);
  assert.match(ready.version, /^\d+\.\d+\.\d+$/);
});

test('solve: init, selected, limits, every tau from the largest down, done', async () => {
  const id = send({ type: 'solve', config: small });
  const done = await next((m) => m.id === id && (m.type === 'done' || m.type === 'error'));
  assert.equal(done.type, 'done', done.message);
  assert.ok(done.elapsedMs > 0);
  const msgs = of(id);
  assert.deepEqual(msgs.map((m) => m.type), ['init', 'selected', 'limits', 'tau', 'tau', 'tau', 'tau', 'tau', 'done']);
  const [init, selected, limits] = msgs;
  assert.equal(init.init.kind, 'quadrature');
  assert.ok(init.init.neurons instanceof Float64Array && init.init.neurons.length === 3 * init.init.count);
  assert.equal(selected.report.tau, 1);
  assert.ok(limits.kernel.fit.y instanceof Float64Array && limits.kernel.fit.y.length === 61);
  assert.ok(limits.rich.kinks instanceof Float64Array);
  const taus = msgs.filter((m) => m.type === 'tau');
  taus.forEach((m, k) => {
    assert.equal(m.index, k);
    assert.equal(m.total, 5);
    const r = m.report;
    assert.ok(r.certified, `tau ${r.tau} certified`);
    assert.ok(r.alpha instanceof Float64Array && r.alpha.length === 6);
    assert.equal(r.neurons.length % 5, 0);
    assert.equal(r.fit.x.length, 61);
    assert.equal(r.fit.y.length, 61);
  });
  assert.deepEqual(taus.map((m) => m.report.tau), [...taus.map((m) => m.report.tau)].sort((a, b) => b - a));
  // The selected τ = 1 is also on the path: the same certified solution.
  const onPath = taus.find((m) => m.report.tau === 1).report;
  assert.ok(Math.abs(onPath.primal - selected.report.primal) <= 1e-6 * Math.abs(onPath.primal));
});

test('a path split at the selected tau (config.part, pathOnly, warmStart) is the whole path', async () => {
  const config = { ...small, tauCount: 9, tau: 0.5 };
  const whole = (await solveAll(config)).filter((m) => m.type === 'tau').map((m) => m.report);
  // The lower part is a normal solve (selected, limits) whose path walks down from the selected τ;
  // the upper part (pathOnly) only τ's and done.
  const lower = await solveAll({ ...config, part: 'lower' });
  const upper = await solveAll({ ...config, part: 'upper', pathOnly: true });
  assert.deepEqual(lower.map((m) => m.type), ['init', 'selected', 'limits', 'tau', 'tau', 'tau', 'tau', 'done']);
  assert.deepEqual(upper.map((m) => m.type), ['tau', 'tau', 'tau', 'tau', 'tau', 'done']);
  const parts = [...upper, ...lower].filter((m) => m.type === 'tau').map((m) => m.report);
  assert.deepEqual(parts.map((r) => r.tau), whole.map((r) => r.tau), 'largest first in each part');
  // Each part lands on the same certified solutions (warm-started from elsewhere).
  parts.forEach((r, k) => {
    assert.ok(r.certified, `tau ${r.tau}`);
    assert.ok(Math.abs(r.primal - whole[k].primal) <= 1e-6 * Math.abs(whole[k].primal), `tau ${r.tau}: ${r.primal} vs ${whole[k].primal}`);
  });
  // A pathOnly part can be warm-started explicitly: seeded with the certified α of its own first
  // τ, that τ needs at most two iterations, fewer than cold (which walks down from the kernel end,
  // and reports the iterations of its last solve only).
  const first = lower.find((m) => m.type === 'tau').report;
  const warmStart = { tau: first.tau, alpha: Array.from(first.alpha) };
  const seeded = (await solveAll({ ...config, part: 'lower', pathOnly: true, warmStart })).find((m) => m.type === 'tau').report;
  const cold = (await solveAll({ ...config, part: 'lower', pathOnly: true })).find((m) => m.type === 'tau').report;
  assert.equal(seeded.tau, first.tau);
  assert.ok(seeded.iterations <= 2 && seeded.iterations < cold.iterations, `seeded ${seeded.iterations} vs cold ${cold.iterations} iterations`);
  // A part that does not exist, or holds no τ, is named.
  for (const [part, tau, pattern] of [['sideways', 0.5, /config\.part: 'sideways' is not a part/], ['upper', 1e3, /the upper part of the path holds no τ/]]) {
    const bad = send({ type: 'solve', config: { ...config, part, tau } });
    const err = await next((m) => m.id === bad);
    assert.equal(err.type, 'error');
    assert.match(err.message, pattern);
  }
});

test('a split above the selected tau (config.splitTau): the first part also walks up to it', async () => {
  const config = { ...small, tauCount: 9, tau: 0.5 };
  const tausOf = async (cfg) => (await solveAll(cfg)).filter((m) => m.type === 'tau').map((m) => m.report);
  const whole = await tausOf(config);
  // (Descending: the first τ below the selected one, 0.5, which is not on the grid.)
  const selectedAt = whole.findIndex((r) => r.tau < 0.5);
  // Between the second and third grid τ above the selected one.
  const splitTau = Math.sqrt(whole[selectedAt - 2].tau * whole[selectedAt - 3].tau);
  const lower = await tausOf({ ...config, part: 'lower', splitTau });
  const upper = await tausOf({ ...config, part: 'upper', pathOnly: true, splitTau });
  assert.ok(upper.every((r) => r.tau >= splitTau) && upper.length === selectedAt - 2, 'the upper part begins at splitTau');
  // The first part: the τ's below the selected one (down), then from it up to splitTau.
  const below = whole.filter((r) => r.tau < 0.5).map((r) => r.tau);
  const middle = whole.filter((r) => r.tau >= 0.5 && r.tau < splitTau).map((r) => r.tau).reverse();
  assert.equal(middle.length, 2);
  assert.deepEqual(lower.map((r) => r.tau), [...below, ...middle]);
  const byTau = new Map([...lower, ...upper].map((r) => [r.tau, r]));
  assert.equal(byTau.size, whole.length);
  for (const w of whole) {
    const r = byTau.get(w.tau);
    assert.ok(r && r.certified, `tau ${w.tau}`);
    assert.ok(Math.abs(r.primal - w.primal) <= 1e-6 * Math.abs(w.primal), `tau ${w.tau}: ${r.primal} vs ${w.primal}`);
  }
  // A splitTau at or below the selected τ, and a middle part without one, are named.
  for (const [cfg, pattern] of [[{ part: 'upper', splitTau: 0.4 }, /config\.splitTau: 0\.4 is not above the selected τ/], [{ part: 'middle' }, /the middle part needs config\.splitTau/]]) {
    const bad = send({ type: 'solve', config: { ...config, ...cfg } });
    const err = await next((m) => m.id === bad);
    assert.equal(err.type, 'error');
    assert.match(err.message, pattern);
  }
});

test('config.part \'auto\': the core chooses the split (src/path/split.rs), the two parts make the whole path', async () => {
  const config = { ...small, tauCount: 13, tau: 0.5 };
  const whole = (await solveAll(config)).filter((m) => m.type === 'tau').map((m) => m.report);
  const first = await solveAll({ ...config, part: 'auto' });
  const init = first.find((m) => m.type === 'init');
  assert.ok(init.split && Number.isFinite(init.split.splitTau) && init.split.splitTau > 0.5, JSON.stringify(init.split));
  const upper = (await solveAll({ ...config, part: 'upper', pathOnly: true, splitTau: init.split.splitTau })).filter((m) => m.type === 'tau');
  const taus = [...first.filter((m) => m.type === 'tau'), ...upper].map((m) => m.report.tau).sort((a, b) => b - a);
  assert.deepEqual(taus, whole.map((r) => r.tau));
  // The middle part holds three grid τ's (MIDDLE_STEPS) at or above the selected τ.
  assert.equal(whole.filter((r) => r.tau >= 0.5 && r.tau < init.split.splitTau).length, 3);
  // No room on one side: no split, the first worker solves every τ.
  const alone = await solveAll({ ...config, tauCount: 4, part: 'auto' });
  assert.equal(alone.find((m) => m.type === 'init').split, null);
  assert.equal(alone.filter((m) => m.type === 'tau').length, 4);
});

test('exact: the infinite-width problem solved as such at config.tau from config.alpha', async () => {
  const config = { ...small, tauCount: 1, tau: 1 };
  const selected = (await solveAll(config)).find((m) => m.type === 'selected').report;
  const id = send({ type: 'exact', config: { ...config, alpha: Array.from(selected.alpha) } });
  const reply = await next((m) => m.id === id);
  assert.equal(reply.type, 'exact');
  const r = reply.report;
  assert.equal(r.fitSource, 'continuum');
  // The certificate's and the curve's tolerances: 1e-4·max(1, max|y|) (a tenth of the promised 1e-3).
  const scale = Math.max(1, ...config.y.map(Math.abs));
  assert.ok(r.certified && r.integrationError <= 1e-4 * scale && r.fitError <= 1e-4 * scale, JSON.stringify({ residual: r.residual, e: r.integrationError, fit: r.fitError }));
  // The check of the starting α (the quadrature's): its network misses the data at infinite
  // width by more than the solved one's residual, and by the CLI's number for that α.
  const c = reply.check;
  assert.ok(c.infiniteWidthResidual > r.residual && c.infiniteWidthError < 1e-3, JSON.stringify(c));
  // Repeated abscissas: the core's reason.
  const bad = send({ type: 'exact', config: { ...config, x: [0, 0, 1], y: [1, 1, 0], alpha: [0, 0, 0] } });
  const err = await next((m) => m.id === bad);
  assert.equal(err.type, 'error');
  assert.match(err.message, /distinct abscissas/);
});

test('the selected tau is warm-started from the previous one', async () => {
  const cold = send({ type: 'solve', config: { ...small, x: small.x.map((v) => v + 0.01), tau: 0.2, tauCount: 1 } });
  const a = await next((m) => m.id === cold && m.type === 'selected');
  await next((m) => m.id === cold && m.type === 'done');
  const warm = send({ type: 'solve', config: { ...small, x: small.x.map((v) => v + 0.01), tau: 0.22, tauCount: 1 } });
  const b = await next((m) => m.id === warm && m.type === 'selected');
  await next((m) => m.id === warm && m.type === 'done');
  assert.ok(b.report.certified);
  assert.ok(b.report.iterations < a.report.iterations, `warm ${b.report.iterations} vs first ${a.report.iterations}`);
});

test('bad input: an error with the core message; the worker goes on', async () => {
  const bad = send({ type: 'solve', config: { ...small, tau: -1 } });
  const err = await next((m) => m.id === bad);
  assert.deepEqual(err, { type: 'error', id: bad, message: 'tau must be a positive finite number, got -1' });
  const ok = send({ type: 'solve', config: small });
  assert.equal((await next((m) => m.id === ok && ['done', 'error'].includes(m.type))).type, 'done');
});

test('a newer solve supersedes the running one within one tau', async () => {
  const first = send({ type: 'solve', config: long });
  await next((m) => m.id === first && m.type === 'tau');
  const second = send({ type: 'solve', config: small });
  const done = await next((m) => m.id === second && ['done', 'error'].includes(m.type));
  assert.equal(done.type, 'done');
  const late = repliesAfterFirstOf(second).filter((m) => m.id === first);
  assert.equal(late.length, 0, `${late.length} replies of the superseded solve after the newer one began`);
  assert.ok(!of(first).some((m) => m.type === 'done'));
});

test('cancel stops a solve within one tau', async () => {
  const id = send({ type: 'solve', config: long });
  await next((m) => m.id === id && m.type === 'tau');
  worker.postMessage({ type: 'cancel', id });
  // A probe that replaces no job (a solve would supersede the cancelled one by itself): its reply
  // is posted as soon as the worker has handled the cancel. Then a path that went on would post
  // a τ every few ms; 200 ms make that visible, and passing never depends on the wait.
  const probe = send({ type: 'frobnicate' });
  await next((m) => m.id === probe);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(repliesAfterFirstOf(probe).filter((m) => m.id === id).length, 0, 'the cancelled solve went on');
  assert.ok(!of(id).some((m) => m.type === 'done'));
});

test('an unknown request gets an error reply', async () => {
  const id = send({ type: 'frobnicate' });
  assert.equal((await next((m) => m.id === id)).message, "unknown request type 'frobnicate'");

});

test('gd: progress about every 100 ms, then the run; a newer gd supersedes; a path runs beside it', async () => {
  // This run converges after about 14 000 steps of 20 000 neurons (about 4 s natively): it is
  // still running when superseded.
  const config = { ...small, directions: null, width: 20_000, seed: 1, tau: 0.001, maxSteps: 1_000_000 };
  const first = send({ type: 'gd', config });
  assert.equal((await next((m) => m.id === first)).type, 'gd-progress');
  const path = send({ type: 'solve', config: small });
  assert.equal((await next((m) => m.id === path && ['done', 'error'].includes(m.type))).type, 'done', 'the path finishes beside the gd run');
  const second = send({ type: 'gd', config: { ...config, width: 400, tau: 2, maxSteps: 20_000 } });
  const done = await next((m) => m.id === second && ['gd-done', 'error'].includes(m.type));
  assert.equal(done.type, 'gd-done', done.message);
  // The newer run may end before its first progress: give a run that went on (it reports every
  // 100 ms) time to show itself. Passing never depends on the wait; failing is only made likely.
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(repliesAfterFirstOf(second).filter((m) => m.id === first).length, 0, 'the superseded run stops');
  const run = done.run;
  assert.equal(run.tau, 2);
  assert.ok(run.steps > 0 && run.steps <= 20_000);
  assert.ok(run.neurons instanceof Float64Array && run.neurons.length === 3 * 400);
  assert.equal(run.stallReason, undefined, 'a converged run has no stall reason');
  assert.equal(run.fit.y.length, 61);
  const progress = of(first).filter((m) => m.type === 'gd-progress');
  assert.ok(progress.every((m, k) => k === 0 || m.step > progress[k - 1].step));
  const bad = send({ type: 'gd', config: { ...config, width: 3 } });
  assert.match((await next((m) => m.id === bad)).message, /width 3 is impossible/);
});

test('a WASM panic surfaces as an error (never a hang), then a fresh instance serves', async () => {
  worker.postMessage({ type: '__panic-next-step' });
  const id = send({ type: 'solve', config: small });
  const err = await next((m) => m.id === id && ['done', 'error'].includes(m.type));
  assert.equal(err.type, 'error');
  assert.match(err.message, /^internal error: panicked at .*: injected by the test$/);
  const again = send({ type: 'solve', config: small });
  assert.equal((await next((m) => m.id === again && ['done', 'error'].includes(m.type))).type, 'done');
});

test('selectedOnly: the selected tau and the limits, then a partial done (no path)', async () => {
  const id = send({ type: 'solve', config: { ...small, tau: 0.5, selectedOnly: true } });
  const done = await next((m) => m.id === id && (m.type === 'done' || m.type === 'error'));
  assert.equal(done.type, 'done', done.message);
  assert.equal(done.partial, true);
  assert.deepEqual(of(id).map((m) => m.type), ['init', 'selected', 'limits', 'done']);
  assert.ok(of(id)[1].report.certified);
});
