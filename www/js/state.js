// The whole UI state, seed included, as one declarative table of URL-hash keys (after the
// TensorFlow Playground): every change goes through Store.set(patch) → checks → subscribers,
// and the hash is written from the state with String(x) numbers, so a link round-trips exactly.
import { DEFAULT_DATA, gridFor } from './presets.js';
import { LIMITS, badData, finite, infeasible, integer, nonnegative, parseNumber, positive, shorten } from './validate.js';

export const LAWS = ['gaussian', 'sphere', 'balanced', 'uniform-kinks'];
export const THEMES = ['auto', 'light', 'dark'];

export const DEFAULTS = Object.freeze({
  data: DEFAULT_DATA, tau: 1, tauMin: 1e-3, tauMax: 1e3, tauCount: 41,
  lambda: 0, law: 'gaussian', symmetric: true,
  net: 'inf', directions: 4096, width: 400, seed: 0,
  gd: false, gdWidth: 400, gdSeed: 0, gdSteps: 20000,
  ...gridFor(DEFAULT_DATA, 301), theme: 'auto',
});

function fields(s, n, name) {
  const parts = String(s).split(':');
  if (parts.length !== n) throw new Error(`${name} must have ${n} parts separated by ':', got '${shorten(s)}'`);
  return parts;
}

function readData(s) {
  const data = [];
  const items = String(s).split(';').filter((t) => t.trim() !== '');
  items.forEach((item, i) => {
    const cells = item.split(',');
    if (cells.length !== 2) throw new Error(`data point ${i + 1} must be 'x,y', got '${shorten(item)}'`);
    const xy = cells.map((c, j) => {
      const v = parseNumber(c);
      if (!Number.isFinite(v)) throw new Error(`data point ${i + 1}: ${'xy'[j]} = '${shorten(c)}' is not a finite number`);
      return v;
    });
    data.push(xy);
  });
  const bad = badData(data);
  if (bad) throw new Error(bad);
  return { data };
}

function readBool(name, s) {
  if (s === '1' || s === 'true') return true;
  if (s === '0' || s === 'false') return false;
  throw new Error(`${name} must be 1 or 0, got '${shorten(s)}'`);
}

function oneOf(name, s, options) {
  if (!options.includes(s)) throw new Error(`${name} must be one of ${options.join(', ')}, got '${shorten(s)}'`);
  return s;
}

/** The hash keys: how each is written from the state and read into a patch (or throws). */
const KEYS = [
  { key: 'data', write: (s) => s.data.map(([x, y]) => `${x},${y}`).join(';'), read: readData },
  { key: 'tau', write: (s) => String(s.tau), read: (v) => ({ tau: positive('tau', v) }) },
  { key: 'taus', write: (s) => `${s.tauMin}:${s.tauMax}:${s.tauCount}`, read: (v) => {
    const [a, b, c] = fields(v, 3, 'taus (min:max:count)');
    return { tauMin: positive('tau min', a), tauMax: positive('tau max', b), tauCount: integer('tau count', c, 1, LIMITS.tauCount) };
  } },
  { key: 'lambda', write: (s) => String(s.lambda), read: (v) => ({ lambda: nonnegative('lambda', v) }) },
  { key: 'law', write: (s) => s.law, read: (v) => ({ law: oneOf('law', v, LAWS) }) },
  { key: 'sym', write: (s) => (s.symmetric ? '1' : '0'), read: (v) => ({ symmetric: readBool('sym', v) }) },
  { key: 'net', write: (s) => s.net, read: (v) => ({ net: oneOf('net', v, ['inf', 'finite']) }) },
  { key: 'N', write: (s) => String(s.directions), read: (v) => ({ directions: integer('N (directions)', v, 1, LIMITS.directions) }) },
  { key: 'm', write: (s) => String(s.width), read: (v) => ({ width: integer('m (width)', v, 1, LIMITS.width) }) },
  { key: 'seed', write: (s) => String(s.seed), read: (v) => ({ seed: integer('seed', v, 0, 4294967295) }) },
  { key: 'gd', write: (s) => `${s.gd ? 1 : 0}:${s.gdWidth}:${s.gdSeed}:${s.gdSteps}`, read: (v) => {
    const [on, m, seed, steps] = fields(v, 4, 'gd (on:width:seed:steps)');
    return { gd: readBool('gd', on), gdWidth: integer('GD width', m, 1, LIMITS.width),
      gdSeed: integer('GD seed', seed, 0, 4294967295), gdSteps: integer('GD steps', steps, 1, LIMITS.gdSteps) };
  } },
  { key: 'grid', write: (s) => `${s.gridMin}:${s.gridMax}:${s.gridCount}`, read: (v) => {
    const [a, b, c] = fields(v, 3, 'grid (min:max:count)');
    return { gridMin: finite('grid min', a), gridMax: finite('grid max', b), gridCount: integer('grid count', c, 2, 5001) };
  } },
  { key: 'theme', write: (s) => s.theme, read: (v) => ({ theme: oneOf('theme', v, THEMES) }) },
];

/** Cross-field checks; the first problem as a message, or null. */
export function checkState(s) {
  if (!(s.tauMin < s.tauMax)) return `tau min must be less than tau max, got ${s.tauMin} and ${s.tauMax}`;
  if (!(s.gridMin < s.gridMax)) return `grid min must be less than grid max, got ${s.gridMin} and ${s.gridMax}`;
  if (s.net === 'finite' && s.symmetric && s.width % 2) return `a symmetrized initialization of width ${s.width} is impossible: the width must be even (or untick symmetric)`;
  if (s.gd && s.symmetric && s.gdWidth % 2) return `a symmetrized GD initialization of width ${s.gdWidth} is impossible: the width must be even`;
  return badData(s.data) || infeasible(s.data, s.lambda);
}

/** τ kept inside the path's range. */
function clampTau(s) {
  if (s.tau < s.tauMin) s.tau = s.tauMin;
  if (s.tau > s.tauMax) s.tau = s.tauMax;
}

/** The hash for a state: `#data=x,y;…&tau=…&…` (every key, numbers as String(x)). */
export function toHash(s) {
  return '#' + KEYS.map((k) => `${k.key}=${k.write(s)}`).join('&');
}

/**
 * Reads a hash over `base`. Keys that fail keep their `base` value; each failure is a message.
 * Returns {state, errors}.
 */
export function fromHash(hash, base) {
  const state = { ...base, data: base.data.map((p) => p.slice()) };
  const errors = [];
  const text = String(hash || '').replace(/^#/, '');
  if (!text) return { state, errors };
  const seen = new Set();
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    let value = eq < 0 ? '' : pair.slice(eq + 1);
    try { value = decodeURIComponent(value); } catch { /* keep it raw; the reader names it */ }
    const entry = KEYS.find((k) => k.key === key);
    if (!entry) { errors.push(`unknown key '${shorten(key)}' in the link (ignored)`); continue; }
    try { Object.assign(state, entry.read(value)); seen.add(key); } catch (e) { errors.push(e.message); }
  }
  if (!seen.has('net') && seen.has('m') !== seen.has('N')) state.net = seen.has('m') ? 'finite' : 'inf';
  const problem = checkState(state);
  if (problem) {
    errors.push(problem + ' (the previous values are kept)');
    return { state: { ...base, data: base.data.map((p) => p.slice()), theme: state.theme }, errors };
  }
  if (state.tau < state.tauMin || state.tau > state.tauMax) {
    errors.push(`tau = ${state.tau} is outside the τ range [${state.tauMin}, ${state.tauMax}]; using the nearest end`);
    clampTau(state);
  }
  return { state, errors };
}

/** Holds the state; set() validates the combination and tells subscribers what changed. */
export class Store {
  constructor(initial) {
    this.state = initial;
    this.subs = [];
  }

  get() { return this.state; }

  subscribe(fn) { this.subs.push(fn); }

  /** Applies `patch`; returns null, or the message explaining why it was refused. */
  set(patch, source = 'ui') {
    const next = { ...this.state, ...patch };
    const problem = checkState(next);
    if (problem) return problem;
    clampTau(next);
    const changed = new Set(Object.keys(next).filter((k) => next[k] !== this.state[k]));
    if (!changed.size) return null;
    this.state = next;
    for (const fn of this.subs) fn(next, changed, source);
    return null;
  }
}
