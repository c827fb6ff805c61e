// Points interaction on the Fit canvas. Pointer: click adds a point, drag moves one, right-click
// removes one. Keyboard: every point has a focusable handle (a real <button> laid over the
// canvas, so Tab reaches it and screen readers name it): arrows move it (Shift: finely),
// Delete/Backspace removes it.
import { fmt, roundTo } from './format.js';
import { LIMITS } from './validate.js';

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

  #key(e, i) {
    const data = this.api.data().map((q) => q.slice());
    const p = this.plot, frac = e.shiftKey ? 0.002 : 0.02;
    const dx = (p.x1 - p.x0) * frac, dy = (p.y1 - p.y0) * frac;
    const move = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] }[e.key];
    if (move) {
      e.preventDefault();
      const [x, y] = data[i];
      data[i] = [roundTo(Math.min(p.x1, Math.max(p.x0, x + move[0])), (p.x1 - p.x0) / 2000),
        roundTo(Math.min(p.y1, Math.max(p.y0, y + move[1])), (p.y1 - p.y0) / 2000)];
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
      b.hidden = false;
      b.style.left = `${p.px(x)}px`; b.style.top = `${p.py(y)}px`;
      b.setAttribute('aria-label', `data point ${i + 1} of ${data.length}: x = ${fmt(x, 4)}, y = ${fmt(y, 4)}. Arrow keys move it, Delete removes it.`);
    });
  }
}
