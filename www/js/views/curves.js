// Curves against τ (log-x): the normalized transport cost W²/τ², the sup-distance of f_τ to each
// limit, GD's distance to the path; below, the certificate: relative duality gap and
// interpolation residual (log-y), with a certified (dot) / not certified (cross) marker per τ.
import { Plot, logRange } from './plot.js';

function extent(arrays, lo = Infinity, hi = -Infinity) {
  for (const a of arrays) for (let i = 0; i < a.length; i++) { const v = a[i]; if (v > 0 && Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; } }
  return [lo, hi];
}

export class CurvesView {
  constructor(top, bottom) {
    this.top = new Plot(top, { l: 52, r: 12, t: 10, b: 22 });
    this.bottom = new Plot(bottom, { l: 52, r: 12, t: 8, b: 34 });
    this.rangeRev = -1;
  }

  /** The plots this view draws on (their canvases' sizes decide a redraw too). */
  get plots() { return [this.top, this.bottom]; }

  draw(app) { this.paint(app, this.top, this.bottom); }

  /** Draws into `top` and `bottom` (this view's plots, or an export's with the same sizes). */
  paint(app, top, bottom) {
    const s = app.state, th = app.theme, ser = app.path.series();
    const gd = app.gdPoints; // [{tau, dist, cost}]
    // The path's τ's solved as infinite width itself: their integration error estimates.
    const exact = app.exactSeries ? app.exactSeries() : [];
    const exactTau = Float64Array.from(exact, (e) => e.tau), exactErr = Float64Array.from(exact, (e) => e.integrationError);
    // …and how far the quadrature's α misses the data at infinite width there (a distance).
    const checked = exact.filter((e) => e.check > 0);
    const checkTau = Float64Array.from(checked, (e) => e.tau), check = Float64Array.from(checked, (e) => e.check);
    if (this.rangeRev !== app.path.rev + ':' + gd.length + ':' + exact.length) {
      this.rangeRev = app.path.rev + ':' + gd.length + ':' + exact.length;
      const gdv = [Float64Array.from(gd, (p) => p.dist), Float64Array.from(gd, (p) => p.cost)];
      const [a, b] = extent([ser.cost, ser.kernel, ser.rich, ...gdv, check]);
      this.r1 = a <= b ? logRange(a, b, 1e-12) : [1e-3, 1e1];
      const [c, d] = extent([ser.absGap, ser.residual, exactErr], 1e-16, 1e-6);
      this.r2 = logRange(c / 30, d, 1e-18);
    }
    this.#panel(top, th, s, this.r1, 'cost, distance', () => {
      this.#series(top, ser.tau, ser.cost, th.cost, [], 2);
      if (ser.hasKernel) this.#series(top, ser.tau, ser.kernel, th.kernel, [7, 4], 1.8);
      if (ser.hasRich) this.#series(top, ser.tau, ser.rich, th.rich, [2, 3], 2);
      if (checked.length) {
        this.#series(top, checkTau, check, th.exact, [1, 3], 2);
        for (let i = 0; i < checked.length; i++) this.#dot(top, checkTau[i], check[i], th.exact, 3);
      }
      const { ctx } = top;
      for (const p of gd) {
        // Converged: a dot; stalled: a cross; stopped at its step cap: a triangle.
        if (p.status === 'stalled') this.#cross(top, p.tau, p.dist, th.gd);
        else if (p.status === 'capped') this.#triangle(top, p.tau, p.dist, th.gd);
        else this.#dot(top, p.tau, p.dist, th.gd, 4.5);
        if (p.cost > 0) { ctx.strokeStyle = th.gd; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(top.px(p.tau), top.py(p.cost), 5, 0, 2 * Math.PI); ctx.stroke(); }
      }
    }, false, this.rangeRev);
    this.#panel(bottom, th, s, this.r2, 'certificate', () => {
      const p = bottom, { ctx } = p;
      ctx.strokeStyle = th.axis; ctx.setLineDash([3, 3]); ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(p.left, p.py(1e-6)); ctx.lineTo(p.right, p.py(1e-6)); ctx.stroke(); ctx.setLineDash([]);
      this.#series(p, ser.tau, ser.absGap, th.gap, [], 1.8);
      this.#series(p, ser.tau, ser.residual, th.residual, [5, 3], 1.5);
      if (exact.length) {
        this.#series(p, exactTau, exactErr, th.exact, [1, 3], 2);
        for (let i = 0; i < exact.length; i++) this.#dot(p, exactTau[i], exactErr[i], th.exact, 2.5);
      }
      const strip = p.invY(p.bottom - 7); // a row of markers along the bottom: one per τ
      for (let i = 0; i < ser.n; i++) {
        if (ser.certified[i]) this.#dot(p, ser.tau[i], strip, th.ok, 3.5);
        else this.#cross(p, ser.tau[i], strip, th.bad);
      }
    }, true, this.rangeRev);
  }

  #panel(p, th, s, [y0, y1], label, body, xTicks, key) {
    const { ctx } = p;
    p.resize();
    p.setX(s.tauMin, s.tauMax, true); p.setY(y0, y1, true);
    p.cached(`${key}|${th.name}|${y0}:${y1}|${s.tauMin}:${s.tauMax}`, () => {
      p.clear(th);
      p.axes(th, { xLabel: xTicks ? 'τ (initialization scale)' : '', yLabel: label, xTicks });
      p.clip();
      body();
      p.ctx.restore();
    });
    p.clip();
    const X = p.px(s.tau);
    ctx.strokeStyle = th.fg; ctx.globalAlpha = 0.6; ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.moveTo(X, p.top); ctx.lineTo(X, p.bottom); ctx.stroke(); ctx.globalAlpha = 1;
    ctx.restore();
  }

  #series(p, xs, ys, color, dash, width) {
    const { ctx } = p;
    ctx.strokeStyle = color; ctx.lineWidth = width; ctx.setLineDash(dash);
    ctx.beginPath(); p.line(xs, ys); ctx.stroke(); ctx.setLineDash([]);
  }

  #dot(p, x, y, color, r) {
    if (!(y > 0)) return;
    const { ctx } = p;
    ctx.fillStyle = color; ctx.beginPath(); ctx.arc(p.px(x), p.py(y), r, 0, 2 * Math.PI); ctx.fill();
  }

  #cross(p, x, y, color) {
    const { ctx } = p, X = p.px(x), Y = p.py(y);
    ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
    ctx.moveTo(X - 4, Y - 4); ctx.lineTo(X + 4, Y + 4); ctx.moveTo(X + 4, Y - 4); ctx.lineTo(X - 4, Y + 4); ctx.stroke();
  }

  #triangle(p, x, y, color) {
    if (!(y > 0)) return;
    const { ctx } = p, X = p.px(x), Y = p.py(y);
    ctx.fillStyle = color; ctx.beginPath();
    ctx.moveTo(X, Y - 5); ctx.lineTo(X + 5, Y + 4); ctx.lineTo(X - 5, Y + 4); ctx.closePath(); ctx.fill();
  }
}
