// The lab for inputs in the plane: the page shows it when the data are 2-D (a `dim=2` link, a
// preset, or x1,x2,y points pasted into the line's data box). The scaling path's fit as a heat
// map with its neurons' kink lines, the τ scrubber morphing it from the rich to the kernel end,
// gradient descent's final state from the same neurons at the selected τ beside it, the maps at
// the scales of the paper's figure, the certificate of every τ, editing on the map, the state in
// the URL, exports. The numbers come from the plane's worker (www/plane-worker.js); this module
// owns pixels and interaction.
import { Builder } from '../ui/dom.js';
import { Messages } from '../app/chrome.js';
import { Heatmap } from './heatmap.js';
import { AgainstTau } from './against-tau.js';
import { PLANE_LAWS, PLANE_PRESETS, planeDataProblem, planeFromHash, planeToHash, readField, readPlaneData, tauGrid } from './plane-state.js';
import { toCliSchema } from '../export/cli-schema.js';
import { LIMITS } from '../state/validate.js';

/** Grid points per axis of the drawn fits. */
const GRID_POINTS = 101;
/** The scales of the paper's figure (the ends stand for 0 and ∞: the path's smallest and largest τ). */
const GALLERY = [0, 0.1, 1, 10, 100, Infinity];
/** Frames of Play, per second. */
const PLAY_FPS = 2.5;
/** Hit radius of a point under the pointer (CSS px). */
const HIT = 10;

/** Lesson scenes in the plane (`?scene=plane-maps`): a caption and state over the link's. */
export const PLANE_SCENES = {
  'plane-maps': {
    title: 'From rich to kernel, in the plane',
    caption: "The paper's setting: ten points with labels ±1. The small maps show the path at the scales of its figure, from the rich end (few kink lines, the fit made of a few planes) to the kernel end (every neuron bends a little, a smooth fit). Drag τ, or press Play, to watch one morph into the other.",
    state: { tau: 1 },
  },
  'plane-transport': {
    title: 'Transport costs between path and initialization scales',
    caption: "The paper's table: the cost W² of moving the initialization at scale τ' (columns) to the path's network at scale τ (rows), exact here (the paper's is entropic, so the numbers differ). Its claim: for a large τ', the cheapest path point is the one at the same scale — the bold entry of each column sits on the diagonal.",
    state: { tau: 10 },
    transport: true,
  },
  'plane-gd': {
    title: 'Gradient descent beside the path',
    caption: 'Right: gradient descent from the same 400 neurons at the selected τ, run to interpolation. From the transition up its final state looks like the path\'s; at small τ it finds a different fit. Its transport cost is never below the path\'s (the certificate says the path is the cheapest).',
    state: { tau: 10, gd: true },
  },
};

export class PlaneApp {
  /** cfg: {createWorker() (a plane worker), scene (a PLANE_SCENES name or '')}. */
  constructor(host, cfg) {
    this.cfg = cfg;
    const loaded = planeFromHash(location.hash);
    this.state = loaded.state;
    const scene = PLANE_SCENES[cfg.scene];
    if (scene) Object.assign(this.state, scene.state);
    this.reports = new Map(); // τ → report of the current path
    this.init = null;
    this.pathId = 0; this.gdId = 0;
    this.gdRuns = new Map(); // `${pathId}:${τ}` → run
    this.gdProgress = null;
    this.focus = -1; this.drag = null; this.playing = 0;
    this.#build(host, scene);
    this.messages = new Messages({ box: this.$('plane-messages'), list: this.$('plane-message-list'), dismiss: this.$('plane-dismiss') });
    for (const e of loaded.errors) this.messages.show(e);
    this.worker = cfg.createWorker();
    this.worker.onmessage = (e) => this.#receive(e.data);
    this.worker.onerror = (e) => { e.preventDefault(); this.messages.show(`the plane's solver failed to start: ${e.message || 'unknown error'}`); };
    this.#wire();
    new ResizeObserver(() => this.draw()).observe(this.root);
    this.#renderControls();
    this.wantTransport = !!(scene && scene.transport);
    this.solve();
  }

  $(id) { return this.builder.byId[id]; }

  #build(host, scene) {
    const b = (this.builder = new Builder(''));
    const h = b.h.bind(b);
    const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
    this.dark = dark;
    const canvas = (id, label) => h('canvas', { id, class: 'plane-canvas', tabindex: '0', role: 'img', 'aria-label': label });
    const num = (id, label, attrs = {}) => h('label', { class: 'field' }, label, h('input', { id, type: 'text', inputmode: 'decimal', size: '8', ...attrs }));
    this.root = h('div', { class: 'spl plane-lab', 'data-theme': dark ? 'dark' : 'light' },
      h('header', { class: 'top' },
        h('div', { class: 'title' }, h('h1', { text: 'Scaling path lab — inputs in the plane' }),
          h('p', { class: 'tagline' }, ...b.rich('For each initialization scale τ, the network that fits the data while moving its weights least from the τ-scaled initialization, **certified**; in the plane, as in the paper\'s own experiments (inputs x̃ ∈ R², lifted to (x̃, 1)).'))),
        h('div', { class: 'actions' },
          h('span', { id: 'plane-status', class: 'status', role: 'status', 'aria-live': 'polite' }),
          h('a', { id: 'to-line', href: '#', text: 'Inputs on the line (1-D)' }))),
      h('div', { id: 'plane-messages', class: 'messages', role: 'alert', hidden: true },
        h('ul', { id: 'plane-message-list' }), h('button', { id: 'plane-dismiss', class: 'dismiss', type: 'button', text: 'Dismiss' })),
      scene ? h('div', { class: 'scene', id: 'plane-scene' }, h('strong', { text: scene.title }), ' ', scene.caption) : null,
      h('main', { class: 'plane-main' }, h('div', { class: 'plane-col' },
        h('section', { class: 'panel plane-views', 'aria-label': 'The fits' },
          h('div', { class: 'plane-maps' },
            h('figure', {}, h('h2', { text: 'Scaling path' }), canvas('plane-path', 'heat map of the scaling path\'s fit at the selected τ, with the data points'),
              h('figcaption', { id: 'path-caption', class: 'help' })),
            h('figure', { id: 'gd-figure' }, h('h2', { text: 'Gradient descent, same neurons' }), canvas('plane-gd', 'heat map of gradient descent\'s final fit at the selected τ'),
              h('figcaption', { id: 'gd-caption', class: 'help' }))),
          h('div', { class: 'plane-scrub' },
            h('button', { id: 'plane-play', type: 'button', text: 'Play' }),
            h('label', { class: 'plane-tau' }, 'τ ', h('input', { id: 'plane-tau', type: 'range', min: '0', max: '0', step: '1', 'aria-label': 'initialization scale τ' })),
            h('output', { id: 'plane-tau-value', for: 'plane-tau' })),
          h('p', { class: 'help' }, ...b.rich('**Click** the map to add a point with label +1, **Shift-click** for −1; **drag** a point to move it. Keyboard: focus the map, **,** / **.** select a point, **arrows** move it (Shift: farther), **+** / **−** set its label, **Delete** removes it. The lines are the neurons\' kinks w·x̃ = 0, darker the more they carry.'))),
        h('section', { class: 'panel plane-certs', 'aria-label': 'Certificates' },
          h('h2', { text: 'Certificate of every τ' }),
          h('table', { class: 'plane-table' }, h('thead', {}, h('tr', {}, ['τ', 'status', 'relative gap', 'residual', 'W²/τ²', 'split'].map((t) => h('th', { text: t })))), h('tbody', { id: 'plane-cert' }))),
        h('section', { class: 'panel plane-transport', 'aria-label': 'Transport costs' },
          h('h2', { text: 'Transport costs: path scale against initialization scale' }),
          h('p', { class: 'help' }, h('button', { id: 'plane-transport-go', type: 'button', text: 'Compute the table' }), ' ',
            h('span', { id: 'plane-transport-status', role: 'status' })),
          h('div', { id: 'plane-transport-table', class: 'plane-scroll' }))),
        h('div', { class: 'plane-col' },
        h('section', { class: 'panel plane-gallery', 'aria-label': 'The path at the scales of the paper\'s figure' },
          h('h2', { text: 'The path at the paper\'s scales' }),
          h('div', { class: 'plane-strip', id: 'plane-strip' }, GALLERY.map((t, k) => h('figure', {}, canvas(`plane-small-${k}`, `the path at τ = ${t}`), h('figcaption', { id: `plane-small-label-${k}`, class: 'help' })))),
          h('p', { class: 'help', text: 'The ends are the limits, solved directly and certified: τ → 0 the minimal-norm network (the least ∫|θ|² that fits the data, a few units), τ → ∞ the tangent-kernel interpolant of the same neurons. The colour is f clipped to ±max|y| (red +, blue −).' })),
        h('section', { class: 'panel plane-against', 'aria-label': 'Against τ' },
          h('h2', { text: 'Against τ' }),
          h('canvas', { id: 'plane-cost', class: 'plane-chart', role: 'img', 'aria-label': 'transport cost W²/τ² of the path and of gradient descent against τ' }),
          h('canvas', { id: 'plane-kernel', class: 'plane-chart', role: 'img', 'aria-label': 'distance of the path\'s fit to the kernel limit against τ' }),
          h('p', { class: 'help' }, h('button', { id: 'plane-sweep', type: 'button', text: 'Gradient descent at every τ' }), ' ',
            h('span', { id: 'plane-sweep-status', role: 'status' }))),
        h('section', { class: 'panel plane-settings', 'aria-label': 'Data and settings' },
          h('h2', { text: 'Data and settings' }),
          h('div', { class: 'plane-row' },
            h('label', { class: 'field' }, 'Preset ', h('select', { id: 'plane-preset' }, h('option', { value: '', text: 'choose…' }), Object.entries(PLANE_PRESETS).map(([k, p]) => h('option', { value: k, text: p.label })))),
            h('button', { id: 'plane-clear', type: 'button', text: 'Remove all points' })),
          h('label', { class: 'field plane-data' }, 'Points (x1, x2, y per line) ', h('textarea', { id: 'plane-data', rows: '5', spellcheck: 'false' })),
          h('button', { id: 'plane-data-apply', type: 'button', text: 'Use these points' }),
          h('div', { class: 'plane-row' },
            num('plane-width', 'm (neurons) '), num('plane-seed', 'seed '),
            h('label', { class: 'field' }, 'law ', h('select', { id: 'plane-law' }, PLANE_LAWS.map((l) => h('option', { value: l, text: l })))),
            num('plane-tau-min', 'τ min '), num('plane-tau-max', 'τ max '), num('plane-tau-count', 'τ count ')),
          h('div', { class: 'plane-row' },
            h('label', { class: 'field' }, h('input', { id: 'plane-gd-on', type: 'checkbox' }), ' gradient descent at the selected τ'),
            num('plane-gd-steps', 'step budget ')),
          h('div', { class: 'plane-row' },
            h('button', { id: 'plane-png', type: 'button', text: 'Save picture (PNG)' }),
            h('button', { id: 'plane-json', type: 'button', text: 'Save path (JSON, the CLI\'s schema)' }),
            h('button', { id: 'plane-csv', type: 'button', text: 'Save data (CSV)' }))),
      )),
      h('p', { class: 'foot', text: 'Computed in your browser (WebAssembly): the plane\'s dual, its exact per-source minimizer over the data\'s arrangement, a certificate per τ. Finite width: m neurons sampled with the seed.' }));
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    host.append(this.root);
    this.pathMap = new Heatmap(this.$('plane-path'));
    this.gdMap = new Heatmap(this.$('plane-gd'));
    this.small = GALLERY.map((_, k) => new Heatmap(this.$(`plane-small-${k}`)));
    this.against = new AgainstTau(this.$('plane-cost'), this.$('plane-kernel'));
  }

  #wire() {
    const $ = (id) => this.$(id);
    $('plane-tau').addEventListener('input', () => this.#select(this.taus()[Number($('plane-tau').value)]));
    $('plane-play').addEventListener('click', () => this.#play(!this.playing));
    $('plane-preset').addEventListener('change', () => {
      const p = PLANE_PRESETS[$('plane-preset').value];
      if (p) this.set({ data: p.data.map((r) => r.slice()) });
      $('plane-preset').value = '';
    });
    $('plane-clear').addEventListener('click', () => this.set({ data: [] }));
    $('plane-data-apply').addEventListener('click', () => {
      try { this.set({ data: readPlaneData($('plane-data').value) }); $('plane-data').removeAttribute('aria-invalid'); } catch (e) { $('plane-data').setAttribute('aria-invalid', 'true'); this.messages.show(`points: ${e.message}`); }
    });
    const bind = (id, key) => $(id).addEventListener('change', () => {
      try { this.set({ [key]: readField(key, $(id).value) }); $(id).removeAttribute('aria-invalid'); } catch (e) { $(id).setAttribute('aria-invalid', 'true'); this.messages.show(e.message); }
    });
    bind('plane-width', 'width'); bind('plane-seed', 'seed'); bind('plane-law', 'law'); bind('plane-tau-min', 'tauMin');
    bind('plane-tau-max', 'tauMax'); bind('plane-tau-count', 'tauCount'); bind('plane-gd-steps', 'gdSteps');
    $('plane-gd-on').addEventListener('change', () => this.set({ gd: $('plane-gd-on').checked }));
    $('plane-transport-go').addEventListener('click', () => this.#transport());
    $('plane-sweep').addEventListener('click', () => { this.sweep = !this.sweep; this.#gd(); this.draw(); });
    $('plane-png').addEventListener('click', () => this.#save('png'));
    $('plane-json').addEventListener('click', () => this.#save('json'));
    $('plane-csv').addEventListener('click', () => this.#save('csv'));
    this.#editing($('plane-path'), this.pathMap);
  }

  /** Click, Shift-click, drag and the keys of the help text on `canvas` (drawn by `map`). */
  #editing(canvas, map) {
    const at = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    const hit = ([u, v]) => {
      let best = -1, dist = HIT;
      this.state.data.forEach(([x1, x2], i) => { const d = Math.hypot(map.px(x1) - u, map.py(x2) - v); if (d <= dist) { dist = d; best = i; } });
      return best;
    };
    const round = (v) => Number(v.toFixed(3));
    canvas.addEventListener('pointerdown', (e) => {
      const p = at(e), i = hit(p);
      if (i >= 0) { this.drag = { index: i, moved: false }; this.focus = i; canvas.setPointerCapture(e.pointerId); this.draw(); return; }
      if (this.state.data.length >= LIMITS.points) { this.messages.show(`at most ${LIMITS.points} points`); return; }
      const [x1, x2] = map.fromPixel(...p);
      this.focus = this.state.data.length;
      this.set({ data: [...this.state.data, [round(x1), round(x2), e.shiftKey ? -1 : 1]] });
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      const [x1, x2] = map.fromPixel(...at(e));
      this.state.data[this.drag.index] = [round(x1), round(x2), this.state.data[this.drag.index][2]];
      this.drag.moved = true;
      this.draw();
    });
    const end = () => { if (this.drag && this.drag.moved) this.set({ data: this.state.data.map((r) => r.slice()) }); this.drag = null; };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    canvas.addEventListener('keydown', (e) => {
      const n = this.state.data.length;
      const i = this.focus;
      const step = e.shiftKey ? 0.1 : 0.02;
      const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[e.key];
      if (e.key === ',' || e.key === '.') { if (n) { this.focus = i < 0 ? 0 : (i + (e.key === '.' ? 1 : n - 1)) % n; this.draw(); } } else if (move && i >= 0) {
        const data = this.state.data.map((r) => r.slice());
        data[i][0] = round(data[i][0] + move[0]); data[i][1] = round(data[i][1] + move[1]);
        this.set({ data });
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && i >= 0) {
        this.focus = -1;
        this.set({ data: this.state.data.filter((_, k) => k !== i) });
      } else if ((e.key === '+' || e.key === '-') && i >= 0) {
        const data = this.state.data.map((r) => r.slice());
        data[i][2] = e.key === '+' ? 1 : -1;
        this.set({ data });
      } else return;
      e.preventDefault();
    });
  }

  /** Changes the state, writes the link, and solves again when what the path depends on changed. */
  set(patch) {
    const before = this.state;
    this.state = { ...before, ...patch };
    if (!(this.state.tauMin < this.state.tauMax) && this.state.tauCount > 1) {
      this.messages.show(`tau min (${this.state.tauMin}) must be below tau max (${this.state.tauMax})`);
      this.state = before;
      this.#renderControls();
      return;
    }
    history.replaceState(null, '', planeToHash(this.state));
    this.messages.clear();
    this.#renderControls();
    const pathKeys = ['data', 'tauMin', 'tauMax', 'tauCount', 'law', 'width', 'seed'];
    if (pathKeys.some((k) => patch[k] !== undefined && patch[k] !== before[k])) this.solve();
    else { this.#gd(); this.draw(); }
  }

  /** The τ of the path: the reported ones once known, else the grid the core will use. */
  taus() {
    return this.reportedTaus || tauGrid(this.state);
  }

  solve() {
    this.pathId += 1;
    this.reports = new Map();
    this.reportedTaus = null;
    this.init = null;
    this.kernelLimit = null;
    this.richLimit = null;
    this.transportTable = null;
    const problem = planeDataProblem(this.state.data);
    if (problem) { this.messages.show(problem); this.draw(); return; }
    this.started = performance.now();
    this.worker.postMessage({ type: 'path', id: this.pathId, config: this.#config({ tauMin: this.state.tauMin, tauMax: this.state.tauMax, tauCount: this.state.tauCount }) });
    this.#gd();
    this.draw();
  }

  #config(extra) {
    const { data, width, seed, law } = this.state;
    return { x: data.map((p) => [p[0], p[1]]), y: data.map((p) => p[2]), width, seed, law, gridPoints: GRID_POINTS, ...extra };
  }

  /** The selected τ snapped to the path's grid. */
  selectedTau() {
    const taus = this.taus();
    let best = taus[0];
    for (const t of taus) if (Math.abs(Math.log(t / this.state.tau)) < Math.abs(Math.log(best / this.state.tau))) best = t;
    return best;
  }

  #select(tau) {
    this.state.tau = tau;
    history.replaceState(null, '', planeToHash(this.state));
    this.#gd();
    this.draw();
  }

  #gdKey(tau) {
    return `${this.pathId}:${tau}:${this.state.gdSteps}`;
  }

  /** The τ gradient descent should run at next: the selected one (when shown), then, during a
   * sweep, every τ of the path in turn; null when nothing is left. */
  #nextGdTau() {
    const selected = this.selectedTau();
    if (this.state.gd && !this.gdRuns.has(this.#gdKey(selected))) return selected;
    if (this.sweep) return this.taus().find((t) => !this.gdRuns.has(this.#gdKey(t))) ?? null;
    return null;
  }

  /** Starts gradient descent at the next τ that needs it, unless it runs there already. */
  #gd() {
    if (planeDataProblem(this.state.data)) return;
    const tau = this.#nextGdTau();
    if (tau === null) { if (this.sweep && !this.gdProgress) this.sweep = false; return; }
    const key = this.#gdKey(tau);
    if (this.gdProgress && this.gdProgress.key === key) return;
    this.gdId += 1;
    this.gdProgress = { key, tau, id: this.gdId, steps: 0, loss: NaN };
    this.worker.postMessage({ type: 'gd', id: this.gdId, config: this.#config({ tau, maxSteps: this.state.gdSteps }) });
  }

  /** Asks the worker for the paper's table over the path's τ in [0.1, 100] (all of them when
   * fewer than three lie there), once the path is complete. */
  #transport() {
    this.wantTransport = true;
    this.transportTable = null;
    if (!this.reportedTaus) { this.$('plane-transport-status').textContent = 'after the path…'; return; }
    const inside = this.reportedTaus.filter((t) => t >= 0.1 * (1 - 1e-9) && t <= 100 * (1 + 1e-9));
    const [lo, hi] = inside.length >= 3 ? [0.1 * (1 - 1e-9), 100 * (1 + 1e-9)] : [0, Infinity];
    this.$('plane-transport-status').textContent = 'computing…';
    this.worker.postMessage({ type: 'transport', id: this.pathId, lo, hi });
  }

  #renderTransport(fmt) {
    const h = this.builder.h.bind(this.builder);
    const t = this.transportTable;
    const box = this.$('plane-transport-table');
    if (!t) { box.replaceChildren(); return; }
    const rows = Array.from(t.cost, (r) => Array.from(r));
    const best = t.initTaus.map((_, j) => rows.reduce((b, r, i) => (r[j] < rows[b][j] ? i : b), 0));
    const table = h('table', { class: 'plane-table' },
      h('caption', { text: "W²(path at τ, initialization at τ'), exact; bold: the cheapest in each column" }),
      h('thead', {}, h('tr', {}, h('th', { text: "τ \\ τ'" }), Array.from(t.initTaus, (v) => h('th', { text: fmt(v) })))),
      h('tbody', {}, rows.map((r, i) => h('tr', {}, h('th', { text: fmt(t.pathTaus[i]) }),
        r.map((v, j) => h('td', { class: best[j] === i ? 'best' : null, text: v.toPrecision(4) }))))));
    box.replaceChildren(table);
    const n = t.initTaus.length;
    const onDiagonal = best.filter((b, j) => b === j).length;
    const large = best.slice(Math.floor(n / 2));
    const holds = large.every((b, k) => b === Math.floor(n / 2) + k);
    this.$('plane-transport-status').textContent = `${onDiagonal} of ${n} columns cheapest on the diagonal; for the larger half of the scales the claim ${holds ? 'holds' : 'does not hold'}.`;
  }

  #receive(msg) {
    if (msg.type === 'ready') return;
    if (msg.type === 'error') {
      if (msg.id === null || msg.id === this.pathId || msg.id === this.gdId) this.messages.show(msg.message);
      if (msg.kind === 'gd') { this.gdProgress = null; this.sweep = false; }
      this.draw();
      return;
    }
    if (msg.type.startsWith('gd')) {
      if (!this.gdProgress || msg.id !== this.gdProgress.id) return;
      if (msg.type === 'gd-progress') { this.gdProgress.steps = msg.steps; this.gdProgress.loss = msg.loss; } else {
        this.gdRuns.set(this.gdProgress.key, msg.run);
        this.gdProgress = null;
        this.#gd();
      }
      this.#schedule();
      return;
    }
    if (msg.id !== this.pathId) return;
    if (msg.type === 'transport') { this.transportTable = msg.table; this.#schedule(); return; }
    if (msg.type === 'init') this.init = msg.init;
    else if (msg.type === 'limit') {
      this.kernelLimit = msg.kernelLimit || null;
      this.richLimit = msg.richLimit || null;
      // The τ's solved before the limits get their distances now.
      for (const d of msg.distances) Object.assign(this.reports.get(d.tau) || {}, { kernelDistance: d.kernelDistance, richDistance: d.richDistance });
    }
    else if (msg.type === 'tau') {
      this.reports.set(msg.report.tau, msg.report);
      this.progress = [msg.done, msg.total];
      if (!this.firstAt) this.firstAt = performance.now() - this.started;
    } else if (msg.type === 'done') {
      this.reportedTaus = [...this.reports.keys()].sort((a, b) => a - b);
      this.doneAt = performance.now() - this.started;
      this.#renderControls();
      if (this.wantTransport) this.#transport();
    }
    this.#schedule();
  }

  #schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  /** The report at `tau`, or the nearest solved one ({report, exact}). */
  #reportNear(tau) {
    if (this.reports.has(tau)) return { report: this.reports.get(tau), exact: true };
    let best = null;
    for (const [t, r] of this.reports) if (!best || Math.abs(Math.log(t / tau)) < Math.abs(Math.log(best.tau / tau))) best = r;
    return { report: best, exact: false };
  }

  #clip() {
    return Math.max(1e-9, ...this.state.data.map((p) => Math.abs(p[2])));
  }

  #bounds() {
    const any = this.reports.values().next().value;
    if (any) { const { x1, x2 } = any.fit; return [x1[0], x1[x1.length - 1], x2[0], x2[x2.length - 1]]; }
    const d = this.state.data;
    if (!d.length) return [-1.2, 1.2, -1.2, 1.2];
    const axis = (k) => { const v = d.map((p) => p[k]); const lo = Math.min(...v), hi = Math.max(...v), pad = Math.max(0.1, 0.1 * (hi - lo)); return [lo - pad, hi + pad]; };
    return [...axis(0), ...axis(1)];
  }

  draw() {
    const tau = this.selectedTau();
    const { report, exact } = this.#reportNear(tau);
    const weights = this.init ? this.init.weights : null;
    const clip = this.#clip(), dark = this.dark, bounds = this.#bounds();
    const fmt = (t) => (t >= 0.01 && t < 1000 ? String(Number(t.toPrecision(3))) : t.toExponential(1));
    this.pathMap.draw({ fit: report && report.fit, rows: report && report.neurons, weights, data: this.state.data, focus: this.focus, clip, dark, bounds,
      pending: !!report && !exact, label: report ? `τ = ${fmt(report.tau)}${exact ? '' : ' (nearest solved)'}` : 'solving…' });
    const cap = this.$('path-caption');
    if (report && exact) cap.textContent = `τ = ${fmt(tau)}: ${report.certified ? 'certified' : 'NOT certified'} — relative gap ${report.relativeGap.toExponential(1)}, residual ${report.residual.toExponential(1)}, transport cost W² = ${report.transportCost.toPrecision(4)}, ${report.neurons.length / 6} atoms.`;
    else cap.textContent = report ? `τ = ${fmt(tau)} is not solved yet: showing τ = ${fmt(report.tau)}, marked faint (not yet certified at the selected τ).` : 'Solving the first τ…';
    this.#drawGd(tau, bounds, clip, report && exact ? report : null);
    this.#drawGallery(bounds, clip, weights, fmt);
    const runs = this.taus().filter((t) => this.gdRuns.has(this.#gdKey(t))).map((t) => ({ tau: t, run: this.gdRuns.get(this.#gdKey(t)) }));
    this.against.draw({ reports: [...this.reports.values()].sort((p, q) => p.tau - q.tau), runs, taus: this.taus(), selected: tau, dark });
    this.$('plane-sweep').textContent = this.sweep ? 'Stop the sweep' : 'Gradient descent at every τ';
    this.$('plane-sweep-status').textContent = runs.length ? `gradient descent at ${runs.length} of ${this.taus().length} τ${this.sweep && this.gdProgress ? ` (running at τ = ${fmt(this.gdProgress.tau)})` : ''}` : '';
    this.#drawStatus(fmt);
    this.#drawCerts(fmt);
    this.#renderTransport(fmt);
    const slider = this.$('plane-tau');
    const taus = this.taus();
    slider.max = String(taus.length - 1);
    slider.value = String(taus.indexOf(tau));
    slider.setAttribute('aria-valuetext', `τ = ${fmt(tau)}`);
    this.$('plane-tau-value').textContent = `τ = ${fmt(tau)}`;
  }

  #drawGd(tau, bounds, clip, pathReport) {
    this.$('gd-figure').hidden = !this.state.gd;
    if (!this.state.gd) return;
    const key = this.#gdKey(tau);
    const run = this.gdRuns.get(key);
    const cap = this.$('gd-caption');
    this.gdMap.draw({ fit: run && run.fit, rows: run && run.neurons, weights: this.init && this.init.weights, rowWidth: 4, data: this.state.data, clip, dark: this.dark, bounds,
      label: run ? `GD at τ = ${Number(tau.toPrecision(3))}` : 'running…' });
    if (run) {
      const cost = pathReport ? ` — W² = ${run.transportCost.toPrecision(4)} against the path's ${pathReport.transportCost.toPrecision(4)}` : '';
      cap.textContent = `${run.status} after ${run.steps} steps, loss ${run.loss.toExponential(1)}, residual ${run.residual.toExponential(1)}${cost}.`;
    } else if (this.gdProgress && this.gdProgress.key === key) cap.textContent = `running: step ${this.gdProgress.steps} of at most ${this.state.gdSteps}${Number.isFinite(this.gdProgress.loss) ? `, loss ${this.gdProgress.loss.toExponential(1)}` : ''}…`;
    else cap.textContent = '';
  }

  #drawGallery(bounds, clip, weights, fmt) {
    const taus = this.taus();
    GALLERY.forEach((g, k) => {
      const t = g === 0 ? taus[0] : g === Infinity ? taus[taus.length - 1] : taus.reduce((a, b) => (Math.abs(Math.log(b / g)) < Math.abs(Math.log(a / g)) ? b : a));
      const limit = g === Infinity ? this.kernelLimit : g === 0 ? this.richLimit : null;
      const r = this.reports.get(t);
      const label = this.$(`plane-small-label-${k}`);
      if (limit) {
        // The ends are the limits themselves: the kernel interpolant of the same neurons (τ → ∞),
        // the minimal-norm network with its units' kink lines (τ → 0).
        const units = g === 0 ? limit.units : null;
        this.small[k].draw({ fit: limit.fit, rows: units, weights: units && new Float64Array(units.length / 4).fill(1), rowWidth: 4, data: this.state.data, clip, dark: this.dark, bounds });
        label.textContent = g === 0 ? `τ → 0: the rich limit (${units.length / 4} units)` : 'τ → ∞: the kernel limit';
        return;
      }
      this.small[k].draw({ fit: r && r.fit, rows: r && r.neurons, weights, data: this.state.data, clip, dark: this.dark, bounds });
      const name = g === 0 ? `τ → 0 (τ = ${fmt(t)})` : g === Infinity ? `τ → ∞ (τ = ${fmt(t)})` : `τ = ${fmt(t)}`;
      label.textContent = r ? `${name}${r.certified ? '' : ' — not certified'}` : `${name} — solving`;
    });
  }

  #drawStatus() {
    const total = this.taus().length, done = this.reports.size;
    const bad = [...this.reports.values()].filter((r) => !r.certified).length;
    const el = this.$('plane-status');
    if (planeDataProblem(this.state.data)) el.textContent = 'no path: see the message';
    else if (done < total) el.textContent = `solving τ ${done + 1} of ${total}…`;
    else el.textContent = `${total} τ solved in ${(this.doneAt / 1000).toFixed(1)} s; ${bad ? `${bad} NOT certified` : 'all certified'}`;
  }

  #drawCerts(fmt) {
    const h = this.builder.h.bind(this.builder);
    const rows = this.taus().map((t) => {
      const r = this.reports.get(t);
      const cells = r ? [fmt(t), r.certified ? 'certified' : 'not certified', r.relativeGap.toExponential(1), r.residual.toExponential(1), (r.transportCost / (t * t)).toPrecision(4), String(r.splitSources)]
        : [fmt(t), 'solving…', '', '', '', ''];
      return h('tr', { class: r && !r.certified ? 'bad' : null }, cells.map((c) => h('td', { text: c })));
    });
    this.$('plane-cert').replaceChildren(...rows);
  }

  #renderControls() {
    const s = this.state, $ = (id) => this.$(id);
    const put = (id, v) => { if (document.activeElement !== $(id)) $(id).value = String(v); };
    put('plane-width', s.width); put('plane-seed', s.seed); put('plane-law', s.law); put('plane-tau-min', s.tauMin);
    put('plane-tau-max', s.tauMax); put('plane-tau-count', s.tauCount); put('plane-gd-steps', s.gdSteps);
    $('plane-gd-on').checked = s.gd;
    if (document.activeElement !== $('plane-data')) $('plane-data').value = s.data.map((p) => p.join(', ')).join('\n');
  }

  #play(on) {
    clearInterval(this.playing);
    this.playing = 0;
    this.$('plane-play').textContent = on ? 'Pause' : 'Play';
    if (!on) return;
    this.playing = setInterval(() => {
      const taus = this.taus(), i = taus.indexOf(this.selectedTau());
      this.#select(taus[(i + 1) % taus.length]);
    }, 1000 / PLAY_FPS);
  }

  /** The path in the CLI's JSON schema (`scaling-path path` on the same data and options). */
  pathJson() {
    const fit = (f) => ({ x1: Array.from(f.x1), x2: Array.from(f.x2), f: Array.from(f.f, (row) => Array.from(row)) });
    const path = [...this.reports.values()].sort((a, b) => a.tau - b.tau).map((r) => ({ ...toCliSchema({ ...r, fit: undefined }, { neurons: 6 }), fit: fit(r.fit) }));
    return { dim: 2, data: { x: this.state.data.map((p) => [p[0], p[1]]), y: this.state.data.map((p) => p[2]) }, lambda: 0,
      init: this.init ? toCliSchema(this.init, { neurons: 4 }) : null, path };
  }

  async #save(kind) {
    let blob, name;
    if (kind === 'png') { blob = await new Promise((ok) => this.$('plane-path').toBlob(ok, 'image/png')); name = 'scaling-path-plane.png'; } else if (kind === 'json') {
      blob = new Blob([JSON.stringify(this.pathJson())], { type: 'application/json' }); name = 'scaling-path-plane.json';
    } else {
      blob = new Blob([`x1,x2,y\n${this.state.data.map((p) => p.join(',')).join('\n')}\n`], { type: 'text/csv' }); name = 'scaling-path-plane.csv';
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob); a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
}

