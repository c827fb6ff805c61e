// The plane's module worker: the scaling path and gradient descent for inputs in the plane over
// the plane's WASM bindings (src/bindings/plane.rs, built by scripts/build-wasm.sh into
// ./pkg-plane). The page (js/plane/plane-client.js) never touches WASM. Protocol (www/PROTOCOL.md,
// "The plane's worker"):
//
//   page → worker  {type: 'path', id, config}    the path, one τ per task (two chains, each down)
//                  {type: 'gd', id, config}      gradient descent at config.tau, by step budgets
//                  {type: 'transport', id, lo, hi}  the transport table of the finished path id
//                  {type: 'cancel', id}
//   worker → page  {type: 'ready'}
//                  {type: 'init', id, init}      the initial measure of a path
//                  {type: 'limit', id, kernelLimit, richLimit, distances}  its limits τ → ∞ and τ → 0
//                  {type: 'tau', id, report, done, total}
//                  {type: 'gd-progress', id, steps, loss}
//                  {type: 'gd-done', id, run}
//                  {type: 'done', id}            a path is complete
//                  {type: 'transport', id, table}  the table (the CLI's `transport` JSON)
//                  {type: 'error', id, message}
//
// A newer request of a kind replaces the running one of that kind within one unit of work. A
// panic inside WASM becomes an `error` reply and a fresh instance is loaded for the next request.

const PKG = './pkg-plane/scaling_path_plane.js';
/** The single-file build prepends `self.scalingPathInline = {url(), wasm}` (as for worker.js). */
const inline = self.scalingPathInline;
/** Steps of gradient descent per unit of work. */
const GD_CHUNK = 2000;

let wasm = null;
let instance = 0;
let loading = load();
/** kind → {id, steps: Generator} */
const jobs = new Map();
let scheduled = false;

async function load() {
  const href = inline ? inline.url() : new URL(instance === 0 ? PKG : `${PKG}?instance=${instance}`, import.meta.url).href;
  instance += 1;
  const module = await import(href);
  await module.default(inline ? { module_or_path: inline.wasm } : undefined);
  wasm = module;
}

function post(msg) {
  const transfer = [];
  const collect = (obj) => {
    for (const v of Object.values(obj)) {
      if (ArrayBuffer.isView(v)) { if (!transfer.includes(v.buffer)) transfer.push(v.buffer); } else if (v && typeof v === 'object') collect(v);
    }
  };
  collect(msg);
  self.postMessage(msg, transfer);
}

function messageOf(err) {
  if (err instanceof WebAssembly.RuntimeError) {
    const panic = wasm && wasm.takePanic ? wasm.takePanic() : undefined;
    loading = load();
    return panic || `internal error: ${err.message}`;
  }
  return err && err.message ? err.message : String(err);
}

/** The last complete path's session, kept for its transport table ({id, session}). */
let finished = null;

function* pathJob(id, config) {
  const session = new wasm.PlanePathSession(config);
  let complete = false;
  try {
    post({ type: 'init', id, init: session.init() });
    const total = session.len();
    for (let done = 1; ; done++) {
      yield;
      const report = session.step();
      if (report === undefined) break;
      post({ type: 'tau', id, report, done, total });
      if (done === 1) {
        // The kernel limit after the first map, not before it.
        yield;
        post({ type: 'limit', id, ...session.limits() });
      }
    }
    post({ type: 'done', id });
    if (finished) finished.session.free();
    finished = { id, session };
    complete = true;
  } finally {
    if (!complete) session.free();
  }
}

/** The transport table of the finished path `id` (one unit of work). */
function* transportJob(id, lo, hi) {
  yield;
  if (!finished || finished.id !== id) throw new Error('the transport table needs the whole path: wait for it to finish');
  post({ type: 'transport', id, table: finished.session.transportTable(lo, hi) });
}

function* gdJob(id, config) {
  const session = new wasm.PlaneGdSession(config);
  try {
    while (!session.finished()) {
      yield;
      session.advance(GD_CHUNK);
      post({ type: 'gd-progress', id, steps: session.steps(), loss: session.loss() });
    }
    post({ type: 'gd-done', id, run: session.run() });
  } finally {
    session.free();
  }
}

/** Runs one unit of each live job, then yields to the event loop (so that new requests arrive). */
function schedule() {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    for (const [kind, job] of [...jobs]) {
      try {
        if (job.steps.next().done) jobs.delete(kind);
      } catch (err) {
        jobs.delete(kind);
        post({ type: 'error', id: job.id, kind, message: messageOf(err) });
      }
    }
    if (jobs.size) schedule();
  }, 0);
}

async function receive(e) {
  const msg = e.data || {};
  try {
    await loading;
  } catch (err) {
    post({ type: 'error', id: msg.id ?? null, message: `the plane's solver could not be loaded: ${err && err.message}` });
    return;
  }
  if (msg.type === 'cancel') {
    for (const [kind, job] of jobs) if (job.id === msg.id) { job.steps.return(); jobs.delete(kind); }
    return;
  }
  if (msg.type !== 'path' && msg.type !== 'gd' && msg.type !== 'transport') {
    post({ type: 'error', id: msg.id ?? null, message: `unknown request '${String(msg.type).slice(0, 40)}'` });
    return;
  }
  const old = jobs.get(msg.type);
  if (old) old.steps.return();
  try {
    const steps = msg.type === 'path' ? pathJob(msg.id, msg.config) : msg.type === 'gd' ? gdJob(msg.id, msg.config) : transportJob(msg.id, msg.lo, msg.hi);
    steps.next(); // validates the config (the constructor runs up to the first yield)
    jobs.set(msg.type, { id: msg.id, steps });
    schedule();
  } catch (err) {
    jobs.delete(msg.type);
    post({ type: 'error', id: msg.id, kind: msg.type, message: messageOf(err) });
  }
}

let inbox = Promise.resolve();
self.onmessage = (e) => { inbox = inbox.then(() => receive(e)); };
for (const e of self.scalingPathEarlyMessages || []) self.onmessage(e);
loading.then(() => post({ type: 'ready' }), (err) => post({ type: 'error', id: null, message: `the plane's solver could not be loaded: ${err && err.message}` }));
