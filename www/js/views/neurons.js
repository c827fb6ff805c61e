// Neurons view: where each neuron's kink −b/w sits and how much it carries,
// a·share·ω_p·|(w,b)| (signed by a), summed per bin of kink position; bars up for a > 0, down for
// a < 0. The initial neurons at scale τ (τ² × the scale-1 amounts) are the ghost outline.
// Kinks beyond the view (including w ≈ 0: a kink at infinity) are summed into edge markers.
import { Plot, niceRange } from './plot.js';

/**
 * Signed amounts per kink bin: [offLeft, bins…, offRight] for positive and negative a.
 * `neurons` holds rows of `stride` numbers ending in (a, w, b): a report's rows (stride 5:
 * p, share, a, w, b; weight share·ω_p) or the initial neurons (stride 3; weight ω_j).
 * One plain loop, no callback and no Math.hypot: it also runs in the engine's interpreter
 * the first time (the initial measure's 8 192 neurons took 20–40 ms in the first fit's frame).
 */
function binAmounts(neurons, stride, weights, xmin, xmax, B) {
  const pos = new Float64Array(B + 2), neg = new Float64Array(B + 2);
  const scale = B / (xmax - xmin);
  const rows = stride === 5;
  for (let r = 0, j = 0; r < neurons.length; r += stride, j++) {
    const o = r + stride - 3;
    const a = neurons[o], w = neurons[o + 1], b = neurons[o + 2];
    const weight = rows ? neurons[r + 1] * weights[neurons[r]] : weights[j];
    const amount = a * weight * Math.sqrt(w * w + b * b);
    if (!amount) continue;
    const kink = -b / w;
    if (Number.isNaN(kink)) continue;
    const k = kink < xmin ? 0 : kink >= xmax ? B + 1 : 1 + Math.min(B - 1, Math.floor((kink - xmin) * scale));
    if (amount > 0) pos[k] += amount; else neg[k] += amount;
  }
  return { pos, neg };
}

export class NeuronsView {
  constructor(canvas) {
    this.plot = new Plot(canvas, { l: 58, r: 12, t: 10, b: 34 });
    this.cache = new WeakMap();
    this.key = '';
    this.pos = new Float64Array(0); this.neg = new Float64Array(0);
  }

  #bins(report, init, xmin, xmax, B) {
    let b = this.cache.get(report);
    if (!b) {
      // A preview's rows refer to its own coarse rule (PROTOCOL.md).
      const wts = report.weights || init.weights;
      b = binAmounts(report.neurons, 5, wts, xmin, xmax, B);
      this.cache.set(report, b);
    }
    return b;
  }

  /** The plots this view draws on (their canvases' sizes decide a redraw too). */
  get plots() { return [this.plot]; }

  draw(app) { this.paint(app, this.plot); }

  /** Draws into `plot` (this view's, or an export's with the same size). */
  paint(app, plot) {
    const { ctx } = plot, th = app.theme, s = app.state, path = app.path;
    plot.resize();
    const B = Math.max(30, Math.min(240, Math.round((plot.right - plot.left) / 4)));
    const key = `${s.gridMin}:${s.gridMax}:${B}`;
    if (key !== this.key) { this.key = key; this.cache = new WeakMap(); this.ghost = null; }
    const init = path.current && path.current.init;
    const br = init ? path.bracket(s.tau) : null;
    if (this.pos.length !== B + 2) { this.pos = new Float64Array(B + 2); this.neg = new Float64Array(B + 2); }
    const { pos, neg } = this;
    let ymax = 0;
    if (br) {
      const a = this.#bins(br.a, init, s.gridMin, s.gridMax, B), b = this.#bins(br.b, init, s.gridMin, s.gridMax, B), t = br.t;
      if (!this.ghost || this.ghostInit !== init) {
        this.ghost = binAmounts(init.neurons, 3, init.weights, s.gridMin, s.gridMax, B);
        this.ghostInit = init;
      }
      const g = s.tau * s.tau;
      for (let k = 0; k < B + 2; k++) {
        pos[k] = a.pos[k] + (b.pos[k] - a.pos[k]) * t;
        neg[k] = a.neg[k] + (b.neg[k] - a.neg[k]) * t;
        if (k > 0 && k <= B) ymax = Math.max(ymax, pos[k], -neg[k], g * this.ghost.pos[k], -g * this.ghost.neg[k]);
      }
    }
    const play = app.gdPlayback;
    const [, top] = niceRange(0, ymax > 0 ? ymax : 1, 0.05);
    plot.setX(s.gridMin, s.gridMax);
    // While gradient descent plays: its neurons, one by one, on the run's own fixed axes.
    if (play) plot.setY(play.carried[0], play.carried[1]); else plot.setY(-top, top);
    plot.clear(th);
    plot.axes(th, { xLabel: 'kink position −b/w', yLabel: 'carried a·|(w,b)|' });
    plot.clip();
    ctx.strokeStyle = th.axis; ctx.setLineDash([2, 3]); ctx.lineWidth = 1; ctx.beginPath();
    for (const [x] of s.data) { const X = Math.round(plot.px(x)) + 0.5; ctx.moveTo(X, plot.top); ctx.lineTo(X, plot.bottom); }
    ctx.stroke(); ctx.setLineDash([]);
    if (play) play.drawNeurons(plot, th);
    else if (br) this.#bars(app, plot, B, s.tau * s.tau);
    ctx.restore();
    if (!br) plot.message(th, app.failed ? 'no path' : 'waiting for the first τ…');
  }

  #bars(app, plot, B, g) {
    const { ctx } = plot, th = app.theme, { pos, neg } = this;
    const x0 = plot.left, bw = (plot.right - plot.left) / B, y0 = plot.py(0);
    ctx.fillStyle = th.positive;
    for (let k = 1; k <= B; k++) if (pos[k] > 0) { const y = plot.py(pos[k]); ctx.fillRect(x0 + (k - 1) * bw, y, Math.max(1, bw - 0.5), y0 - y); }
    ctx.fillStyle = th.negative;
    for (let k = 1; k <= B; k++) if (neg[k] < 0) { const y = plot.py(neg[k]); ctx.fillRect(x0 + (k - 1) * bw, y0, Math.max(1, bw - 0.5), y - y0); }
    // ghost: the initial neurons at scale τ, as a stair outline above and below
    ctx.strokeStyle = th.ghost; ctx.lineWidth = 1.5;
    for (const arr of [this.ghost.pos, this.ghost.neg]) {
      ctx.beginPath(); ctx.moveTo(x0, y0);
      for (let k = 1; k <= B; k++) { const y = plot.py(g * arr[k]); ctx.lineTo(x0 + (k - 1) * bw, y); ctx.lineTo(x0 + k * bw, y); }
      ctx.lineTo(plot.right, y0); ctx.stroke();
    }
    ctx.strokeStyle = th.axis; ctx.beginPath(); ctx.moveTo(plot.left, y0); ctx.lineTo(plot.right, y0); ctx.stroke();
    // kinks beyond the view: a triangle at each edge, sized by what they carry
    const top = plot.y1;
    for (const [k, X, dir] of [[0, plot.left, 1], [B + 1, plot.right, -1]]) {
      for (const [v, col] of [[pos[k], th.positive], [neg[k], th.negative]]) {
        if (Math.abs(v) < 1e-3 * top) continue;
        const Y = plot.py(Math.max(-top, Math.min(top, v)));
        ctx.fillStyle = col; ctx.beginPath();
        ctx.moveTo(X, Y); ctx.lineTo(X + dir * 9, Y - 6); ctx.lineTo(X + dir * 9, Y + 6); ctx.closePath(); ctx.fill();
      }
    }
  }
}
