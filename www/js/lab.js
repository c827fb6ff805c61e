// The lab as a JS module for other pages (docs/EMBEDDING.md):
//
//   import { mount } from './js/lab.js';
//   const lab = mount(document.querySelector('#here'), { data: [[-1, 0], [0, 1], [1, 0]], tau: 0.1,
//     views: ['fit', 'scrubber'], controls: ['play'] });
//   lab.on('ready', (e) => console.log(`${e.taus} τ, ${e.certified} certified`));
//   lab.setTau(10);
//
// Every instance owns its elements (in a shadow root by default), its state, its worker and its
// canvases: several live side by side. Options and setter arguments are read by options.js with
// the link's rules and messages; a refused value changes nothing, shows its message in the
// instance and throws an Error carrying it (setters), or keeps its default (mount).
import { LabApp } from './app/lab-app.js';
import { FIELDS } from './state/state.js';
import { readList, readOptions, readStatePatch, tauOutside, VIEW_NAMES, CONTROL_NAMES } from './state/options.js';
import { EXPORTS, pathJson } from './export/export.js';
import { workerFactory, STYLESHEET, FULL_LAB } from './env.js';

export { EXPORTS, VIEW_NAMES, CONTROL_NAMES };
export const EVENTS = ['ready', 'progress', 'error', 'change'];

/** Listeners per event type; events emitted before mount() returned are delivered just after. */
class Emitter {
  constructor() {
    this.fns = new Map(EVENTS.map((t) => [t, new Set()]));
    this.early = [];
    queueMicrotask(() => { const q = this.early; this.early = null; for (const [t, d] of q) this.emit(t, d); });
  }

  on(type, fn) {
    if (!this.fns.has(type)) throw new TypeError(`unknown event '${String(type).slice(0, 40)}': expected one of ${EVENTS.join(', ')}`);
    if (typeof fn !== 'function') throw new TypeError(`the listener of '${type}' must be a function`);
    this.fns.get(type).add(fn);
    return () => this.off(type, fn);
  }

  off(type, fn) { this.fns.get(type)?.delete(fn); }

  emit(type, detail) {
    if (this.early) { this.early.push([type, detail]); return; }
    for (const fn of [...this.fns.get(type)]) {
      try { fn({ type, ...detail }); } catch (err) { setTimeout(() => { throw err; }); } // a listener's bug stays the listener's
    }
  }
}

/**
 * Mounts a lab in `element` (a <div>, say). Options (all optional; docs/EMBEDDING.md has the
 * table): the state — data ([[x, y], …], {x, y} or CSV text), tau, tauMin, tauMax, tauCount,
 * lambda, law, symmetric, net ('inf'|'finite'), directions (N), width (m), seed, gd, gdWidth,
 * gdSeed, gdSteps, gridMin, gridMax, gridCount, theme, or hash (a lab link to start from) — and
 * the presentation — views, controls, editable, fill, shadow, workerUrl, labUrl, stylesheet.
 * Returns the handle.
 */
export function mount(element, options = {}) {
  if (!element || element.nodeType !== 1) throw new TypeError('mount: the first argument must be an element (e.g. a <div>)');
  const o = readOptions(options);
  const events = new Emitter();
  let lab;
  try {
    lab = new LabApp(element, {
      state: o.state, messages: o.errors, layout: 'compact', views: o.views, controls: o.controls, editable: o.editable,
      fill: o.fill, ownsDocument: false, shadow: o.shadow,
      stylesheet: o.stylesheet === false ? null : o.stylesheet || STYLESHEET,
      createWorker: workerFactory(o.workerUrl), fullLab: o.labUrl || FULL_LAB,
      emit: (type, detail) => events.emit(type, detail),
    });
  } catch (err) {
    if (err instanceof DOMException) throw new Error(`mount: ${err.message}`);
    throw err;
  }
  let views = o.views, controls = o.controls;

  /** Shows `message` in the instance and throws it. */
  const refuse = (message) => { lab.show(message); throw new Error(message); };
  const alive = () => { if (lab.destroyed) throw new Error('this lab was destroyed'); };

  const handle = {
    /** The element that holds the instance (inside element's shadow root, or element's child). */
    get element() { return lab.root; },

    /** Replaces the data ([[x, y], …], {x: […], y: […]} or CSV text with the header x,y). */
    setData(data) { alive(); return handle.setOptions({ data }); },

    /** Selects τ (within [tauMin, tauMax]; no new solve: the path has every τ). */
    setTau(tau) {
      alive();
      let t;
      try { t = FIELDS.tau.read(tau); } catch (e) { return refuse(e.message); }
      const problem = tauOutside({ ...lab.store.get(), tau: t });
      if (problem) return refuse(problem);
      lab.set({ tau: t });
      return handle;
    },

    /**
     * Any state option (as for mount) and views, controls. All or nothing: one refused value
     * changes nothing.
     */
    setOptions(opts) {
      alive();
      if (!opts || typeof opts !== 'object' || Array.isArray(opts)) return refuse('setOptions needs an object of options');
      const allowed = new Set([...Object.keys(FIELDS), 'data', 'views', 'controls']);
      const unknown = Object.keys(opts).find((k) => !allowed.has(k));
      if (unknown !== undefined) return refuse(`unknown option '${String(unknown).slice(0, 40)}' (setOptions takes the state options, views and controls)`);
      const { patch, errors } = readStatePatch(opts, lab.store.get());
      let v = views, c = controls;
      try {
        if (Object.hasOwn(opts, 'views')) v = readList('views', opts.views, VIEW_NAMES);
        if (Object.hasOwn(opts, 'controls')) c = readList('controls', opts.controls, CONTROL_NAMES);
      } catch (e) { errors.push(e.message); }
      if (errors.length) { for (const e of errors.slice(1)) lab.show(e); return refuse(errors[0]); }
      const next = { ...lab.store.get(), ...patch };
      if (Object.hasOwn(patch, 'tau')) { const p = tauOutside(next); if (p) return refuse(p); }
      if (Object.keys(patch).length) { const problem = lab.set(patch); if (problem) throw new Error(problem); }
      if (v !== views || c !== controls) { views = v; controls = c; lab.layout(views, controls); }
      return handle;
    },

    /** A copy of the whole state (the same fields as the options). */
    getState() { return structuredClone(lab.store.get()); },

    /** The path on screen in the CLI's JSON schema (null before the first τ arrives). */
    getPath() { return lab.path.reports.length ? pathJson(lab) : null; },

    /** Whether the path for the current state is complete. */
    get done() { return lab.done; },

    /** An export as a Blob: one of EXPORTS' kinds ('fit.png', 'fit.svg', 'path.json', …). */
    export(kind) { alive(); return lab.exportBlob(kind); },

    /** The same export saved as a download (resolves to the Blob). */
    download(kind) { alive(); return lab.download(kind); },

    /** The full lab with this state (what "Open in the full lab" opens). */
    link() { return lab.fullLabUrl(); },

    /** Listens to 'ready' (the path is complete), 'progress', 'error', 'change'. Returns the unsubscriber. */
    on(type, fn) { return events.on(type, fn); },
    off(type, fn) { events.off(type, fn); return handle; },

    /** Stops the worker and removes the instance from the page. */
    destroy() { lab.destroy(); },
  };
  return handle;
}
