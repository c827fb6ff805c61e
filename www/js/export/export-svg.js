// An SVG writer with the part of CanvasRenderingContext2D that plot.js and the views use: the
// views redraw a plot into it exactly as onto their canvas, and every primitive becomes an SVG
// element — paths for strokes and fills (dashes, alpha, clip), <text> for labels. Everything
// written is numbers, colours from palette.js, or text escaped for XML.

const r2 = (v) => Math.round(v * 100) / 100;

/** XML-escaped text (for attributes and character data alike). */
export function xml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]));
}

/** A CSS colour as SVG paint + opacity (rgba() is not SVG 1.1). */
function paint(color) {
  const m = /^rgba\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*\)$/.exec(String(color));
  return m ? [`rgb(${m[1]},${m[2]},${m[3]})`, Number(m[4])] : [String(color), 1];
}

const BASELINE = { top: 'text-before-edge', hanging: 'hanging', middle: 'central', bottom: 'text-after-edge', ideographic: 'ideographic' };
const ANCHOR = { left: 'start', start: 'start', center: 'middle', right: 'end', end: 'end' };

export class SvgContext {
  constructor(w, h) {
    this.w = w; this.h = h;
    this.body = []; this.defs = []; this.stack = []; this.clips = 0;
    this.fillStyle = '#000'; this.strokeStyle = '#000'; this.lineWidth = 1; this.globalAlpha = 1;
    this.font = '10px sans-serif'; this.textAlign = 'start'; this.textBaseline = 'alphabetic';
    this.lineCap = 'butt'; this.lineJoin = 'miter';
    this.dash = []; this.m = [1, 0, 0, 1, 0, 0]; this.clip_ = null;
    this.d = ''; this.pen = false;
    this.measurer = document.createElement('canvas').getContext('2d');
  }

  // --- state ---------------------------------------------------------------------------------
  save() {
    const { fillStyle, strokeStyle, lineWidth, globalAlpha, font, textAlign, textBaseline, lineCap, lineJoin, dash, m, clip_ } = this;
    this.stack.push({ fillStyle, strokeStyle, lineWidth, globalAlpha, font, textAlign, textBaseline, lineCap, lineJoin, dash, m, clip_ });
  }
  restore() { const s = this.stack.pop(); if (s) Object.assign(this, s); }
  setLineDash(d) { this.dash = Array.from(d); }
  getLineDash() { return this.dash.slice(); }
  setTransform(a, b, c, d, e, f) { this.m = [a, b, c, d, e, f]; }
  transform(a, b, c, d, e, f) {
    const [A, B, C, D, E, F] = this.m;
    this.m = [A * a + C * b, B * a + D * b, A * c + C * d, B * c + D * d, A * e + C * f + E, B * e + D * f + F];
  }
  translate(x, y) { this.transform(1, 0, 0, 1, x, y); }
  scale(x, y) { this.transform(x, 0, 0, y, 0, 0); }
  rotate(t) { const c = Math.cos(t), s = Math.sin(t); this.transform(c, s, -s, c, 0, 0); }
  measureText(t) { this.measurer.font = this.font; return this.measurer.measureText(t); }
  drawImage() { throw new Error('SvgContext: drawImage is not supported (plots drawn for export are not layer-cached)'); }

  #pt(x, y) { const [a, b, c, d, e, f] = this.m; return [r2(a * x + c * y + e), r2(b * x + d * y + f)]; }
  get #scale() { const [a, b, c, d] = this.m; return Math.sqrt(Math.abs(a * d - b * c)) || 1; }

  // --- paths ---------------------------------------------------------------------------------
  beginPath() { this.d = ''; this.pen = false; }
  moveTo(x, y) { const [X, Y] = this.#pt(x, y); this.d += `M${X} ${Y}`; this.pen = true; }
  lineTo(x, y) { if (!this.pen) { this.moveTo(x, y); return; } const [X, Y] = this.#pt(x, y); this.d += `L${X} ${Y}`; }
  closePath() { if (this.pen) this.d += 'Z'; }
  rect(x, y, w, h) { this.moveTo(x, y); this.lineTo(x + w, y); this.lineTo(x + w, y + h); this.lineTo(x, y + h); this.closePath(); }
  arc(x, y, r, a0, a1, ccw = false) {
    const at = (t) => this.#pt(x + r * Math.cos(t), y + r * Math.sin(t));
    const [sx, sy] = at(a0), R = r2(r * this.#scale);
    this.d += `${this.pen ? 'L' : 'M'}${sx} ${sy}`;
    this.pen = true;
    let span = ccw ? a0 - a1 : a1 - a0;
    if (span >= 2 * Math.PI - 1e-9) { // a full circle: two half arcs
      const [hx, hy] = at(a0 + Math.PI);
      this.d += `A${R} ${R} 0 1 1 ${hx} ${hy}A${R} ${R} 0 1 1 ${sx} ${sy}`;
      return;
    }
    span = ((span % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    const [ex, ey] = at(a1);
    this.d += `A${R} ${R} 0 ${span > Math.PI ? 1 : 0} ${ccw ? 0 : 1} ${ex} ${ey}`;
  }
  clip() {
    const id = `c${++this.clips}`;
    this.defs.push(`<clipPath id="${id}"${this.clip_ ? ` clip-path="url(#${this.clip_})"` : ''}><path d="${this.d}"/></clipPath>`);
    this.clip_ = id;
  }

  // --- drawing -------------------------------------------------------------------------------
  #common() {
    let a = '';
    if (this.globalAlpha < 1) a += ` opacity="${r2(this.globalAlpha)}"`;
    if (this.clip_) a += ` clip-path="url(#${this.clip_})"`;
    return a;
  }
  #stroke(d) {
    if (!d) return;
    const [c, o] = paint(this.strokeStyle), s = this.#scale;
    let a = ` fill="none" stroke="${xml(c)}" stroke-width="${r2(this.lineWidth * s)}"`;
    if (o < 1) a += ` stroke-opacity="${o}"`;
    if (this.dash.length) a += ` stroke-dasharray="${this.dash.map((v) => r2(v * s)).join(' ')}"`;
    if (this.lineCap !== 'butt') a += ` stroke-linecap="${xml(this.lineCap)}"`;
    if (this.lineJoin !== 'miter') a += ` stroke-linejoin="${xml(this.lineJoin)}"`;
    this.body.push(`<path d="${d}"${a}${this.#common()}/>`);
  }
  #fill(d) {
    if (!d) return;
    const [c, o] = paint(this.fillStyle);
    this.body.push(`<path d="${d}" fill="${xml(c)}"${o < 1 ? ` fill-opacity="${o}"` : ''}${this.#common()}/>`);
  }
  stroke() { this.#stroke(this.d); }
  fill() { this.#fill(this.d); }
  #rectPath(x, y, w, h) {
    const p = [this.#pt(x, y), this.#pt(x + w, y), this.#pt(x + w, y + h), this.#pt(x, y + h)];
    return `M${p.map(([X, Y]) => `${X} ${Y}`).join('L')}Z`;
  }
  fillRect(x, y, w, h) { this.#fill(this.#rectPath(x, y, w, h)); }
  strokeRect(x, y, w, h) { this.#stroke(this.#rectPath(x, y, w, h)); }
  clearRect() {}

  fillText(text, x, y) {
    const m = /(\d+(?:\.\d+)?)px\s+(.*)$/.exec(this.font) || [null, '10', 'sans-serif'];
    const size = Number(m[1]), family = m[2];
    const [c, o] = paint(this.fillStyle);
    const [a, b, cc, d, e, f] = this.m;
    let pos;
    if (Math.abs(b) > 1e-9 || Math.abs(cc) > 1e-9) pos = `x="${r2(x)}" y="${r2(y)}" font-size="${size}" transform="matrix(${[a, b, cc, d, e, f].map(r2).join(' ')})"`;
    else { const [X, Y] = this.#pt(x, y); pos = `x="${X}" y="${Y}" font-size="${r2(size * this.#scale)}"`; }
    const base = BASELINE[this.textBaseline];
    this.body.push(`<text ${pos} font-family="${xml(family)}" fill="${xml(c)}"${o < 1 ? ` fill-opacity="${o}"` : ''}` +
      ` text-anchor="${ANCHOR[this.textAlign] || 'start'}"${base ? ` dominant-baseline="${base}"` : ''}${this.#common()}>${xml(text)}</text>`);
  }

  /** The SVG document. */
  toString() {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${this.w}" height="${this.h}" viewBox="0 0 ${this.w} ${this.h}">\n` +
      (this.defs.length ? `<defs>${this.defs.join('')}</defs>\n` : '') + this.body.join('\n') + '\n</svg>\n';
  }
}
