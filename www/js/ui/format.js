// Number formatting for labels and messages (never for the URL: that uses String(x), which
// round-trips every double).

const SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** `10⁻³`-style power of ten. */
export function pow10Label(k) {
  if (k === 0) return '1';
  if (k === 1) return '10';
  return '10' + String(k).split('').map((c) => SUP[c]).join('');
}

/** A short human-readable number: 3 significant digits, scientific outside [1e-3, 1e4). */
export function fmt(v, digits = 3) {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(digits)));
  const [m, e] = v.toExponential(digits - 1).split('e');
  return `${Number(m)}e${Number(e)}`;
}

/** τ for display: powers of ten exactly as `10⁻³`, others with 3 significant digits. */
export function fmtTau(tau) {
  const k = Math.round(Math.log10(tau));
  if (Math.abs(tau / 10 ** k - 1) < 1e-9 && Math.abs(k) >= 3) return pow10Label(k);
  return fmt(tau);
}

/** Duration in ms as "0.6 s" / "85 ms". */
export function fmtMs(ms) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Round `v` to the decimals that resolve `step` (for point coordinates that stay readable). */
export function roundTo(v, step) {
  const d = Math.max(0, Math.min(12, -Math.floor(Math.log10(step))));
  return Number(v.toFixed(d));
}
