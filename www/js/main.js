// Wiring: the state (URL hash) → solves in the worker → the path store → the views, drawn only in
// requestAnimationFrame. One solve is in flight at a time until its selected τ arrives; edits
// made meanwhile are merged into the next one (the worker supersedes the running one).
import { DEFAULTS, Store, fromHash, toHash } from './state.js';
import { PathStore } from './path-store.js';
import { WorkerClient } from './worker-client.js';
import { FitView } from './views/fit.js';
import { Scrubber } from './views/scrubber.js';
import { NeuronsView } from './views/neurons.js';
import { CurvesView } from './views/curves.js';
import { Editor } from './editor.js';
import { Controls } from './controls.js';
import { GdRuns } from './gd.js';
import { Messages, applyTheme, copyLink, onSystemTheme } from './chrome.js';
import { fmt, fmtMs, fmtTau } from './format.js';

const $ = (id) => document.getElementById(id);
const SOLVE_KEYS = ['data', 'lambda', 'law', 'symmetric', 'net', 'directions', 'width', 'seed',
  'tauMin', 'tauMax', 'tauCount', 'gridMin', 'gridMax', 'gridCount'];

const messages = new Messages();
const loaded = fromHash(location.hash, DEFAULTS);
const store = new Store(loaded.state);
const path = new PathStore();
const gd = new GdRuns();
const app = { state: store.get(), path, theme: applyTheme(store.get().theme), dataRev: 0, dragging: false,
  focusIndex: -1, failed: false, gdRun: null, gdPoints: [] };
for (const e of loaded.errors) messages.show(e);

function solveConfig(s) {
  return { x: s.data.map((p) => p[0]), y: s.data.map((p) => p[1]), lambda: s.lambda, law: s.law, symmetric: s.symmetric,
    directions: s.net === 'inf' ? s.directions : null, width: s.net === 'finite' ? s.width : null, seed: s.seed,
    tauMin: s.tauMin, tauMax: s.tauMax, tauCount: s.tauCount, tau: s.tau,
    grid: { min: s.gridMin, max: s.gridMax, count: s.gridCount } };
}
const pathKey = (s) => JSON.stringify({ ...solveConfig(s), tau: 0, seed: s.net === 'finite' ? s.seed : 0 });

// --- views -------------------------------------------------------------------------------
const fitView = new FitView($('fit-canvas'));
const neurons = new NeuronsView($('neurons-canvas'));
const curves = new CurvesView($('curves-top'), $('curves-bottom'));
let playing = false, lastPlay = 0;
function setPlaying(on) {
  playing = on;
  $('play').textContent = on ? '❚❚ Pause' : '▶ Play';
  $('play').setAttribute('aria-pressed', String(on));
  if (on) {
    lastPlay = performance.now();
    const s = store.get();
    if (s.tau >= s.tauMax * 0.999) store.set({ tau: s.tauMin }, 'play');
    invalidate();
  }
}
const scrubber = new Scrubber($('scrubber'), {
  tau: (t) => store.set({ tau: t }, 'ui'), togglePlay: () => setPlaying(!playing), stop: () => setPlaying(false),
});
$('play').addEventListener('click', () => setPlaying(!playing));
const editor = new Editor($('fit-canvas'), $('handles'), fitView, {
  data: () => store.get().data,
  set: (data, dragging) => {
    app.dragging = dragging;
    const problem = store.set({ data }, 'ui');
    if (problem) messages.show(problem); else if (!dragging) messages.clear();
    invalidate();
  },
  message: (t) => messages.show(t),
  focus: (i) => { app.focusIndex = i; invalidate(); },
});
const controls = new Controls({ store, message: (t) => messages.show(t), clearMessages: () => messages.clear() });
$('add-point').addEventListener('click', () => {
  const s = store.get(), xs = s.data.map((p) => p[0]).sort((a, b) => a - b);
  if (s.data.length >= 100) { messages.show('at most 100 points (the solver\'s limit): remove one first'); return; }
  let x = (s.gridMin + s.gridMax) / 2, gap = -1;
  for (let i = 0; i + 1 < xs.length; i++) if (xs[i + 1] - xs[i] > gap) { gap = xs[i + 1] - xs[i]; x = (xs[i] + xs[i + 1]) / 2; }
  const f = path.fitAt(s.tau), fx = path.fitX;
  const y = f && fx ? f[Math.round(((x - fx[0]) / (fx[fx.length - 1] - fx[0])) * (fx.length - 1))] : 0;
  const problem = store.set({ data: [...s.data, [Number(x.toPrecision(6)), Number(y.toPrecision(4))]] }, 'ui');
  if (problem) messages.show(problem);
});

// --- the worker --------------------------------------------------------------------------
let wantSolve = true, awaiting = false, sentAt = 0, requestedKey = null;
const client = new WorkerClient({
  ready: () => invalidate(),
  path: (msg) => {
    if (msg.type === 'selected') { awaiting = false; app.failed = false; }
    path.receive(msg);
    if (msg.type === 'done') scheduleGd(0);
    invalidate();
  },
  gd: (msg) => { if (gd.receive(msg)) refreshGd(); updateGdUi(); invalidate(); },
  error: (message, kind) => {
    if (kind === 'gd') { const m = gd.failed(message); if (m) messages.show(`gradient descent: ${m}`); updateGdUi(); return; }
    if (kind === 'path') {
      awaiting = false; path.pending = null; app.failed = !path.current;
      if (path.current && path.current.id === client.pathId) path.current.stopped = true;
    }
    messages.show(message);
    invalidate();
  },
  crash: (message) => { app.failed = true; messages.show(message); invalidate(); },
});

function sendSolve(now) {
  const s = store.get();
  const cfg = solveConfig(s);
  requestedKey = pathKey(s);
  const id = client.solve(cfg);
  path.begin(id, cfg, requestedKey);
  wantSolve = false; awaiting = true; sentAt = now;
  if (gd.running) { client.cancelGd(); gd.running = null; }
}

let gdTimer = 0;
function scheduleGd(delay = 350) {
  clearTimeout(gdTimer);
  gdTimer = setTimeout(() => {
    const s = store.get();
    refreshGd();
    if (!path.current || !path.current.done || path.current.key !== pathKey(s)) return;
    const req = gd.want(path.current.key, s, solveConfig(s));
    if (!req) return;
    client.gd(req.config);
    gd.started(req.key, s.tau);
    updateGdUi();
  }, delay);
}
function refreshGd() {
  const s = store.get(), key = path.current ? path.current.key : '';
  app.gdRun = gd.run(key, s);
  app.gdPoints = gd.runs(key, s).map((r) => ({ tau: r.tau, dist: path.gdDistance(r), cost: r.transportCost / (r.tau * r.tau) }));
}
function updateGdUi() {
  const s = store.get();
  $('gd-status').textContent = gd.supported === false ? 'Gradient descent is not available in this build of the solver.'
    : s.gd ? `GD at τ = ${fmtTau(gd.running ? gd.running.tau : s.tau)}: ${gd.progress || 'waiting for the path'}` : '';
  for (const id of ['gd', 'gd-width', 'gd-seed', 'gd-steps']) $(id).disabled = gd.supported === false;
}

// --- state changes -----------------------------------------------------------------------
let hashTimer = 0, writtenHash = '';
function writeHash() {
  clearTimeout(hashTimer); hashTimer = 0;
  writtenHash = toHash(store.get());
  if (location.hash !== writtenHash) history.replaceState(null, '', writtenHash);
}
store.subscribe((s, changed, source) => {
  app.state = s;
  if (changed.has('data')) app.dataRev++;
  if (SOLVE_KEYS.some((k) => changed.has(k)) && pathKey(s) !== requestedKey) wantSolve = true;
  if (changed.has('theme')) app.theme = applyTheme(s.theme);
  if (['tau', 'gd', 'gdWidth', 'gdSeed', 'gdSteps'].some((k) => changed.has(k))) { refreshGd(); scheduleGd(); updateGdUi(); }
  if (source !== 'hash' && !hashTimer) hashTimer = setTimeout(writeHash, 250);
  controls.render(s);
  invalidate();
});
window.addEventListener('hashchange', () => {
  if (location.hash === writtenHash) return;
  const r = fromHash(location.hash, store.get());
  messages.clear();
  for (const e of r.errors) messages.show(e);
  const problem = store.set(r.state, 'hash');
  if (problem) messages.show(problem);
  controls.reset(store.get());
  writeHash(); // the whole state, so that the link in the address bar is complete again
});
$('theme-toggle').addEventListener('click', () => {
  const order = ['auto', 'light', 'dark'];
  store.set({ theme: order[(order.indexOf(store.get().theme) + 1) % 3] }, 'ui');
});
onSystemTheme(() => { app.theme = applyTheme(store.get().theme); invalidate(); });
$('copy-link').addEventListener('click', async () => {
  writeHash();
  $('copy-status').textContent = await copyLink(location.href);
});

// --- drawing -----------------------------------------------------------------------------
let queued = false, frames = 0;
function invalidate() { if (!queued) { queued = true; requestAnimationFrame(frame); } }
function setText(el, t) { if (el.textContent !== t) el.textContent = t; }
function setHidden(sel, hidden) { for (const el of document.querySelectorAll(sel)) el.hidden = hidden; }

function frame(now) {
  queued = false; frames++;
  if (playing) {
    const s = store.get(), l0 = Math.log10(s.tauMin), l1 = Math.log10(s.tauMax);
    const l = Math.log10(s.tau) + ((l1 - l0) * (now - lastPlay)) / 9000;
    lastPlay = now;
    if (l >= l1) { store.set({ tau: s.tauMax }, 'play'); setPlaying(false); } else store.set({ tau: Number((10 ** l).toPrecision(4)) }, 'play');
  }
  if (wantSolve && (!awaiting || now - sentAt > 1500)) sendSolve(now);
  fitView.draw(app);
  editor.layout();
  scrubber.draw(app);
  neurons.draw(app);
  curves.draw(app);
  readouts();
  if (playing) invalidate();
}

function readouts() {
  const s = app.state, p = path.current, lim = p && p.limits;
  setText($('tau-readout'), `τ = ${fmtTau(s.tau)}`);
  setHidden('[data-key="kernel"]', !(lim && lim.kernel && lim.kernel.fitY));
  setHidden('[data-key="rich"]', !(lim && lim.rich && lim.rich.fitY));
  setHidden('#fit-legend [data-key="gd"]', !app.gdRun);
  setHidden('#curves-legend [data-key="gd"]', !app.gdPoints.length);
  if (app.gdRun) setText($('gd-legend-text'), `gradient descent, final state (m = ${s.gdWidth})`);
  const prog = $('progress');
  const total = p ? p.total : s.tauCount, got = p ? p.received : 0;
  if (prog.max !== total) prog.max = total;
  if (prog.value !== got) prog.value = got;
  let text = !client.ready ? 'starting the solver…' : !p ? 'computing the first fit…'
    : p.done ? `${p.reports.length} τ in ${fmtMs(p.elapsedMs)} · ${p.reports.filter((r) => r.certified).length} certified`
      : p.stopped ? `stopped after ${got} of ${total} τ (see the message above)` : `computing τ ${got} of ${total}…`;
  if (path.pending && p) text += ' (updating…)';
  setText($('progress-text'), text);
  const near = path.nearest(s.tau);
  setText($('cert-text'), near ? `${Math.abs(Math.log(near.tau / s.tau)) < 1e-9 ? 'At' : 'Nearest computed:'} τ = ${fmtTau(near.tau)} — ${near.certified ? 'certified' : 'NOT certified'}: relative gap ${fmt(near.relativeGap)}, residual ${fmt(near.residual)}, W² = ${fmt(near.transportCost)}` : '');
}

new ResizeObserver(() => invalidate()).observe(document.querySelector('.layout'));
controls.render(store.get());
updateGdUi();
writeHash();
invalidate();

/** Read-only view of the page for the browser tests and the curious. */
window.__lab = Object.freeze({
  state: () => structuredClone(store.get()),
  status: () => ({ ready: client.ready, done: !!(path.current && path.current.done) && !path.pending && !wantSolve,
    reports: path.reports.length, pathId: path.current ? path.current.id : 0, failed: app.failed,
    messages: messages.list.slice(), gdSupported: gd.supported, gdRuns: gd.cache.size, frames,
    limits: !!(path.current && path.current.limits) }),
  /** f at the selected τ on the grid, as drawn. */
  fit: () => { const f = path.fitAt(store.get().tau); return f ? { x: Array.from(path.fitX), y: Array.from(f) } : null; },
  /** Where the data points are drawn, in client (page) pixels. */
  points: () => {
    const r = $('fit-canvas').getBoundingClientRect(), p = fitView.plot;
    return store.get().data.map(([x, y]) => [r.left + p.px(x), r.top + p.py(y)]);
  },
});
