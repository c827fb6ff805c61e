// The settings form and the data panel, bound to the store: inputs apply on `change` through
// the same readers as the URL and the API (state.js FIELDS); a refused value stays in its input,
// marked aria-invalid, with the message right under it (role="alert", the input described by
// it): only the current message of each control, gone once the control's value is applied or
// the data change from elsewhere. Elements come from the instance (`$`), never from the document.
import { parseCsv, toCsv } from '../state/validate.js';
import { FIELDS } from '../state/state.js';
import { PRESETS, gridFor } from '../state/presets.js';
import { isPlaneCsv, readPlaneData } from '../plane/plane-state.js';

/** Text inputs: element name, state key, the name their messages use. */
const TEXT = [
  ['tau', 'tau', 'tau'],
  ['tau-min', 'tauMin', 'tau min'],
  ['tau-max', 'tauMax', 'tau max'],
  ['tau-count', 'tauCount', 'number of tau'],
  ['lambda', 'lambda', 'lambda'],
  ['directions', 'directions', 'N (directions)'],
  ['width', 'width', 'm (width)'],
  ['seed', 'seed', 'seed'],
  ['gd-width', 'gdWidth', 'GD width'],
  ['gd-seed', 'gdSeed', 'GD seed'],
  ['gd-steps', 'gdSteps', 'GD steps'],
  ['grid-min', 'gridMin', 'x from'],
  ['grid-max', 'gridMax', 'x to'],
  ['grid-count', 'gridCount', 'grid points'],
  ['target-points', 'targetPoints', 'points'],
  ['target-noise', 'targetNoise', 'noise'],
  ['target-seed', 'targetSeed', 'target seed'],
];

export class Controls {
  /** app: {store, error(text): tells the host, clearMessages(), sampleTarget({target, points,
   * noise, seed}): asks the solver for points drawn from a ground truth}; $: the instance's
   * element lookup. */
  constructor(app, $) {
    this.app = app;
    this.$ = $;
    /** control → the element of its message */
    this.messageOf = new Map();
    for (const id of [...TEXT.map((t) => t[0]), 'csv', 'law', 'symmetric', 'gd', 'net-inf', 'net-finite', 'target']) this.messageOf.set($(id), $(`${id}-message`));
    for (const [id, key, name] of TEXT) {
      $(id).addEventListener('change', (e) => {
        let v;
        try { v = FIELDS[key].read(e.target.value, name); } catch (err) { return this.#refuse(e.target, err.message); }
        if (key === 'tau') this.typedTau = v;
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
    // The ground truth: a preset fills the box (the solver knows the names), "Draw" asks the
    // solver for the points; the target is applied with them (LabApp.targetSampled).
    $('target-preset').addEventListener('change', (e) => {
      const v = e.target.value;
      if (!v) return;
      $('target').value = v === 'formula' ? '' : v;
      if (v === 'formula') $('target').focus();
    });
    $('target-draw').addEventListener('click', () => {
      let target;
      try { target = FIELDS.target.read($('target').value); } catch (err) { return this.#refuse($('target'), err.message); }
      if (!target) return this.#refuse($('target'), 'give a target: a name (sine, step, abs, kink, bump) or a formula in x');
      const s = app.store.get();
      app.sampleTarget({ target, points: s.targetPoints, noise: s.targetNoise, seed: s.targetSeed });
    });
    $('target-clear').addEventListener('click', () => this.#apply($('target'), { target: '' }));
    $('apply-csv').addEventListener('click', () => {
      // Inputs in the plane (the header x1,x2,y): the page switches to the plane's lab.
      if (isPlaneCsv($('csv').value)) {
        if (!app.toPlane) return this.#refuse($('csv'), 'inputs in the plane (x1,x2,y) open in the full lab: use "Open in the full lab", then paste them there');
        try { return app.toPlane(readPlaneData($('csv').value)); } catch (err) { return this.#refuse($('csv'), `points in the plane: ${err.message}`); }
      }
      const r = parseCsv($('csv').value);
      if (r.error) return this.#refuse($('csv'), r.error);
      this.#apply($('csv'), { data: r.data, ...gridFor(r.data, app.store.get().gridCount) });
    });
  }

  /** Marks `el` invalid with `message` under it (replacing any earlier one). */
  #refuse(el, message) {
    el.setAttribute('aria-invalid', 'true');
    const box = this.messageOf.get(el);
    if (box) {
      box.textContent = message;
      box.hidden = false;
      el.setAttribute('aria-describedby', box.id);
    }
    this.app.error(message);
  }

  /** Clears the invalid mark and the message of `el`. */
  #accept(el) {
    el.removeAttribute('aria-invalid');
    const box = this.messageOf.get(el);
    if (box) { box.hidden = true; box.textContent = ''; el.removeAttribute('aria-describedby'); }
  }

  #apply(el, patch) {
    const problem = this.app.store.set(patch, 'ui');
    // Refused: the text stays in its box (render keeps an invalid one); a checkbox, a radio or
    // a select shows the state again.
    if (problem) { this.#refuse(el, problem); this.render(this.app.store.get()); return; }
    this.#accept(el);
    this.app.clearMessages();
  }

  /** The data changed (from any source): the CSV box follows them again. */
  dataChanged() {
    this.#accept(this.$('csv'));
  }

  /** The solver refused the ground truth: its message under the box. */
  refuseTarget(message) { this.#refuse(this.$('target'), message); }

  /** The ground truth was applied. */
  targetApplied() { this.#accept(this.$('target')); }

  /** Shows the state in the inputs (the focused text input keeps what is being typed). */
  render(s, force = false) {
    const $ = this.$;
    const keep = (el) => !force && (el.matches(':focus') || el.getAttribute('aria-invalid') === 'true');
    for (const [id, key] of TEXT) {
      const el = $(id);
      if (!keep(el)) el.value = key === 'tau' ? this.#tauText(s.tau) : String(s[key]);
    }
    $('symmetric-note').hidden = s.net !== 'inf';
    $('law').value = s.law;
    $('symmetric').checked = s.symmetric;
    $('gd').checked = s.gd;
    $('net-inf').checked = s.net === 'inf';
    $('net-finite').checked = s.net === 'finite';
    $('directions').disabled = s.net !== 'inf';
    $('width').disabled = s.net !== 'finite';
    $('seed').disabled = s.net !== 'finite';
    if (!$('csv').matches(':focus') && $('csv').getAttribute('aria-invalid') !== 'true') $('csv').value = toCsv(s.data);
    // The target box is a draft until "Draw" applies it: rewritten only when the state's
    // target changes (a link, "No ground truth"), never by another control's change.
    if (s.target !== this.shownTarget || force) { this.shownTarget = s.target; if (!keep($('target'))) $('target').value = s.target; }
  }

  /**
   * The selected τ as its box shows it: as typed when it was typed there; otherwise (the slider,
   * play, a link) with the readout's three significant digits, so that box and readout agree.
   * The state and the link keep every digit.
   */
  #tauText(tau) {
    return tau === this.typedTau ? String(tau) : String(Number(tau.toPrecision(3)));
  }

  /** Clears the invalid marks (after a state arrived from elsewhere: the URL, the API). */
  reset(s) {
    for (const el of this.messageOf.keys()) this.#accept(el);
    this.render(s, true);
  }
}
