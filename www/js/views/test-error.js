// Test error against τ (log-log), with a ground truth g: the RMS of f − g over the data's range
// for the path (line), both limits (horizontal lines: what τ → 0 and τ → ∞ predict) and every
// gradient-descent run (dots). Every number is the solver's (`testError` of each report).
import { Plot, logRange } from './plot.js';

export class TestErrorView {
  constructor(canvas) {
    this.plot = new Plot(canvas, { l: 52, r: 12, t: 8, b: 34 });
  }

  /** The plots this view draws on (their canvases' sizes decide a redraw too). */
  get plots() { return [this.plot]; }

  draw(app) { this.paint(app, this.plot); }

  paint(app, p) {
    const s = app.state, th = app.theme, ser = app.path.series(), { ctx } = p;
    const lim = app.path.limits;
    const kernel = lim && lim.kernel && Number.isFinite(lim.kernel.testError) ? lim.kernel.testError : NaN;
    const rich = lim && lim.rich && Number.isFinite(lim.rich.testError) ? lim.rich.testError : NaN;
    const gd = app.gdRuns.filter((r) => Number.isFinite(r.testError));
    const values = [...(ser.hasTest ? ser.test : []), kernel, rich, ...gd.map((r) => r.testError)].filter((v) => v > 0 && Number.isFinite(v));
    p.resize();
    p.setX(s.tauMin, s.tauMax, true);
    const [y0, y1] = values.length ? logRange(Math.min(...values), Math.max(...values), 1e-9) : [1e-3, 1];
    p.setY(y0, y1, true);
    p.clear(th);
    p.axes(th, { xLabel: 'τ (initialization scale)', yLabel: 'test error (RMS)', xTicks: true });
    p.clip();
    const flat = (v, color, dash) => {
      if (!(v > 0)) return;
      ctx.strokeStyle = color; ctx.lineWidth = 1.8; ctx.setLineDash(dash);
      ctx.beginPath(); ctx.moveTo(p.left, p.py(v)); ctx.lineTo(p.right, p.py(v)); ctx.stroke(); ctx.setLineDash([]);
    };
    flat(kernel, th.kernel, [7, 4]);
    flat(rich, th.rich, [2, 3]);
    if (ser.hasTest) {
      ctx.strokeStyle = th.cost; ctx.lineWidth = 2;
      ctx.beginPath(); p.line(ser.tau, ser.test); ctx.stroke();
    }
    ctx.fillStyle = th.gd;
    for (const r of gd) { ctx.beginPath(); ctx.arc(p.px(r.tau), p.py(r.testError), 4, 0, 2 * Math.PI); ctx.fill(); }
    const X = p.px(s.tau);
    ctx.strokeStyle = th.fg; ctx.globalAlpha = 0.6; ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.moveTo(X, p.top); ctx.lineTo(X, p.bottom); ctx.stroke(); ctx.globalAlpha = 1;
    ctx.restore();
    if (!values.length) p.message(th, 'test errors come with the path');
  }
}
