// The full lab's first module (index.html loads it, async, before js/main.js): it starts the
// solver workers at once, so that they fetch and compile their WebAssembly while the page's own
// script is still loading — otherwise the first worker would be created only once it had
// arrived, and the second at the first fit, on cores busy solving. It imports nothing but
// env.js, so it runs as soon as it has arrived (measured: docs/SOLVER.md, "Measured choices").
import { workerFactory } from './env.js';

const start = workerFactory();

/** Workers started here, not yet handed to the page: the first worker, and on a machine with
 * two or more cores the second one that a split path uses (js/compute/lab-compute.js). */
const prestarted = [];
// A link to inputs in the plane (`dim=2`) opens the plane's lab, which has a worker of its own.
const plane = new URLSearchParams(location.hash.replace(/^#/, '')).get('dim') === '2';
if (!plane) prestarted.push(hold(start()));
if (!plane && (navigator.hardwareConcurrency || 1) >= 2) prestarted.push(hold(start()));

/**
 * Keeps what a worker says until the page takes it: replies that arrive before the page's
 * WorkerClient listens (a `ready`, a start-up error) would otherwise be lost. The client takes
 * `worker.scalingPathEarly` first (js/compute/worker-client.js).
 */
function hold(worker) {
  const early = { messages: [], error: null };
  worker.scalingPathEarly = early;
  worker.onmessage = (e) => early.messages.push(e.data);
  worker.onerror = (e) => { e.preventDefault(); early.error = e.message || 'unknown error'; };
  return worker;
}

/** A new solver worker: the ones started when this module ran first, then fresh ones. */
export function createWorker() {
  return prestarted.shift() || start();
}
