// Data presets. Each is small enough for a tab-friendly first path (≤ 10 points).
import { linearTicks } from '../views/plot.js';

/** examples/data/example.csv (the data of MATH §9's figure). */
const EXAMPLE = [[-1.6, 0.3], [-0.9, -0.4], [-0.2, 0.6], [0.5, -0.1], [1.1, 0.5], [1.7, -0.3]];

function sine() {
  const pts = [];
  for (let i = 0; i < 9; i++) {
    const x = -2 + i * 0.5;
    pts.push([x, Number(Math.sin(1.5 * x).toFixed(3))]);
  }
  return pts;
}

function step() {
  return [-1.75, -1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 1.75].map((x) => [x, x < 0 ? -0.5 : 0.5]);
}

/** Ten points of 0.4x + noise, from a fixed linear congruential sequence (deterministic). */
function noisy() {
  let s = 12345;
  const rnd = () => { s = (1103515245 * s + 12345) % 2147483648; return s / 2147483648; };
  const pts = [];
  for (let i = 0; i < 10; i++) {
    const x = -2 + (4 * i) / 9 + 0.12 * (rnd() - 0.5);
    pts.push([Number(x.toFixed(2)), Number((0.4 * x + 0.5 * (rnd() - 0.5)).toFixed(2))]);
  }
  return pts;
}

export const PRESETS = [
  { id: 'example', label: 'Example data', data: () => EXAMPLE.map((p) => p.slice()) },
  { id: 'sine', label: 'Sine', data: sine },
  { id: 'step', label: 'Step', data: step },
  { id: 'noisy', label: 'Noisy line', data: noisy },
  { id: 'two', label: 'Two points', data: () => [[-1, -0.5], [1, 0.5]] },
];

export const DEFAULT_DATA = EXAMPLE;

/** The plotted x-range for a data set: its range ± 25 % (at least ±0.25), rounded outward. */
export function gridFor(data, count = 301) {
  const xs = data.map((p) => p[0]);
  const lo = Math.min(...xs), hi = Math.max(...xs), m = 0.25 * Math.max(hi - lo, 1);
  const q = linearTicks(lo - m, hi + m, 10).step / 2;
  const r = (v) => Number(v.toPrecision(12));
  return { gridMin: r(Math.floor((lo - m) / q) * q), gridMax: r(Math.ceil((hi + m) / q) * q), gridCount: count };
}
