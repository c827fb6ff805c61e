// What an embedder can ask for — mount() options and the embed-mode URL query — read with the
// rules and messages of the link and the form (state.js FIELDS, validate.js; the CLI's wording).
// Nothing read here is ever evaluated or inserted as HTML: values become numbers, booleans or
// members of fixed lists, and text only ever reaches a message (as textContent).
import { DEFAULTS, FIELDS, checkState, fromHash, readDataValue } from './state.js';
import { CONTROL_GROUPS } from '../ui/markup-settings.js';
import { gridFor } from './presets.js';
import { asText, shorten } from './validate.js';
import { SCENE_NAMES } from '../app/scenes.js';

export const VIEW_NAMES = ['fit', 'scrubber', 'neurons', 'curves'];
export const CONTROL_NAMES = ['play', ...CONTROL_GROUPS, 'theme', 'export'];
/** Embed mode and mount() show these unless told otherwise. */
export const DEFAULT_VIEWS = ['fit', 'scrubber'];
export const DEFAULT_CONTROLS = ['play'];

const STATE_KEYS = Object.keys(FIELDS);

/** A list option: an array or comma-separated text of names from `names`, 'all' or 'none'. */
export function readList(name, v, names) {
  const items = (Array.isArray(v) ? v.slice(0, 100).map(asText) : asText(v).split(',', 100)).map((t) => t.trim()).filter(Boolean);
  if (items.length === 1 && items[0] === 'all') return new Set(names);
  if (items.length === 1 && items[0] === 'none') return new Set();
  const bad = items.find((t) => !names.includes(t));
  if (bad !== undefined || (Array.isArray(v) && v.length > 100)) {
    throw new Error(`${name} must be a comma-separated list of ${names.join(', ')} (or all, or none), got '${shorten(bad ?? '…')}'`);
  }
  return new Set(items);
}

function readBoolOption(name, v) {
  const t = asText(v);
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new Error(`${name} must be true or false, got '${shorten(v)}'`);
}

/** A URL the lab may link to or load from: http(s) or file, resolved against the page. */
export function readUrl(name, v) {
  let u;
  try { u = new URL(asText(v), document.baseURI); } catch { u = null; }
  if (!u || !['http:', 'https:', 'file:'].includes(u.protocol)) throw new Error(`${name} must be an http(s) URL, got '${shorten(v)}'`);
  return u.href;
}

/**
 * A patch of the state from API values over `base`: every key read by FIELDS (data by
 * readDataValue; new data without a grid gets the grid around it; m without N means finite
 * width). Returns {patch, errors} — the patch holds only the keys that read well.
 */
export function readStatePatch(opts, base) {
  const patch = {}, errors = [];
  for (const key of STATE_KEYS) {
    if (!Object.hasOwn(opts, key)) continue;
    try { patch[key] = FIELDS[key].read(opts[key]); } catch (e) { errors.push(e.message); }
  }
  if (Object.hasOwn(opts, 'data')) {
    try {
      patch.data = readDataValue(opts.data).data;
      const grid = gridFor(patch.data, patch.gridCount ?? base.gridCount);
      if (!Object.hasOwn(patch, 'gridMin') && !Object.hasOwn(patch, 'gridMax')) Object.assign(patch, grid);
    } catch (e) { errors.push(e.message); }
  }
  if (!Object.hasOwn(opts, 'net') && Object.hasOwn(patch, 'width') !== Object.hasOwn(patch, 'directions')) {
    patch.net = Object.hasOwn(patch, 'width') ? 'finite' : 'inf';
  }
  return { patch, errors };
}

/** τ outside [tauMin, tauMax] as a message (the API refuses it; the link clamps it). */
export function tauOutside(s) {
  return s.tau < s.tauMin || s.tau > s.tauMax ? `tau = ${s.tau} is outside the τ range [${s.tauMin}, ${s.tauMax}]` : null;
}

const OPTION_KEYS = new Set([...STATE_KEYS, 'data', 'hash', 'views', 'controls', 'editable', 'fill', 'shadow', 'workerUrl', 'labUrl', 'stylesheet']);

/**
 * mount()'s options: {state, views, controls, editable, fill, shadow, workerUrl, labUrl,
 * stylesheet, errors}. A value that does not read keeps its default and adds a message.
 */
export function readOptions(opts) {
  const errors = [];
  if (opts === undefined || opts === null) opts = {};
  if (typeof opts !== 'object' || Array.isArray(opts)) { errors.push(`options must be an object, got '${shorten(opts)}'`); opts = {}; }
  for (const k of Object.keys(opts)) if (!OPTION_KEYS.has(k)) errors.push(`unknown option '${shorten(k)}' (ignored)`);
  let state = { ...DEFAULTS, data: DEFAULTS.data.map((p) => p.slice()) };
  if (Object.hasOwn(opts, 'hash')) {
    const text = asText(opts.hash), i = text.indexOf('#');
    const r = fromHash(i >= 0 ? text.slice(i) : text, state);
    state = r.state; errors.push(...r.errors);
  }
  const { patch, errors: bad } = readStatePatch(opts, state);
  errors.push(...bad);
  const next = { ...state, ...patch };
  const problem = checkState(next) || tauOutside(next);
  if (problem) errors.push(`${problem} (the defaults are kept)`); else state = next;
  const take = (key, read, fallback) => {
    if (!Object.hasOwn(opts, key) || opts[key] === undefined) return fallback;
    try { return read(key, opts[key]); } catch (e) { errors.push(e.message); return fallback; }
  };
  return {
    state,
    views: take('views', (k, v) => readList(k, v, VIEW_NAMES), new Set(DEFAULT_VIEWS)),
    controls: take('controls', (k, v) => readList(k, v, CONTROL_NAMES), new Set(DEFAULT_CONTROLS)),
    editable: take('editable', readBoolOption, true),
    fill: take('fill', readBoolOption, false),
    shadow: take('shadow', readBoolOption, true),
    workerUrl: take('workerUrl', readUrl, null),
    labUrl: take('labUrl', readUrl, null),
    stylesheet: take('stylesheet', (k, v) => (v === false || v === 'false' ? false : readUrl(k, v)), null),
    errors,
  };
}

/**
 * The page's query: ?embed=1&views=fit,scrubber&controls=play,tau&edit=0. Returns {embed,
 * views, controls, editable, errors}; other parameters (e.g. a tracker's) are left alone.
 */
export function readQuery(search) {
  const q = new URLSearchParams(search), errors = [];
  const take = (key, read, fallback) => {
    if (!q.has(key)) return fallback;
    try { return read(q.get(key)); } catch (e) { errors.push(e.message); return fallback; }
  };
  const embed = take('embed', (v) => readBoolOption('embed', v), false);
  const chain = take('scenes', (v) => [...readList('scenes', v, SCENE_NAMES)], []);
  const scene = take('scene', (v) => {
    if (!SCENE_NAMES.includes(asText(v))) throw new Error(`scene must be one of ${SCENE_NAMES.join(', ')}, got '${shorten(v)}'`);
    return asText(v);
  }, chain[0] ?? null);
  const out = {
    embed,
    scene,
    scenes: scene && !chain.includes(scene) ? [scene] : chain,
    views: take('views', (v) => readList('views', v, VIEW_NAMES), new Set(DEFAULT_VIEWS)),
    controls: take('controls', (v) => readList('controls', v, CONTROL_NAMES), new Set(DEFAULT_CONTROLS)),
    editable: take('edit', (v) => readBoolOption('edit', v), true),
    errors,
  };
  if (!embed && ['views', 'controls', 'edit'].some((k) => q.has(k))) errors.push('views, controls and edit apply to the embed mode only: add embed=1');
  return out;
}
