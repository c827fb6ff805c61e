// The scaling path on screen: the reports received so far (sorted by τ), the initial measure, the
// limits, and what is derived from them (fits interpolated in log τ, per-τ series). `rev` counts
// changes so that views recompute derived data only when something arrived.

/** sup |a − b| (NaN when the lengths differ): GD's distance to the path (the core reports no such
 * number; every distance of the path's own comes from the core). */
function supDistance(a, b) {
  if (!a || !b || a.length !== b.length) return NaN;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

export class PathStore {
  constructor() {
    this.current = null; // the path drawn
    this.pending = null; // a path requested whose selected τ has not arrived yet
    this.older = []; // earlier requests still awaited (a dragged point's, on the other worker)
    this.rev = 0;
    this.morph = new Float64Array(0);
    this.seriesRev = -1;
  }

  /**
   * A path requested as `id`, computed in `parts` parts (workers) that each end with `done`.
   * With `keepOlder` the request awaited until now stays awaited (`older`): a dragged point's
   * solves run on two workers at once, and whichever selected τ arrives is drawn unless a later
   * request's already is.
   */
  begin(id, config, key, parts = 1, keepOlder = false) {
    if (keepOlder && this.pending) this.older.push(this.pending);
    else this.older = [];
    this.pending = { id, config, key, init: null, reports: [], limits: null, total: config.tauCount,
      received: 0, done: false, elapsedMs: 0, started: performance.now(), parts, partsDone: 0 };
  }

  /** Stops awaiting request `id` (its solve failed); the one before it, if awaited, is then the
   * latest. */
  forget(id) {
    this.older = this.older.filter((p) => p.id !== id);
    if (this.pending && this.pending.id === id) this.pending = this.older.pop() || null;
  }

  /** The path requested as `id` (the one drawn or the one awaited), or null. */
  of(id) { return this.#path(id); }

  #path(id) {
    if (this.pending && this.pending.id === id) return this.pending;
    const older = this.older.find((p) => p.id === id);
    if (older) return older;
    if (this.current && this.current.id === id) return this.current;
    return null;
  }

  /** A reply for path `id`; returns true when the drawn path changed. */
  receive(msg) {
    const p = this.#path(msg.id);
    if (!p) return false;
    switch (msg.type) {
      case 'init': p.init = msg.init; break;
      case 'selected': {
        const before = this.current;
        if (p === this.pending) { this.current = p; this.pending = null; this.older = []; }
        else if (this.older.includes(p)) {
          // Requests made before this one are superseded; the later ones stay awaited.
          this.current = p;
          this.older = this.older.slice(this.older.indexOf(p) + 1);
        }
        // A dragged point's request gets its limits after its selected τ, and the next request,
        // sent at once, usually drops them (a worker client keeps its latest request's replies
        // only): it shows the limits drawn before it (of the data one solve earlier) until its
        // own come, rather than none — the limits would flicker while a point is dragged.
        if (p === this.current && p.config.selectedOnly && !p.limits && before && before !== p) p.limits = before.limits;
        this.#insert(p, msg.report);
        break;
      }
      case 'tau':
        if (p.parts === 1) p.total = msg.total;
        p.received = Math.min(p.received + 1, p.total);
        this.#insert(p, msg.report);
        break;
      case 'limits': p.limits = { kernel: msg.kernel || null, rich: msg.rich || null, target: msg.target || null }; break;
      case 'done':
        // A selectedOnly solve (while dragging) ends after its selected τ: not a complete path.
        if (msg.partial) p.partial = true;
        else if (++p.partsDone >= p.parts) {
          p.done = true; p.received = p.total;
          // A split path took as long as the page waited for its last part.
          p.elapsedMs = p.parts === 1 ? msg.elapsedMs : performance.now() - p.started;
        }
        break;
      default: return false;
    }
    // Before the first path is drawn, the awaited one's limits are (see `limits`).
    const drawn = p === this.current || (!this.current && p === this.pending && msg.type === 'limits');
    if (drawn) this.rev++;
    return drawn;
  }

  /** The limits drawn: the drawn path's, or before any path is drawn the awaited one's (with
   * many points they come before its first fit, so that the page shows the path's two ends). */
  get limits() {
    if (this.current) return this.current.limits;
    return this.pending ? this.pending.limits : null;
  }

  #insert(p, report) {
    const r = p.reports;
    let i = 0;
    while (i < r.length && r[i].tau < report.tau) i++;
    if (i < r.length && Math.abs(Math.log(r[i].tau / report.tau)) < 1e-12) r[i] = report;
    else r.splice(i, 0, report);
  }

  get reports() { return this.current ? this.current.reports : []; }
  get fitX() { const r = this.reports; return r.length ? r[0].fit.x : null; }

  /** Bracketing reports of τ in log τ: {a, b, t} with the value = a + t (b − a). */
  bracket(tau) {
    const r = this.reports, n = r.length;
    if (!n) return null;
    if (tau <= r[0].tau) return { a: r[0], b: r[0], t: 0 };
    if (tau >= r[n - 1].tau) return { a: r[n - 1], b: r[n - 1], t: 0 };
    let lo = 0, hi = n - 1;
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (r[mid].tau <= tau) lo = mid; else hi = mid; }
    const t = Math.log(tau / r[lo].tau) / Math.log(r[hi].tau / r[lo].tau);
    if (t < 1e-6) return { a: r[lo], b: r[lo], t: 0 };
    if (t > 1 - 1e-6) return { a: r[hi], b: r[hi], t: 0 };
    return { a: r[lo], b: r[hi], t };
  }

  /** The computed report nearest to τ in log τ. */
  nearest(tau) {
    const br = this.bracket(tau);
    return br ? (br.t < 0.5 ? br.a : br.b) : null;
  }

  /** f_τ on the grid, interpolated linearly in log τ between computed τ (a shared buffer). */
  fitAt(tau) {
    const br = this.bracket(tau);
    if (!br) return null;
    if (br.t === 0) return br.a.fit.y;
    const a = br.a.fit.y, b = br.b.fit.y;
    if (this.morph.length !== a.length) this.morph = new Float64Array(a.length);
    const out = this.morph, t = br.t;
    for (let i = 0; i < a.length; i++) out[i] = a[i] + (b[i] - a[i]) * t;
    return out;
  }

  /**
   * Per-τ series for the curves view (recomputed only when the path changed). The distances to
   * the limits are the core's (`kernelDistance` is to the kernel prediction at τ — f_K itself
   * only for a symmetric start at λ = 0 — which is what f_τ approaches at large τ); a report
   * without them (a preview) has none.
   */
  series() {
    if (this.seriesRev === this.rev) return this.cached;
    const r = this.reports, n = r.length;
    const core = (k) => n > 0 && r.every((q) => Number.isFinite(q[k]));
    const coreKernel = core('kernelDistance'), coreRich = core('richDistance');
    const s = { n, tau: new Float64Array(n), cost: new Float64Array(n), kernel: new Float64Array(n),
      rich: new Float64Array(n), test: new Float64Array(n), hasTest: n > 0 && r.every((q) => Number.isFinite(q.testError)), gap: new Float64Array(n), absGap: new Float64Array(n), residual: new Float64Array(n), certified: new Uint8Array(n),
      hasKernel: coreKernel, hasRich: coreRich,
      lazyKernel: coreKernel };
    for (let i = 0; i < n; i++) {
      const q = r[i];
      s.tau[i] = q.tau;
      s.cost[i] = q.transportCost / (q.tau * q.tau);
      s.kernel[i] = coreKernel ? q.kernelDistance : NaN;
      s.rich[i] = coreRich ? q.richDistance : NaN;
      s.test[i] = Number.isFinite(q.testError) ? q.testError : NaN;
      s.gap[i] = q.relativeGap;
      s.absGap[i] = Math.abs(q.relativeGap);
      s.residual[i] = q.residual;
      s.certified[i] = q.certified ? 1 : 0;
    }
    this.cached = s;
    this.seriesRev = this.rev;
    return s;
  }

  /** sup-distance between a GD fit and the path at the GD's τ. */
  gdDistance(run) {
    const f = this.fitAt(run.tau);
    return f ? supDistance(run.fit.y, f) : NaN;
  }

  /**
   * [min, max] of y over the data, every fit and the limits — but the curves count only within
   * 1.5 data spans of the data (an asymmetric init at large τ leaves the data range by orders of
   * magnitude; the interesting part must stay readable, the rest is clipped).
   */
  yExtent(data) {
    let dlo = Infinity, dhi = -Infinity;
    for (const [, y] of data) { dlo = Math.min(dlo, y); dhi = Math.max(dhi, y); }
    const span = Math.max(dhi - dlo, 0.5), cap0 = dlo - 1.5 * span, cap1 = dhi + 1.5 * span;
    let lo = dlo, hi = dhi;
    const take = (arr) => {
      if (!arr) return;
      for (let i = 0; i < arr.length; i++) { const v = arr[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    };
    for (const q of this.reports) take(q.fit.y);
    const lim = this.limits;
    if (lim) { take(lim.kernel && lim.kernel.fit.y); take(lim.rich && lim.rich.fit.y); }
    return [Math.max(lo, cap0), Math.min(hi, cap1)];
  }
}
