/**
 * Detections of one sequence in frame order, as structure-of-arrays (the tracker reads millions of
 * them per trial). Rows of frame f are `frameStart[f] .. frameStart[f+1]-1` (frames 1..frames).
 */

export interface Detections {
  frames: number;
  count: number;
  frameStart: Int32Array;
  left: Float64Array;
  top: Float64Array;
  width: Float64Array;
  height: Float64Array;
  confidence: Float64Array;
  /** Row of the sequence's embedding matrix, or -1. */
  embedding: Int32Array;
}

/** Collects rows frame by frame (frames must be added in increasing order). */
export class DetectionsBuilder {
  private n = 0;
  private cap: number;
  private left: Float64Array;
  private top: Float64Array;
  private width: Float64Array;
  private height: Float64Array;
  private confidence: Float64Array;
  private embedding: Int32Array;
  private readonly frameStart: Int32Array;
  private frame = 0;

  constructor(
    private readonly frames: number,
    capacity: number,
  ) {
    this.cap = Math.max(16, capacity);
    this.left = new Float64Array(this.cap);
    this.top = new Float64Array(this.cap);
    this.width = new Float64Array(this.cap);
    this.height = new Float64Array(this.cap);
    this.confidence = new Float64Array(this.cap);
    this.embedding = new Int32Array(this.cap);
    this.frameStart = new Int32Array(frames + 2);
  }

  /** Start frame `frame` (1-based); frames skipped in between are empty. */
  beginFrame(frame: number): void {
    while (this.frame < frame) this.frameStart[++this.frame] = this.n;
  }

  add(left: number, top: number, width: number, height: number, confidence: number, embedding: number): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.left[i] = left;
    this.top[i] = top;
    this.width[i] = width;
    this.height[i] = height;
    this.confidence[i] = confidence;
    this.embedding[i] = embedding;
  }

  private grow(): void {
    this.cap *= 2;
    const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.cap);
      b.set(a);
      return b;
    };
    this.left = grow(this.left, (n) => new Float64Array(n));
    this.top = grow(this.top, (n) => new Float64Array(n));
    this.width = grow(this.width, (n) => new Float64Array(n));
    this.height = grow(this.height, (n) => new Float64Array(n));
    this.confidence = grow(this.confidence, (n) => new Float64Array(n));
    this.embedding = grow(this.embedding, (n) => new Int32Array(n));
  }

  finish(): Detections {
    this.beginFrame(this.frames + 1);
    const n = this.n;
    return {
      frames: this.frames,
      count: n,
      frameStart: this.frameStart,
      left: this.left.subarray(0, n),
      top: this.top.subarray(0, n),
      width: this.width.subarray(0, n),
      height: this.height.subarray(0, n),
      confidence: this.confidence.subarray(0, n),
      embedding: this.embedding.subarray(0, n),
    };
  }
}

/** IoU of two tlwh boxes. */
export function iou(
  al: number,
  at: number,
  aw: number,
  ah: number,
  bl: number,
  bt: number,
  bw: number,
  bh: number,
): number {
  const w = Math.min(al + aw, bl + bw) - Math.max(al, bl);
  if (w <= 0) return 0;
  const h = Math.min(at + ah, bt + bh) - Math.max(at, bt);
  if (h <= 0) return 0;
  const inter = w * h;
  return inter / (aw * ah + bw * bh - inter);
}
