// Fit view: the data, f_τ at the selected τ (bold, morphed in log τ between computed τ), the
// whole path as faint curves coloured by log τ, the kernel and rich limits (dashed) and the GD
// final state at the same τ.
import { Plot, niceRange } from './plot.js';
import { logPosition, viridis } from './palette.js';

/** Whether the fit drawn at τ is not certified: the nearest computed τ is a first look or
 * missed its certificate. */
export function uncertifiedAt(path, tau) {
  const near = path.nearest(tau);
  return !!near && (!!near.preview || !near.certified);
}

export class FitView {
  constructor(canvas) {
    this.plot = new Plot(canvas, { l: 58, r: 12, t: 10, b: 34 });
    this.yRange = [-1, 1];
    this.yRev = -1;
  }

  /** y-range from everything drawn; while dragging it only grows (the axes do not jump). */
  #updateY(app) {
    const key = app.path.rev + ':' + app.dataRev;
    if (key === this.yRev) return;
    this.yRev = key;
    const [lo, hi] = app.path.yExtent(app.state.data);
    const [a, b] = niceRange(lo, hi, 0.08);
    this.yRange = app.dragging ? [Math.min(a, this.yRange[0]), Math.max(b, this.yRange[1])] : [a, b];
  }

  /** The plots this view draws on (their canvases' sizes decide a redraw too). */
  get plots() { return [this.plot]; }

  draw(app) { this.paint(app, this.plot); }

  /** Draws into `plot` (this view's, or an export's with the same size). */
  paint(app, plot) {
    const { ctx } = plot, th = app.theme, s = app.state, path = app.path;
    plot.resize();
    this.#updateY(app);
    plot.setX(s.gridMin, s.gridMax); plot.setY(this.yRange[0], this.yRange[1]);
    plot.cached(`${path.rev}|${th.name}|${this.yRange}|${s.gridMin}:${s.gridMax}|${s.tauMin}:${s.tauMax}`, () => this.#background(app, plot));
    const xs = path.fitX;
    plot.clip();
    if (xs) {
      // GD played back: the network of the current frame; otherwise its final state.
      const play = app.gdPlayback;
      const gdFit = play ? [play.trace.fitX, play.fit()] : app.gdRun ? [app.gdRun.fit.x, app.gdRun.fit.y] : null;
      if (app.gdRun && !play) this.#stall(app.gdRun, plot, th);
      if (gdFit) {
        ctx.strokeStyle = th.gd; ctx.globalAlpha = 0.7; ctx.lineWidth = 6; ctx.lineCap = 'round';
        ctx.beginPath(); plot.line(gdFit[0], gdFit[1]); ctx.stroke();
        ctx.globalAlpha = 1; ctx.lineCap = 'butt';
      }
      const f = path.fitAt(s.tau);
      // Dashed while the τ on screen is not (yet) certified: a first look, or a τ reported as
      // it stood when its time budget ran out.
      ctx.strokeStyle = th.fg; ctx.lineWidth = 2.5;
      if (uncertifiedAt(path, s.tau)) ctx.setLineDash([9, 6]);
      ctx.beginPath(); plot.line(xs, f); ctx.stroke();
      ctx.setLineDash([]);
      // The infinite-width problem solved as such at the selected τ: a thin line inside the bold
      // one, which leaves it where the N-direction quadrature is off.
      const exact = app.exactAt && app.exactAt(s);
      if (exact && exact.fit) {
        ctx.strokeStyle = th.exact; ctx.lineWidth = 2;
        ctx.beginPath(); plot.line(exact.fit.x, exact.fit.y); ctx.stroke();
      }
    }
    ctx.restore();
    this.#points(app, plot);
    // With the limits drawn, the progress line says what is awaited (no text across the curves).
    if (!xs && !path.limits) plot.message(th, app.failed ? 'no path: see the message above' : 'computing the path…');
  }

  /** Axes, the faint path and the limits: redrawn only when the path or the axes change. */
  #background(app, plot) {
    const { ctx } = plot, th = app.theme, s = app.state, path = app.path;
    plot.clear(th);
    plot.axes(th, { xLabel: 'x', yLabel: 'f(x)' });
    plot.clip();
    if (path.fitX) {
      ctx.lineWidth = 1; ctx.globalAlpha = th.familyAlpha;
      for (const r of path.reports) {
        ctx.strokeStyle = viridis(logPosition(r.tau, s.tauMin, s.tauMax), th);
        ctx.beginPath(); plot.line(r.fit.x, r.fit.y); ctx.stroke();
      }
      ctx.globalAlpha = 1;
    }
    const lim = path.limits;
    if (lim && lim.kernel && lim.kernel.fit) this.#dashed(plot, lim.kernel, th.kernel, [7, 4], 1.8);
    if (lim && lim.rich && lim.rich.fit) this.#dashed(plot, lim.rich, th.rich, [2, 3], 2);
    if (lim && lim.target && app.state.target) this.#dashed(plot, lim.target, th.target, [10, 5], 2.2);
    ctx.restore();
  }

  /** Where a stalled GD run cannot bend (stallFrom…stallTo): a faint band, labelled. */
  #stall(run, plot, th) {
    if (!(Number.isFinite(run.stallFrom) && Number.isFinite(run.stallTo))) return;
    const { ctx } = plot, a = plot.px(run.stallFrom), b = plot.px(run.stallTo);
    ctx.fillStyle = th.gd; ctx.globalAlpha = 0.12;
    ctx.fillRect(a, plot.top, b - a, plot.bottom - plot.top);
    ctx.globalAlpha = 1;
    ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    ctx.fillStyle = th.fg;
    ctx.fillText('GD stalled: no kink here', (a + b) / 2, plot.top + 4);
  }

  #dashed(plot, curve, color, dash, width) {
    const { ctx } = plot;
    ctx.strokeStyle = color; ctx.lineWidth = width; ctx.setLineDash(dash);
    ctx.beginPath(); plot.line(curve.fit.x, curve.fit.y); ctx.stroke();
    ctx.setLineDash([]);
  }

  #points(app, plot) {
    const { ctx } = plot, th = app.theme;
    app.state.data.forEach(([x, y], i) => {
      const X = plot.px(x), Y = plot.py(y);
      if (i === app.focusIndex) {
        ctx.strokeStyle = th.fg; ctx.lineWidth = 2;
        ctx.beginPath(); ctx.arc(X, Y, 10, 0, 2 * Math.PI); ctx.stroke();
      }
      ctx.fillStyle = th.data; ctx.strokeStyle = th.fg; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.arc(X, Y, 5, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    });
  }
}
