// τ scrubber: a log axis with the computed τ as markers and a thumb at the selected τ. It is the
// page's slider (role="slider" on the canvas): arrows step along the path's τ grid (Shift: a
// tenth of a step), PageUp/PageDown a decade, Home/End the ends, Space/Enter play or pause.
import { Plot } from './plot.js';
import { fmtTau } from '../ui/format.js';
import { logPosition, viridis } from './palette.js';

export class Scrubber {
  /** handlers: {tau(value), togglePlay(), stop()} */
  constructor(canvas, handlers) {
    this.canvas = canvas;
    this.h = handlers;
    this.plot = new Plot(canvas, { l: 18, r: 18, t: 22, b: 22 });
    this.range = [1e-3, 1e3, 41];
    canvas.addEventListener('keydown', (e) => this.#key(e));
    canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      canvas.setPointerCapture(e.pointerId); this.dragging = true; this.h.stop(); this.#pointer(e);
    });
    canvas.addEventListener('pointermove', (e) => { if (this.dragging) this.#pointer(e); });
    const end = () => { this.dragging = false; };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  #pointer(e) {
    const r = this.canvas.getBoundingClientRect();
    const p = this.plot, x = Math.min(p.right, Math.max(p.left, e.clientX - r.left));
    this.h.tau(p.invX(x));
  }

  #key(e) {
    const [min, max, count] = this.range;
    const l0 = Math.log10(min), l1 = Math.log10(max), step = (l1 - l0) / Math.max(1, count - 1);
    const l = Math.log10(this.tau);
    let next = null;
    const snap = (dir) => {
      const k = (l - l0) / step;
      const j = dir > 0 ? Math.floor(k + 1e-6) + 1 : Math.ceil(k - 1e-6) - 1;
      return l0 + j * step;
    };
    switch (e.key) {
      case 'ArrowRight': case 'ArrowUp': next = e.shiftKey ? l + step / 10 : snap(1); break;
      case 'ArrowLeft': case 'ArrowDown': next = e.shiftKey ? l - step / 10 : snap(-1); break;
      case 'PageUp': next = l + 1; break;
      case 'PageDown': next = l - 1; break;
      case 'Home': next = l0; break;
      case 'End': next = l1; break;
      case ' ': case 'Enter': e.preventDefault(); this.h.togglePlay(); return;
      default: return;
    }
    e.preventDefault();
    this.h.stop();
    next = Math.min(l1, Math.max(l0, next));
    this.h.tau(next === l0 ? min : next === l1 ? max : 10 ** next);
  }

  /** The plots this view draws on (their canvases' sizes decide a redraw too). */
  get plots() { return [this.plot]; }

  draw(app) {
    const s = app.state, { plot } = this;
    this.range = [s.tauMin, s.tauMax, s.tauCount];
    this.tau = s.tau;
    const c = this.canvas;
    c.setAttribute('aria-valuemin', String(Math.log10(s.tauMin)));
    c.setAttribute('aria-valuemax', String(Math.log10(s.tauMax)));
    c.setAttribute('aria-valuenow', String(Math.log10(s.tau)));
    c.setAttribute('aria-valuetext', `τ = ${fmtTau(s.tau)}`);
    this.paint(app, plot);
  }

  /** Draws into `plot` (this view's, or an export's with the same size). */
  paint(app, plot) {
    const s = app.state, th = app.theme;
    plot.resize();
    plot.setX(s.tauMin, s.tauMax, true); plot.setY(0, 1);
    plot.cached(`${app.path.rev}|${th.name}|${s.tauMin}:${s.tauMax}`, () => this.#track(app, plot));
    const { ctx } = plot, y = (plot.top + plot.bottom) / 2;
    const X = plot.px(s.tau);
    ctx.strokeStyle = th.fg; ctx.lineWidth = 3;
    ctx.beginPath(); ctx.moveTo(X, plot.top - 2); ctx.lineTo(X, plot.bottom + 2); ctx.stroke();
    ctx.fillStyle = th.fg; ctx.beginPath(); ctx.arc(X, y, 7, 0, 2 * Math.PI); ctx.fill();
    ctx.fillStyle = th.bg; ctx.beginPath(); ctx.arc(X, y, 3, 0, 2 * Math.PI); ctx.fill();
  }

  /** The log axis, its end labels and the status of every τ of the path. */
  #track(app, plot) {
    const s = app.state, { ctx } = plot, th = app.theme;
    plot.clear(th);
    plot.axes(th, { yTicks: false });
    // The status of every τ of the path: computed and certified (a bar coloured by log τ), not
    // certified (a cross; ringed when its time budget ran out), not computed yet (a short grey
    // tick at the bottom).
    const y = (plot.top + plot.bottom) / 2;
    const reports = app.path.reports;
    ctx.fillStyle = th.muted;
    for (let i = 0; i < s.tauCount; i++) {
      const t = s.tauCount > 1 ? Math.exp(Math.log(s.tauMin) + (Math.log(s.tauMax) - Math.log(s.tauMin)) * i / (s.tauCount - 1)) : s.tauMin;
      if (reports.some((r) => Math.abs(Math.log(r.tau / t)) < 1e-9)) continue;
      ctx.fillRect(plot.px(t) - 0.75, plot.bottom - 5, 1.5, 4);
    }
    for (const r of reports) {
      const X = plot.px(r.tau);
      if (r.certified) {
        ctx.fillStyle = viridis(logPosition(r.tau, s.tauMin, s.tauMax), th);
        ctx.fillRect(X - 2, plot.top + 2, 4, plot.bottom - plot.top - 4);
      } else {
        ctx.strokeStyle = th.bad; ctx.lineWidth = 2; ctx.beginPath();
        ctx.moveTo(X - 4, y - 4); ctx.lineTo(X + 4, y + 4); ctx.moveTo(X + 4, y - 4); ctx.lineTo(X - 4, y + 4); ctx.stroke();
        if (r.budgetExhausted) { ctx.lineWidth = 1.5; ctx.beginPath(); ctx.arc(X, y, 7, 0, 2 * Math.PI); ctx.stroke(); }
      }
    }
    ctx.font = '12px system-ui, sans-serif'; ctx.fillStyle = th.muted; ctx.textBaseline = 'bottom';
    ctx.textAlign = 'left'; ctx.fillText('← rich (small τ)', plot.left, plot.top - 4);
    ctx.textAlign = 'right'; ctx.fillText('kernel (large τ) →', plot.right, plot.top - 4);
  }
}
