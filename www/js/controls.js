// The settings form and the data panel, bound to the store: inputs apply on `change` through
// the same checks as the URL (validate.js); a refused value stays in its input, marked
// aria-invalid, with the message in the alert area.
import { LIMITS, integer, nonnegative, finite, parseCsv, positive, toCsv } from './validate.js';
import { PRESETS, gridFor } from './presets.js';

const TEXT = [
  ['tau', 'tau', (v) => positive('tau', v)],
  ['tau-min', 'tauMin', (v) => positive('tau min', v)],
  ['tau-max', 'tauMax', (v) => positive('tau max', v)],
  ['tau-count', 'tauCount', (v) => integer('number of tau', v, 1, LIMITS.tauCount)],
  ['lambda', 'lambda', (v) => nonnegative('lambda', v)],
  ['directions', 'directions', (v) => integer('N (directions)', v, 1, LIMITS.directions)],
  ['width', 'width', (v) => integer('m (width)', v, 1, LIMITS.width)],
  ['seed', 'seed', (v) => integer('seed', v, 0, 4294967295)],
  ['gd-width', 'gdWidth', (v) => integer('GD width', v, 1, LIMITS.width)],
  ['gd-seed', 'gdSeed', (v) => integer('GD seed', v, 0, 4294967295)],
  ['gd-steps', 'gdSteps', (v) => integer('GD steps', v, 1, LIMITS.gdSteps)],
  ['grid-min', 'gridMin', (v) => finite('x from', v)],
  ['grid-max', 'gridMax', (v) => finite('x to', v)],
  ['grid-count', 'gridCount', (v) => integer('grid points', v, 2, 5001)],
];

export class Controls {
  /** app: {store, message(text), clearMessages()} */
  constructor(app) {
    this.app = app;
    const $ = (id) => document.getElementById(id);
    this.$ = $;
    for (const [id, key, read] of TEXT) {
      $(id).addEventListener('change', (e) => {
        let v;
        try { v = read(e.target.value); } catch (err) { return this.#refuse(e.target, err.message); }
        this.#apply(e.target, { [key]: v });
      });
    }
    $('law').addEventListener('change', (e) => this.#apply(e.target, { law: e.target.value }));
    $('symmetric').addEventListener('change', (e) => this.#apply(e.target, { symmetric: e.target.checked }));
    $('gd').addEventListener('change', (e) => this.#apply(e.target, { gd: e.target.checked }));
    for (const id of ['net-inf', 'net-finite']) $(id).addEventListener('change', (e) => this.#apply(e.target, { net: e.target.value }));
    $('settings').addEventListener('submit', (e) => e.preventDefault());
    for (const p of PRESETS) {
      const b = document.createElement('button');
      b.type = 'button'; b.textContent = p.label; b.dataset.preset = p.id;
      b.addEventListener('click', () => { const data = p.data(); this.#apply(b, { data, ...gridFor(data, app.store.get().gridCount) }); });
      $('presets').appendChild(b);
    }
    $('apply-csv').addEventListener('click', () => {
      const r = parseCsv($('csv').value);
      if (r.error) return this.#refuse($('csv'), r.error);
      this.#apply($('csv'), { data: r.data, ...gridFor(r.data, app.store.get().gridCount) });
    });
  }

  #refuse(el, message) {
    el.setAttribute('aria-invalid', 'true');
    this.app.message(message);
  }

  #apply(el, patch) {
    const problem = this.app.store.set(patch, 'ui');
    if (problem) { this.#refuse(el, problem); this.render(this.app.store.get(), true); return; }
    el.removeAttribute('aria-invalid');
    if (patch.data) this.$('csv').removeAttribute('aria-invalid');
    this.app.clearMessages();
  }

  /** Shows the state in the inputs (the focused text input keeps what is being typed). */
  render(s, force = false) {
    const $ = this.$, active = document.activeElement;
    for (const [id, key] of TEXT) {
      const el = $(id);
      if (el === active && !force) continue;
      if (el.getAttribute('aria-invalid') === 'true' && !force) continue;
      el.value = String(s[key]);
    }
    $('law').value = s.law;
    $('symmetric').checked = s.symmetric;
    $('gd').checked = s.gd;
    $('net-inf').checked = s.net === 'inf';
    $('net-finite').checked = s.net === 'finite';
    $('directions').disabled = s.net !== 'inf';
    $('width').disabled = s.net !== 'finite';
    $('seed').disabled = s.net !== 'finite';
    if ($('csv') !== active && $('csv').getAttribute('aria-invalid') !== 'true') $('csv').value = toCsv(s.data);
  }

  /** Clears the invalid marks (after a state arrived from elsewhere, e.g. the URL). */
  reset(s) {
    for (const el of document.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
    this.render(s, true);
  }
}
