// One palette for every view: theme colours (light/dark), the Okabe–Ito categorical colours
// (colour-blind safe) and viridis for the log-τ family. Views never hard-code a colour.

const OKABE_ITO = {
  orange: '#E69F00', sky: '#56B4E9', green: '#009E73', yellow: '#F0E442',
  blue: '#0072B2', vermillion: '#D55E00', purple: '#CC79A7',
};

const THEMES = {
  light: {
    name: 'light', bg: '#ffffff', fg: '#1b1f24', muted: '#5b6470', grid: '#e6e9ed', axis: '#9aa2ab',
    kernel: OKABE_ITO.blue, rich: OKABE_ITO.vermillion, gd: OKABE_ITO.green, data: OKABE_ITO.orange,
    positive: OKABE_ITO.blue, negative: OKABE_ITO.vermillion, ghost: 'rgba(27,31,36,0.6)',
    ok: OKABE_ITO.green, bad: OKABE_ITO.vermillion, gap: OKABE_ITO.purple, residual: OKABE_ITO.blue,
    cost: '#1b1f24', familyAlpha: 0.45, viridis: [0.0, 0.88], target: OKABE_ITO.purple, exact: OKABE_ITO.sky,
  },
  dark: {
    name: 'dark', bg: '#16191d', fg: '#e8eaed', muted: '#a3abb5', grid: '#2a2f36', axis: '#6c747e',
    kernel: OKABE_ITO.sky, rich: OKABE_ITO.orange, gd: OKABE_ITO.green, data: OKABE_ITO.yellow,
    positive: OKABE_ITO.sky, negative: OKABE_ITO.orange, ghost: 'rgba(232,234,237,0.6)',
    ok: OKABE_ITO.green, bad: OKABE_ITO.orange, gap: OKABE_ITO.purple, residual: OKABE_ITO.sky,
    cost: '#e8eaed', familyAlpha: 0.55, viridis: [0.14, 1.0], target: '#d9a6ff', exact: '#9ad0f5',
  },
};

/** The theme object for 'light' or 'dark'. */
export function theme(name) {
  return THEMES[name] || THEMES.light;
}

// Viridis anchors (matplotlib), interpolated into a 256-entry lookup table once.
const VIRIDIS = ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c',
  '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725'];
const LUT = (() => {
  const rgb = VIRIDIS.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
  const out = [];
  for (let k = 0; k < 256; k++) {
    const t = (k / 255) * (rgb.length - 1);
    const i = Math.min(Math.floor(t), rgb.length - 2);
    const f = t - i;
    const c = rgb[i].map((v, j) => Math.round(v + (rgb[i + 1][j] - v) * f));
    out.push(`rgb(${c[0]},${c[1]},${c[2]})`);
  }
  return out;
})();

/** Viridis colour for `t` ∈ [0, 1], restricted to the theme's readable part of the map. */
export function viridis(t, th) {
  const [lo, hi] = th.viridis;
  const u = lo + (hi - lo) * Math.min(1, Math.max(0, t));
  return LUT[Math.round(u * 255)];
}

/** Position of τ in [tauMin, tauMax] on a log scale, in [0, 1]. */
export function logPosition(tau, tauMin, tauMax) {
  if (!(tauMax > tauMin)) return 0.5;
  return Math.log(tau / tauMin) / Math.log(tauMax / tauMin);
}
