// The plane's WASM module (src/bindings/plane.rs, built for Node by scripts/build-wasm.sh)
// against the native CLI on the same inputs: the path's certificates and rows and gradient
// descent's final state agree to the last bit, the fit's grid is the CLI's at its resolution,
// and bad input throws an Error with the core's message. Run: bash scripts/test-wasm.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const target = path.resolve(root, process.env.SCALING_PATH_TARGET || 'target');
const cli = path.join(target, 'release/scaling-path');
const wasm = createRequire(import.meta.url)(path.join(target, 'pkg-plane-node/scaling_path_plane.js'));
const PLANE = 'examples/data/plane-10.csv';

/** The data of a CSV file with the header x1,x2,y. */
function readCsv(file) {
  const rows = readFileSync(path.join(root, file), 'utf8').split('\n').filter((l) => /^\s*-?[\d.]/.test(l));
  const pts = rows.map((l) => l.split(',').map(Number));
  return { x: pts.map((p) => [p[0], p[1]]), y: pts.map((p) => p[2]) };
}

const flat = (rows) => rows.flat(Infinity);
/** The fit's `f` as one row-major list (its rows arrive as one Float64Array each). */
const grid = (f) => Array.from(f).flatMap((row) => Array.from(row));
const same = (a, b, what) => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('the plane path in WASM is the CLI path, bit for bit', () => {
  const data = readCsv(PLANE);
  const config = { ...data, width: 200, seed: 4, law: 'balanced', tauMin: 0.01, tauMax: 100, tauCount: 7 };
  const cliJson = JSON.parse(execFileSync(cli, ['path', '--data', path.join(root, PLANE), '--width', '200', '--seed', '4', '--law', 'balanced', '--tau-range', '0.01:100:7'], { encoding: 'utf8' }));
  const s = new wasm.PlanePathSession(config);
  const init = s.init();
  same(Array.from(init.neurons), flat(cliJson.init.neurons), 'init.neurons');
  assert.equal(s.len(), 7);
  const reports = [];
  for (let r; (r = s.step()) !== undefined;) reports.push(r);
  s.free();
  reports.sort((a, b) => a.tau - b.tau);
  assert.equal(reports.length, 7);
  reports.forEach((r, k) => {
    const c = cliJson.path[k];
    assert.equal(r.tau, c.tau);
    assert.equal(r.certified, true, `τ ${r.tau}`);
    for (const key of ['primal', 'dual', 'gap', 'residual']) assert.ok(Object.is(r[key], c[key]), `τ ${r.tau}: ${key} ${r[key]} vs ${c[key]}`);
    same(Array.from(r.alpha), c.alpha, `τ ${r.tau}: alpha`);
    same(Array.from(r.neurons), flat(c.neurons), `τ ${r.tau}: rows`);
    same(grid(r.fit.f), flat(c.fit.f), `τ ${r.tau}: fit`);
  });
});

test('the grid resolution is the caller\'s, and f[j][i] = f(x1[i], x2[j])', () => {
  const data = readCsv(PLANE);
  const s = new wasm.PlanePathSession({ ...data, width: 60, seed: 1, tauMin: 1, tauMax: 1, tauCount: 1, gridPoints: 7 });
  const r = s.step();
  s.free();
  assert.equal(r.fit.x1.length, 7);
  const values = grid(r.fit.f);
  assert.equal(values.length, 49);
  const rows = Array.from(r.neurons);
  const weights = 1 / 60;
  const f = (x1, x2) => {
    let v = 0;
    for (let k = 0; k < rows.length; k += 6) v += weights * rows[k + 1] * rows[k + 2] * Math.max(0, rows[k + 3] * x1 + rows[k + 4] * x2 + rows[k + 5]);
    return v;
  };
  for (const [i, j] of [[0, 0], [3, 5], [6, 2]]) {
    const want = f(r.fit.x1[i], r.fit.x2[j]);
    assert.ok(Math.abs(values[j * 7 + i] - want) <= 1e-9 * (1 + Math.abs(want)), `f[${j}][${i}]`);
  }
});

test('gradient descent in the plane in WASM is the CLI run, bit for bit', () => {
  const data = readCsv(PLANE);
  const cliJson = JSON.parse(execFileSync(cli, ['gd', '--data', path.join(root, PLANE), '--width', '80', '--seed', '2', '--tau', '1', '--max-steps', '3000'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const g = new wasm.PlaneGdSession({ ...data, width: 80, seed: 2, tau: 1, maxSteps: 3000 });
  while (!g.finished()) g.advance(700);
  const run = g.run();
  g.free();
  const c = cliJson.runs[0];
  assert.equal(run.steps, c.steps);
  assert.ok(Object.is(run.loss, c.loss), `loss ${run.loss} vs ${c.loss}`);
  same(Array.from(run.neurons), flat(c.neurons), 'neurons');
  same(grid(run.fit.f), flat(c.fit.f), 'fit');
});

test('bad input in the plane throws the core\'s message', () => {
  const data = readCsv(PLANE);
  const throws = (config, words) => assert.throws(() => new wasm.PlanePathSession(config), (e) => e instanceof Error && words.every((w) => e.message.includes(w)), JSON.stringify(words));
  throws({ x: [[0, 1], [0, 1]], y: [1, -1], width: 10, seed: 1, tau: 1 }, ['different labels']);
  throws({ x: [[0, NaN]], y: [1], width: 10, seed: 1 }, ['finite']);
  throws({ ...data, width: 10, seed: 1, gridPoints: 5000 }, ['grid points']);
  throws({ ...data, width: 10, seed: 1, law: 'uniform-kinks' }, ['uniform-kinks']);
  assert.throws(() => new wasm.PlaneGdSession({ ...data, width: 10, seed: 1, tau: 1, lambda: 0.1 }), /λ = 0/);
});
