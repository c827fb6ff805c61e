// Building the DOM without an HTML parser: elements from a tag, attributes and children, where
// strings always become Text nodes — no text, ours or a user's, ever reaches innerHTML. A Builder
// prefixes ids (and the attributes that refer to ids) per instance, so that several labs on one
// page never share an id, and keeps every element that has an id in `byId` (by its unprefixed
// name): the instance finds its elements there, never through document.getElementById.

const ID_REFS = ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls'];

export class Builder {
  /** `prefix` is put before every id ('' for the full page, whose ids the tests know). */
  constructor(prefix = '') {
    this.prefix = prefix;
    this.byId = Object.create(null);
  }

  /**
   * An element. attrs: attribute → value (null/false: absent, true: present); `class`, `text`
   * and `dataset` are special; `id` and the id-referring attributes are prefixed.
   */
  h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'id') { el.id = this.prefix + v; this.byId[v] = el; }
      else if (ID_REFS.includes(k)) el.setAttribute(k, String(v).split(' ').map((id) => this.prefix + id).join(' '));
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    el.append(...children.flat(Infinity).filter((c) => c != null && c !== false));
    return el;
  }

  /**
   * Our static prose with a little inline markup, as nodes: **strong**, _em_, ~sub~, `code`.
   * (Only ever called on text written in this repository.)
   */
  rich(text) {
    const out = [];
    const re = /\*\*(.+?)\*\*|_(.+?)_|~(.+?)~|`(.+?)`/g;
    let last = 0, m;
    while ((m = re.exec(text))) {
      if (m.index > last) out.push(text.slice(last, m.index));
      const [tag, inner] = m[1] ? ['strong', m[1]] : m[2] ? ['em', m[2]] : m[3] ? ['sub', m[3]] : ['code', m[4]];
      out.push(this.h(tag, {}, ...this.rich(inner)));
      last = re.lastIndex;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }
}
