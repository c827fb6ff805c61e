// The worker protocol's reports back in the CLI's JSON schema (for the lab's JSON export and
// the tests that hold the two together). No browser API: Node imports it too.

/** What the worker adds to the core's reports for the page alone (not in the CLI's schema). */
const PAGE_ONLY = new Set(['testError']);

/**
 * A report of the worker protocol back in the CLI's schema: the inverse of the transport rules
 * of src/bindings/to_js.rs — camelCase keys back to snake_case, flat Float64Arrays back to
 * arrays (of rows of `rows[key]` numbers for the keys that have rows: the widths of the Rust
 * types' `[f64; k]`), undefined fields left out. The field names themselves come from the core.
 */
export function toCliSchema(obj, rows = {}) {
  const out = {};
  for (const [key, v] of Object.entries(obj)) {
    if (v === undefined || PAGE_ONLY.has(key)) continue;
    const name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (ArrayBuffer.isView(v)) {
      const k = rows[key], flat = Array.from(v);
      out[name] = k ? Array.from({ length: Math.floor(flat.length / k) }, (_, i) => flat.slice(i * k, i * k + k)) : flat;
    } else if (v && typeof v === 'object' && !Array.isArray(v)) out[name] = toCliSchema(v);
    else out[name] = v;
  }
  return out;
}

/** Row widths of the reports' `neurons`: [p, share, a, w, b] per τ, [a, w, b] elsewhere. */
export const TAU_ROWS = { neurons: 5 }, NEURON_ROWS = { neurons: 3 };
