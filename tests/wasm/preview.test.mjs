// The first solve of a fresh worker shows a quick look first (www/PROTOCOL.md): a `selected`
// reply with `preview: true` on 256 directions, then the real selected τ, which it warm-starts;
// unless the page sends a seed (`warmStart`). Each case has its own worker, so that nothing was
// solved before. Run: bash scripts/test-wasm.sh.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';

const fresh = () => new Worker(new URL('./worker-shim.mjs', import.meta.url), {
  workerData: { workerUrl: new URL('../../www/worker.js', import.meta.url).href },
});
const worker = fresh();
after(() => worker.terminate());
const replies = [];
const finished = new Promise((resolve) => {
  worker.on('message', (msg) => {
    replies.push(msg);
    if (msg.type === 'done' || msg.type === 'error') resolve(msg);
  });
});

test('first solve: a preview on 256 directions, then the real selected tau', async () => {
  const config = {
    x: [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7], y: [0.3, -0.4, 0.6, -0.1, 0.5, -0.3], lambda: 0, law: 'gaussian',
    symmetric: true, directions: 4096, width: null, seed: 0, tauMin: 0.1, tauMax: 10, tauCount: 3, tau: 1,
    grid: { min: -3, max: 3, count: 61 },
  };
  worker.postMessage({ id: 1, type: 'solve', config });
  const end = await finished;
  assert.equal(end.type, 'done', end.message);
  const types = replies.filter((m) => m.id === 1).map((m) => m.type);
  assert.deepEqual(types, ['init', 'selected', 'selected', 'limits', 'tau', 'tau', 'tau', 'done']);
  const [quick, real] = replies.filter((m) => m.type === 'selected').map((m) => m.report);
  assert.equal(quick.preview, true);
  assert.equal(real.preview, undefined);
  // The preview's rows index its own coarse rule (about 256 directions, aligned with the data),
  // which it sends: the same total mass as the real rule's (quadratures of the same law).
  assert.equal(quick.weights.length, quick.directions);
  assert.ok(quick.directions > 128 && quick.directions <= 256, `${quick.directions} directions`);
  const init = replies.find((m) => m.type === 'init').init;
  const mass = (w) => w.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(mass(quick.weights) - mass(init.weights)) <= 1e-9 * mass(init.weights), `${mass(quick.weights)} vs ${mass(init.weights)}`);
  for (let r = 0; r < quick.neurons.length; r += 5) assert.ok(quick.neurons[r] < quick.directions, `row source ${quick.neurons[r]}`);
  assert.equal(quick.tau, 1);
  assert.equal(real.tau, 1);
  assert.ok(quick.certified && real.certified);
  // A coarser quadrature of the same problem: the same picture to within a few percent of max|y|.
  let sup = 0;
  for (let i = 0; i < real.fit.y.length; i++) sup = Math.max(sup, Math.abs(real.fit.y[i] - quick.fit.y[i]));
  assert.ok(sup <= 0.05 * 0.6, `preview vs real fit: ${sup}`);
  // The real selected τ is on the path: the same certified solution.
  const onPath = replies.find((m) => m.type === 'tau' && m.report.tau === 1).report;
  assert.ok(Math.abs(onPath.primal - real.primal) <= 1e-6 * Math.abs(onPath.primal));
});

test('a seeded first solve (warmStart, as for a dragged point) has no preview and the same solution', async () => {
  await finished;
  const config = {
    x: [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7], y: [0.3, -0.4, 0.6, -0.1, 0.5, -0.3], lambda: 0, law: 'gaussian',
    symmetric: true, directions: 4096, width: null, seed: 0, tauMin: 0.1, tauMax: 10, tauCount: 3, tau: 1,
    grid: { min: -3, max: 3, count: 61 },
  };
  const [, real] = replies.filter((m) => m.type === 'selected').map((m) => m.report);
  // The seed: the first worker's fit at τ = 1, for the data with one point moved (a drag).
  const moved = { ...config, y: config.y.map((v, i) => (i === 2 ? v + 0.05 : v)), selectedOnly: true };
  const seeded = fresh();
  const cold = fresh();
  try {
    const run = (w, cfg) => new Promise((resolve) => {
      const got = [];
      w.on('message', (msg) => { got.push(msg); if (msg.type === 'done' || msg.type === 'error') resolve(got); });
      w.postMessage({ id: 1, type: 'solve', config: cfg });
    });
    const [a, b] = await Promise.all([run(seeded, { ...moved, warmStart: { tau: real.tau, alpha: Array.from(real.alpha) } }), run(cold, moved)]);
    assert.deepEqual(a.map((m) => m.type), ['ready', 'init', 'selected', 'limits', 'done']);
    assert.deepEqual(b.map((m) => m.type), ['ready', 'init', 'selected', 'selected', 'limits', 'done']);
    const warm = a[2].report, reference = b[3].report;
    assert.ok(warm.certified && reference.certified);
    assert.ok(Math.abs(warm.primal - reference.primal) <= 1e-6 * Math.abs(reference.primal), `${warm.primal} vs ${reference.primal}`);
    let sup = 0;
    for (let i = 0; i < warm.fit.y.length; i++) sup = Math.max(sup, Math.abs(warm.fit.y[i] - reference.fit.y[i]));
    assert.ok(sup <= 1e-4, `seeded vs cold fit: ${sup}`);
  } finally {
    await Promise.all([seeded.terminate(), cold.terminate()]);
  }
});
