// One lab instance: its elements, state, worker, path and views — nothing global, so several
// live side by side (mount() in js/lab.js, the page in js/main.js). Wiring: the state → solves in
// the worker (lab-compute.js) → the path store → the views, drawn only in requestAnimationFrame.
import { Store, fromHash, toHash } from '../state/state.js';
import { FitView } from '../views/fit.js';
import { Scrubber } from '../views/scrubber.js';
import { NeuronsView } from '../views/neurons.js';
import { CurvesView } from '../views/curves.js';
import { TestErrorView } from '../views/test-error.js';
import { GdChart, GdPlayback } from '../views/gd-player.js';
import { Editor } from '../ui/editor.js';
import { Controls } from '../ui/controls.js';
import { Messages, applyTheme, copyLink, nextTheme, onSystemTheme } from './chrome.js';
import { buildLab } from '../ui/markup.js';
import { exportBlob, download } from '../export/export.js';
import { readouts } from '../views/readouts.js';
import { LIMITS } from '../state/validate.js';
import { Computation } from '../compute/lab-compute.js';
import { FrameProbe } from './probe.js';
import { SCENES, nextScene } from './scenes.js';
import { gridFor } from '../state/presets.js';
import { PLANE_DEFAULTS, planeToHash } from '../plane/plane-state.js';

const VIEWS = ['fit', 'scrubber', 'neurons', 'curves'];
/** Least time between two redraws for the progress of a path (ms): ten a second. */
const PROGRESS_FRAME_MS = 100;
/**
 * How long after its start the lab leaves the neurons and curves views undrawn while it has no
 * path to show (ms): they are drawn with the first fit, or with their "waiting" messages after
 * this. Drawing them empty at the start costs the main thread a frame's canvas work while the
 * worker is starting (measured: docs/SOLVER.md, "Measured choices").
 */
const EMPTY_VIEWS_MS = 500;

let instances = 0;

export class LabApp {
  /**
   * cfg (already validated): {state, messages: [text], layout: 'full'|'compact', views: Set,
   * controls: Set, editable, fill, ownsDocument (the page: URL hash and <html> theme), idPrefix,
   * shadow, stylesheet (URL or null), createWorker(), fullLab (URL), emit(type, detail)}.
   */
  constructor(host, cfg) {
    this.cfg = cfg;
    this.emit = cfg.emit || (() => {});
    this.cleanups = [];
    const { root, $ } = buildLab({ idPrefix: cfg.idPrefix ?? `spl${++instances}-`, layout: cfg.layout });
    this.root = root; this.$ = $;
    root.classList.toggle('fill', !!cfg.fill);
    this.#attach(host);

    this.store = new Store(cfg.state);
    this.messages = new Messages({ box: $('messages'), list: $('message-list'), dismiss: $('dismiss') }, (message) => this.emit('error', { message }));
    this.app = { state: this.store.get(), path: null, theme: null, dataRev: 0, dragging: false,
      focusIndex: -1, failed: false, gdRun: null, gdPoints: [], gdRuns: [] };
    this.#applyTheme();
    this.cleanups.push(onSystemTheme(() => { this.#applyTheme(); this.invalidate(); }));
    this.playing = false; this.lastPlay = 0; this.frames = 0; this.queued = 0; this.progressTimer = 0; this.lastFrame = -Infinity;
    /** The frames' timings, for the benchmark and the tests (probe.js). */
    this.probe = new FrameProbe();
    /** view → what it was last drawn from (#draw); how many times a view was drawn */
    this.drawnInputs = new Map(); this.draws = 0;
    this.emptyViewsWait = true;
    this.emptyViewsTimer = setTimeout(() => { this.emptyViewsWait = false; this.invalidate(); }, EMPTY_VIEWS_MS);
    this.hashTimer = 0; this.writtenHash = '';
    this.compute = new Computation({ state: () => this.store.get(), dragging: () => this.app.dragging,
      animating: () => this.playing || !!(this.app.gdPlayback && this.app.gdPlayback.playing) }, cfg.createWorker, this.#listeners());
    // The path, the GD runs and the worker client, for the views, readouts, exports and tests.
    this.path = this.compute.path; this.gd = this.compute.gd; this.client = this.compute.client;
    this.app.path = this.path;
    /** The selected τ of infinite width solved as such (a report, {refused}, or null). */
    this.app.exactAt = (s) => this.compute.exactAt(s);
    /** The path's τ's solved as infinite width itself so far (for the certificate against τ). */
    this.app.exactSeries = () => this.compute.exactSeries();
    this.app.widthCheckAt = (tau) => this.compute.widthCheckAt(tau);

    this.#views();
    this.controls = new Controls({ store: this.store, error: (message) => this.emit('error', { message }), clearMessages: () => this.messages.clear(),
      // The lab's own page switches to the plane's lab for 2-D data (main.js reloads on the hash).
      toPlane: cfg.ownsDocument ? (data) => { location.hash = planeToHash({ ...PLANE_DEFAULTS, data }).slice(1); } : null,
      sampleTarget: (spec) => this.compute.sampleTarget(spec, this.store.get()) }, $);
    this.#wire();
    this.layout(cfg.views, cfg.controls);
    for (const m of cfg.messages || []) this.show(m);

    this.resize = new ResizeObserver(() => this.invalidate());
    this.resize.observe(root);
    this.controls.render(this.store.get());
    this.#gdUi();
    this.#writeHash();
    this.invalidate();
  }

  /** Puts the root in the host (in a shadow root when cfg.shadow), with the stylesheet. */
  #attach(host) {
    const { cfg, root } = this;
    let parent = host;
    if (cfg.shadow) {
      parent = host.shadowRoot || host.attachShadow({ mode: 'open' });
      if (parent.childNodes.length) throw new Error('mount: this element already holds a lab; destroy() that one first');
      this.shadow = parent;
    }
    if (cfg.stylesheet) {
      const shared = !cfg.shadow && document.head.querySelector('link[data-scaling-path-lab]');
      const link = shared || document.createElement('link');
      if (!shared) {
        link.rel = 'stylesheet'; link.href = cfg.stylesheet; link.dataset.scalingPathLab = '';
        (cfg.shadow ? parent : document.head).append(link);
      }
      if (!link.sheet) {
        // No unstyled flash: shown once the sheet is in (or failed: then unstyled but usable).
        root.style.visibility = 'hidden';
        const shown = () => { root.style.visibility = ''; this.invalidate(); };
        link.addEventListener('load', shown, { once: true });
        link.addEventListener('error', shown, { once: true });
      }
    }
    parent.append(root);
  }

  #views() {
    const { $, app, store } = this;
    this.fitView = new FitView($('fit-canvas'));
    this.neurons = new NeuronsView($('neurons-canvas'));
    this.curves = new CurvesView($('curves-top'), $('curves-bottom'));
    this.testErrors = new TestErrorView($('curves-test'));
    this.gdChart = new GdChart($('gd-chart'));
    this.scrubber = new Scrubber($('scrubber'), {
      tau: (t) => store.set({ tau: t }, 'ui'), togglePlay: () => this.setPlaying(!this.playing), stop: () => this.setPlaying(false),
    });
    $('play').addEventListener('click', () => this.setPlaying(!this.playing));
    if (this.cfg.editable) {
      this.editor = new Editor($('fit-canvas'), $('handles'), this.fitView, {
        data: () => store.get().data,
        set: (data, dragging) => {
          app.dragging = dragging;
          const problem = store.set({ data }, 'ui');
          if (problem) this.show(problem); else if (!dragging) this.messages.clear();
          this.invalidate();
        },
        message: (t) => this.show(t),
        focus: (i) => { app.focusIndex = i; this.invalidate(); },
      });
    } else {
      $('fit-canvas').classList.add('readonly');
    }
  }

  #applyTheme() {
    this.app.theme = applyTheme(this.store.get().theme, this.root, this.$('theme-toggle'), this.cfg.ownsDocument);
  }

  // --- state changes -----------------------------------------------------------------------

  #writeHash() {
    clearTimeout(this.hashTimer); this.hashTimer = 0;
    const hash = toHash(this.store.get());
    if (this.cfg.ownsDocument) {
      this.writtenHash = hash;
      if (location.hash !== hash) history.replaceState(null, '', hash);
    }
    const link = this.$('full-link');
    if (link) link.href = this.fullLabUrl();
  }

  #wire() {
    const { store, $ } = this;
    store.subscribe((s, changed, source) => {
      this.app.state = s;
      if (changed.has('data')) { this.app.dataRev++; this.controls.dataChanged(); }
      this.compute.changed(s, changed);
      if (changed.has('theme')) this.#applyTheme();
      if (source !== 'hash' && !this.hashTimer) this.hashTimer = setTimeout(() => this.#writeHash(), 250);
      this.controls.render(s);
      this.emit('change', { changed: [...changed], source });
      this.invalidate();
    });
    if (this.cfg.ownsDocument) {
      const onHash = () => {
        if (location.hash === this.writtenHash) return;
        const r = fromHash(location.hash, store.get());
        this.messages.clear();
        for (const e of r.errors) this.show(e);
        const problem = store.set(r.state, 'hash');
        if (problem) this.show(problem);
        this.controls.reset(store.get());
        this.#writeHash(); // the whole state, so that the link in the address bar is complete again
      };
      window.addEventListener('hashchange', onHash);
      this.cleanups.push(() => window.removeEventListener('hashchange', onHash));
    }
    $('theme-toggle').addEventListener('click', () => store.set({ theme: nextTheme(store.get().theme) }, 'ui'));
    $('copy-link')?.addEventListener('click', async () => {
      this.#writeHash();
      $('copy-status').textContent = await copyLink(this.cfg.ownsDocument ? location.href : this.fullLabUrl(), $('copy-fallback'));
    });
    $('add-point').addEventListener('click', () => this.#addPoint());
    $('scene-next').addEventListener('click', () => this.nextScene());
    this.#wirePlayer();
    const menu = $('exports');
    menu.addEventListener('click', (e) => {
      const kind = e.target.closest('[data-export]')?.dataset.export;
      if (!kind) return;
      menu.open = false;
      this.download(kind).catch((err) => this.show(`download failed: ${err.message}`));
    });
    menu.addEventListener('keydown', (e) => { if (e.key === 'Escape' && menu.open) { menu.open = false; menu.querySelector('summary').focus(); } });
    const outside = (e) => { if (menu.open && !e.composedPath().includes(menu)) menu.open = false; };
    document.addEventListener('pointerdown', outside);
    this.cleanups.push(() => document.removeEventListener('pointerdown', outside));
  }

  /** The gradient-descent player: "Watch it train" records the run at the selected τ (the
   * worker's gd-trace), then play, pause, step, scrub, speed and "Done". */
  #wirePlayer() {
    const { $ } = this;
    $('gd-watch').addEventListener('click', () => { $('gd-watch').disabled = true; this.compute.traceGd(); });
    $('gd-pause').addEventListener('click', () => {
      const p = this.app.gdPlayback;
      if (!p) return;
      if (!p.playing && p.frame === p.frames - 1) p.seek(0);
      p.playing = !p.playing;
      this.lastPlayerFrame = performance.now();
      this.#playerUi(); this.invalidate();
    });
    const step = (d) => { const p = this.app.gdPlayback; if (p) { p.playing = false; p.seek(p.frame + d); this.#playerUi(); this.invalidate(); } };
    $('gd-back').addEventListener('click', () => step(-1));
    $('gd-on').addEventListener('click', () => step(1));
    $('gd-frame').addEventListener('input', (e) => { const p = this.app.gdPlayback; if (p) { p.playing = false; p.seek(Number(e.target.value)); this.#playerUi(); this.invalidate(); } });
    $('gd-speed').addEventListener('change', (e) => { const p = this.app.gdPlayback; if (p) p.speed = Number(e.target.value); });
    $('gd-done').addEventListener('click', () => this.stopPlayback());
  }

  /** What the computation tells (lab-compute.js): the page's side of each event. They may come
   * while the computation is being built (a worker started with the page reports at once). */
  #listeners() {
    const { app } = this;
    return {
      redraw: (d) => (d && d.progress ? this.invalidateProgress() : this.invalidate()),
      message: (text) => this.show(text),
      failed: (on) => { app.failed = on; },
      api: ({ type, detail }) => this.emit(type, detail),
      version: (v) => { const el = this.$('solver-version'); if (el) el.textContent = `Solver ${v}.`; },
      exact: () => this.invalidate(),
      gd: () => {
        const c = this.compute;
        if (!c) return; // the constructor shows GD's state once the computation exists
        app.gdRun = c.gdRun; app.gdRuns = c.gdRuns; app.gdPoints = c.gdPoints;
        this.#gdUi();
      },
      target: (r) => (r.message ? this.controls.refuseTarget(r.message) : this.#targetSampled(r.spec, r.sample)),
      trace: (trace) => this.#traceArrived(trace),
    };
  }

  /** The GD status lines (in the settings and under the Fit), its progress bar and inputs. */
  #gdUi() {
    const g = this.compute.gdSummary(), { $ } = this;
    $('gd-status').textContent = g.text;
    $('gd-fit-status').textContent = g.text;
    $('gd-row').hidden = g.hidden;
    const bar = $('gd-progress');
    bar.max = g.max; bar.value = g.value; bar.title = g.title;
    for (const id of ['gd', 'gd-width', 'gd-seed', 'gd-steps']) $(id).disabled = g.disabled;
  }

  /** A recorded run arrived: it plays. */
  #traceArrived(trace) {
    const f = (tau) => { const y = this.path.fitAt(tau); return y ? Float64Array.from(y) : null; };
    this.app.gdPlayback = new GdPlayback(trace, f);
    this.app.gdPlayback.speed = Number(this.$('gd-speed').value);
    this.$('gd-player').hidden = false;
    this.$('gd-watch').disabled = false;
    this.lastPlayerFrame = performance.now();
    this.#playerUi();
    this.invalidate();
  }

  /** Leaves the playback: the views show GD's final state again. */
  stopPlayback() {
    this.app.gdPlayback = null;
    this.$('gd-player').hidden = true;
    this.$('gd-watch').disabled = false;
    this.invalidate();
  }

  #playerUi() {
    const p = this.app.gdPlayback, { $ } = this;
    if (!p) return;
    const slider = $('gd-frame');
    slider.max = String(p.frames - 1);
    slider.value = String(p.frame);
    $('gd-pause').textContent = p.playing ? '❚❚ Pause' : '▶ Play';
    $('gd-pause').setAttribute('aria-pressed', String(p.playing));
    const t = p.trace, d = p.distance[p.frame], loss = Number(t.loss[p.frame]);
    $('gd-frame-text').textContent = `step ${t.steps[p.frame]} of ${t.steps[p.frames - 1]} (frame ${p.frame + 1} of ${p.frames}), loss ${loss.toExponential(2)}${Number.isFinite(d) ? `, sup |GD − f_τ| ${d.toExponential(2)}` : ''}${p.frame === p.frames - 1 ? ` — final state: ${t.status}` : ''}`;
  }

  #addPoint() {
    const { store, path } = this, s = store.get(), xs = s.data.map((p) => p[0]).sort((a, b) => a - b);
    if (s.data.length >= LIMITS.points) { this.show(`at most ${LIMITS.points} points (the solver's limit): remove one first`); return; }
    let x = (s.gridMin + s.gridMax) / 2, gap = -1;
    for (let i = 0; i + 1 < xs.length; i++) if (xs[i + 1] - xs[i] > gap) { gap = xs[i + 1] - xs[i]; x = (xs[i] + xs[i + 1]) / 2; }
    const f = path.fitAt(s.tau), fx = path.fitX;
    const y = f && fx ? f[Math.round(((x - fx[0]) / (fx[fx.length - 1] - fx[0])) * (fx.length - 1))] : 0;
    const problem = store.set({ data: [...s.data, [Number(x.toPrecision(6)), Number(y.toPrecision(4))]] }, 'ui');
    if (problem) this.show(problem);
  }

  // --- public to js/lab.js and js/main.js ---------------------------------------------------

  /** Shows a message (as text) in the instance's alert area; also an `error` event. */
  show(text) { this.messages.show(text); }

  /** Applies a validated patch; null, or the message why the combination is refused (shown). */
  set(patch, source = 'api') {
    const problem = this.store.set(patch, source);
    if (problem) this.show(problem);
    else if (source === 'api') this.controls.reset(this.store.get());
    return problem;
  }

  /** Shows the chosen views and controls (compact layout; the full page shows everything). */
  layout(views, controls) {
    const all = this.cfg.layout !== 'compact';
    this.shown = Object.fromEntries(VIEWS.map((v) => [v, all || views.has(v)]));
    if (all) return;
    const on = (token) => { const [k, v] = token.split(':'); return k === 'view' ? views.has(v) : controls.has(v); };
    for (const el of this.root.querySelectorAll('[data-show]')) el.hidden = !el.dataset.show.split(' ').some(on);
    for (const fs of this.root.querySelectorAll('fieldset')) fs.hidden = !fs.querySelector('.field:not([hidden])');
    this.invalidate();
  }

  /**
   * The height (CSS px) the instance takes at its natural size: its compact layout's own canvas
   * heights, nothing cut, no scroller — measured with `fill` off for a moment (no frame is drawn
   * in between). An embedded lab reports it to its host page (js/main.js).
   */
  naturalHeight() {
    const { root } = this, fill = root.classList.contains('fill');
    if (fill) root.classList.remove('fill');
    const h = Math.ceil(root.getBoundingClientRect().height);
    if (fill) root.classList.add('fill');
    return h;
  }

  /**
   * Shows lesson scene `name` (scenes.js): its state over the current one, its caption, and a
   * "Next" to the scene after it in `chain` (kept from the last call when not given). With
   * `apply` false only the caption (the state stays). A scene with a ground truth draws its
   * points when `sample` says so (by default when its state is applied). cfg.onScene(name)
   * hears of it.
   */
  setScene(name, chain = this.sceneChain || [name], apply = true, sample = apply) {
    const scene = SCENES[name];
    if (!scene) return;
    this.scene = name; this.sceneChain = chain;
    if (apply) this.set(scene.state, 'api');
    if (sample && scene.sample) {
      const s = this.store.get();
      this.compute.sampleTarget({ target: s.target, points: s.targetPoints, noise: s.targetNoise, seed: s.targetSeed }, s);
    }
    const { $ } = this, next = nextScene(chain, name);
    $('scene').hidden = false;
    $('scene-title').textContent = scene.title;
    $('scene-caption').textContent = scene.caption;
    const button = $('scene-next');
    button.hidden = !next;
    if (next) { button.textContent = `Next: ${SCENES[next].title} →`; button.dataset.scene = next; }
    this.cfg.onScene?.(name);
  }

  /** Moves to the next scene of the chain, if there is one. */
  nextScene() {
    const next = this.scene && nextScene(this.sceneChain, this.scene);
    if (next) this.setScene(next);
  }

  /**
   * Points drawn from ground truth `spec` ({target, points, noise, seed}) arrived from the
   * solver (`sample`: {x, y}): they become the data, with the target and the range around them.
   */
  #targetSampled(spec, sample) {
    const data = Array.from(sample.x, (x, i) => [x, sample.y[i]]);
    const problem = this.store.set({ target: spec.target, targetPoints: spec.points, targetNoise: spec.noise, targetSeed: spec.seed,
      data, ...gridFor(data, this.store.get().gridCount) }, 'ui');
    if (problem) this.controls.refuseTarget(problem); else this.controls.targetApplied();
  }

  /** The full lab with this state (new tab link, Copy link of an embedded lab). */
  fullLabUrl() {
    const u = new URL(this.cfg.fullLab);
    u.hash = toHash(this.store.get());
    return u.href;
  }

  setPlaying(on) {
    this.playing = on;
    const b = this.$('play');
    b.textContent = on ? '❚❚ Pause' : '▶ Play';
    b.setAttribute('aria-pressed', String(on));
    if (on) {
      this.lastPlay = performance.now();
      const s = this.store.get();
      if (s.tau >= s.tauMax * 0.999) this.store.set({ tau: s.tauMin }, 'play');
      this.invalidate();
    }
  }

  /** The export `kind` (see export.js EXPORTS) as a Blob. */
  exportBlob(kind) { return exportBlob(this, kind); }

  /** Saves the export `kind` through a Blob URL and <a download>. */
  download(kind) { return download(this, kind); }

  invalidate() {
    if (!this.queued && !this.destroyed) this.queued = requestAnimationFrame((now) => this.#frame(now));
  }

  /**
   * A redraw for background progress (another τ of the path arrived): at most one every
   * PROGRESS_FRAME_MS. Each such frame redraws every view (the path changed); at one per τ,
   * the page's drawing took about a third of a core from the two workers solving the path on a
   * two-core machine.
   */
  invalidateProgress() {
    if (this.queued || this.progressTimer || this.destroyed) return;
    const wait = PROGRESS_FRAME_MS - (performance.now() - this.lastFrame);
    if (wait <= 0) this.invalidate();
    else this.progressTimer = setTimeout(() => { this.progressTimer = 0; this.invalidate(); }, wait);
  }

  #frame(now) {
    this.queued = 0; this.frames++;
    this.lastFrame = performance.now();
    // This frame draws everything: a progress redraw still pending would only repeat it.
    clearTimeout(this.progressTimer); this.progressTimer = 0;
    const { store, shown, app } = this;
    if (this.playing) {
      const s = store.get(), l0 = Math.log10(s.tauMin), l1 = Math.log10(s.tauMax);
      const l = Math.log10(s.tau) + ((l1 - l0) * (now - this.lastPlay)) / 9000;
      this.lastPlay = now;
      if (l >= l1) { store.set({ tau: s.tauMax }, 'play'); this.setPlaying(false); } else store.set({ tau: Number((10 ** l).toPrecision(4)) }, 'play');
    }
    this.compute.tick(now);
    const play = app.gdPlayback;
    if (play && play.playing) {
      play.advance(now - (this.lastPlayerFrame ?? now));
      this.lastPlayerFrame = now;
      this.#playerUi();
      this.invalidate();
    }
    // The frame that shows the first fit shows it alone: the other views follow in the next
    // frame. Their first drawing with data runs in the engine's interpreter (binning the
    // initial measure's neurons is the bulk of it) and would hold the fit back. Before it,
    // they wait (EMPTY_VIEWS_MS).
    const firstFit = this.probe.firstFitDrawnAt === null && shown.fit && !!this.path.fitX && !!this.path.fitAt(store.get().tau);
    const fitDrawn = shown.fit && this.#draw(this.fitView);
    if (shown.fit) this.editor?.layout();
    if (shown.scrubber) this.#draw(this.scrubber);
    const nothingYet = !this.path.fitX && !app.failed && this.emptyViewsWait;
    if (firstFit || nothingYet) {
      if (firstFit) { this.probe.firstFit(); this.invalidate(); }
      readouts(this);
      this.#frameEnd(fitDrawn);
      return;
    }
    if (shown.neurons) this.#draw(this.neurons);
    if (shown.curves) this.#draw(this.curves);
    readouts(this);
    if (shown.curves && app.state.target) this.#draw(this.testErrors);
    if (app.gdPlayback) this.#draw(this.gdChart);
    if (this.playing) this.invalidate();
    this.#frameEnd(fitDrawn);
  }

  #frameEnd(fitDrawn) {
    const drawn = this.path.current;
    this.probe.frameEnd(fitDrawn, drawn ? drawn.started : -Infinity);
  }

  /**
   * Draws `view` (and says so) if what it shows changed since it last drew: the inputs below
   * (no view's drawing reads any other) or the size of one of its canvases. Frames that change
   * only the page's text — a worker's `ready`, a resize observation that resized no canvas —
   * then draw nothing: rasterizing five canvases is the most expensive thing a frame does
   * without a GPU.
   */
  #draw(view) {
    const { app, path } = this;
    const inputs = [app.state, path.rev, path.current, app.theme, app.dataRev, app.dragging, app.focusIndex,
      app.failed, app.gdRun, app.gdPoints, this.compute.exactRev, window.devicePixelRatio];
    // Only the views that show gradient descent's playback follow its frames.
    if (view === this.fitView || view === this.neurons || view === this.gdChart) inputs.push(app.gdPlayback, app.gdPlayback && app.gdPlayback.frame);
    for (const plot of view.plots) inputs.push(plot.canvas.clientWidth, plot.canvas.clientHeight);
    const last = this.drawnInputs.get(view);
    if (last && last.length === inputs.length && last.every((v, i) => v === inputs[i])) return false;
    view.draw(app);
    this.drawnInputs.set(view, inputs); // after the drawing: one that threw is tried again
    this.draws++;
    return true;
  }

  /** Whether the path on screen is complete for the current state. */
  get done() { return this.compute.done; }

  /** Stops the worker, timers and listeners, and removes the elements. */
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.playing = false;
    cancelAnimationFrame(this.queued);
    clearTimeout(this.progressTimer);
    clearTimeout(this.hashTimer);
    clearTimeout(this.emptyViewsTimer);
    this.compute.terminate();
    this.resize.disconnect();
    for (const f of this.cleanups) f();
    this.root.remove();
    if (this.shadow) this.shadow.replaceChildren();
  }
}
