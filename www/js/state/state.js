// The whole UI state, seed included, as one declarative table of URL-hash keys (after the
// TensorFlow Playground): every change goes through Store.set(patch) → checks → subscribers,
// and the hash is written from the state with String(x) numbers, so a link round-trips exactly.
import { DEFAULT_DATA, gridFor } from './presets.js';
import { LIMITS, asText, badData, finite, infeasible, integer, nonnegative, parseCsv, parseNumber, positive, shorten } from './validate.js';

export const LAWS = ['gaussian', 'sphere', 'balanced', 'uniform-kinks'];
export const NETS = ['inf', 'finite'];
export const THEMES = ['auto', 'light', 'dark'];

export const DEFAULTS = Object.freeze({
  data: DEFAULT_DATA, tau: 1, tauMin: 1e-3, tauMax: 1e3, tauCount: 41,
  lambda: 0, law: 'gaussian', symmetric: true,
  net: 'inf', directions: 4096, width: 400, seed: 0,
  gd: false, gdWidth: 400, gdSeed: 0, gdSteps: 20000,
  target: '', targetPoints: 10, targetNoise: 0.1, targetSeed: 0,
  ...gridFor(DEFAULT_DATA, 301), theme: 'auto',
});

function fields(s, n, name) {
  const parts = asText(s).split(':');
  if (parts.length !== n) throw new Error(`${name} must have ${n} parts separated by ':', got '${shorten(s)}'`);
  return parts;
}

function readBool(name, s) {
  const t = asText(s);
  if (t === '1' || t === 'true') return true;
  if (t === '0' || t === 'false') return false;
  throw new Error(`${name} must be 1 or 0, got '${shorten(s)}'`);
}

function oneOf(name, s, options) {
  const t = asText(s);
  if (!options.includes(t)) throw new Error(`${name} must be one of ${options.join(', ')}, got '${shorten(s)}'`);
  return t;
}

const field = (name, check) => ({ name, read: (v, as = name) => check(as, v) });

/** A ground truth as typed (a name or a formula in x): kept as text, at most 200 characters;
 * the solver's parser (in the worker) says whether it is one. '' is none. */
function readTarget(name, v) {
  const t = asText(v).trim();
  if (t.length > 200) throw new Error(`${name} must be at most 200 characters, got '${shorten(t)}'`);
  return t;
}
const int = (min, max) => (name, v) => integer(name, v, min, max);

/**
 * Every scalar of the state: its reader from text (the URL hash, the inputs) or a JS value (the
 * API), with the name its messages use. One table, so the link, the form and mount() accept and
 * refuse the same values with the same words.
 */
export const FIELDS = {
  tau: field('tau', positive),
  tauMin: field('tau min', positive),
  tauMax: field('tau max', positive),
  tauCount: field('tau count', int(1, LIMITS.tauCount)),
  lambda: field('lambda', nonnegative),
  law: field('law', (n, v) => oneOf(n, v, LAWS)),
  symmetric: field('symmetric', readBool),
  net: field('net', (n, v) => oneOf(n, v, NETS)),
  directions: field('N (directions)', int(1, LIMITS.directions)),
  width: field('m (width)', int(1, LIMITS.width)),
  seed: field('seed', int(0, 4294967295)),
  gd: field('gd', readBool),
  gdWidth: field('GD width', int(1, LIMITS.width)),
  gdSeed: field('GD seed', int(0, 4294967295)),
  gdSteps: field('GD steps', int(1, LIMITS.gdSteps)),
  gridMin: field('grid min', finite),
  gridMax: field('grid max', finite),
  gridCount: field('grid count', int(2, LIMITS.gridCount)),
  theme: field('theme', (n, v) => oneOf(n, v, THEMES)),
  target: field('target', readTarget),
  targetPoints: field('points', int(1, LIMITS.points)),
  targetNoise: field('noise', nonnegative),
  targetSeed: field('target seed', int(0, 4294967295)),
};

const read = (key, v, as) => FIELDS[key].read(v, as);

/** One point [x, y] from a JS value (an array of two numbers or numeric strings). */
function readPoint(p, i) {
  if (!Array.isArray(p) || p.length !== 2) throw new Error(`data point ${i + 1} must be [x, y], got '${shorten(Array.isArray(p) ? p.map(asText).join(',') : p)}'`);
  return p.map((c, j) => {
    const v = parseNumber(c);
    if (!Number.isFinite(v)) throw new Error(`data point ${i + 1}: ${'xy'[j]} = '${shorten(c)}' is not a finite number`);
    return v;
  });
}

/**
 * Data from a JS value: [[x, y], …], {x: […], y: […]} (the CLI's JSON) or CSV text with the
 * header x,y. The size is checked before anything is read. Returns {data} or throws.
 */
export function readDataValue(v) {
  let data;
  if (typeof v === 'string') {
    const r = parseCsv(v);
    if (r.error) throw new Error(r.error);
    data = r.data;
  } else if (Array.isArray(v)) {
    if (v.length > LIMITS.points) throw new Error(badData({ length: v.length }));
    data = v.map(readPoint);
  } else if (v && typeof v === 'object' && Array.isArray(v.x) && Array.isArray(v.y)) {
    if (v.x.length !== v.y.length) throw new Error(`data has ${v.x.length} x values but ${v.y.length} y values`);
    if (v.x.length > LIMITS.points) throw new Error(badData({ length: v.x.length }));
    data = v.x.map((x, i) => readPoint([x, v.y[i]], i));
  } else {
    throw new Error(`data must be [[x, y], …], {x: […], y: […]} or CSV text, got '${shorten(v)}'`);
  }
  const bad = badData(data);
  if (bad) throw new Error(bad);
  return { data };
}

/** Data from the link: `x,y;x,y;…`. */
function readData(s) {
  const items = asText(s).split(';').filter((t) => t.trim() !== '');
  if (items.length > LIMITS.points) throw new Error(badData({ length: items.length }));
  const data = items.map((item, i) => {
    const cells = item.split(',');
    if (cells.length !== 2) throw new Error(`data point ${i + 1} must be 'x,y', got '${shorten(item)}'`);
    return readPoint(cells, i);
  });
  const bad = badData(data);
  if (bad) throw new Error(bad);
  return { data };
}

/** The hash keys: how each is written from the state and read into a patch (or throws). */
const KEYS = [
  { key: 'data', write: (s) => s.data.map(([x, y]) => `${x},${y}`).join(';'), read: readData },
  { key: 'tau', write: (s) => String(s.tau), read: (v) => ({ tau: read('tau', v) }) },
  { key: 'taus', write: (s) => `${s.tauMin}:${s.tauMax}:${s.tauCount}`, read: (v) => {
    const [a, b, c] = fields(v, 3, 'taus (min:max:count)');
    return { tauMin: read('tauMin', a), tauMax: read('tauMax', b), tauCount: read('tauCount', c) };
  } },
  { key: 'lambda', write: (s) => String(s.lambda), read: (v) => ({ lambda: read('lambda', v) }) },
  { key: 'law', write: (s) => s.law, read: (v) => ({ law: read('law', v) }) },
  { key: 'sym', write: (s) => (s.symmetric ? '1' : '0'), read: (v) => ({ symmetric: read('symmetric', v, 'sym') }) },
  { key: 'net', write: (s) => s.net, read: (v) => ({ net: read('net', v) }) },
  { key: 'N', write: (s) => String(s.directions), read: (v) => ({ directions: read('directions', v) }) },
  { key: 'm', write: (s) => String(s.width), read: (v) => ({ width: read('width', v) }) },
  { key: 'seed', write: (s) => String(s.seed), read: (v) => ({ seed: read('seed', v) }) },
  { key: 'gd', write: (s) => `${s.gd ? 1 : 0}:${s.gdWidth}:${s.gdSeed}:${s.gdSteps}`, read: (v) => {
    const [on, m, seed, steps] = fields(v, 4, 'gd (on:width:seed:steps)');
    return { gd: read('gd', on), gdWidth: read('gdWidth', m), gdSeed: read('gdSeed', seed), gdSteps: read('gdSteps', steps) };
  } },
  { key: 'grid', write: (s) => `${s.gridMin}:${s.gridMax}:${s.gridCount}`, read: (v) => {
    const [a, b, c] = fields(v, 3, 'grid (min:max:count)');
    return { gridMin: read('gridMin', a), gridMax: read('gridMax', b), gridCount: read('gridCount', c) };
  } },
  { key: 'theme', write: (s) => s.theme, read: (v) => ({ theme: read('theme', v) }) },
  // The ground truth's text is percent-encoded (a formula may hold '&', '#', '+').
  { key: 'target', write: (s) => encodeURIComponent(s.target), read: (v) => ({ target: read('target', v) }) },
  { key: 'sample', write: (s) => `${s.targetPoints}:${s.targetNoise}:${s.targetSeed}`, read: (v) => {
    const [n, noise, seed] = fields(v, 3, 'sample (points:noise:seed)');
    return { targetPoints: read('targetPoints', n), targetNoise: read('targetNoise', noise), targetSeed: read('targetSeed', seed) };
  } },
];

/**
 * The state keys a hash sets (whatever their values): a key of the link sets the state keys its
 * reader returns (`gd` sets gd, gdWidth, gdSeed and gdSteps, say).
 */
export function stateKeysIn(hash) {
  const out = new Set();
  for (const pair of String(hash || '').replace(/^#/, '').split('&')) {
    const entry = KEYS.find((k) => k.key === pair.split('=')[0]);
    if (entry) for (const k of Object.keys(entry.read(entry.write(DEFAULTS)))) out.add(k);
  }
  return out;
}

/** Cross-field checks; the first problem as a message, or null. */
export function checkState(s) {
  if (!(s.tauMin < s.tauMax)) return `tau min must be less than tau max, got ${s.tauMin} and ${s.tauMax}`;
  if (!Number.isFinite(s.gridMin) || !Number.isFinite(s.gridMax)) return `grid ${s.gridMin}:${s.gridMax}:${s.gridCount} is invalid: need finite min < max and count >= 2`;
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
    let key = eq < 0 ? pair : pair.slice(0, eq);
    try { key = decodeURIComponent(key); } catch { /* keep it raw */ }
    let value = eq < 0 ? '' : pair.slice(eq + 1);
    try { value = decodeURIComponent(value); } catch { /* keep it raw; the reader names it */ }
    const entry = KEYS.find((k) => k.key === key);
    if (!entry) { errors.push(`unknown key '${shorten(key)}' in the link (ignored)`); continue; }
    try { Object.assign(state, entry.read(value)); seen.add(key); } catch (e) { errors.push(e.message); }
  }
  if (!seen.has('net') && seen.has('m') !== seen.has('N')) state.net = seen.has('m') ? 'finite' : 'inf';
  // Data without a grid is plotted over its own range, as when it is pasted or set through the API.
  if (seen.has('data') && !seen.has('grid')) Object.assign(state, gridFor(state.data, state.gridCount));
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

/** Whether two data sets hold the same points in the same order (exactly). */
function sameData(a, b) {
  return a === b || (a.length === b.length && a.every((p, i) => Object.is(p[0], b[i][0]) && Object.is(p[1], b[i][1])));
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
    // Data are compared by value: a link or the API hands over a new array for the same points.
    if (sameData(next.data, this.state.data)) next.data = this.state.data;
    const changed = new Set(Object.keys(next).filter((k) => next[k] !== this.state[k]));
    if (!changed.size) return null;
    this.state = next;
    for (const fn of this.subs) fn(next, changed, source);
    return null;
  }
}
