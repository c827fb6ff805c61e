// Runs www/worker.js in a Node worker thread as a browser would run it as a module worker:
// `self`, `postMessage`/`onmessage`, and a `fetch` that reads file: URLs (the wasm-bindgen
// `--target web` loader fetches the .wasm beside its module). Test-only hook: a message
// `{type: '__panic-next-step'}` makes the next PathSession.step() of the current module
// instance panic inside WASM (through the bindings' panicForTesting).
import { parentPort, workerData } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';

const nodeFetch = globalThis.fetch;
globalThis.fetch = async (url) => {
  const u = new URL(url instanceof Request ? url.url : String(url));
  if (u.protocol !== 'file:') return nodeFetch(url);
  return new Response(await readFile(u), { headers: { 'content-type': 'application/wasm' } });
};
globalThis.self = globalThis;
// Node's MessagePort delivers every queued message in one go (up to 1000 per wake-up), so a
// worker that yields by posting itself a message would not see its parent's messages between
// two units of work, as it does in a browser (one task per message). setImmediate restores the
// browser's interleaving: the parent's messages (poll phase) run between two units.
globalThis.MessageChannel = class {
  constructor() {
    this.port1 = { onmessage: null };
    this.port2 = { postMessage: (data) => setImmediate(() => this.port1.onmessage?.({ data })) };
  }
};
globalThis.postMessage = (msg, transfer) => parentPort.postMessage(msg, transfer);

const pkg = await import(new URL('pkg/scaling_path.js', workerData.workerUrl).href);
let panicNext = false;
const step = pkg.PathSession.prototype.step;
pkg.PathSession.prototype.step = function () {
  if (panicNext) {
    panicNext = false;
    pkg.panicForTesting('injected by the test');
  }
  return step.call(this);
};

// As in a browser, messages that arrive before the worker's script has run wait for it.
let early = [];
const deliver = (data) => globalThis.onmessage({ data });
parentPort.on('message', (data) => {
  if (data && data.type === '__panic-next-step') panicNext = true;
  else if (early) early.push(data);
  else deliver(data);
});
await import(workerData.workerUrl);
const waiting = early;
early = null;
for (const data of waiting) deliver(data);
