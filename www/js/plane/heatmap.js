// A network on inputs in the plane, drawn over the square of its grid: f as a heat map in a
// diverging palette clipped to ±clip (as the paper's figures), the neurons as their kink lines
// w·x̃ = 0 (opacity by what each carries), and the data points by label. HiDPI: the backing
// store follows devicePixelRatio. The view draws what the core computed; it computes no fit.
import { FONT } from '../views/plot.js';

/** Diverging colour for t ∈ [−1, 1]: blue (−) through the background to red (+). */
function diverging(t, dark) {
  const u = Math.max(-1, Math.min(1, t));
  const mid = dark ? [29, 33, 38] : [247, 247, 247];
  const end = u >= 0 ? (dark ? [239, 110, 90] : [178, 24, 43]) : (dark ? [96, 165, 240] : [33, 102, 172]);
  const a = Math.abs(u);
  return mid.map((m, k) => Math.round(m + (end[k] - m) * a));
}

/** The colour of a label: red for positive, blue for negative, grey for zero. */
export function labelColour(y, dark) {
  if (y > 0) return dark ? '#ef6e5a' : '#b2182b';
  if (y < 0) return dark ? '#60a5f0' : '#2166ac';
  return '#888888';
}

export class Heatmap {
  /** `canvas`: the element (its CSS size is the drawing's); `title` drawn in the corner. */
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.w = 0; this.h = 0; this.dpr = 1;
    this.bounds = [-1, 1, -1, 1];
    this.pad = 8;
  }

  /** Matches the backing store to the CSS size × devicePixelRatio. */
  resize() {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.canvas.clientWidth));
    const h = Math.max(1, Math.round(this.canvas.clientHeight || w));
    if (w === this.w && h === this.h && dpr === this.dpr) return;
    this.w = w; this.h = h; this.dpr = dpr;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
  }

  /** Data → CSS pixels over the square [x0, x1] × [y0, y1] (x2 upward). */
  px(x1) { const [a, b] = this.bounds; return this.pad + ((x1 - a) / (b - a)) * (this.w - 2 * this.pad); }
  py(x2) { const [, , c, d] = this.bounds; return this.h - this.pad - ((x2 - c) / (d - c)) * (this.h - 2 * this.pad); }
  /** CSS pixels → data. */
  fromPixel(u, v) {
    const [a, b, c, d] = this.bounds;
    return [a + ((u - this.pad) / (this.w - 2 * this.pad)) * (b - a), c + ((this.h - this.pad - v) / (this.h - 2 * this.pad)) * (d - c)];
  }

  /**
   * Draws `fit` ({x1, x2, f: f(x1[i], x2[j]) at f[j][i] or, flat, f[j·n1 + i]} or null: then the
   * background only),
   * the kink lines of `rows` (flat: [p, share, a, w1, w2, b] with `weights[p]` when `rowWidth` is
   * 6; [a, w1, w2, b] with `weights[k]` when 4; or null), the `data`
   * ([x1, x2, y]), the point `focus` (index or −1), and `label` (top-left).
   */
  draw({ fit, rows, weights, rowWidth = 6, data, focus = -1, clip = 1, dark = false, label = '', pending = false, bounds }) {
    this.resize();
    if (bounds) this.bounds = bounds;
    const { ctx, dpr, w, h } = this;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = dark ? '#1d2126' : '#f7f7f7';
    ctx.fillRect(0, 0, w, h);
    if (fit) this.#field(fit, clip, dark, pending);
    if (rows && weights) this.#kinks(rows, weights, rowWidth, dark);
    this.#frame(dark);
    this.#points(data, focus, dark);
    if (label) {
      ctx.font = FONT;
      ctx.textBaseline = 'top';
      const m = ctx.measureText(label).width;
      ctx.fillStyle = dark ? 'rgba(22,25,29,0.8)' : 'rgba(255,255,255,0.85)';
      ctx.fillRect(this.pad + 2, this.pad + 2, m + 8, 18);
      ctx.fillStyle = dark ? '#e8eaed' : '#1b1f24';
      ctx.fillText(label, this.pad + 6, this.pad + 5);
    }
  }

  /** The heat map: one texel per grid point, scaled up smoothly (f is piecewise linear). */
  #field(fit, clip, dark, pending) {
    const n1 = fit.x1.length, n2 = fit.x2.length;
    const img = new ImageData(n1, n2);
    // f arrives as rows (one per x2), or flat row-major.
    const at = ArrayBuffer.isView(fit.f) ? (i, j) => fit.f[j * n1 + i] : (i, j) => fit.f[j][i];
    for (let j = 0; j < n2; j++) {
      for (let i = 0; i < n1; i++) {
        const c = diverging(at(i, j) / clip, dark);
        const k = ((n2 - 1 - j) * n1 + i) * 4; // x2 upward
        img.data[k] = c[0]; img.data[k + 1] = c[1]; img.data[k + 2] = c[2]; img.data[k + 3] = 255;
      }
    }
    const tile = new OffscreenCanvas(n1, n2);
    tile.getContext('2d').putImageData(img, 0, 0);
    const { ctx } = this;
    ctx.save();
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    // Grid point centres sit on the grid's corners: half a cell beyond them on each side.
    const dx = (this.px(fit.x1[n1 - 1]) - this.px(fit.x1[0])) / (n1 - 1), dy = (this.py(fit.x2[0]) - this.py(fit.x2[n2 - 1])) / (n2 - 1);
    ctx.beginPath();
    ctx.rect(this.px(fit.x1[0]), this.py(fit.x2[n2 - 1]), this.px(fit.x1[n1 - 1]) - this.px(fit.x1[0]), this.py(fit.x2[0]) - this.py(fit.x2[n2 - 1]));
    ctx.clip();
    if (pending) ctx.globalAlpha = 0.55;
    ctx.drawImage(tile, this.px(fit.x1[0]) - dx / 2, this.py(fit.x2[n2 - 1]) - dy / 2, dx * n1, dy * n2);
    ctx.restore();
  }

  /** Each neuron's kink line, opacity √(its share of the largest slope ω·share·|a|·|w|), fainter in a crowd. */
  #kinks(rows, weights, width, dark) {
    const { ctx } = this;
    const count = rows.length / width;
    const carry = new Float64Array(count);
    let most = 0;
    for (let k = 0; k < count; k++) {
      const r = k * width;
      const mass = width === 6 ? weights[rows[r]] * rows[r + 1] : weights[k];
      const o = width === 6 ? 2 : 0;
      carry[k] = mass * Math.abs(rows[r + o]) * Math.hypot(rows[r + o + 1], rows[r + o + 2]);
      most = Math.max(most, carry[k]);
    }
    if (!(most > 0)) return;
    // Many comparable neurons (the kernel end) are drawn fainter: opacity scales with
    // min(1, 12 / the effective number of neurons, (Σ carry)² / Σ carry²).
    let sum = 0, sum2 = 0;
    for (const v of carry) { sum += v; sum2 += v * v; }
    const crowd = Math.min(1, 12 / ((sum * sum) / sum2));
    const [a, b, c, d] = this.bounds;
    ctx.save();
    ctx.beginPath();
    ctx.rect(this.px(a), this.py(d), this.px(b) - this.px(a), this.py(c) - this.py(d));
    ctx.clip();
    ctx.lineWidth = 1.2;
    for (let k = 0; k < count; k++) {
      const rel = carry[k] / most;
      if (rel < 0.01) continue;
      const r = k * width, o = width === 6 ? 2 : 0;
      const [w1, w2, bias] = [rows[r + o + 1], rows[r + o + 2], rows[r + o + 3]];
      // w1 x1 + w2 x2 + b = 0 across the square: parametrize along the longer coefficient.
      let p, q;
      if (Math.abs(w2) >= Math.abs(w1)) { p = [a, -(w1 * a + bias) / w2]; q = [b, -(w1 * b + bias) / w2]; } else { p = [-(w2 * c + bias) / w1, c]; q = [-(w2 * d + bias) / w1, d]; }
      const alpha = (0.85 * crowd * Math.sqrt(rel)).toFixed(3);
      ctx.strokeStyle = dark ? `rgba(232,234,237,${alpha})` : `rgba(27,31,36,${alpha})`;
      ctx.beginPath();
      ctx.moveTo(this.px(p[0]), this.py(p[1]));
      ctx.lineTo(this.px(q[0]), this.py(q[1]));
      ctx.stroke();
    }
    ctx.restore();
  }

  #frame(dark) {
    const { ctx } = this;
    const [a, b, c, d] = this.bounds;
    ctx.strokeStyle = dark ? '#6c747e' : '#9aa2ab';
    ctx.lineWidth = 1;
    ctx.strokeRect(this.px(a), this.py(d), this.px(b) - this.px(a), this.py(c) - this.py(d));
  }

  #points(data, focus, dark) {
    const { ctx } = this;
    data.forEach(([x1, x2, y], i) => {
      const u = this.px(x1), v = this.py(x2);
      ctx.beginPath();
      ctx.arc(u, v, i === focus ? 7 : 5.5, 0, 2 * Math.PI);
      ctx.fillStyle = labelColour(y, dark);
      ctx.fill();
      ctx.lineWidth = i === focus ? 3 : 1.5;
      ctx.strokeStyle = dark ? '#ffffff' : '#000000';
      ctx.stroke();
    });
  }
}
