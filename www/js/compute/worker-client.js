// The page's side of www/PROTOCOL.md: one module worker, increasing request ids, replies routed
// by id. A reply whose id is not the current one for its kind (path or gd) is stale and dropped
// (the run-generation counter of STYLE §8). Requests go out at once, also before the worker's
// `ready`: the worker holds them until its WebAssembly is loaded, then takes them in order (a
// newer solve replaces an older one before it starts) — waiting for `ready` to reach a busy
// page and come back would delay the first fit. A worker started before the page listened
// (js/boot.js) comes with what it said meanwhile (`worker.scalingPathEarly`: its replies and a
// start-up error), taken here first, in order.

export class WorkerClient {
  /**
   * handlers: {ready(version, capabilities), path(msg), gd(msg), target(msg), exact(msg), error(message, kind), crash(message)};
   * createWorker(): a new module Worker (each instance of the lab owns one).
   */
  constructor(handlers, createWorker) {
    this.h = handlers;
    this.nextId = 1;
    this.pathId = 0;
    this.gdId = 0;
    this.targetId = 0;
    this.exactId = 0;
    this.ready = false;
    this.worker = createWorker();
    this.worker.onmessage = (e) => this.#receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.h.crash(`the solver worker failed to start: ${e.message || 'unknown error'}`);
    };
    this.worker.onmessageerror = () => this.h.crash('a message from the solver worker could not be read');
    // A worker started before the page listened (js/boot.js) kept what it said meanwhile.
    const early = this.worker.scalingPathEarly;
    if (early) {
      delete this.worker.scalingPathEarly;
      for (const msg of early.messages) this.#receive(msg);
      if (early.error !== null) this.h.crash(`the solver worker failed to start: ${early.error}`);
    }
  }

  /** Starts a scaling path; supersedes any running one. Returns its id. */
  solve(config) {
    this.pathId = this.nextId++;
    this.#post({ type: 'solve', id: this.pathId, config });
    return this.pathId;
  }

  /** Gradient descent at config.tau. Returns its id. */
  gd(config) {
    this.gdId = this.nextId++;
    this.#post({ type: 'gd', id: this.gdId, config });
    return this.gdId;
  }

  /** Gradient descent at config.tau recorded for playback (a `gd-trace` reply); it takes the
   * gd slot (supersedes a running gd). Returns its id. */
  gdTrace(config) {
    this.gdId = this.nextId++;
    this.#post({ type: 'gd-trace', id: this.gdId, config });
    return this.gdId;
  }

  /** Points drawn from a ground truth ({target, points, noise, seed, range, grid}). Returns its id. */
  target(config) {
    this.targetId = this.nextId++;
    this.#post({ type: 'target', id: this.targetId, config });
    return this.targetId;
  }

  /** The infinite-width problem solved as such at config.tau from config.alpha (an `exact`
   * reply); supersedes a running one. Returns its id. */
  exact(config) {
    this.exactId = this.nextId++;
    this.#post({ type: 'exact', id: this.exactId, config });
    return this.exactId;
  }

  /** Stops the running path (a part of a split path that was superseded). */
  cancelPath() {
    if (this.pathId) this.#post({ type: 'cancel', id: this.pathId });
    this.pathId = 0;
  }

  cancelGd() {
    if (this.gdId) this.#post({ type: 'cancel', id: this.gdId });
    this.gdId = 0;
  }

  /** Stops the worker for good (the instance is destroyed). */
  terminate() {
    this.worker.terminate();
    this.ready = false;
    this.pathId = this.gdId = 0;
  }

  #post(msg) {
    this.worker.postMessage(msg);
  }

  #receive(msg) {
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
    if (msg.type === 'ready') {
      this.ready = true;
      // PROTOCOL.md's ready carries {version}; a worker that also lists what it can do
      // ({capabilities: {gd, limits}}) is believed, otherwise the page learns it from the replies.
      this.h.ready(String(msg.version ?? ''), msg.capabilities && typeof msg.capabilities === 'object' ? msg.capabilities : null);
      return;
    }
    if (msg.type === 'target') { if (msg.id === this.targetId) this.h.target?.(msg); return; }
    if (msg.type === 'exact') { if (msg.id === this.exactId) this.h.exact?.(msg); return; }
    const kind = msg.type.startsWith('gd') ? 'gd' : 'path';
    if (msg.type === 'error') {
      if (msg.id === this.pathId) this.h.error(msg.message, 'path');
      else if (msg.id === this.gdId) this.h.error(msg.message, 'gd');
      else if (msg.id === this.targetId) this.h.error(msg.message, 'target');
      else if (msg.id === this.exactId) this.h.error(msg.message, 'exact');
      else if (msg.id == null) this.h.error(msg.message, 'worker');
      return;
    }
    if (kind === 'gd' ? msg.id !== this.gdId : msg.id !== this.pathId) return;
    if (kind === 'gd') this.h.gd(msg); else this.h.path(msg);
  }
}
