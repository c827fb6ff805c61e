// Against τ, for inputs in the plane (as the line's curves view): the transport cost W²/τ² of
// the path at every solved τ and of gradient descent at every τ where it ran (rings: its cost is
// never below the path's), and the distance of the path's fit to the kernel limit, sup over the
// grid, falling to zero at the kernel end, and to the rich limit, falling to zero at the rich
// end. Log–log; a marker at the selected τ. Every number is the core's (the reports'
// `transportCost`, `kernelDistance`, `richDistance`).
import { Plot, logRange } from '../views/plot.js';
import { theme } from '../views/palette.js';

export class AgainstTau {
  constructor(top, bottom) {
    this.top = new Plot(top, { l: 56, r: 12, t: 10, b: 30 });
    this.bottom = new Plot(bottom, { l: 56, r: 12, t: 10, b: 34 });
  }

  /** reports: the path's τ reports; runs: [{tau, run}] of gradient descent; taus: the grid. */
  draw({ reports, runs, taus, selected, dark }) {
    const th = theme(dark ? 'dark' : 'light');
    const xs = [taus[0], taus[taus.length - 1]];
    const cost = reports.map((r) => [r.tau, r.transportCost / (r.tau * r.tau)]);
    const gd = runs.map(({ tau, run }) => [tau, run.transportCost / (tau * tau)]);
    const dist = reports.filter((r) => r.kernelDistance != null).map((r) => [r.tau, r.kernelDistance]);
    const rich = reports.filter((r) => r.richDistance != null).map((r) => [r.tau, r.richDistance]);
    this.#panel(this.top, th, xs, [...cost, ...gd], 'W²/τ²', selected, () => {
      this.#series(this.top, cost, th.cost, true);
      this.#rings(this.top, gd, th.gd);
    }, [{ label: 'path', color: th.cost }, ...(gd.length ? [{ label: 'gradient descent', color: th.gd, marker: true }] : [])], false);
    this.#panel(this.bottom, th, xs, [...dist, ...rich], 'sup distance', selected, () => {
      this.#series(this.bottom, dist, th.kernel, true);
      this.#series(this.bottom, rich, th.rich, true);
    }, [{ label: 'to the kernel limit', color: th.kernel }, { label: 'to the rich limit', color: th.rich }], true);
  }

  #panel(plot, th, xs, points, yLabel, selected, body, legend, xLabel) {
    plot.resize();
    plot.clear(th);
    const ys = points.map((p) => p[1]).filter((v) => v > 0 && Number.isFinite(v));
    plot.setX(xs[0], xs[1] > xs[0] ? xs[1] : xs[0] * 10, true);
    const [lo, hi] = ys.length ? logRange(Math.min(...ys), Math.max(...ys), 1e-14) : [1e-3, 1];
    plot.setY(lo, hi, true);
    plot.axes(th, { xLabel: xLabel ? 'τ' : '', yLabel });
    plot.clip();
    const x = plot.px(selected);
    plot.ctx.strokeStyle = th.muted; plot.ctx.setLineDash([3, 3]); plot.ctx.beginPath();
    plot.ctx.moveTo(x, plot.top); plot.ctx.lineTo(x, plot.bottom); plot.ctx.stroke(); plot.ctx.setLineDash([]);
    body();
    plot.ctx.restore();
    if (!ys.length) plot.message(th, 'waiting for the path…');
    else plot.legend(th, legend, 'right');
  }

  #series(plot, points, colour, dots) {
    const { ctx } = plot;
    ctx.strokeStyle = colour; ctx.fillStyle = colour; ctx.lineWidth = 1.6;
    ctx.beginPath();
    plot.line(points.map((p) => p[0]), points.map((p) => p[1]));
    ctx.stroke();
    if (dots) for (const [t, v] of points) if (v > 0) { ctx.beginPath(); ctx.arc(plot.px(t), plot.py(v), 2.5, 0, 2 * Math.PI); ctx.fill(); }
  }

  #rings(plot, points, colour) {
    const { ctx } = plot;
    ctx.strokeStyle = colour; ctx.lineWidth = 1.8;
    for (const [t, v] of points) if (v > 0) { ctx.beginPath(); ctx.arc(plot.px(t), plot.py(v), 5, 0, 2 * Math.PI); ctx.stroke(); }
  }
}
