// Gradient descent beside the path (MATH §3): once the path is done and τ has rested for a
// moment, one run at the selected τ from gdWidth neurons, then one at every τ of the path (the
// sweep), one at a time; runs are cached per (path config, GD settings, τ), so the curves view
// shows GD across the whole path and the Fit the run at the selected τ.

const loss = (r) => Number(r.loss).toExponential(2);

/** What a finished run came to, in words: converged, stalled and why, or stopped at its cap. */
export function outcome(r) {
  if (r.status === 'converged') return `converged in ${r.steps} steps (loss ${loss(r)})`;
  if (r.status === 'stalled') return `stalled after ${r.steps} steps, loss ${loss(r)}: ${r.stallReason || 'no step lowers the loss'}`;
  return `stopped at the step cap (${r.steps} steps), loss ${loss(r)}: raise "max steps" to go on`;
}

export class GdRuns {
  constructor() {
    this.cache = new Map();
    this.running = null;
    this.supported = null; // unknown until the worker answers a gd request
    this.progress = '';
    /** prefix (path config and GD settings) → why the core refused to run GD with them (e.g.
     * λ > 0: the rule lives in the core, src/input/options.rs; the page asks, once). */
    this.refused = new Map();
  }

  static prefix(pathKey, s) { return `${pathKey}|${s.gdWidth}:${s.gdSeed}:${s.gdSteps}`; }

  /** Why the core refused gradient descent for this path and these settings, or null. */
  refusal(pathKey, s) {
    return this.refused.get(GdRuns.prefix(pathKey, s)) || null;
  }

  /** What the worker said it can do ({gd: bool}), when its ready reply lists capabilities. */
  capabilities(caps) {
    if (caps && typeof caps.gd === 'boolean') this.supported = caps.gd;
  }

  /**
   * The next request for state `s`: the selected τ first, then the path's `taus` in order —
   * the first without a cached run; null when none is left (or GD is off, refused, running or
   * unsupported). `sweep` says how far the sweep is: {done, total}.
   */
  want(pathKey, s, solveConfig, taus = []) {
    if (!s.gd || this.supported === false || this.running) return null;
    const prefix = GdRuns.prefix(pathKey, s);
    if (this.refused.has(prefix)) return null;
    const tau = [s.tau, ...taus].find((t) => !this.cache.has(`${prefix}|${t}`));
    if (tau === undefined) return null;
    const config = { ...solveConfig, tau, directions: null, width: s.gdWidth, seed: s.gdSeed, maxSteps: s.gdSteps };
    return { key: `${prefix}|${tau}`, config, tau };
  }

  /** How many of the path's `taus` have a cached run for state `s`. */
  swept(pathKey, s, taus) {
    const prefix = GdRuns.prefix(pathKey, s);
    return taus.filter((t) => this.cache.has(`${prefix}|${t}`)).length;
  }

  started(key, tau) { this.running = { key, tau }; this.progress = 'starting…'; this.step = 0; }

  /** A gd reply; returns true when a run finished. */
  receive(msg) {
    if (msg.type === 'gd-progress') {
      this.supported = true;
      this.step = msg.step;
      this.progress = `step ${msg.step}, loss ${Number(msg.loss).toExponential(2)}`;
      return false;
    }
    if (msg.type === 'gd-done' && this.running) {
      this.supported = true;
      if (this.cache.size > 2000) this.cache.delete(this.cache.keys().next().value);
      this.cache.set(this.running.key, msg.run);
      const r = msg.run;
      this.progress = outcome(r);
      this.running = null;
      return true;
    }
    return false;
  }

  /** An error for a gd request: unsupported (a worker without the request type), or the core's
   * refusal of these settings (kept: not asked again; shown in the GD status line). */
  failed(message) {
    const running = this.running;
    this.running = null;
    if (/^unknown request type 'gd'/.test(message)) { this.supported = false; return null; }
    if (running) this.refused.set(running.key.slice(0, running.key.lastIndexOf('|')), message);
    this.progress = '';
    return running ? null : message;
  }

  run(pathKey, s) { return s.gd ? this.cache.get(`${GdRuns.prefix(pathKey, s)}|${s.tau}`) || null : null; }

  /** Every cached run for this path and these GD settings. */
  runs(pathKey, s) {
    if (!s.gd) return [];
    const pre = GdRuns.prefix(pathKey, s) + '|';
    const out = [];
    for (const [k, r] of this.cache) if (k.startsWith(pre)) out.push(r);
    return out;
  }
}
