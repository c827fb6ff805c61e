// What the benchmark and the tests read about the lab's frames, in one place: when the first fit
// was drawn, when the last frame ended, and the last frames that drew the fit view as
// [end, when the solve of the path drawn was sent] (performance.now() times).
export class FrameProbe {
  constructor() {
    this.firstFitDrawnAt = null;
    this.frameEndAt = null;
    this.fitFrames = [];
  }

  /** The first fit is on screen. */
  firstFit() { this.firstFitDrawnAt = performance.now(); }

  /** A frame ended; `fitDrawn` whether it drew the fit view of the path whose solve was sent at `sent`. */
  frameEnd(fitDrawn, sent) {
    this.frameEndAt = performance.now();
    if (!fitDrawn) return;
    this.fitFrames.push([this.frameEndAt, sent]);
    if (this.fitFrames.length > 8) this.fitFrames.shift();
  }
}
