// The WASM bindings (src/bindings/mod.rs, built for Node by scripts/build-wasm.sh) against the native CLI
// (`scaling-path path … ` JSON): the same inputs give the same numbers, and bad input throws an
// Error with the core's message. Run: bash scripts/test-wasm.sh (or, after a build,
// node --test tests/wasm/equivalence.test.mjs with SCALING_PATH_TARGET set to the cargo target
// directory when it is not ./target).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { toCliSchema, TAU_ROWS, NEURON_ROWS } from '../../www/js/export/cli-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const target = path.resolve(root, process.env.SCALING_PATH_TARGET || 'target');
const cli = path.join(target, 'release/scaling-path');
const wasm = createRequire(import.meta.url)(path.join(target, 'pkg-node/scaling_path.js'));

/** Agreement asked for: |wasm − native| ≤ TOL · max(1, |native|). */
const TOL = 1e-12;

/** The data of a CSV file with the header x,y. */
function readCsv(file) {
  const rows = readFileSync(path.join(root, file), 'utf8').split('\n').filter((l) => /^\s*-?[\d.]/.test(l));
  const pts = rows.map((l) => l.split(',').map(Number));
  return { x: pts.map((p) => p[0]), y: pts.map((p) => p[1]) };
}

/** The CLI's JSON for `file` and the options of `c` (the protocol's config shape). */
function native(file, c) {
  const args = ['path', '--data', path.join(root, file), '--tau-range', `${c.tauMin}:${c.tauMax}:${c.tauCount}`];
  if (c.lambda) args.push('--lambda', String(c.lambda));
  if (c.law) args.push('--law', c.law);
  if (c.symmetric === false) args.push('--asymmetric');
  if (c.directions != null) args.push('--directions', String(c.directions));
  else args.push('--width', String(c.width), '--seed', String(c.seed));
  if (c.grid) args.push('--grid', `${c.grid.min}:${c.grid.max}:${c.grid.count}`);
  // The infinite-width check is a pass of the CLI after the path (the lab solves the
  // infinite-width problem itself per τ instead, through ExactSession); the path's reports are
  // compared without it.
  if (c.directions != null) args.push('--no-width-check');
  const started = performance.now();
  const out = execFileSync(cli, args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  return { json: JSON.parse(out), ms: performance.now() - started };
}

/** Where the CLI splits this path into two chains (the upper half of the τ's from the kernel end
 * down, the lower half from a cold start): the core says (`chainSplitTau`, src/path/mod.rs). */
function chainSplitTau(data, c) {
  const session = new wasm.PathSession({ ...data, ...c });
  try {
    return session.chainSplitTau();
  } finally {
    session.free();
  }
}

/** The bindings' init and reports (in solve order) for the same problem — for a path the CLI
 * splits into two chains, the same two chains as two sessions (`part` 'upper' and 'lower' at the
 * smallest τ of the upper half, `splitTau`; the lower one unseeded, so it starts cold). */
function viaWasm(data, c, splitTau) {
  const started = performance.now();
  const configs = splitTau === undefined ? [c] : [{ ...c, tau: splitTau, part: 'upper' }, { ...c, tau: splitTau, part: 'lower' }];
  const path = [];
  let init, limits;
  for (const config of configs) {
    const session = new wasm.PathSession({ ...data, ...config });
    try {
      init = init || session.init();
      for (let r; (r = session.step()) !== undefined;) path.push(r);
      limits = limits || session.limits();
    } finally {
      session.free();
    }
  }
  return { init, path, limits, ms: performance.now() - started };
}

/** Largest relative difference, asserting at most TOL (and equal lengths). */
function close(actual, expected, what) {
  const a = ArrayBuffer.isView(actual) ? Array.from(actual) : Array.isArray(actual) ? actual.flat() : [actual];
  const e = Array.isArray(expected) ? expected.flat() : [expected];
  assert.equal(a.length, e.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]) / Math.max(1, Math.abs(e[i]));
    if (!(d <= TOL)) assert.fail(`${what}[${i}]: wasm ${a[i]} vs native ${e[i]}`);
    worst = Math.max(worst, d);
  }
  return worst;
}

/**
 * `mine` (a protocol object mapped back by the lab's own `toCliSchema`) against `theirs` (the
 * CLI's JSON) over the whole schema: the same keys at every level, strings and booleans equal,
 * numbers within TOL. Returns the worst relative difference.
 */
function same(mine, theirs, what) {
  if (theirs === null || typeof theirs !== 'object' || Array.isArray(theirs)) {
    if (typeof theirs === 'number' || Array.isArray(theirs)) return close(mine, theirs, what);
    assert.deepEqual(mine, theirs, what);
    return 0;
  }
  assert.deepEqual(Object.keys(mine).sort(), Object.keys(theirs).sort(), `${what}: the same fields`);
  let worst = 0;
  for (const key of Object.keys(theirs)) worst = Math.max(worst, same(mine[key], theirs[key], `${what}.${key}`));
  return worst;
}

/** Compares one case over the CLI's whole schema; returns the worst relative difference. */
function compare(file, c, { bitIdenticalInit = false } = {}) {
  const n = native(file, c);
  const splitTau = chainSplitTau(readCsv(file), c);
  const w = viaWasm(readCsv(file), c, splitTau);
  const ni = n.json.init;
  if (bitIdenticalInit) {
    assert.deepEqual(Array.from(w.init.neurons), ni.neurons.flat(), 'sampled neurons are bit-identical');
    assert.deepEqual(Array.from(w.init.weights), ni.weights);
  }
  let worst = same(toCliSchema(w.init, NEURON_ROWS), ni, 'init');
  const byTau = [...w.path].sort((p, q) => p.tau - q.tau);
  assert.equal(byTau.length, n.json.path.length);
  byTau.forEach((r, k) => {
    const e = n.json.path[k];
    assert.equal(r.tau, e.tau);
    worst = Math.max(worst, same(toCliSchema(r, TAU_ROWS), e, `path[tau ${e.tau}]`));
  });
  const { kernel_limit: nk, rich_limit: nr } = n.json;
  assert.equal(w.limits.kernel === undefined, nk === undefined, 'kernel limit present in both or neither');
  if (nk) worst = Math.max(worst, same(toCliSchema(w.limits.kernel), nk, 'kernel_limit'));
  assert.equal(w.limits.rich === undefined, nr === undefined, 'rich limit present in both or neither');
  if (nr) worst = Math.max(worst, same(toCliSchema(w.limits.rich, NEURON_ROWS), nr, 'rich_limit'));
  return { worst, nativeMs: n.ms, wasmMs: w.ms };
}

const base = { lambda: 0, law: 'gaussian', symmetric: true, directions: 512, tauMin: 1e-2, tauMax: 1e2, tauCount: 5, grid: { min: -3, max: 3, count: 61 } };

test('quadrature (infinite width): every number as the CLI prints it', (t) => {
  const { worst } = compare('examples/data/example.csv', base);
  t.diagnostic(`worst relative difference ${worst.toExponential(1)}`);
});

test('sampled neurons (--width/--seed) are bit-identical, and the path agrees', (t) => {
  const { worst } = compare('examples/data/example.csv', { ...base, directions: null, width: 200, seed: 7 }, { bitIdenticalInit: true });
  t.diagnostic(`worst relative difference ${worst.toExponential(1)}`);
  compare('examples/data/example.csv', { ...base, directions: null, width: 101, seed: 12345, symmetric: false, law: 'uniform-kinks', tauCount: 3 }, { bitIdenticalInit: true });
});

test('lambda > 0 with repeated abscissas, other laws, the default grid', () => {
  compare('examples/data/duplicates.csv', { ...base, lambda: 0.1, law: 'sphere', tauCount: 3 });
  const { grid, ...noGrid } = base;
  compare('examples/data/example.csv', { ...noGrid, law: 'balanced', tauCount: 3, tauMin: 0.1, tauMax: 10 });
});

test('the selected tau alone (cold) is the CLI one-tau path', () => {
  const data = readCsv('examples/data/example.csv');
  const session = new wasm.PathSession({ ...data, ...base, tau: 0.3 });
  const r = session.solveSelected(undefined, undefined);
  session.free();
  const e = native('examples/data/example.csv', { ...base, tauMin: 0.3, tauMax: 0.3, tauCount: 1 }).json.path[0];
  assert.equal(r.tau, 0.3);
  close(r.alpha, e.alpha, 'alpha');
  close(r.fit.y, e.fit.y, 'fit');
  close(r.primal, e.primal, 'primal');
});

test('the preview is the cold selected tau without distances; neither solve moves the path', () => {
  const data = readCsv('examples/data/example.csv');
  const config = { ...data, ...base, tau: 0.3 };
  const session = new wasm.PathSession(config);
  const quick = session.previewSelected();
  const selected = session.solveSelected(undefined, undefined);
  const again = session.previewSelected();
  const reports = [];
  for (let r = session.step(); r !== undefined; r = session.step()) reports.push(r);
  session.free();
  // The same solve: bit for bit, but the preview has no distances to the limits.
  assert.deepEqual(Array.from(quick.alpha), Array.from(selected.alpha));
  assert.deepEqual(Array.from(quick.fit.y), Array.from(selected.fit.y));
  assert.deepEqual(Array.from(again.alpha), Array.from(quick.alpha));
  assert.equal(quick.kernelDistance, undefined);
  assert.equal(quick.richDistance, undefined);
  assert.ok(Number.isFinite(selected.kernelDistance) && Number.isFinite(selected.richDistance));
  // The path afterwards is the path of a session that solved nothing else first.
  const fresh = new wasm.PathSession(config);
  const expected = [];
  for (let r = fresh.step(); r !== undefined; r = fresh.step()) expected.push(r);
  fresh.free();
  assert.equal(reports.length, expected.length);
  reports.forEach((r, i) => {
    assert.equal(r.iterations, expected[i].iterations, `tau ${r.tau}`);
    assert.deepEqual(Array.from(r.alpha), Array.from(expected[i].alpha), `tau ${r.tau}`);
    assert.equal(r.kernelDistance, expected[i].kernelDistance);
  });
});

test('a warm-started selected tau certifies in fewer iterations', () => {
  const data = readCsv('examples/data/example.csv');
  const session = new wasm.PathSession({ ...data, ...base, tau: 0.3 });
  const cold = session.solveSelected(undefined, undefined);
  const warm = session.solveSelected(0.35, cold.alpha);
  const ignored = session.solveSelected(0.35, new Float64Array(2)); // another number of points
  session.free();
  assert.ok(cold.certified && warm.certified);
  assert.ok(warm.iterations < cold.iterations, `warm ${warm.iterations} vs cold ${cold.iterations}`);
  assert.equal(ignored.iterations, cold.iterations);
});

test('bad input throws an Error with the core message (as the CLI prints it)', () => {
  const data = { x: [0, 1, 2], y: [1, 0, 1] };
  const cases = [
    [{ x: [0, 1], y: [1] }, 'data has 2 x values but 1 y values', null],
    [{ x: [], y: [] }, 'the data set is empty: give at least one point (x, y)', null],
    [{ x: [0, NaN], y: [1, 2] }, 'data point 2 has a non-finite value (NaN, 2)', null],
    [{ ...data, tau: 0 }, 'tau must be a positive finite number, got 0', null],
    [{ ...data, tauMin: -1 }, 'tau must be a positive finite number, got -1', ['--tau-range', '-1:100:9']],
    [{ ...data, lambda: -0.5 }, 'lambda must be a nonnegative finite number, got -0.5', ['--lambda', '-0.5']],
    [{ ...data, law: 'cauchy' }, "unknown initial law 'cauchy': expected gaussian, sphere, balanced or uniform-kinks", ['--law', 'cauchy']],
    [{ ...data, directions: 0 }, 'directions must be between 1 and 65536, got 0', ['--directions', '0']],
    [{ ...data, directions: null, width: 3 }, 'a symmetrized initialization of width 3 is impossible: the width must be even (or use --asymmetric)', ['--width', '3']],
    [{ ...data, directions: null, width: 20002 }, 'width must be between 1 and 20000, got 20002', ['--width', '20002']],
    [{ ...data, tauCount: 1001 }, 'tau count must be between 1 and 1000, got 1001', ['--tau-range', '0.1:10:1001']],
    [{ ...data, grid: { min: 1, max: 0, count: 5 } }, 'grid 1:0:5 is invalid: need finite min < max and count >= 2', ['--grid', '1:0:5']],
    [{ x: [0, 0], y: [1, 2] }, 'points 1 and 2 have the same x = 0 but different y (1 vs 2): no function interpolates them at λ = 0; with λ > 0 they are fitted in the least-squares sense', null],
    [{ x: Array.from({ length: 101 }, (_, i) => i), y: Array(101).fill(0) }, '101 data points is more than the supported maximum of 100', null],
  ];
  for (const [config, message, cliArgs] of cases) {
    assert.throws(() => new wasm.PathSession(config), (e) => e instanceof Error && e.message === message, message);
    if (cliArgs) {
      // The CLI says the same about the same value: `error: <message>` on stderr, exit code 1.
      const file = path.join(root, 'examples/data/example.csv');
      let stderr = '';
      try {
        execFileSync(cli, ['path', '--data', file, ...cliArgs], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      } catch (e) {
        stderr = e.stderr;
        assert.equal(e.status, 1);
      }
      assert.equal(stderr.trim(), `error: ${message}`);
    }
  }
  // Shape errors (not the core's: the CLI parses text) name the field's expected type.
  const shape = [
    [{ x: [1, 'a'], y: [1, 2] }, 'config: invalid type: string "a", expected f64'],
    [{ y: [1] }, 'config: missing field `x`'],
    [{ ...data, grid: { min: 0, max: 1 } }, 'config: missing field `count`'],
    [{ ...data, directions: 4096.5 }, 'config: invalid type: floating point `4096.5`, expected u64'],
    [undefined, 'config: invalid type: unit value, expected struct Config'],
  ];
  for (const [config, message] of shape) {
    assert.throws(() => new wasm.PathSession(config), (e) => e instanceof Error && e.message === message, message);
  }
});

test('gradient descent: the same run as the CLI gd (bit for bit), in any chunking', () => {
  const data = readCsv('examples/data/example.csv');
  const file = path.join(root, 'examples/data/example.csv');
  // The last one stalls (a stretch without kinks): its reason and stretch come through too.
  for (const [tau, width, seed, steps] of [[0.5, 20, 3, 3000], [2, 40, 11, 500], [0.01, 400, 0, 20000]]) {
    const out = execFileSync(cli, ['gd', '--data', file, '--tau', String(tau), '--width', String(width), '--seed', String(seed),
      '--max-steps', String(steps), '--grid', '-3:3:61'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const e = JSON.parse(out).runs[0];
    const session = new wasm.GdSession({ ...data, tau, directions: null, width, seed, maxSteps: steps, grid: { min: -3, max: 3, count: 61 } });
    assert.deepEqual(Array.from(session.init().neurons), JSON.parse(out).init.neurons.flat());
    for (let chunk = 7; !session.finished(); chunk *= 3) session.advance(chunk);
    const r = session.run();
    session.free();
    for (const [mine, theirs] of [['tau', 'tau'], ['steps', 'steps'], ['status', 'status'], ['converged', 'converged'], ['capped', 'capped'],
      ['loss', 'loss'], ['targetLoss', 'target_loss'], ['residual', 'residual'], ['transportCost', 'transport_cost'],
      ['stepSize', 'step_size'], ['rejectedSteps', 'rejected_steps']]) {
      assert.equal(r[mine], e[theirs], `gd tau ${tau}: ${mine}`);
    }
    assert.equal(r.stallReason ?? null, e.stall_reason, `gd tau ${tau}: stall reason`);
    if (tau === 0.01) {
      assert.equal(r.status, 'stalled');
      assert.deepEqual([r.stallFrom, r.stallTo], [-0.2, 1.1]);
      assert.ok(r.stallReason.includes(`x = ${r.stallFrom} and x = ${r.stallTo}`), r.stallReason);
    }
    assert.deepEqual(Array.from(r.neurons), e.neurons.flat());
    assert.deepEqual(Array.from(r.fit.y), e.fit.y);
  }
  assert.throws(() => new wasm.GdSession({ ...data, width: 20, maxSteps: 0 }), { message: 'max steps must be between 1 and 100000000, got 0' });
  assert.throws(() => new wasm.GdSession({ ...data, lambda: 0.1, width: 20 }), { message: 'gradient descent fits the data exactly: it needs λ = 0 (config.lambda is 0.1)' });
  assert.throws(() => new wasm.GdSession({ ...data, directions: 4096, width: null }), { message: /^gd needs config\.width \(the number of neurons\)/ });
});

test('the lab\'s GD sweep (one GdSession per τ of the path) equals the CLI\'s gd --tau-range, bit for bit', () => {
  const data = readCsv('examples/data/example.csv');
  const file = path.join(root, 'examples/data/example.csv');
  const out = JSON.parse(execFileSync(cli, ['gd', '--data', file, '--tau-range', '0.001:1000:9', '--width', '60', '--seed', '2',
    '--max-steps', '4000', '--grid', '-3:3:61'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  assert.equal(out.runs.length, 9);
  for (const e of out.runs) {
    const session = new wasm.GdSession({ ...data, tau: e.tau, directions: null, width: 60, seed: 2, maxSteps: 4000, grid: { min: -3, max: 3, count: 61 } });
    while (!session.finished()) session.advance(997);
    const r = session.run();
    session.free();
    assert.deepEqual([r.steps, r.status, r.loss, r.transportCost], [e.steps, e.status, e.loss, e.transport_cost], `tau ${e.tau}`);
    assert.deepEqual(Array.from(r.fit.y), e.fit.y, `tau ${e.tau}`);
  }
});

test('a panic is reported: a RuntimeError, and its message is kept for takePanic', () => {
  assert.throws(() => wasm.panicForTesting('on purpose'), (e) => e instanceof WebAssembly.RuntimeError);
  const message = wasm.takePanic();
  assert.match(message, /^internal error: panicked at .*: on purpose$/);
  assert.equal(wasm.takePanic(), undefined);
});

test('timing: a 41-tau path over [1e-3, 1e3] on example.csv, 4096 directions (WASM in Node vs native)', (t) => {
  const c = { ...base, directions: 4096, tauMin: 1e-3, tauMax: 1e3, tauCount: 41, grid: { min: -3, max: 3, count: 301 } };
  const { worst, nativeMs, wasmMs } = compare('examples/data/example.csv', c);
  t.diagnostic(`native CLI ${nativeMs.toFixed(0)} ms (process included), WASM in Node ${wasmMs.toFixed(0)} ms; worst relative difference ${worst.toExponential(1)}`);
});

test('infinite width solved as such in the browser (ExactSession): the CLI\'s path --exact', () => {
  const file = path.join(root, 'examples/data/example.csv');
  const data = readCsv('examples/data/example.csv');
  const run = (extra) => JSON.parse(execFileSync(cli, ['path', '--data', file, '--tau', '0.3,3', '--grid', '-3:3:61', ...extra],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const exact = run(['--exact']);
  const discrete = run([]);
  const session = new wasm.ExactSession({ ...data, grid: { min: -3, max: 3, count: 61 } });
  try {
    for (const [k, e] of exact.path.entries()) {
      // From the CLI's own α: the same point, the same integration, the same numbers.
      const same = session.solve(e.tau, e.alpha);
      assert.equal(same.fitSource, 'continuum');
      close(same.fit.y, e.fit.y, `tau ${e.tau}: fit`);
      close([same.residual, same.integrationError, same.fitError], [e.residual, e.integration_error, e.fit_error], `tau ${e.tau}: errors`);
      // From the discretized path's α at that τ (what the lab has on screen): certified, and on
      // the CLI's infinite-width curve to within the solver's tolerance.
      const d = discrete.path[k];
      const fromDiscrete = session.solve(d.tau, d.alpha);
      assert.ok(fromDiscrete.certified, `tau ${d.tau}: residual ${fromDiscrete.residual}, gap ${fromDiscrete.relativeGap}`);
      const off = Math.max(...Array.from(fromDiscrete.fit.y, (v, i) => Math.abs(v - e.fit.y[i])));
      assert.ok(off <= 1e-5, `tau ${d.tau}: ${off} from the CLI's --exact curve`);
      // The check of that α: the CLI's infinite-width check of its default path.
      const check = session.check(d.tau, d.alpha);
      close([check.infiniteWidthResidual, check.infiniteWidthError], [d.infinite_width_residual, d.infinite_width_error], `tau ${d.tau}: check`);
    }
    assert.throws(() => session.solve(1, [0, 0]), { message: /starting alpha needs 6 finite values/ });
  } finally {
    session.free();
  }
  // What --exact does not solve is refused with the CLI's message.
  assert.throws(() => new wasm.ExactSession({ ...data, directions: null, width: 20 }), { message: /does not take --width/ });
});

test('a time budget (setBudget): a tau cut short is reported, flagged and uncertified; bad budgets throw', () => {
  const data = readCsv('examples/data/random-30.csv');
  const session = new wasm.PathSession({ ...data, ...base, directions: 256, tauMin: 1, tauMax: 1, tauCount: 1, tau: 1 });
  for (const bad of [0, -1, NaN, Infinity, 1e6]) assert.throws(() => session.setBudget(bad), /time budget per tau must be more than 0 and at most 86400 seconds/);
  session.setBudget(1e-6);
  const r = session.step();
  session.free();
  assert.equal(r.certified, false);
  assert.equal(r.budgetExhausted, true);
  assert.ok(Array.from(r.fit.y).every(Number.isFinite));
  // A budget not reached: the CLI's numbers, and no flag.
  const example = readCsv('examples/data/example.csv');
  const roomy = new wasm.PathSession({ ...example, ...base, tau: 0.3 });
  roomy.setBudget(600);
  const q = roomy.solveSelected(undefined, undefined);
  roomy.free();
  const e = native('examples/data/example.csv', { ...base, tauMin: 0.3, tauMax: 0.3, tauCount: 1 }).json.path[0];
  assert.equal(q.budgetExhausted, undefined);
  close(q.alpha, e.alpha, 'alpha');
  close(q.fit.y, e.fit.y, 'fit');
});
