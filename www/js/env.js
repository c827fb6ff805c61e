// Where an instance finds its worker, its stylesheet and the full lab, relative to this module —
// so that a page anywhere on the lab's origin can import js/lab.js. The single-file build
// (scripts/build-single.sh) replaces this module with one whose worker is the inlined worker
// started from a blob: URL, with no stylesheet to load (it is inlined) and the file itself as
// the full lab.

/**
 * A function that starts a new solver worker: the module worker ../worker.js (or `url`). A
 * worker must come from the page's origin; for a lab on another origin a classic bootstrap from
 * a blob: URL import()s it (the lab's server must then send CORS headers, as GitHub Pages does).
 */
export function workerFactory(url) {
  const href = url ? String(url) : new URL('../worker.js', import.meta.url).href;
  if (new URL(href).origin === location.origin) return () => new Worker(href, { type: 'module' });
  // Requests posted before the module has run are kept for it (worker.js takes them).
  const boot = 'self.scalingPathEarlyMessages = []; self.onmessage = (e) => self.scalingPathEarlyMessages.push(e);\n' +
    `import(${JSON.stringify(href)}).catch((e) => postMessage({ type: 'error', id: null, ` +
    `message: 'the solver worker could not be loaded from ' + ${JSON.stringify(href)} + ': ' + (e && e.message) }));`;
  const blob = URL.createObjectURL(new Blob([boot], { type: 'text/javascript' }));
  return () => new Worker(blob);
}

/** A function that starts a new worker for inputs in the plane (../plane-worker.js). */
export function planeWorkerFactory() {
  const href = new URL('../plane-worker.js', import.meta.url).href;
  return () => new Worker(href, { type: 'module' });
}

/** The lab's stylesheet, loaded by mount() (into the shadow root, or once into <head>). */
export const STYLESHEET = new URL('../css/lab.css', import.meta.url).href;

/** The full lab, where "Open in the full lab" goes (with the state in the hash). */
export const FULL_LAB = new URL('../index.html', import.meta.url).href;

/** True in the single-file build. */
export const SINGLE_FILE = false;
