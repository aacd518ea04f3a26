/**
 * Seeded randomness for the optimizers: a small PRNG (sfc32, seeded through splitmix32), uniform and normal
 * draws, and scrambled Sobol points in the unit cube. Everything is a pure function of its seed, so equal
 * inputs give equal suggestions.
 */
import { JOE_KUO_ROWS } from './sobolDirections.js';

/** splitmix32 step: turns any 32-bit input into a well-mixed 32-bit output (used for seeding and hashing). */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Combine a seed and stream labels into one 32-bit seed, so that independent streams never share state. */
export function deriveSeed(seed: number, ...labels: number[]): number {
  let h = mix32(Math.trunc(seed) >>> 0) ^ mix32(Math.floor(seed / 2 ** 32) >>> 0);
  for (const label of labels) h = mix32(h ^ mix32(Math.trunc(label) >>> 0));
  return h >>> 0;
}

/** A deterministic random stream (sfc32: Doty-Humphrey's small fast counting generator). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;
  private spare: number | undefined;

  constructor(seed: number, ...labels: number[]) {
    const s = deriveSeed(seed, ...labels);
    this.a = mix32(s);
    this.b = mix32(this.a);
    this.c = mix32(this.b);
    for (let i = 0; i < 12; i++) this.nextUint32(); // discard the warm-up outputs
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** Standard normal (polar Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [p[i], p[j]] = [p[j] as number, p[i] as number];
    }
    return p;
  }
}

/** `count` seeded uniform points in [0,1)^dim. */
export function uniformPoints(dim: number, count: number, seed: number): number[][] {
  const rng = new Rng(seed, 0x756e69);
  return Array.from({ length: count }, () => Array.from({ length: dim }, () => rng.uniform()));
}

const SOBOL_BITS = 30;
/** Highest dimension the embedded direction numbers support. */
export const SOBOL_MAX_DIM = JOE_KUO_ROWS.length + 1;

/** Direction integers v[k] (k = 0..SOBOL_BITS-1, as 30-bit fractions) for one Sobol dimension. */
function directionIntegers(dimIndex: number): number[] {
  const v = new Array<number>(SOBOL_BITS);
  if (dimIndex === 0) {
    for (let k = 0; k < SOBOL_BITS; k++) v[k] = 1 << (SOBOL_BITS - 1 - k);
    return v;
  }
  const [s, a, ...m] = (JOE_KUO_ROWS[dimIndex - 1] as string).split(' ').map(Number) as number[];
  const deg = s as number;
  for (let k = 0; k < SOBOL_BITS; k++) {
    if (k < deg) {
      v[k] = (m[k] as number) << (SOBOL_BITS - 1 - k);
      continue;
    }
    // Bratley–Fox recurrence: the primitive polynomial's inner coefficients are the bits of `a`.
    let x = (v[k - deg] as number) ^ ((v[k - deg] as number) >>> deg);
    for (let j = 1; j < deg; j++) if (((a as number) >>> (deg - 1 - j)) & 1) x ^= v[k - j] as number;
    v[k] = x;
  }
  return v;
}

const directionCache = new Map<number, number[]>();
function directions(dimIndex: number): number[] {
  let v = directionCache.get(dimIndex);
  if (!v) {
    v = directionIntegers(dimIndex);
    directionCache.set(dimIndex, v);
  }
  return v;
}

/**
 * Scrambled Sobol points `start .. start+count-1` in [0,1)^dim: Matoušek's linear matrix scramble (a random
 * lower-triangular binary matrix with unit diagonal applied to every direction integer) plus a random digital
 * shift, both drawn from `seed`. The scramble keeps the (t,s)-net structure and removes the unscrambled
 * sequence's zero point and its poor high-dimensional projections.
 */
export function sobolPoints(dim: number, count: number, seed: number, start = 0): number[][] {
  if (dim > SOBOL_MAX_DIM)
    throw new Error(`sobol: at most ${SOBOL_MAX_DIM} dimensions are supported, got ${dim}`);
  const rng = new Rng(seed, 0x736f62);
  const scrambled: number[][] = [];
  const shifts: number[] = [];
  for (let j = 0; j < dim; j++) {
    // Row r of the scramble matrix: bit r set (unit diagonal) plus random bits above it (more significant).
    const rows = Array.from({ length: SOBOL_BITS }, (_, r) => {
      const above = r === 0 ? 0 : rng.nextUint32() >>> (32 - r);
      return ((above << (SOBOL_BITS - r)) | (1 << (SOBOL_BITS - 1 - r))) >>> 0;
    });
    scrambled.push(directions(j).map((v) => scrambleInteger(v, rows)));
    shifts.push(rng.nextUint32() >>> (32 - SOBOL_BITS));
  }
  const points: number[][] = [];
  for (let i = start; i < start + count; i++) {
    const gray = i ^ (i >>> 1);
    const p = new Array<number>(dim);
    for (let j = 0; j < dim; j++) {
      const v = scrambled[j] as number[];
      let x = shifts[j] as number;
      for (let k = 0, g = gray; g > 0; k++, g >>>= 1) if (g & 1) x ^= v[k] as number;
      // Centre of the finest cell: never exactly 0 or 1.
      p[j] = (x + 0.5) / 2 ** SOBOL_BITS;
    }
    points.push(p);
  }
  return points;
}

/** Multiply a 30-bit fraction (most significant bit first) by the scramble matrix over GF(2). */
function scrambleInteger(v: number, rows: number[]): number {
  let out = 0;
  for (let r = 0; r < SOBOL_BITS; r++) {
    // Output bit r = parity of (row r AND v), where row r only sees bits 0..r of v (lower-triangular).
    let x = (rows[r] as number) & v;
    x ^= x >>> 16;
    x ^= x >>> 8;
    x ^= x >>> 4;
    x ^= x >>> 2;
    x ^= x >>> 1;
    if (x & 1) out |= 1 << (SOBOL_BITS - 1 - r);
  }
  return out >>> 0;
}
