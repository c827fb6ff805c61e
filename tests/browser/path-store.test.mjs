// The page's path store (www/js/compute/path-store.js) in Node: which request's replies are drawn when
// a dragged point's solves run on two workers at once (requests kept awaited with `keepOlder`).
// Run: node --test tests/browser/path-store.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PathStore } from '../../www/js/compute/path-store.js';

const config = { tauCount: 41 };
/** A `selected` reply for request `id` at τ = 1 with a fit of the value `v`. */
const selected = (id, v) => ({ type: 'selected', id, report: { tau: 1, fit: { x: Float64Array.of(0, 1), y: Float64Array.of(v, v) } } });

test('an earlier request that answers first is drawn; the later one replaces it when it answers', () => {
  const store = new PathStore();
  store.begin(1, config, 'a', 1);
  store.begin(-1, config, 'b', 1, true); // the second worker's, while the first still solves
  assert.equal(store.receive(selected(1, 0.1)), true);
  assert.equal(store.current.id, 1);
  assert.equal(store.pending.id, -1, 'the later request is still awaited');
  assert.equal(store.receive({ type: 'limits', id: 1, kernel: null, rich: null }), true, 'the drawn path gets its limits');
  assert.equal(store.receive(selected(-1, 0.2)), true);
  assert.equal(store.current.id, -1);
  assert.equal(store.fitAt(1)[0], 0.2);
  assert.equal(store.pending, null);
});

test('a later request that answers first supersedes the earlier ones: their replies are dropped', () => {
  const store = new PathStore();
  store.begin(1, config, 'a', 1);
  store.begin(-1, config, 'b', 1, true);
  store.begin(2, config, 'c', 1, true);
  assert.equal(store.receive(selected(-1, 0.2)), true, 'the middle one answers first');
  assert.equal(store.current.id, -1);
  assert.deepEqual(store.older.map((p) => p.id), []);
  assert.equal(store.pending.id, 2);
  assert.equal(store.receive(selected(1, 0.1)), false, 'the first one is superseded');
  assert.equal(store.current.id, -1);
  assert.equal(store.receive(selected(2, 0.3)), true);
  assert.equal(store.fitAt(1)[0], 0.3);
  assert.equal(store.receive(selected(-1, 0.2)), false, 'a late repeat of a superseded request');
});

test('a request without keepOlder drops every earlier one; forget stops awaiting a failed one', () => {
  const store = new PathStore();
  store.begin(1, config, 'a', 1);
  store.begin(-1, config, 'b', 1, true);
  store.begin(2, config, 'c', 1); // the whole path once the point is released
  assert.deepEqual(store.older, []);
  assert.equal(store.receive(selected(1, 0.1)), false);
  assert.equal(store.receive(selected(-1, 0.2)), false);
  store.begin(-2, config, 'd', 1, true);
  store.forget(-2);
  assert.equal(store.pending.id, 2, 'the failed request was the latest: the one before stays awaited');
  store.forget(2);
  assert.equal(store.pending, null);
  assert.equal(store.receive(selected(2, 0.3)), false);
  assert.equal(store.current, null);
});

test('a dragged point\'s request shows the limits drawn before it until its own come', () => {
  const store = new PathStore();
  const drag = { tauCount: 41, selectedOnly: true };
  const limits = (id, v) => ({ type: 'limits', id, kernel: { fit: { x: Float64Array.of(0, 1), y: Float64Array.of(v, v) } }, rich: null });
  store.begin(1, config, 'a', 1);
  store.receive(selected(1, 0.1));
  store.receive(limits(1, 0.5));
  store.begin(2, drag, 'b', 1, true);
  store.receive(selected(2, 0.2));
  assert.equal(store.current.limits.kernel.fit.y[0], 0.5, 'the limits drawn before');
  store.receive(limits(2, 0.6));
  assert.equal(store.current.limits.kernel.fit.y[0], 0.6, 'its own, once they come');
  store.begin(3, config, 'c', 1); // the whole path: its limits come with it
  store.receive(selected(3, 0.3));
  assert.equal(store.current.limits, null);
});

