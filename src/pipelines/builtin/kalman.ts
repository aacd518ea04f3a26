/**
 * The SIMPLE state estimator: a constant-velocity Kalman filter on the box centre and a random walk on
 * its size, state {cx, cy, w, h, vx, vy} in pixels and frames. With diagonal noise the filter splits
 * into independent blocks (cx/vx, cy/vy, w, h), which keeps it a handful of multiplications per frame.
 */

export interface NoiseConfig {
  /** Process noise variance of the centre (px² per frame). */
  processNoiseVar4Loc: number;
  /** Process noise variance of width and height. */
  processNoiseVar4Size: number;
  /** Process noise variance of the centre velocity. */
  processNoiseVar4Vel: number;
}

/** Initial velocity variance, in units of the measurement variance: a new target's speed is unknown. */
const INITIAL_VELOCITY_VAR = 10;

/** Position + velocity along one axis, with its 2×2 covariance [[pp, pv], [pv, vv]]. */
class Axis {
  pp: number;
  pv = 0;
  vv: number;
  v = 0;

  constructor(
    public x: number,
    r: number,
  ) {
    this.pp = r;
    this.vv = INITIAL_VELOCITY_VAR * r;
  }

  predict(qLoc: number, qVel: number): void {
    this.x += this.v;
    this.pp += 2 * this.pv + this.vv + qLoc;
    this.pv += this.vv;
    this.vv += qVel;
  }

  update(z: number, r: number): void {
    const s = this.pp + r;
    const kx = this.pp / s;
    const kv = this.pv / s;
    const innovation = z - this.x;
    this.x += kx * innovation;
    this.v += kv * innovation;
    this.vv -= kv * this.pv;
    this.pv -= kx * this.pv;
    this.pp -= kx * this.pp;
  }
}

/** A scalar random walk (box width or height). */
class Level {
  constructor(
    public x: number,
    public p: number,
  ) {}

  update(z: number, r: number): void {
    const k = this.p / (this.p + r);
    this.x += k * (z - this.x);
    this.p -= k * this.p;
  }
}

export class BoxFilter {
  private readonly cx: Axis;
  private readonly cy: Axis;
  private readonly w: Level;
  private readonly h: Level;

  constructor(
    left: number,
    top: number,
    width: number,
    height: number,
    r: number,
    private readonly noise: NoiseConfig,
  ) {
    this.cx = new Axis(left + width / 2, r);
    this.cy = new Axis(top + height / 2, r);
    this.w = new Level(width, r);
    this.h = new Level(height, r);
  }

  predict(): void {
    const { processNoiseVar4Loc: qLoc, processNoiseVar4Vel: qVel, processNoiseVar4Size: qSize } = this.noise;
    this.cx.predict(qLoc, qVel);
    this.cy.predict(qLoc, qVel);
    this.w.p += qSize;
    this.h.p += qSize;
    // A shrinking prediction must stay a box.
    if (this.w.x < 1) this.w.x = 1;
    if (this.h.x < 1) this.h.x = 1;
  }

  /** Correct with a measured box whose noise variance is `r`. */
  update(left: number, top: number, width: number, height: number, r: number): void {
    this.cx.update(left + width / 2, r);
    this.cy.update(top + height / 2, r);
    this.w.update(width, r);
    this.h.update(height, r);
  }

  get left(): number {
    return this.cx.x - this.w.x / 2;
  }
  get top(): number {
    return this.cy.x - this.h.x / 2;
  }
  get width(): number {
    return this.w.x;
  }
  get height(): number {
    return this.h.x;
  }
}
