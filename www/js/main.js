// The lab's own page (index.html and the single file): the full layout, or with ?embed=1 the
// compact one sized to its iframe (the chosen views and controls, "Open in the full lab"). The
// state is the URL hash (state.js); the embed options are the query (options.js). index.html
// loads it bundled with its imports (scripts/build-page.sh → www/dist/lab-page.js).
import { LabApp } from './app/lab-app.js';
import { DEFAULTS, FIELDS, fromHash, stateKeysIn } from './state/state.js';
import { SCENES, SCENE_NAMES } from './app/scenes.js';
import { readQuery } from './state/options.js';
import { createWorker } from './boot.js';
import { PlaneApp, PLANE_SCENES } from './plane/plane-app.js';
import { isPlaneHash } from './plane/plane-state.js';
import { planeWorkerFactory } from './env.js';

// Inputs in the plane (a `dim=2` link, or a lesson scene in the plane) get the plane's lab; a
// link that changes the data's dimension reloads the page into the other one.
const planeScene = new URLSearchParams(location.search).get('scene');
const plane = isPlaneHash(location.hash) || Object.hasOwn(PLANE_SCENES, planeScene || '');
window.addEventListener('hashchange', () => { if (isPlaneHash(location.hash) !== plane) location.reload(); });
if (plane) startPlane(); else startLine();

function startPlane() {
  const lab = new PlaneApp(document.body, { createWorker: planeWorkerFactory(), scene: planeScene });
  window.__planeLab = Object.freeze({
    state: () => structuredClone(lab.state),
    status: () => ({ reports: lab.reports.size, total: lab.taus().length, certified: [...lab.reports.values()].filter((r) => r.certified).length,
      messages: lab.messages.list.slice(), firstAt: lab.firstAt || null, doneAt: lab.doneAt || null, gdRuns: lab.gdRuns.size,
      selectedTau: lab.selectedTau() }),
    /** Where the data points are drawn, in client pixels. */
    points: () => { const r = lab.$('plane-path').getBoundingClientRect(); return lab.state.data.map(([x1, x2]) => [r.left + lab.pathMap.px(x1), r.top + lab.pathMap.py(x2)]); },
    /** Client pixel of a data-space point on the path's map. */
    pixel: (x1, x2) => { const r = lab.$('plane-path').getBoundingClientRect(); return [r.left + lab.pathMap.px(x1), r.top + lab.pathMap.py(x2)]; },
    pathJson: () => lab.pathJson(),
  });
}

function startLine() {
  const query = readQuery(location.search);
  const loaded = fromHash(location.hash, DEFAULTS);
  const here = new URL(location.href);
  here.search = ''; here.hash = '';
  document.documentElement.classList.toggle('embedded', query.embed);

  const embedded = query.embed && window.parent !== window;
  // A lesson link sets its scene's state over the defaults, except what the link itself sets (its
  // data, its τ range; or everything, when the page is reloaded mid-lesson: the lab writes the
  // whole state into the link).
  const inLink = stateKeysIn(location.hash);
  const sceneState = query.scene ? Object.fromEntries(Object.entries(SCENES[query.scene].state).filter(([k]) => !inLink.has(k))) : {};
  const lab = new LabApp(document.body, {
    state: { ...loaded.state, ...sceneState }, messages: [...query.errors, ...loaded.errors],
    layout: query.embed ? 'compact' : 'full', views: query.views, controls: query.controls, editable: query.editable,
    fill: query.embed, ownsDocument: true, idPrefix: '', shadow: false, stylesheet: null,
    createWorker, fullLab: here.href,
    onScene: (scene) => { if (embedded) window.parent.postMessage({ type: 'scaling-path-lab:scene', scene }, '*'); },
  });
  if (query.scene) lab.setScene(query.scene, query.scenes, false, !inLink.has('data'));

  // A host page may drive an embedded lab: the next scene, a named scene, the theme (its own, so
  // that the lab follows it). Only its parent is heard, and only these values.
  if (embedded) {
    window.addEventListener('message', (e) => {
      const d = e.source === window.parent && e.data && typeof e.data === 'object' ? e.data : null;
      if (!d) return;
      if (d.type === 'scaling-path-lab:next') lab.nextScene();
      else if (d.type === 'scaling-path-lab:scene' && SCENE_NAMES.includes(d.scene)) lab.setScene(d.scene);
      else if (d.type === 'scaling-path-lab:theme') {
        try { lab.set({ theme: FIELDS.theme.read(d.theme) }, 'api'); } catch (err) { lab.show(err.message); }
      }
    });
  }

  /** The message an embedded lab posts to its host page with the height it needs (docs/EMBEDDING.md). */
  const SIZE_MESSAGE = 'scaling-path-lab:size';

  // In an iframe, the lab tells its host how tall it wants to be whenever that changes (views
  // shown, a message, the width), so that a host may size the frame to fit: nothing cut off, no
  // scroller inside the frame. Only a number is sent.
  if (embedded) {
    let told = 0;
    const tell = () => {
      const height = lab.naturalHeight();
      if (height > 0 && height !== told) { told = height; window.parent.postMessage({ type: SIZE_MESSAGE, height }, '*'); }
    };
    new ResizeObserver(tell).observe(lab.root);
    new MutationObserver(tell).observe(lab.root, { subtree: true, attributes: true, attributeFilter: ['hidden'] });
    tell();
  }

  /** Read-only view of the page for the browser tests and the curious. */
  window.__lab = Object.freeze({
    state: () => structuredClone(lab.store.get()),
    status: () => ({ ready: lab.client.ready, done: lab.done, reports: lab.path.reports.length,
      pathId: lab.path.current ? lab.path.current.id : 0, failed: lab.app.failed, messages: lab.messages.list.slice(),
      gdSupported: lab.gd.supported, gdRuns: lab.gd.cache.size, frames: lab.frames, draws: lab.draws,
      limits: !!lab.path.limits, firstFitDrawnAt: lab.probe.firstFitDrawnAt, frameEndAt: lab.probe.frameEndAt,
      fitFrames: lab.probe.fitFrames.map((f) => f.slice()),
      exactSolved: lab.app.exactSeries ? lab.app.exactSeries().length : 0 }),
    /** Gradient descent played back: the frame shown, how many, its fit; and the run's final fit. */
    gdPlayback: () => {
      const p = lab.app.gdPlayback, run = lab.app.gdRun;
      return { frame: p ? p.frame : -1, frames: p ? p.frames : 0, playing: !!(p && p.playing), fit: p ? Array.from(p.fit()) : null,
        finalFit: run ? Array.from(run.fit.y) : null };
    },
    /** f at the selected τ on the grid, as drawn. */
    fit: () => { const f = lab.path.fitAt(lab.store.get().tau); return f ? { x: Array.from(lab.path.fitX), y: Array.from(f) } : null; },
    /** Where the data points are drawn, in client (page) pixels. */
    points: () => {
      const r = lab.$('fit-canvas').getBoundingClientRect(), p = lab.fitView.plot;
      return lab.store.get().data.map(([x, y]) => [r.left + p.px(x), r.top + p.py(y)]);
    },
    /** An export as {type, size, base64} (for the tests of the export formats). */
    exportBase64: async (kind) => {
      const blob = await lab.exportBlob(kind);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { type: blob.type, size: blob.size, base64: btoa(s) };
    },
  });
}
