// The page's worker client (www/js/compute/worker-client.js) in Node, with a stand-in worker: what a
// worker said before the client listened (js/boot.js starts the full lab's workers before the
// page's modules have loaded, and keeps their replies) reaches the client, in order, before
// anything said later. Run: node --test tests/browser/worker-client.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerClient } from '../../www/js/compute/worker-client.js';

/** A worker stand-in: records what the client posts; `say(msg)` delivers a reply. */
function fakeWorker(early) {
  const w = { posted: [], onmessage: null, onerror: null, onmessageerror: null };
  w.postMessage = (msg) => w.posted.push(msg);
  w.terminate = () => {};
  w.say = (msg) => w.onmessage({ data: msg });
  if (early) w.scalingPathEarly = early;
  return w;
}

function recorder() {
  const seen = [];
  const handlers = {
    ready: (version) => seen.push(['ready', version]),
    path: (msg) => seen.push([msg.type, msg.id]),
    gd: (msg) => seen.push([msg.type, msg.id]),
    error: (message, kind) => seen.push(['error', kind, message]),
    crash: (message) => seen.push(['crash', message]),
  };
  return { seen, handlers };
}

test('replies kept before the client listened are taken first, in order', () => {
  const worker = fakeWorker({ messages: [{ type: 'ready', version: '9.9.9' }], error: null });
  const { seen, handlers } = recorder();
  const client = new WorkerClient(handlers, () => worker);
  assert.equal(client.ready, true, 'the kept ready counts');
  assert.deepEqual(seen, [['ready', '9.9.9']]);
  assert.equal(worker.scalingPathEarly, undefined, 'taken once');
  const id = client.solve({ x: [0], y: [1] });
  worker.say({ type: 'selected', id, report: {} });
  assert.deepEqual(seen, [['ready', '9.9.9'], ['selected', id]]);
});

test('a worker that failed before the client listened is reported as a crash', () => {
  const worker = fakeWorker({ messages: [], error: 'SyntaxError: Unexpected token' });
  const { seen, handlers } = recorder();
  const client = new WorkerClient(handlers, () => worker);
  assert.equal(client.ready, false);
  assert.deepEqual(seen, [['crash', 'the solver worker failed to start: SyntaxError: Unexpected token']]);
});

test('a worker with nothing kept (not started early) behaves as before', () => {
  const worker = fakeWorker(null);
  const { seen, handlers } = recorder();
  const client = new WorkerClient(handlers, () => worker);
  assert.deepEqual(seen, []);
  worker.say({ type: 'ready', version: '1' });
  assert.equal(client.ready, true);
  assert.deepEqual(seen, [['ready', '1']]);
});
