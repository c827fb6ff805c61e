// The lab's state for inputs in the plane, as URL-hash keys: `dim=2` says the data are 2-D (the
// page then shows this mode), `data=x1,x2,y;…` the points, and the path's and gradient
// descent's options. Read with the same field readers as the line's state (state.js), so the
// same values are accepted and refused with the same words; a link round-trips exactly.
import { FIELDS } from '../state/state.js';
import { LIMITS, asText, shorten } from '../state/validate.js';

/** The laws with a version in the plane (src/network/init.rs `sample_plane`). */
export const PLANE_LAWS = ['balanced', 'gaussian', 'sphere'];

/** examples/data/plane-10.csv: the paper's setting, seeded — 10 points uniform in [−1, 1]² with
 * labels ±1 (Python random.Random(2026)). */
export const PAPER = [
  [-0.7618, 0.005, -1], [0.7682, 0.7896, 1], [0.5667, 0.0956, 1], [0.5021, 0.173, -1], [-0.9949, -0.8386, 1],
  [0.6335, -0.1007, 1], [0.3588, -0.5796, 1], [-0.3047, 0.9978, 1], [0.6103, 0.9993, -1], [0.4462, -0.8207, 1],
];

/** Data presets in the plane. */
export const PLANE_PRESETS = {
  paper: { label: "The paper's setting (10 points, ±1)", data: PAPER },
  xor: { label: 'XOR (4 points)', data: [[-0.5, -0.5, 1], [0.5, 0.5, 1], [-0.5, 0.5, -1], [0.5, -0.5, -1]] },
  ring: {
    label: 'Ring (inside +1, outside −1)',
    data: [0, 1, 2, 3, 4, 5].map((k) => { const t = (k * Math.PI) / 3; return [+(0.3 * Math.cos(t)).toFixed(4), +(0.3 * Math.sin(t)).toFixed(4), 1]; })
      .concat([0, 1, 2, 3, 4, 5].map((k) => { const t = ((k + 0.5) * Math.PI) / 3; return [+(0.9 * Math.cos(t)).toFixed(4), +(0.9 * Math.sin(t)).toFixed(4), -1]; })),
  },
};

/** The plane's defaults: the paper's setting, 13 τ from 1e-3 to 1e3 (0.1, 1, 10, 100 among them). */
export const PLANE_DEFAULTS = Object.freeze({
  data: PAPER, tau: 1, tauMin: 1e-3, tauMax: 1e3, tauCount: 13, law: 'balanced', width: 400, seed: 1,
  gd: true, gdSteps: 200000,
});

/** Most steps of one gradient-descent run in the lab. */
export const PLANE_GD_STEPS = 2000000;

const KEYS = ['tau', 'tauMin', 'tauMax', 'tauCount', 'law', 'width', 'seed', 'gd', 'gdSteps'];

/** Reads one field of the plane's state from text or a value: the line's reader where it is the same field. */
export function readField(key, v) {
  if (key === 'law') {
    const t = asText(v);
    if (!PLANE_LAWS.includes(t)) throw new Error(`law in the plane must be one of ${PLANE_LAWS.join(', ')}, got '${shorten(t)}'`);
    return t;
  }
  if (key === 'gdSteps') {
    const n = Number(asText(v));
    if (!Number.isInteger(n) || n < 1 || n > PLANE_GD_STEPS) throw new Error(`GD steps must be a whole number from 1 to ${PLANE_GD_STEPS}, got '${shorten(v)}'`);
    return n;
  }
  return FIELDS[key].read(v);
}

/** Points `x1,x2,y;…` (or lines): each three finite numbers; at most LIMITS.points of them. */
export function readPlaneData(text) {
  const rows = asText(text).split(/[;\n]/).map((r) => r.trim()).filter((r) => r && !r.startsWith('#') && !/^x1\b/i.test(r));
  if (rows.length > LIMITS.points) throw new Error(`at most ${LIMITS.points} points, got ${rows.length}`);
  return rows.map((r, i) => {
    const cells = r.split(/[,\t ]+/).filter(Boolean);
    if (cells.length !== 3) throw new Error(`point ${i + 1}: needs 3 values x1,x2,y, got ${cells.length} ('${shorten(r)}')`);
    const v = cells.map(Number);
    if (!v.every(Number.isFinite)) throw new Error(`point ${i + 1}: '${shorten(r)}' is not three finite numbers`);
    return v;
  });
}

/** True when CSV text starts (after blank and # lines) with the plane's header `x1,x2,y`. */
export function isPlaneCsv(text) {
  const first = String(text).replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
  return !!first && /^x1\s*[,;\t]\s*x2\s*[,;\t]\s*y$/i.test(first);
}

/** Why the points cannot be interpolated, or '' (coincident points with different labels). */
export function planeDataProblem(data) {
  if (data.length === 0) return 'no data points: click in the map to add one';
  const seen = new Map();
  for (let i = 0; i < data.length; i++) {
    const key = `${data[i][0]},${data[i][1]}`;
    const j = seen.get(key);
    if (j !== undefined && data[j][2] !== data[i][2]) return `points ${j + 1} and ${i + 1} are at the same place with different labels: no network fits both`;
    if (j === undefined) seen.set(key, i);
  }
  return '';
}

/** True when the hash describes inputs in the plane. */
export function isPlaneHash(hash) {
  return new URLSearchParams(String(hash || '').replace(/^#/, '')).get('dim') === '2';
}

/** The state of a `dim=2` hash over the defaults: {state, errors} (a bad value keeps its default). */
export function planeFromHash(hash) {
  const q = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const state = { ...PLANE_DEFAULTS, data: PLANE_DEFAULTS.data.map((p) => p.slice()) };
  const errors = [];
  if (q.has('data')) {
    try { state.data = readPlaneData(q.get('data')); } catch (e) { errors.push(`data: ${e.message}`); }
  }
  for (const key of KEYS) {
    if (!q.has(key)) continue;
    try { state[key] = readField(key, q.get(key)); } catch (e) { errors.push(e.message); }
  }
  if (!(state.tauMin < state.tauMax) && state.tauCount > 1) {
    errors.push(`tau min (${state.tauMin}) must be below tau max (${state.tauMax})`);
    Object.assign(state, { tauMin: PLANE_DEFAULTS.tauMin, tauMax: PLANE_DEFAULTS.tauMax });
  }
  return { state, errors };
}

/** The hash of a state (numbers as String(x): a link round-trips exactly). */
export function planeToHash(state) {
  const q = new URLSearchParams();
  q.set('dim', '2');
  q.set('data', state.data.map((p) => p.map(String).join(',')).join(';'));
  for (const key of KEYS) q.set(key, key === 'gd' ? (state.gd ? '1' : '0') : String(state[key]));
  return `#${q.toString().replace(/%2C/g, ',').replace(/%3B/g, ';')}`;
}

/** The τ grid of a state: tauCount values from tauMin to tauMax, evenly in log τ (as the core's). */
export function tauGrid(state) {
  const { tauMin, tauMax, tauCount } = state;
  if (tauCount === 1) return [tauMin];
  const a = Math.log10(tauMin), b = Math.log10(tauMax);
  return Array.from({ length: tauCount }, (_, k) => 10 ** (a + ((b - a) * k) / (tauCount - 1)));
}
