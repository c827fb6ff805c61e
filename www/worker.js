// The solver's module worker: www/PROTOCOL.md over the WASM bindings (src/bindings/mod.rs, built by
// scripts/build-wasm.sh into ./pkg). The page never touches WASM.
//
// Every request that computes is a *job*: a generator that does one unit of work (one τ) per
// `next()` and yields. The scheduler runs one unit per task and posts itself a message between
// units, so the event loop delivers the page's messages in between: a newer `solve` replaces
// the running one (and `cancel` stops it) within one τ. There is one job slot per kind
// (`path`, `gd`); when both are busy they take turns.
//
// A panic inside WASM throws a `WebAssembly.RuntimeError`; the message recorded by the panic
// hook (`takePanic`) becomes an `error` reply, and a fresh instance of the module is loaded
// before the next request (the old one may be left inconsistent).

const PKG = './pkg/scaling_path.js';
/** The single-file build (scripts/build-single.sh) prepends `self.scalingPathInline = {url(),
 * wasm}`: a fresh blob: URL of the bindings' source per load, and the module's bytes. */
const inline = self.scalingPathInline;

let wasm = null; // the bindings module
let instance = 0; // how many times the module was (re)loaded
/** The WebAssembly's bytes, requested at once: in parallel with the bindings' import, not after
 * it (one round trip less before the first fit while the page's own modules load). */
const firstBytes = inline ? null : fetch(new URL('./pkg/scaling_path_bg.wasm', import.meta.url));
if (firstBytes) firstBytes.catch(() => {}); // a failed fetch is reported by load()
let loading = load();
let inbox = Promise.resolve();
/** kind → {id, kind, steps: Generator} */
const jobs = new Map();
/** {tau, alpha} of the last selected τ: the warm start of the next one (ignored by the core
 * when the number of points differs). */
let lastSelected = null;

/** Imports and instantiates the bindings (a new module instance after a panic). */
async function load() {
  const href = inline ? inline.url() : new URL(instance === 0 ? PKG : `${PKG}?instance=${instance}`, import.meta.url).href;
  instance += 1;
  const module = await import(href);
  const bytes = inline ? inline.wasm : instance === 1 ? firstBytes : undefined;
  await module.default(bytes ? { module_or_path: bytes } : undefined);
  wasm = module;
}

// --- replies --------------------------------------------------------------------------------

/** Posts `msg`, transferring the buffers of its typed arrays (one level of nesting deep). */
function post(msg) {
  const transfer = [];
  const collect = (obj) => {
    for (const v of Object.values(obj)) {
      if (ArrayBuffer.isView(v)) transfer.push(v.buffer);
      else if (v && typeof v === 'object' && !Array.isArray(v)) collect(v);
    }
  };
  collect(msg);
  self.postMessage(msg, transfer);
}

/** The one-line message of anything thrown by the bindings; a panic's recorded message. */
function messageOf(err) {
  if (err instanceof WebAssembly.RuntimeError) {
    let recorded;
    try {
      recorded = wasm && wasm.takePanic();
    } catch {
      recorded = undefined;
    }
    reload();
    return recorded || `internal error in the solver: ${err.message}`;
  }
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Loads a fresh module instance; requests wait for it. Running jobs hold objects of the old
 * instance, so they are dropped. */
function reload() {
  for (const job of jobs.values()) stop(job);
  jobs.clear();
  exactSession = null; // an object of the old instance
  loading = load();
  loading.catch(() => {}); // reported to each request that waits for it
}

// --- the scheduler ----------------------------------------------------------------------------

const channel = new MessageChannel();
let tickPending = false;
let turn = 0;
channel.port1.onmessage = tick;

function schedule() {
  if (!tickPending && jobs.size > 0) {
    tickPending = true;
    channel.port2.postMessage(null);
  }
}

/** Runs one unit of one job (round robin over the busy slots). */
function tick() {
  tickPending = false;
  const all = [...jobs.values()];
  if (all.length === 0) return;
  const job = all[turn++ % all.length];
  let finished;
  try {
    finished = job.steps.next().done;
  } catch (err) {
    finished = true;
    post({ type: 'error', id: job.id, message: messageOf(err) });
  }
  if (finished && jobs.get(job.kind) === job) jobs.delete(job.kind);
  schedule();
}

/** Starts `steps` in the slot `kind`, replacing (stopping) the job there. */
function start(kind, id, steps) {
  const old = jobs.get(kind);
  if (old) stop(old);
  jobs.set(kind, { id, kind, steps });
  schedule();
}

/** Stops a job: its generator's `finally` blocks free its WASM objects. */
function stop(job) {
  try {
    job.steps.return();
  } catch {
    // A job of an instance that panicked may fail to free: that instance is dropped anyway.
  }
}

// --- jobs -----------------------------------------------------------------------------------

/** With `config.target` ({text, lo, hi}: the lab's ground truth), `obj` (a report, a limit,
 * a gradient-descent run: anything with a fit) gets its `testError`, the core's RMS of
 * f − g over the grid within [lo, hi]. Returns `obj`. */
function tested(config, obj) {
  const t = config.target;
  if (t && obj && obj.fit) obj.testError = wasm.testError(t.text, t.lo, t.hi, obj.fit.x, obj.fit.y);
  return obj;
}

/** The scaling path: init, the selected τ (warm-started from `config.warmStart` ({tau, alpha})
 * or this worker's last one), the limits, then every τ from the largest down (of `config.part`
 * only, when given), then done. With `config.pathOnly` (a second worker's share of a split
 * path) just the τ's, warm-started from `config.warmStart`, and done. */
function* solveJob(id, config) {
  const started = performance.now();
  const session = new wasm.PathSession(config);
  try {
    session.setBudget(TAU_BUDGET_S);
    if (config.pathOnly) {
      if (config.warmStart) session.seed(config.warmStart.tau, Float64Array.from(config.warmStart.alpha));
      yield* steps(id, session, config);
      post({ type: 'done', id, elapsedMs: performance.now() - started });
      return;
    }
    // With config.part 'auto' the core chose whether and where to split the path: this worker
    // solves its lower part (and the middle), the page sends the upper part to the other.
    const split = session.split();
    const lower = config.part === 'lower' || split !== undefined;
    const splitTau = split ? split.splitTau : config.splitTau;
    post({ type: 'init', id, init: session.init(), split: split ? { splitTau: split.splitTau ?? null } : null });
    yield;
    // Many points: the first look alone can take seconds, and the two ends of the path cost
    // milliseconds (docs/SOLVER.md, "Measured choices"); they come first, so that the fit's
    // view is never empty while the selected τ is solved.
    const limitsFirst = !config.selectedOnly && config.x.length > LIMITS_FIRST_ABOVE;
    if (limitsFirst) {
      postLimits(id, config, session, undefined);
      yield;
    }
    // The page's seed (the fit on its screen, which the other worker may have solved), else
    // this worker's last selected τ, else the preview's (when one is run), else a cold start.
    let start = config.warmStart ? { tau: config.warmStart.tau, alpha: Float64Array.from(config.warmStart.alpha) } : lastSelected;
    if (!start) {
      preview(id, config);
      start = lastSelected;
      yield;
    }
    const selected = start ? session.solveSelected(start.tau, start.alpha) : session.solveSelected(undefined, undefined);
    // A copy: the report's arrays are transferred with it. Never mutated, so shared.
    const seed = { tau: selected.tau, alpha: selected.alpha.slice() };
    lastSelected = seed;
    // The lower part of a split path walks down from the selected τ, not from the kernel end.
    if (lower) session.seed(seed.tau, seed.alpha);
    // The grid, for the ground truth (before the report's arrays are transferred with it).
    const grid = selected.fit.x.slice();
    post({ type: 'selected', id, report: tested(config, selected) });
    yield;
    if (!limitsFirst || config.target) postLimits(id, config, session, grid);
    if (config.selectedOnly) {
      // While a point is dragged the page wants the selected τ only; the path follows on release.
      post({ type: 'done', id, elapsedMs: performance.now() - started, partial: true });
      return;
    }
    yield* steps(id, session, config);
    // A split path whose upper part begins above the selected τ (config.splitTau): this worker
    // also solves the τ's from the selected one up to it, walking up from the selected α.
    if (lower && splitTau != null) yield* middleSteps(id, { ...config, splitTau }, seed);
    post({ type: 'done', id, elapsedMs: performance.now() - started });
  } finally {
    free(session);
  }
}

/** Seconds each τ may take (its warm-up included) before it is reported as it stands, not
 * certified and with `budgetExhausted` (PROTOCOL.md): whatever the data, the path moves on and
 * every τ gets a report. A τ of 10 to 30 well-spread points takes well under a second here;
 * 30 points with nearly coincident abscissas take 5 to 40 s each (measured natively: 8 s for one
 * τ on 256 directions, 23 s, uncertified, on 4 096). */
const TAU_BUDGET_S = 4;

/** Seconds of the first look (see `preview`): what the page shows before the real solve. */
const PREVIEW_BUDGET_S = 0.5;

/** Above this many data points the limits are posted before the selected τ is solved (see
 * `solveJob`): there a first look can take seconds, the limits milliseconds (measured:
 * docs/SOLVER.md, "Measured choices"). */
const LIMITS_FIRST_ABOVE = 12;

/** Posts a `limits` reply: the kernel and rich limits of `session` (computed once), each with
 * its test error, and the ground truth on `grid` when the page gave one and `grid` is known. */
function postLimits(id, config, session, grid) {
  const { kernel, rich } = session.limits();
  const target = config.target && grid ? { fit: { x: grid, y: wasm.targetCurve(config.target.text, grid) } } : undefined;
  post({ type: 'limits', id, kernel: tested(config, kernel), rich: tested(config, rich), target });
}

/** The middle part of a split path (config.part 'middle'), seeded with the selected τ's α. */
function* middleSteps(id, config, seed) {
  const middle = new wasm.PathSession({ ...config, part: 'middle' });
  try {
    middle.setBudget(TAU_BUDGET_S);
    middle.seed(seed.tau, seed.alpha);
    yield* steps(id, middle, config);
  } finally {
    free(middle);
  }
}

/** Every τ of `session`, one per unit of work, each posted as a `tau` reply. */
function* steps(id, session, config) {
  const total = session.len();
  for (let index = 0; index < total; index++) {
    yield;
    const report = session.step();
    if (report === undefined) break;
    post({ type: 'tau', id, index, total, report: tested(config, report) });
  }
}

/** Directions of the quick first look (see `preview`): the fastest first fit among those
 * measured that is still close to the real one (docs/SOLVER.md, "Measured choices"). */
const PREVIEW_DIRECTIONS = 256;

/** With nothing to warm-start from (the first solve of a page), the selected τ is solved first
 * on a coarse quadrature of PREVIEW_DIRECTIONS directions and posted as a `selected` reply with
 * `preview: true`, `directions` and the coarse rule's `weights` (its rows' sources are that
 * rule's; its certificate is that of the coarse problem); its α then warm-starts the real
 * selected τ, which replaces it. A cold start walks down from the kernel end, and the first
 * calls run in the engine's baseline WebAssembly code: this is most of the first fit's time.
 * The preview leaves out the distances to the limits: computing the limits (the rich one an LP)
 * there also sets off optimizing compilation that competes for the cores. */
function preview(id, config) {
  const directions = config.directions == null ? 4096 : config.directions;
  if (config.width != null || directions <= 2 * PREVIEW_DIRECTIONS) return;
  const coarse = new wasm.PathSession({ ...config, directions: PREVIEW_DIRECTIONS, tauCount: 1, tauMin: config.tau, tauMax: config.tau, part: null });
  try {
    coarse.setBudget(PREVIEW_BUDGET_S);
    const report = coarse.previewSelected();
    // A first look cut short by its budget is a poor warm start (measured on 30 clicked-like
    // points: the path took 15.8 s seeded from it, 5.9 s from a cold start).
    if (report.certified) lastSelected = { tau: report.tau, alpha: report.alpha.slice() };
    const rule = coarse.init();
    post({ type: 'selected', id, report: { ...report, preview: true, directions: rule.count, weights: rule.weights } });
  } finally {
    free(coarse);
  }
}

/** Work per unit of a gradient-descent job, and between two progress replies (ms). */
const GD_UNIT_MS = 25;
const GD_PROGRESS_MS = 100;

/** Gradient descent at config.tau: step budgets sized to about GD_UNIT_MS each, progress about
 * every GD_PROGRESS_MS, then the final run. */
function* gdJob(id, config) {
  const session = new wasm.GdSession(config);
  try {
    let chunk = 16;
    let reported = performance.now();
    while (!session.finished()) {
      const t0 = performance.now();
      session.advance(chunk);
      const now = performance.now();
      // Steer the chunk towards GD_UNIT_MS of work, growing at most 4x per unit.
      chunk = Math.max(1, Math.min(4 * chunk, Math.round((chunk * GD_UNIT_MS) / Math.max(now - t0, 0.5))));
      if (now - reported >= GD_PROGRESS_MS) {
        post({ type: 'gd-progress', id, step: session.steps(), loss: session.loss() });
        reported = now;
      }
      yield;
    }
    post({ type: 'gd-done', id, run: tested(config, session.run()) });
  } finally {
    free(session);
  }
}

/** Frames of a recorded gradient-descent run (see `traceJob`). */
const TRACE_FRAMES = 120;

/** Gradient descent at config.tau recorded for playback: the state after step 0 and after
 * steps spaced geometrically up to the run's end (the early steps, where the rich regime's
 * neurons align, get as many frames as the long tail), each frame the network's fit on the
 * grid, its neurons and its loss. The run is the same as `gd`'s (same session, same steps),
 * so its last frame is gd's final state. Replies `gd-trace` with flat Float64Arrays. */
function* traceJob(id, config) {
  const session = new wasm.GdSession(config);
  try {
    const max = config.maxSteps ?? 1e6;
    const steps = [], loss = [], fits = [], neurons = [];
    let fitX = null;
    const record = () => {
      const r = session.run();
      fitX = fitX ?? r.fit.x;
      steps.push(r.steps); loss.push(r.loss); fits.push(r.fit.y); neurons.push(r.neurons);
      return r;
    };
    let last = record();
    for (let k = 1; !session.finished(); k++) {
      const to = Math.max(last.steps + 1, Math.round(Math.pow(max, k / (TRACE_FRAMES - 1))));
      session.advance(to - session.steps());
      last = record();
      post({ type: 'gd-progress', id, step: session.steps(), loss: session.loss() });
      yield;
    }
    const flat = (arrays) => { const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0)); let o = 0; for (const a of arrays) { out.set(a, o); o += a.length; } return out; };
    post({ type: 'gd-trace', id, trace: { tau: last.tau, status: last.status, stallReason: last.stallReason, frames: steps.length,
      steps: Float64Array.from(steps), loss: Float64Array.from(loss), fitX, fits: flat(fits), neurons: flat(neurons) } });
  } finally {
    free(session);
  }
}

/** The infinite-width problem of the last `exact` request's config (data and options, τ and α
 * aside), kept for the next: {key, session}. */
let exactSession = null;

/** The infinite-width problem solved as such at `config.tau`, started from `config.alpha` (the
 * discretized path's α there): one unit of work, then an `exact` reply with its report and the
 * check of the starting α (how far its network misses the data at infinite width). */
function* exactJob(id, config) {
  const { tau, alpha, ...rest } = config;
  const key = JSON.stringify({ ...rest, tau: 0 });
  if (!exactSession || exactSession.key !== key) {
    if (exactSession) free(exactSession.session);
    exactSession = null;
    exactSession = { key, session: new wasm.ExactSession(rest) };
  }
  yield;
  const start = Float64Array.from(alpha);
  const check = exactSession.session.check(tau, start);
  post({ type: 'exact', id, report: tested(config, exactSession.session.solve(tau, start)), check });
}

/** Frees a WASM object; after a panic its instance may refuse (it is dropped anyway). */
function free(obj) {
  try {
    obj.free();
  } catch {
    // ignored: see above
  }
}

// --- requests -------------------------------------------------------------------------------

const requests = {
  solve: (msg) => start('path', msg.id, solveJob(msg.id, msg.config)),
  cancel: (msg) => {
    for (const job of [...jobs.values()]) {
      if (msg.id == null || job.id === msg.id) {
        stop(job);
        jobs.delete(job.kind);
      }
    }
  },
  gd: (msg) => start('gd', msg.id, gdJob(msg.id, msg.config)),
  'gd-trace': (msg) => start('gd', msg.id, traceJob(msg.id, msg.config)),
  exact: (msg) => start('exact', msg.id, exactJob(msg.id, msg.config)),
  // Points drawn from a ground truth, and the ground truth on the grid: at once (no job).
  target: (msg) => post({ type: 'target', id: msg.id, sample: wasm.sampleTarget(msg.config) }),
};

function dispatch(msg) {
  const handler = msg && requests[msg.type];
  if (!handler) {
    post({ type: 'error', id: msg && msg.id, message: `unknown request type '${msg && msg.type}'` });
    return;
  }
  try {
    handler(msg);
  } catch (err) {
    post({ type: 'error', id: msg.id, message: messageOf(err) });
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  inbox = inbox.then(async () => {
    try {
      await loading;
    } catch (err) {
      post({ type: 'error', id: msg && msg.id, message: `the solver (WebAssembly) could not be loaded: ${messageOf(err)}` });
      return;
    }
    dispatch(msg);
  });
};

// Requests that reached a classic bootstrap (js/env.js for a lab on another origin, the single
// file) before this module ran: taken now, in order, before any later one.
for (const event of self.scalingPathEarlyMessages || []) self.onmessage(event);
delete self.scalingPathEarlyMessages;

loading.then(
  () => post({ type: 'ready', version: wasm.version() }),
  (err) => post({ type: 'error', id: null, message: `the solver (WebAssembly) could not be loaded: ${messageOf(err)}` }),
);
