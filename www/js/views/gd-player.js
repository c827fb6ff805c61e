// Gradient descent played back: a recorded run (the worker's `gd-trace`: frames at steps spaced
// geometrically, each the fit on the grid, the neurons and the loss) shown frame by frame. The
// Fit draws the network of the current frame; the Neurons view (drawNeurons) each neuron's kink
// −b/w and what it carries, a·|(w, b)|, with a fading trail of where it was; a chart draws the
// loss and the distance to f_τ against the step (log axes). Play, pause, step, scrub, speed.
import { Plot, logRange, niceRange } from './plot.js';

/** Frames shown per second at speed 1 (the whole run of ≤ 120 frames in a few seconds). */
const FRAMES_PER_SECOND = 24;
/** How many frames back a neuron's trail reaches (older positions are not drawn). */
const TRAIL = 24;

/** The playback of one recorded run. */
export class GdPlayback {
  /** trace: the worker's gd-trace; pathFit(tau): f_τ on the same grid (or null). */
  constructor(trace, pathFit) {
    Object.assign(this, { trace, frame: 0, playing: true, speed: 1, acc: 0 });
    const G = trace.fitX.length, F = trace.frames;
    this.m = trace.neurons.length / (3 * F);
    const f = pathFit(trace.tau);
    // sup |f_gd − f_τ| per frame (a display of the recorded fits against the path's).
    this.distance = new Float64Array(F);
    for (let k = 0; k < F; k++) {
      let d = 0;
      if (f) for (let i = 0; i < G; i++) d = Math.max(d, Math.abs(trace.fits[k * G + i] - f[i]));
      this.distance[k] = f ? d : NaN;
    }
    // Fixed axes for the neurons over the whole run (they must not jump while it plays).
    let lo = 0, hi = 0;
    for (let r = 0; r < trace.neurons.length; r += 3) {
      const a = trace.neurons[r], w = trace.neurons[r + 1], b = trace.neurons[r + 2];
      const c = a * Math.sqrt(w * w + b * b);
      if (c < lo) lo = c; if (c > hi) hi = c;
    }
    this.carried = niceRange(lo, hi, 0.08);
  }

  get frames() { return this.trace.frames; }

  /** The fit of the current frame (a view into the trace). */
  fit() {
    const G = this.trace.fitX.length;
    return this.trace.fits.subarray(this.frame * G, (this.frame + 1) * G);
  }

  /** Moves on by `dt` ms of playing; true while there is more to play. */
  advance(dt) {
    if (!this.playing) return false;
    // (A frame's timestamp may precede the moment playing started: no step back.)
    this.acc += (Math.max(0, dt) / 1000) * FRAMES_PER_SECOND * this.speed;
    const whole = Math.floor(this.acc);
    this.acc -= whole;
    this.frame = Math.min(this.frames - 1, this.frame + whole);
    if (this.frame === this.frames - 1) this.playing = false;
    return this.playing;
  }

  seek(frame) { this.frame = Math.max(0, Math.min(this.frames - 1, Math.round(frame))); this.acc = 0; }

  /**
   * The neurons of frames `frame − TRAIL … frame` on `plot` (x: kink, y: a·|(w, b)|): the
   * trails stroked in a few bands of age (older: fainter), then the current positions.
   */
  drawNeurons(plot, th) {
    const { ctx } = plot, t = this.trace, m = this.m, k = this.frame;
    const at = (f, j) => {
      const o = 3 * (f * m + j), a = t.neurons[o], w = t.neurons[o + 1], b = t.neurons[o + 2];
      return [-b / w, a * Math.sqrt(w * w + b * b)];
    };
    const start = Math.max(0, k - TRAIL), BANDS = 5;
    ctx.lineWidth = 1;
    for (let band = 0; band < BANDS; band++) {
      const f0 = start + Math.floor(((k - start) * band) / BANDS), f1 = start + Math.floor(((k - start) * (band + 1)) / BANDS);
      if (f1 <= f0) continue;
      ctx.globalAlpha = 0.08 + (0.4 * (band + 1)) / BANDS;
      ctx.strokeStyle = th.muted;
      ctx.beginPath();
      for (let j = 0; j < m; j++) {
        let [x, y] = at(f0, j);
        let ok = Number.isFinite(x);
        for (let f = f0 + 1; f <= f1; f++) {
          const [x2, y2] = at(f, j);
          if (ok && Number.isFinite(x2)) { ctx.moveTo(plot.px(x), plot.py(y)); ctx.lineTo(plot.px(x2), plot.py(y2)); }
          [x, y, ok] = [x2, y2, Number.isFinite(x2)];
        }
      }
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    for (const [sign, color] of [[1, th.positive], [-1, th.negative]]) {
      ctx.fillStyle = color;
      ctx.beginPath();
      for (let j = 0; j < m; j++) {
        const [x, y] = at(k, j);
        if (!Number.isFinite(x) || Math.sign(y) !== sign) continue;
        const X = plot.px(x), Y = plot.py(y);
        ctx.moveTo(X + 2.2, Y); ctx.arc(X, Y, 2.2, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
  }
}

/** The loss and the distance to f_τ against the step (log-log), the current frame marked. */
export class GdChart {
  constructor(canvas) { this.plot = new Plot(canvas, { l: 52, r: 12, t: 8, b: 30 }); }

  get plots() { return [this.plot]; }

  draw(app) {
    const p = this.plot, play = app.gdPlayback, th = app.theme, { ctx } = p;
    p.resize();
    if (!play) return;
    // The axes and both curves depend on the run only: drawn once (the plot's cache), then the
    // frame's marker on top.
    if (!play.chart) {
      const steps = Float64Array.from(play.trace.steps, (s) => Math.max(s, 1));
      let lo = Infinity, hi = -Infinity;
      for (const v of [...play.trace.loss, ...play.distance]) if (v > 0 && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      play.chart = { steps, range: lo <= hi ? logRange(lo, hi, 1e-18) : [1e-6, 1] };
    }
    const { steps, range } = play.chart, t = play.trace;
    p.setX(1, Math.max(10, steps[steps.length - 1]), true); p.setY(range[0], range[1], true);
    p.cached(`${th.name}|${t.frames}|${t.tau}|${t.steps[t.frames - 1]}`, () => {
      p.clear(th);
      p.axes(th, { xLabel: 'step', yLabel: 'loss, distance', xTicks: true });
      p.clip();
      const c = p.ctx; // the cache's layer while this runs
      const series = (ys, color, dash) => {
        c.strokeStyle = color; c.lineWidth = 1.8; c.setLineDash(dash);
        c.beginPath(); p.line(steps, ys); c.stroke(); c.setLineDash([]);
      };
      series(t.loss, th.cost, []);
      series(play.distance, th.gd, [6, 3]);
      c.restore();
    });
    p.clip();
    const X = p.px(steps[play.frame]);
    ctx.strokeStyle = th.fg; ctx.globalAlpha = 0.6; ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.moveTo(X, p.top); ctx.lineTo(X, p.bottom); ctx.stroke(); ctx.globalAlpha = 1;
    ctx.restore();
  }
}
