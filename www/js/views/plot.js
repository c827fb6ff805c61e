// A small plotting surface over one <canvas>: HiDPI backing store (devicePixelRatio), linear or
// log axes with nice ticks, grid, labels and a legend. Views own what they draw; this owns the
// mapping between data and CSS pixels.
import { pow10Label } from '../ui/format.js';

export const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const SMALL_FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** About `target` nice linear ticks (1, 2, 5 × 10^k) covering [min, max]. */
export function linearTicks(min, max, target = 6) {
  const span = max - min;
  if (!(span > 0)) return { ticks: [min], step: 1 };
  const raw = span / Math.max(1, target);
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  const step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
  const ticks = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) ticks.push(k * step);
  return { ticks, step };
}

/** Log ticks: every decade, or every k-th decade when there are too many. Values, not exponents. */
export function logTicks(min, max, target = 7) {
  const k0 = Math.ceil(Math.log10(min) - 1e-9);
  const k1 = Math.floor(Math.log10(max) + 1e-9);
  const every = Math.max(1, Math.ceil((k1 - k0 + 1) / target));
  const ticks = [];
  for (let k = k0; k <= k1; k++) if ((k - k0) % every === 0) ticks.push(k);
  return ticks;
}

/** Label of a linear tick with the decimals its step needs; `2e4`-style from 10 000 on. */
export function linearLabel(v, step) {
  if (Math.abs(v) < step * 1e-6) return '0';
  if (Math.abs(v) >= 1e4 || step < 1e-4) {
    const e = Math.floor(Math.log10(Math.abs(v)));
    const m = Number((v / 10 ** e).toPrecision(3));
    return `${m}e${e}`.replace('-', '−');
  }
  const d = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(d, 10)).replace('-', '−');
}

/** "Nice" outward-rounded [min, max] for linear data ranges. */
export function niceRange(min, max, pad = 0.06) {
  if (!(max > min)) { const c = Number.isFinite(min) ? min : 0; return [c - 1, c + 1]; }
  const d = (max - min) * pad;
  const { step } = linearTicks(min - d, max + d, 6);
  const q = step / 2;
  return [Math.floor((min - d) / q) * q, Math.ceil((max + d) / q) * q];
}

/** Decade-rounded [min, max] for positive log data; `floor` bounds tiny values. */
export function logRange(min, max, floor = 1e-17) {
  const lo = Math.max(floor, min);
  const hi = Math.max(lo * 10, max);
  return [10 ** Math.floor(Math.log10(lo) - 1e-9), 10 ** Math.ceil(Math.log10(hi) + 1e-9)];
}

export class Plot {
  /**
   * `margin` in CSS px: {l, r, t, b}. Without `target` the plot follows its canvas' size; with
   * `target` = {ctx, w, h, dpr, oy} it draws into that context at a fixed size, `oy` CSS px down
   * (exports: an offscreen canvas or export-svg.js's context), without layer caching.
   */
  constructor(canvas, margin = { l: 52, r: 12, t: 10, b: 34 }, target = null) {
    this.canvas = canvas;
    this.ctx = target ? target.ctx : canvas.getContext('2d');
    this.margin = margin;
    this.w = 0; this.h = 0; this.dpr = 1; this.oy = 0;
    this.fixed = !!target;
    if (target) { this.w = target.w; this.h = target.h; this.dpr = target.dpr || 1; this.oy = target.oy || 0; }
    this.setX(0, 1, false); this.setY(0, 1, false);
  }

  /** This plot's size and margins drawing into `target` ({ctx, dpr, oy}): for exports. */
  into(target) {
    return new Plot(null, this.margin, { w: this.w, h: this.h, ...target });
  }

  /** Sets the transform to CSS pixels (and the plot's vertical offset). */
  base() {
    this.ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, this.oy * this.dpr);
  }

  /** Matches the backing store to the element's CSS size × devicePixelRatio; true if changed. */
  resize() {
    if (this.fixed) return false;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.canvas.clientWidth));
    const h = Math.max(1, Math.round(this.canvas.clientHeight));
    if (w === this.w && h === this.h && dpr === this.dpr) return false;
    this.w = w; this.h = h; this.dpr = dpr;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.setX(this.x0, this.x1, this.xLog); this.setY(this.y0, this.y1, this.yLog);
    return true;
  }

  get left() { return this.margin.l; }
  get right() { return this.w - this.margin.r; }
  get top() { return this.margin.t; }
  get bottom() { return this.h - this.margin.b; }

  setX(min, max, log = false) {
    this.x0 = min; this.x1 = max; this.xLog = log;
    const a = log ? Math.log10(min) : min, b = log ? Math.log10(max) : max;
    this.xa = a; this.xs = (this.right - this.left) / (b - a || 1);
  }

  setY(min, max, log = false) {
    this.y0 = min; this.y1 = max; this.yLog = log;
    const a = log ? Math.log10(min) : min, b = log ? Math.log10(max) : max;
    this.ya = a; this.ys = (this.bottom - this.top) / (b - a || 1);
  }

  px(x) { return this.left + ((this.xLog ? Math.log10(x) : x) - this.xa) * this.xs; }
  py(y) { return this.bottom - ((this.yLog ? Math.log10(y) : y) - this.ya) * this.ys; }
  invX(px) { const v = this.xa + (px - this.left) / this.xs; return this.xLog ? 10 ** v : v; }
  invY(py) { const v = this.ya + (this.bottom - py) / this.ys; return this.yLog ? 10 ** v : v; }

  /** Clears to the background and resets the transform to CSS pixels. */
  clear(th) {
    const { ctx } = this;
    this.base();
    ctx.fillStyle = th.bg;
    ctx.fillRect(0, 0, this.w, this.h);
    ctx.lineJoin = 'round'; ctx.lineCap = 'butt';
  }

  /** Grid, frame, tick labels and axis titles. */
  axes(th, { xLabel = '', yLabel = '', xTicks = true, yTicks = true } = {}) {
    const { ctx } = this;
    const xt = this.xLog ? logTicks(this.x0, this.x1, Math.max(3, this.w / 70)).map((k) => [10 ** k, pow10Label(k)])
      : this.#lin(this.x0, this.x1, Math.max(3, this.w / 80));
    const yt = !yTicks ? [] : this.yLog ? logTicks(this.y0, this.y1, Math.max(2, this.h / 40)).map((k) => [10 ** k, pow10Label(k)])
      : this.#lin(this.y0, this.y1, Math.max(2, this.h / 45));
    ctx.lineWidth = 1; ctx.strokeStyle = th.grid; ctx.beginPath();
    for (const [v] of xt) { const x = Math.round(this.px(v)) + 0.5; ctx.moveTo(x, this.top); ctx.lineTo(x, this.bottom); }
    for (const [v] of yt) { const y = Math.round(this.py(v)) + 0.5; ctx.moveTo(this.left, y); ctx.lineTo(this.right, y); }
    ctx.stroke();
    ctx.strokeStyle = th.axis;
    ctx.strokeRect(this.left + 0.5, this.top + 0.5, this.right - this.left - 1, this.bottom - this.top - 1);
    ctx.fillStyle = th.muted; ctx.font = FONT;
    if (xTicks) {
      ctx.textAlign = 'center'; ctx.textBaseline = 'top';
      for (const [v, s] of xt) ctx.fillText(s, this.px(v), this.bottom + 4);
    }
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const [v, s] of yt) ctx.fillText(s, this.left - 5, this.py(v));
    if (xLabel) { ctx.textAlign = 'center'; ctx.textBaseline = 'bottom'; ctx.fillText(xLabel, (this.left + this.right) / 2, this.h - 1); }
    if (yLabel) {
      ctx.save(); ctx.translate(11, (this.top + this.bottom) / 2); ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'center'; ctx.textBaseline = 'middle'; ctx.fillText(yLabel, 0, 0); ctx.restore();
    }
  }

  #lin(min, max, target) {
    const { ticks, step } = linearTicks(min, max, target);
    return ticks.map((v) => [v, linearLabel(v, step)]);
  }

  /**
   * Draws `fn` into an offscreen layer when `key` changed, then copies the layer onto the
   * canvas: what changes only with the data stays rendered while the rest animates.
   */
  cached(key, fn) {
    if (this.fixed) { fn(); this.base(); return; }
    const full = `${key}|${this.canvas.width}x${this.canvas.height}`;
    if (full !== this.layerKey) {
      this.layerKey = full;
      if (!this.layer) this.layer = document.createElement('canvas');
      this.layer.width = this.canvas.width; this.layer.height = this.canvas.height;
      const main = this.ctx;
      this.ctx = this.layer.getContext('2d');
      try { fn(); } finally { this.ctx = main; }
    }
    const { ctx } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.layer, 0, 0);
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
  }

  /** Clip subsequent drawing to the plot area (pair with ctx.restore()). */
  clip() {
    const { ctx } = this;
    ctx.save(); ctx.beginPath();
    ctx.rect(this.left, this.top, this.right - this.left, this.bottom - this.top); ctx.clip();
  }

  /** Polyline through (xs[i], ys[i]); non-finite values break the line. */
  line(xs, ys, n = xs.length) {
    const { ctx } = this;
    let pen = false;
    for (let i = 0; i < n; i++) {
      const y = ys[i];
      if (!Number.isFinite(y) || (this.yLog && !(y > 0))) { pen = false; continue; }
      const X = this.px(xs[i]), Y = this.py(y);
      if (pen) ctx.lineTo(X, Y); else { ctx.moveTo(X, Y); pen = true; }
    }
  }

  /** Legend box in the top-left (or top-right) corner. items: {label, color, width, dash, marker}. */
  legend(th, items, corner = 'left') {
    const { ctx } = this;
    if (!items.length) return;
    ctx.font = SMALL_FONT;
    const lh = 16, sw = 22;
    const tw = Math.max(...items.map((it) => ctx.measureText(it.label).width));
    const bw = sw + 14 + tw, bh = items.length * lh + 6;
    const x = corner === 'left' ? this.left + 6 : this.right - bw - 6, y = this.top + 6;
    ctx.globalAlpha = 0.88; ctx.fillStyle = th.bg; ctx.fillRect(x, y, bw, bh); ctx.globalAlpha = 1;
    ctx.strokeStyle = th.grid; ctx.lineWidth = 1; ctx.strokeRect(x + 0.5, y + 0.5, bw - 1, bh - 1);
    items.forEach((it, i) => {
      const cy = y + 3 + lh * i + lh / 2;
      ctx.strokeStyle = it.color; ctx.fillStyle = it.color; ctx.lineWidth = it.width || 1.5;
      ctx.setLineDash(it.dash || []);
      if (it.marker) { ctx.beginPath(); ctx.arc(x + 4 + sw / 2, cy, 4, 0, 2 * Math.PI); ctx.fill(); }
      else { ctx.beginPath(); ctx.moveTo(x + 4, cy); ctx.lineTo(x + 4 + sw, cy); ctx.stroke(); }
      ctx.setLineDash([]);
      ctx.fillStyle = th.fg; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
      ctx.fillText(it.label, x + sw + 10, cy);
    });
  }

  /** A centred message in the plot area (e.g. "computing…"). */
  message(th, text) {
    const { ctx } = this;
    ctx.font = FONT; ctx.fillStyle = th.muted; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.fillText(text, (this.left + this.right) / 2, (this.top + this.bottom) / 2);
  }
}
