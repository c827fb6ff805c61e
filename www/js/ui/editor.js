// Points interaction on the Fit canvas. Pointer: click adds a point, drag moves one, right-click
// removes one. Keyboard: every point has a focusable handle (a real <button> laid over the
// canvas, so Tab reaches it and screen readers name it): arrows move it (Shift: finely),
// Delete/Backspace removes it.
import { fmt, roundTo } from './format.js';
import { LIMITS } from '../state/validate.js';

const HIT = 12; // px

export class Editor {
  /** api: {data(), set(data, dragging), message(text), focus(i)} */
  constructor(canvas, handles, view, api) {
    Object.assign(this, { canvas, handles, view, api });
    this.drag = -1;
    this.buttons = [];
    this.layoutKey = '';
    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    canvas.addEventListener('pointerup', (e) => this.#up(e));
    canvas.addEventListener('pointercancel', (e) => this.#up(e));
    canvas.addEventListener('contextmenu', (e) => this.#remove(e));
  }

  get plot() { return this.view.plot; }

  #local(e) {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  #hit(X, Y) {
    let best = -1, bd = HIT;
    this.api.data().forEach(([x, y], i) => {
      const d = Math.hypot(this.plot.px(x) - X, this.plot.py(y) - Y);
      if (d <= bd) { bd = d; best = i; }
    });
    return best;
  }

  /** Data coordinates of a pixel, clamped to the plot and rounded to the axes' resolution. */
  #coords(X, Y) {
    const p = this.plot;
    const x = p.invX(Math.min(p.right, Math.max(p.left, X)));
    const y = p.invY(Math.min(p.bottom, Math.max(p.top, Y)));
    return [roundTo(x, (p.x1 - p.x0) / 2000), roundTo(y, (p.y1 - p.y0) / 2000)];
  }

  #down(e) {
    if (e.button !== 0) return;
    const [X, Y] = this.#local(e);
    const p = this.plot;
    if (X < p.left || X > p.right || Y < p.top || Y > p.bottom) return;
    const data = this.api.data().map((q) => q.slice());
    let i = this.#hit(X, Y);
    if (i < 0) {
      if (data.length >= LIMITS.points) { this.api.message(`at most ${LIMITS.points} points (the solver's limit): remove one first`); return; }
      data.push(this.#coords(X, Y));
      i = data.length - 1;
    }
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.drag = i;
    this.api.set(data, true);
  }

  #move(e) {
    const [X, Y] = this.#local(e);
    if (this.drag < 0) {
      this.canvas.style.cursor = this.#hit(X, Y) >= 0 ? 'grab' : 'crosshair';
      return;
    }
    this.canvas.style.cursor = 'grabbing';
    const data = this.api.data().map((q) => q.slice());
    data[this.drag] = this.#coords(X, Y);
    this.api.set(data, true);
  }

  #up() {
    if (this.drag < 0) return;
    this.drag = -1;
    this.api.set(this.api.data(), false);
  }

  #remove(e) {
    const [X, Y] = this.#local(e);
    const i = this.#hit(X, Y);
    if (i < 0) return;
    e.preventDefault();
    this.#delete(i);
  }

  #delete(i) {
    const data = this.api.data();
    if (data.length <= 1) { this.api.message('the data set needs at least one point'); return; }
    this.api.set(data.filter((_, j) => j !== i), false);
  }

  /**
   * A keyboard move of point `i`: only the coordinate the arrow names changes, by 2 % of the
   * view (Shift: 0.2 %), rounded to the axes' resolution. A point inside the view stays inside
   * it; one outside (an explicit narrower x-range) moves from where it is, never snapped in.
   */
  #key(e, i) {
    const data = this.api.data().map((q) => q.slice());
    const p = this.plot, frac = e.shiftKey ? 0.002 : 0.02;
    const move = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [1, 1], ArrowDown: [1, -1] }[e.key];
    if (move) {
      e.preventDefault();
      const [axis, sign] = move;
      const [lo, hi] = axis === 0 ? [p.x0, p.x1] : [p.y0, p.y1];
      const v = data[i][axis];
      let next = roundTo(v + sign * (hi - lo) * frac, (hi - lo) / 2000);
      if (v >= lo && v <= hi) next = Math.min(hi, Math.max(lo, next));
      data[i][axis] = next;
      const problem = untouchedChanged(this.api.data(), data, i, axis);
      if (problem) { this.api.message(problem); return; }
      this.api.set(data, false);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      this.#delete(i);
      const next = this.buttons[Math.min(i, this.buttons.length - 1)];
      if (next && !next.hidden) next.focus({ preventScroll: true });
    }
  }

  /** Places one focusable handle over each point (after the fit view has set its axes). */
  layout() {
    const data = this.api.data(), p = this.plot;
    const key = `${p.w}x${p.h}|${p.x0}:${p.x1}|${p.y0}:${p.y1}|${data.join(';')}`;
    if (key === this.layoutKey) return;
    this.layoutKey = key;
    while (this.buttons.length < data.length) {
      const b = document.createElement('button');
      const i = this.buttons.length;
      b.type = 'button'; b.className = 'point-handle';
      b.addEventListener('keydown', (e) => this.#key(e, i));
      b.addEventListener('focus', () => this.api.focus(i));
      b.addEventListener('blur', () => this.api.focus(-1));
      this.handles.appendChild(b);
      this.buttons.push(b);
    }
    this.buttons.forEach((b, i) => {
      if (i >= data.length) { b.hidden = true; return; }
      const [x, y] = data[i];
      // A point beyond the plotted range keeps its handle, pinned to the plot's edge (so that
      // its focus ring shows where it is), and says so.
      const X = p.px(x), Y = p.py(y);
      const outside = X < p.left || X > p.right || Y < p.top || Y > p.bottom;
      b.hidden = false;
      b.classList.toggle('outside', outside);
      b.style.left = `${Math.min(p.right, Math.max(p.left, X))}px`; b.style.top = `${Math.min(p.bottom, Math.max(p.top, Y))}px`;
      b.setAttribute('aria-label', `data point ${i + 1} of ${data.length}: x = ${fmt(x, 4)}, y = ${fmt(y, 4)}${outside ? ' (outside the plotted range)' : ''}. Arrow keys move it, Delete removes it.`);
    });
  }
}

/**
 * Why the edit from `before` to `after` is refused: it changes something other than coordinate
 * `axis` of point `i` (the one the user moved), or null. A keyboard move must leave every other
 * number of the data exactly as it was.
 */
export function untouchedChanged(before, after, i, axis) {
  if (before.length !== after.length) return 'that edit would change the number of points; it was not applied';
  for (let j = 0; j < before.length; j++) {
    for (let c = 0; c < 2; c++) {
      if ((j !== i || c !== axis) && !Object.is(before[j][c], after[j][c])) {
        return `that edit would change ${'xy'[c]} of point ${j + 1} (${before[j][c]} → ${after[j][c]}), which you did not move; it was not applied`;
      }
    }
  }
  return null;
}
