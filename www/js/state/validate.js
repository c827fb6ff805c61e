// Input checks shared by the URL hash, the CSV box and the controls. The data's messages are the
// core's own (src/input/error.rs DATA_MESSAGES, generated into limits.js); the fields' follow the CLI's
// wording: they name the value and the range.

import { CORE_LIMITS, CORE_MESSAGES } from './limits.js';

/** The core's data message `key` with each `{name}` replaced by `values[name]`, in one pass
 * (user text inside a value is never read as a placeholder), as src/input/error.rs `data_message`. */
export function dataMessage(key, values = {}) {
  return CORE_MESSAGES[key].replace(/\{([A-Za-z0-9]+)\}/g, (m, name) => (Object.hasOwn(values, name) ? String(values[name]) : m));
}

// The page's limits: the core's own (limits.js, generated from src/input/params.rs), except two the
// page keeps tighter so that a tab stays responsive, stated in the UI: at most 5 001 plotted
// points and 10⁶ gradient-descent steps (the CLI allows 10⁵ and 10⁸).
export const LIMITS = Object.freeze({ ...CORE_LIMITS, gridCount: Math.min(5001, CORE_LIMITS.gridCount), gdSteps: Math.min(1000000, CORE_LIMITS.gdSteps) });

// Unambiguous (no two quantifiers compete for the same digits): linear time on any input.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const NONFINITE = /^[+-]?(inf|infinity|nan)$/i;
/** Longer text is not a number anyone typed (a double needs at most 24 characters). */
const MAX_NUMBER_TEXT = 100;

/**
 * Text of any value for the readers and messages, without calling user code (an object's own
 * toString): numbers as String(x), strings as they are, anything else as its type tag.
 */
export function asText(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === undefined || v === null) return String(v);
  return Object.prototype.toString.call(v);
}

/** Parses a decimal number strictly ('' and '0x10' are not numbers); NaN when not a number. */
export function parseNumber(s) {
  const t = asText(s).trim();
  if (t.length > MAX_NUMBER_TEXT) return NaN;
  if (DECIMAL.test(t)) return Number(t);
  if (NONFINITE.test(t)) return t.replace(/^[+-]/, '').toLowerCase() === 'nan' ? NaN : (t[0] === '-' ? -Infinity : Infinity);
  return NaN;
}

/** Shortens user text for messages (at most 40 characters, like the CLI). */
export function shorten(s) {
  const t = asText(s);
  return t.length > 40 ? t.slice(0, 40) + '…' : t;
}

function fail(msg) { throw new Error(msg); }

export function positive(name, s) {
  const v = parseNumber(s);
  if (!(v > 0) || !Number.isFinite(v)) fail(`${name} must be a positive number, got '${shorten(s)}'`);
  return v;
}

export function nonnegative(name, s) {
  const v = parseNumber(s);
  if (!(v >= 0) || !Number.isFinite(v)) fail(`${name} must be a nonnegative number, got '${shorten(s)}'`);
  return v;
}

export function finite(name, s) {
  const v = parseNumber(s);
  if (!Number.isFinite(v)) fail(`${name} must be a finite number, got '${shorten(s)}'`);
  return v;
}

export function integer(name, s, min, max) {
  const v = parseNumber(s);
  if (!Number.isInteger(v) || v < min || v > max) fail(`${name} must be an integer between ${min} and ${max}, got '${shorten(s)}'`);
  return v;
}

/** At λ = 0 two points with the same x need the same y. Returns a message or null. */
export function infeasible(data, lambda) {
  if (lambda > 0) return null;
  const seen = new Map();
  for (let i = 0; i < data.length; i++) {
    const [x, y] = data[i];
    const j = seen.get(x);
    if (j !== undefined && data[j][1] !== y) return dataMessage('infeasible', { first: j + 1, second: i + 1, x, y1: data[j][1], y2: y });
    if (j === undefined) seen.set(x, i);
  }
  return null;
}

/** Checks a point list: 1 … 100 finite points. Returns a message or null. */
export function badData(data) {
  if (!data.length) return dataMessage('emptyData');
  if (data.length > LIMITS.points) return dataMessage('tooManyPoints', { n: data.length, max: LIMITS.points });
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i][0]) || !Number.isFinite(data[i][1])) return dataMessage('nonFinite', { point: i + 1, x: data[i][0], y: data[i][1] });
  }
  return null;
}

/**
 * CSV with the header `x,y` (`#` comments and blank lines skipped; `,` `;` or tab separate), as
 * the CLI reads it. Returns {data} or {error: 'data line N: …'}.
 */
export function parseCsv(text) {
  const lines = String(text).replace(/^\uFEFF/, '').split(/\r?\n/);
  const data = [];
  let header = false;
  for (let k = 0; k < lines.length; k++) {
    const line = k + 1, content = lines[k].trim();
    if (!content || content.startsWith('#')) continue;
    const cells = content.split(/[,;\t]/).map((c) => c.trim());
    if (!header) {
      header = true;
      if (cells.length === 2 && cells[0].toLowerCase() === 'x' && cells[1].toLowerCase() === 'y') continue;
      return { error: dataMessage('badLine', { line, reason: dataMessage('header', { found: shorten(content) }) }) };
    }
    const lineError = (reason) => ({ error: dataMessage('badLine', { line, reason }) });
    if (cells.length !== 2) return lineError(dataMessage('cellCount', { count: cells.length, found: shorten(content) }));
    const xy = [];
    for (const [cell, what] of [[cells[0], 'x'], [cells[1], 'y']]) {
      const v = parseNumber(cell);
      if (Number.isNaN(v) && !NONFINITE.test(cell)) return lineError(dataMessage('notANumber', { what, cell: shorten(cell) }));
      if (!Number.isFinite(v)) return lineError(dataMessage('notFinite', { what, cell }));
      xy.push(v);
    }
    data.push(xy);
  }
  const bad = badData(data);
  return bad ? { error: bad } : { data };
}

/** The data as CSV text (shortest round-tripping numbers). */
export function toCsv(data) {
  return 'x,y\n' + data.map(([x, y]) => `${x},${y}`).join('\n') + '\n';
}
