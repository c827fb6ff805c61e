// The computing side of one lab instance: its worker (www/PROTOCOL.md through WorkerClient), the
// path being received (PathStore) and the gradient-descent runs (GdRuns). A solve is sent when
// the path's inputs change — one in flight until its selected τ arrives (while a point is
// dragged, one per worker); edits made meanwhile are merged into the next one (the worker
// supersedes the running one) — and a GD run once the path is done and τ has rested. It knows
// nothing of the page: it reads the state through its host ({state(), dragging()}) and tells
// what happened as events (`on(type, fn)`): 'redraw' ({progress}), 'message' (text), 'failed'
// (whether there is no path to show), 'api' ({type, detail}: the embedding API's events),
// 'version', 'gd' (the runs changed: gdRun, gdRuns, gdPoints, gdSummary()), 'target'
// ({spec, sample} or {message}) and 'trace' (a recorded GD run).
//
// On a machine with two or more cores the path may be split over two workers near the selected
// τ; whether and where is the core's policy (src/path/split.rs), asked with config.part 'auto':
// the first worker's init reply says the split it chose (or none), and that worker solves the
// lower part (the selected τ, the limits, the τ's below, then the middle up to the split τ).
// Once the first fit is on screen (the preview or the selected τ) a second worker solves the
// τ's from the split up, from the kernel end down ('upper', pathOnly). The two parts are
// independent. If the second worker cannot start, the lab falls back to one. The second worker
// is created on first use (the full lab's page has it already: js/boot.js starts both with the
// page, so that it has compiled its WebAssembly by the first fit).
import { PathStore } from './path-store.js';
import { WorkerClient } from './worker-client.js';
import { GdRuns, outcome } from './gd.js';
import { fmtTau } from '../ui/format.js';

const SOLVE_KEYS = ['data', 'lambda', 'law', 'symmetric', 'net', 'directions', 'width', 'seed',
  'tauMin', 'tauMax', 'tauCount', 'gridMin', 'gridMax', 'gridCount', 'target'];
const GD_KEYS = ['tau', 'gd', 'gdWidth', 'gdSeed', 'gdSteps', 'lambda'];

/** The protocol's solve config for state `s` (with the ground truth, when there is one: every
 * report then carries its test error over the data's range). */
export function solveConfig(s) {
  const x = s.data.map((p) => p[0]);
  return { x, y: s.data.map((p) => p[1]), lambda: s.lambda, law: s.law, symmetric: s.symmetric,
    directions: s.net === 'inf' ? s.directions : null, width: s.net === 'finite' ? s.width : null, seed: s.seed,
    tauMin: s.tauMin, tauMax: s.tauMax, tauCount: s.tauCount, tau: s.tau,
    grid: { min: s.gridMin, max: s.gridMax, count: s.gridCount },
    target: s.target ? { text: s.target, lo: Math.min(...x), hi: Math.max(...x) } : null };
}
/** What identifies a path (τ aside: every τ is on it; the seed only matters at finite width). */
const pathKey = (s) => JSON.stringify({ ...solveConfig(s), tau: 0, seed: s.net === 'finite' ? s.seed : 0 });

export class Computation {
  /** host: {state(), dragging(), animating()}; createWorker(): a new worker; listeners: {type: fn} heard
   * from the start (a worker started before the page may report at once, while this is built). */
  constructor(host, createWorker, listeners = {}) {
    this.host = host;
    this.listeners = new Map(Object.entries(listeners).map(([type, fn]) => [type, [fn]]));
    /** What the views draw from: no path to show; GD at the selected τ, every run of this path
     * and each run's distance to it. */
    this.failed = false; this.gdRun = null; this.gdRuns = []; this.gdPoints = [];
    this.createWorker = createWorker;
    this.helper = null; // the second worker (created at the first fit of the first split path)
    this.helperFailed = false;
    this.split = null; // {mainId, helperId, config} of the split path in progress
    /** The last dragged point's solve sent to the second worker: {helperId, pageId, busy}
     * (pageId = −helperId: its id in the path store, apart from the first worker's ids). */
    this.helperDrag = null;
    this.path = new PathStore();
    this.gd = new GdRuns();
    this.wantSolve = true; this.awaiting = false; this.sentAt = 0; this.requestedKey = null; this.gdTimer = 0;
    /** The id of a GD recording in flight (0: none): while it holds the gd slot the sweep waits. */
    this.traceId = 0;
    /** Infinite width solved as such: answers per `${pathKey}|${tau}`, the one awaited
     * ({pathKey, tau}), the core's refusal of a path ({pathKey, message}), a counter of answers. */
    this.exactCache = new Map(); this.exactChecks = new Map(); this.exactWanted = null; this.exactRefused = null; this.exactRev = 0;
    this.exactTimer = 0; this.exactClient = null;
    this.sentPartial = false;
    const { path, gd } = this;
    const emit = (type, detail) => this.#emit(type, detail);
    this.client = new WorkerClient({
      ready: (version, caps) => {
        gd.capabilities(caps);
        if (version) emit('version', version);
        emit('gd');
        emit('redraw');
      },
      path: (msg) => {
        if (msg.type === 'selected') { this.awaiting = false; this.#fail(false); }
        if (msg.type === 'init' && this.split && this.split.mainId === msg.id) this.#splitChosen(msg.split);
        const { split } = this;
        if (msg.type === 'selected' && split && split.config && split.mainId === msg.id && !split.helperId) {
          const helper = this.#helperClient();
          if (helper) split.helperId = helper.solve(split.config);
        }
        this.#receive(msg);
        // Edits made while this solve ran (a dragged point) go out now, not at the next frame.
        if (msg.type === 'selected' && !msg.report.preview && this.wantSolve) this.#sendSolve(performance.now());
      },
      target: (msg) => {
        const spec = this.targetSpec;
        this.targetSpec = null;
        if (spec) emit('target', { spec, sample: msg.sample });
      },
      gd: (msg) => {
        if (msg.type === 'gd-trace') { this.traceId = 0; emit('trace', msg.trace); this.#scheduleGd(0); return; }
        // A finished run: the next τ of the sweep follows at once.
        if (gd.receive(msg)) { this.#refreshGd(); this.#scheduleGd(0); }
        emit('gd');
        emit('redraw');
      },
      error: (message, kind) => {
        if (kind === 'target') { this.targetSpec = null; emit('target', { message }); return; }
        if (kind === 'gd') { this.traceId = 0; const m = gd.failed(message); if (m) emit('message', `gradient descent: ${m}`); emit('gd'); return; }
        if (kind === 'path') {
          this.awaiting = false; path.pending = null; this.#fail(!path.current);
          if (path.current && path.current.id === this.client.pathId) path.current.stopped = true;
        }
        emit('message', message);
        emit('redraw');
      },
      crash: (message) => { this.#fail(true); emit('message', message); emit('redraw'); },
    }, createWorker);
  }

  /** Listens to events of `type` (see the top of this file). */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }

  #emit(type, detail) {
    for (const fn of this.listeners.get(type) || []) fn(detail);
  }

  #fail(on) {
    if (this.failed === on) return;
    this.failed = on;
    this.#emit('failed', on);
  }

  /** A reply for the path (from either worker, with the first worker's id). */
  #receive(msg) {
    const { path } = this;
    const changed = path.receive(msg);
    // Progress also for the path awaited: the second worker's τ's can come before the first
    // worker's selected τ makes it the one drawn.
    const p = path.of(msg.id);
    if (p && (msg.type === 'selected' || msg.type === 'tau')) this.#emit('api', { type: 'progress', detail: { received: p.received, total: p.total, tau: msg.report.tau } });
    if (!changed) return;
    if (msg.type === 'done' && p.done) {
      this.#emit('api', { type: 'ready', detail: { taus: p.reports.length, certified: p.reports.filter((r) => r.certified).length, elapsedMs: p.elapsedMs, limits: !!p.limits } });
      this.#scheduleGd(0);
      this.#scheduleExact();
    }
    // A τ of the path in the background redraws at a progress pace; the rest at once.
    this.#emit('redraw', { progress: msg.type === 'tau' });
  }

  /** The second worker (created on first use), or null when it failed. */
  #helperClient() {
    if (this.helper || this.helperFailed) return this.helper;
    const fail = () => {
      // Back to one worker: the part this one had is solved again there, with the rest.
      this.helperFailed = true;
      if (this.helper) this.helper.terminate();
      this.helper = null;
      if (this.split && this.path.current && this.path.current.id === this.split.mainId && !this.path.current.done) this.wantSolve = true;
      this.split = null;
    };
    this.helper = new WorkerClient({
      ready: () => {},
      path: (msg) => {
        const drag = this.helperDrag;
        if (drag && msg.id === drag.helperId) {
          if (msg.type === 'selected') drag.busy = false;
          this.#receive({ ...msg, id: drag.pageId });
          if (msg.type === 'selected' && this.wantSolve) this.#sendSolve(performance.now());
        } else if (this.split && msg.id === this.split.helperId) this.#receive({ ...msg, id: this.split.mainId });
      },
      gd: () => {},
      error: (message, kind) => {
        if (kind === 'worker') { fail(); return; }
        const drag = this.helperDrag;
        if (kind === 'path' && drag && drag.busy) {
          this.helperDrag = null;
          this.path.forget(drag.pageId);
          this.#emit('message', message);
          return;
        }
        // The same config as the first worker's part: its own error says the same; shown once.
        if (kind === 'path' && this.split && this.path.current && this.path.current.id === this.split.mainId) {
          this.path.current.stopped = true;
          this.#emit('message', message);
          this.#emit('redraw');
        }
      },
      crash: fail,
    }, this.createWorker);
    return this.helper;
  }

  /** The state became `s`; `changed` holds the keys that changed. */
  changed(s, changed) {
    if (SOLVE_KEYS.some((k) => changed.has(k)) && pathKey(s) !== this.requestedKey) this.wantSolve = true;
    if (GD_KEYS.some((k) => changed.has(k))) { this.#refreshGd(); this.#scheduleGd(); this.#emit('gd'); }
    if (changed.has('tau')) this.#scheduleExact();
  }

  /**
   * At infinite width, once the path is done: the selected τ solved as such (the
   * infinite-width problem itself, not its N-direction quadrature; src/continuum/), then every
   * τ of the path, in a worker of its own, each started from the path's α at that τ. Answers
   * are cached per (path, τ); the core's refusal of these data (e.g. repeated abscissas, the
   * uniform-kinks law) is kept per path and not asked again.
   */
  #scheduleExact(delay = 400) {
    clearTimeout(this.exactTimer);
    this.exactTimer = setTimeout(() => {
      const s = this.host.state(), p = this.path.current;
      if (s.net !== 'inf' || this.exactUnsupported || !p || !p.done || p.key !== pathKey(s)) return;
      if (this.exactRefused && this.exactRefused.pathKey === p.key) return;
      const want = this.exactWanted;
      if (want && want.pathKey === p.key) return; // one at a time: the next follows its answer
      // A solve for another path still running is abandoned: its worker is stopped (one solve is
      // one unit of work, seconds on hard data, and nothing else waits for it).
      if (want && this.exactClient) { this.exactClient.terminate(); this.exactClient = null; }
      this.exactWanted = null;
      const cached = (tau) => this.exactCache.has(`${p.key}|${tau}`);
      // The rest of the path waits while the page animates (playing τ or a GD run): the sweep
      // would take a core from the frames.
      if (cached(s.tau) && this.host.animating && this.host.animating()) { this.#scheduleExact(1000); return; }
      const tau = !cached(s.tau) ? s.tau : this.#sweepTaus().find((t) => !cached(t));
      if (tau === undefined) return;
      const start = this.path.nearest(tau);
      if (!start || !start.alpha) return;
      this.exactWanted = { pathKey: p.key, tau };
      this.#exactWorker().exact({ ...solveConfig(s), tau, alpha: Array.from(start.alpha) });
    }, delay);
  }

  /** The worker that solves infinite width as such: its own (created on first use, replaced
   * when a solve is abandoned), so that the path's workers never wait for it. */
  #exactWorker() {
    if (this.exactClient) return this.exactClient;
    const answer = (report, refused, check) => {
      const want = this.exactWanted;
      this.exactWanted = null;
      if (!want) return;
      if (refused) this.exactRefused = { pathKey: want.pathKey, message: refused };
      else {
        if (this.exactCache.size > 2000) this.exactCache.delete(this.exactCache.keys().next().value);
        if (this.exactChecks.size > 2000) this.exactChecks.delete(this.exactChecks.keys().next().value);
        this.exactCache.set(`${want.pathKey}|${want.tau}`, report);
        if (check) this.exactChecks.set(`${want.pathKey}|${want.tau}`, check);
      }
      this.exactRev++;
      this.#emit('exact');
      this.#emit('redraw');
      if (!refused) this.#scheduleExact(0);
    };
    this.exactClient = new WorkerClient({
      ready: () => {}, path: () => {}, gd: () => {},
      exact: (msg) => answer(msg.report, null, msg.check),
      error: (message, kind) => {
        if (kind !== 'exact') return;
        // A worker without the request (another build of the solver): not asked again.
        if (/^unknown request type 'exact'/.test(message)) { this.exactUnsupported = true; this.exactWanted = null; return; }
        answer(null, message);
      },
      crash: () => { this.exactClient = null; this.exactWanted = null; },
    }, this.createWorker);
    return this.exactClient;
  }

  /** The selected τ solved as infinite width itself, once it is; or the core's reason for not
   * solving these data so ({refused}); null meanwhile. */
  exactAt(s) {
    const p = this.path.current;
    if (!p) return null;
    if (this.exactRefused && this.exactRefused.pathKey === p.key) return { refused: this.exactRefused.message };
    return this.exactCache.get(`${p.key}|${s.tau}`) || null;
  }

  /** The infinite-width check of the path's α at `tau` ({infiniteWidthResidual,
   * infiniteWidthError} or {infiniteWidthOutside}: how far the network of the quadrature's α
   * misses the data at infinite width, as the CLI reports it), once the exact worker has been
   * there; null meanwhile. */
  widthCheckAt(tau) {
    const p = this.path.current;
    return (p && this.exactChecks.get(`${p.key}|${tau}`)) || null;
  }

  /** The path's τ's solved as infinite width itself so far, increasing: {tau, integrationError,
   * fitError, certified, check} each (for the views against τ; `check`: how far the
   * quadrature's α there misses the data at infinite width). */
  exactSeries() {
    const p = this.path.current;
    if (!p) return [];
    const out = [];
    for (const r of p.reports) {
      const e = this.exactCache.get(`${p.key}|${r.tau}`);
      const c = this.exactChecks.get(`${p.key}|${r.tau}`);
      if (e) out.push({ tau: e.tau, integrationError: e.integrationError, fitError: e.fitError, certified: e.certified, check: c ? c.infiniteWidthResidual : undefined });
    }
    return out;
  }

  /** Every frame: sends the wanted solve unless one is awaited (or that one is late). */
  tick(now) {
    // A drag ended: the last solve had the selected τ only — now the whole path.
    if (this.sentPartial && !this.host.dragging()) { this.sentPartial = false; this.wantSolve = true; }
    if (this.wantSolve && (!this.awaiting || now - this.sentAt > 1500 || this.#helperFree())) this.#sendSolve(now);
  }

  /** Whether a dragged point's solve can go to the second worker: one is being dragged, the
   * worker is there and has no such solve running (one in flight per worker). */
  #helperFree() {
    return this.host.dragging() && !!this.helper && !this.helperFailed && !(this.helperDrag && this.helperDrag.busy);
  }

  /** Whether the path on screen is complete for the current state. */
  get done() {
    const p = this.path.current;
    return !!(p && p.done) && !this.path.pending && !this.wantSolve;
  }

  terminate() {
    clearTimeout(this.gdTimer);
    clearTimeout(this.exactTimer);
    this.client.terminate();
    if (this.helper) this.helper.terminate();
    if (this.exactClient) this.exactClient.terminate();
    this.helper = null;
    this.exactClient = null;
  }

  #sendSolve(now) {
    const s = this.host.state();
    // While a point is dragged, only the selected τ (each move supersedes the last), seeded with
    // the fit on screen, on whichever worker is free (with one solve in flight, the last move's
    // waited for the one before it).
    const cfg = { ...solveConfig(s), selectedOnly: !!this.host.dragging() };
    this.sentPartial = cfg.selectedOnly;
    this.requestedKey = pathKey(s);
    if (cfg.selectedOnly) {
      const shown = this.path.current && this.path.nearest(s.tau);
      if (shown && shown.alpha && shown.alpha.length === s.data.length) cfg.warmStart = { tau: shown.tau, alpha: Array.from(shown.alpha) };
      if (this.awaiting && this.#helperFree()) {
        if (this.split) { this.helper.cancelPath(); this.split = null; } // the path's upper part: superseded
        const helperId = this.helper.solve(cfg);
        this.helperDrag = { helperId, pageId: -helperId, busy: true };
        this.path.begin(this.helperDrag.pageId, cfg, this.requestedKey, 1, true);
        this.wantSolve = false;
        return;
      }
    }
    // Split the path over two workers when there are cores for them (see the top of this file).
    // A dragged point's solve running on the second worker is left to finish.
    if (this.helper && !(cfg.selectedOnly && this.helperDrag && this.helperDrag.busy)) {
      this.helper.cancelPath();
      this.helperDrag = null;
    }
    // Whether to split is the core's call (config.part 'auto'; see #splitChosen).
    const split = !cfg.selectedOnly && !this.helperFailed && (navigator.hardwareConcurrency || 1) >= 2;
    if (split) cfg.part = 'auto';
    const id = this.client.solve(cfg);
    this.path.begin(id, cfg, this.requestedKey, split ? 2 : 1, cfg.selectedOnly);
    this.split = split ? { mainId: id, helperId: 0, config: null } : null;
    this.wantSolve = false; this.awaiting = true; this.sentAt = now;
    if (this.gd.running) { this.client.cancelGd(); this.gd.running = null; }
  }

  /** The first worker's answer to config.part 'auto': the core's split ({splitTau}, null when
   * the upper part begins at the selected τ), the second worker's request made from it; or no
   * split (null): the first worker solves the whole path. */
  #splitChosen(chosen) {
    const split = this.split, p = this.path.of(split.mainId);
    if (!chosen || !p) {
      this.split = null;
      if (p) p.parts = 1;
      return;
    }
    const cfg = { ...p.config, part: 'upper', pathOnly: true };
    if (chosen.splitTau != null) cfg.splitTau = chosen.splitTau;
    split.config = cfg;
  }

  #scheduleGd(delay = 350) {
    clearTimeout(this.gdTimer);
    this.gdTimer = setTimeout(() => {
      const s = this.host.state(), { path, gd } = this;
      // The run shown follows the path now on screen (none at λ > 0): redrawn, or the last
      // path's run stayed drawn until something else asked for a frame.
      this.#refreshGd();
      this.#emit('gd');
      this.#emit('redraw');
      if (!path.current || !path.current.done || path.current.key !== pathKey(s)) return;
      // A recording in flight holds the worker's gd slot: a sweep's request now would take the
      // slot and its reply would be dropped as stale (the sweep goes on when it arrives).
      if (this.traceId && this.client.gdId === this.traceId) return;
      const req = gd.want(path.current.key, s, solveConfig(s), this.#sweepTaus());
      if (!req) return;
      this.client.gd(req.config);
      gd.started(req.key, req.tau);
      this.#emit('gd');
    }, delay);
  }

  /** Records gradient descent at the selected τ for playback (it takes the worker's gd slot:
   * a sweep's run in progress starts again afterwards). */
  traceGd() {
    const s = this.host.state();
    const refused = this.gd.refusal(this.path.current ? this.path.current.key : '', s);
    if (refused) { this.#emit('message', `gradient descent: ${refused}`); return; }
    this.gd.running = null;
    this.traceId = this.client.gdTrace({ ...solveConfig(s), directions: null, width: s.gdWidth, seed: s.gdSeed, maxSteps: s.gdSteps });
  }

  /** Asks the solver for points drawn from ground truth `spec` ({target, points, noise, seed})
   * on [−2, 2], and for the target on the grid of state `s`; the reply comes as a 'target' event. */
  sampleTarget(spec, s) {
    this.targetSpec = spec;
    this.client.target({ ...spec, range: [-2, 2], grid: { min: s.gridMin, max: s.gridMax, count: s.gridCount } });
  }

  /** The τ's of the path on screen (the GD sweep's), increasing. */
  #sweepTaus() {
    const p = this.path.current;
    return p ? p.reports.map((r) => r.tau) : [];
  }

  /** The GD run at the selected τ and every run's distance to the path, for the views. */
  #refreshGd() {
    const s = this.host.state(), { path, gd } = this, key = path.current ? path.current.key : '';
    this.gdRun = gd.run(key, s);
    this.gdRuns = gd.runs(key, s);
    this.gdPoints = this.gdRuns.map((r) => ({ tau: r.tau, dist: path.gdDistance(r), cost: r.transportCost / (r.tau * r.tau), status: r.status }));
  }

  /**
   * What the page says about gradient descent: {text (the status line), hidden (no GD row),
   * max and value (its progress bar), title, disabled (GD's inputs)}. The run shown at the
   * selected τ speaks for itself: how it ended.
   */
  gdSummary() {
    const s = this.host.state(), { gd } = this, blocked = gd.refusal(this.path.current ? this.path.current.key : '', s);
    const shown = this.gdRun;
    const taus = this.#sweepTaus(), key = this.path.current ? this.path.current.key : '';
    const swept = s.gd && taus.length ? gd.swept(key, s, taus) : 0;
    const sweep = gd.running && gd.running.tau !== s.tau ? ` (across the path: ${swept} of ${taus.length} τ done)` : '';
    const text = gd.supported === false ? 'Gradient descent is not available in this build of the solver.'
      : !s.gd ? '' : blocked ? `Not run: ${blocked}.`
        : shown && gd.running ? `GD at τ = ${fmtTau(shown.tau)} (m = ${s.gdWidth}): ${outcome(shown)}; now τ = ${fmtTau(gd.running.tau)}: ${gd.progress}${sweep}`
          : gd.running ? `GD at τ = ${fmtTau(gd.running.tau)}: ${gd.progress}${sweep}`
            : shown ? `GD at τ = ${fmtTau(shown.tau)} (m = ${s.gdWidth}): ${outcome(shown)}${swept === taus.length && taus.length ? `; across the path: all ${taus.length} τ done` : ''}`
              : `GD at τ = ${fmtTau(s.tau)}: ${gd.progress || 'waiting for the path'}`;
    return {
      text, hidden: !s.gd || gd.supported === false, max: s.gdSteps,
      value: gd.running ? Math.min(gd.step || 0, s.gdSteps) : shown ? Math.min(shown.steps, s.gdSteps) : 0,
      title: sweep ? `${swept} of ${taus.length} τ` : '', disabled: gd.supported === false,
    };
  }
}
