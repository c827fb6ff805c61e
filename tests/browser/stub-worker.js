// A stand-in for www/worker.js that speaks www/PROTOCOL.md without WebAssembly, for the browser
// test of the replies the library does not send yet (`limits`, `gd-*`). Its numbers are made up
// (a blend of the data's piecewise-linear interpolant and a smooth curve), not a solution.

const F = (a) => Float64Array.from(a);
const grid = (g) => Array.from({ length: g.count }, (_, i) => g.min + ((g.max - g.min) * i) / (g.count - 1));

function interp(c, x) {
  const order = c.x.map((v, i) => [v, c.y[i]]).sort((a, b) => a[0] - b[0]);
  if (x <= order[0][0]) return order[0][1];
  for (let i = 1; i < order.length; i++) {
    if (x <= order[i][0]) { const [x0, y0] = order[i - 1], [x1, y1] = order[i]; return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0); }
  }
  return order[order.length - 1][1];
}

function curves(c) {
  const xs = grid(c.grid);
  const rich = xs.map((x) => interp(c, x));
  const kernel = xs.map((x, i) => rich[i] + 0.1 * Math.sin(3 * x));
  return { xs, rich, kernel };
}

function report(c, tau) {
  const { xs, rich, kernel } = curves(c);
  const t = 1 / (1 + 1 / (tau * tau));
  const fitY = rich.map((r, i) => r + (kernel[i] - r) * t);
  // The distances to the limits, as the core reports them (sup over the grid).
  const sup = (g) => fitY.reduce((m, v, i) => Math.max(m, Math.abs(v - g[i])), 0);
  return { tau, alpha: F(c.x.map(() => 0)), primal: 1, dual: 1, gap: 0, relativeGap: 1e-10, residual: 1e-12,
    certified: tau < 100, transportCost: tau * tau * 0.01 + 1, splitSources: 0, iterations: 1,
    neurons: F([0, 1, 1, 1, -c.x[0], 1, 1, -1, 1, c.x[0]]), fit: { x: F(xs), y: F(fitY) }, kernelDistance: sup(kernel), richDistance: sup(rich) };
}

onmessage = (e) => {
  const m = e.data, c = m.config;
  if (m.type === 'solve') {
    postMessage({ type: 'init', id: m.id, init: { law: 'gaussian', symmetric: true, kind: 'quadrature', count: 2, weights: F([0.5, 0.5]), neurons: F([1, 1, 0, -1, 1, 0]) } });
    postMessage({ type: 'selected', id: m.id, report: report(c, c.tau) });
    for (let i = 0; i < c.tauCount; i++) {
      const tau = c.tauMax * (c.tauMin / c.tauMax) ** (i / Math.max(1, c.tauCount - 1));
      postMessage({ type: 'tau', id: m.id, index: i, total: c.tauCount, report: report(c, tau) });
    }
    const { xs, rich, kernel } = curves(c);
    postMessage({ type: 'limits', id: m.id, kernel: { fit: { x: F(xs), y: F(kernel) }, norm: 1 }, rich: { cost: 1, fit: { x: F(xs), y: F(rich) }, kinks: F(c.x) } });
    postMessage({ type: 'done', id: m.id, elapsedMs: 1 });
  } else if (m.type === 'gd') {
    const r = report(c, c.tau);
    postMessage({ type: 'gd-progress', id: m.id, step: 100, loss: 0.5 });
    postMessage({ type: 'gd-done', id: m.id, run: { tau: c.tau, steps: 200, loss: 1e-8, transportCost: r.transportCost * 1.2, capped: false,
      neurons: F([]), fit: { x: r.fit.x, y: F(r.fit.y.map((v) => v + 0.05)) } } });
  }
};
postMessage({ type: 'ready', version: 'stub' });
