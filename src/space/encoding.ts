/**
 * The unit-cube view of a search space that every optimizer works in: one coordinate per dimension.
 *
 * - real: u = (t(v) − t(lo)) / (t(hi) − t(lo)), t = ln for log scale, identity otherwise.
 * - int: the same, with the bounds widened by ±½ (in t-space, t(lo − ½) .. t(hi + ½)) so every integer owns
 *   an equal-width cell; decoding rounds to the nearest integer and clips to [lo, hi].
 * - choice: C equal cells, choice i ↔ centre (i + ½)/C; decoding takes the cell u falls in. Optimizers that
 *   need unordered treatment (GP Hamming kernel, TPE categorical kernels) read the index via `choiceIndex`.
 */
import type { Dimension, Params, ParamValue, Space } from './types.js';

interface Warp {
  /** Transformed lower and upper end of the unit interval. */
  lo: number;
  hi: number;
  log: boolean;
}

function warpOf(dim: Dimension): Warp | undefined {
  if (dim.kind === 'choice') return undefined;
  const widen = dim.kind === 'int' ? 0.5 : 0;
  if (dim.log) {
    // A log integer range starting at 1 widens to 0.5, still positive; lo > 0 is validated by the config loader.
    return { lo: Math.log(dim.low - widen), hi: Math.log(dim.high + widen), log: true };
  }
  return { lo: dim.low - widen, hi: dim.high + widen, log: false };
}

function clamp01(u: number): number {
  return Math.min(1, Math.max(0, u));
}

/** Unit coordinate of one value of one dimension. Throws on a value outside the dimension. */
export function encodeValue(dim: Dimension, value: ParamValue): number {
  if (dim.kind === 'choice') {
    const i = dim.choices.indexOf(value);
    if (i < 0)
      throw new Error(`${dim.name}: ${String(value)} is not one of ${dim.choices.map(String).join(', ')}`);
    return (i + 0.5) / dim.choices.length;
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`${dim.name}: ${String(value)} is not a number`);
  const w = warpOf(dim) as Warp;
  if (w.hi === w.lo) return 0.5;
  const t = w.log ? Math.log(value) : value;
  return clamp01((t - w.lo) / (w.hi - w.lo));
}

/** Value of one dimension at unit coordinate u (clipped to [0,1], rounded to the grid, inside the bounds). */
export function decodeValue(dim: Dimension, u: number): ParamValue {
  const v = clamp01(Number.isFinite(u) ? u : 0.5);
  if (dim.kind === 'choice') return dim.choices[choiceIndex(dim.choices.length, v)] as ParamValue;
  const w = warpOf(dim) as Warp;
  const t = w.lo + v * (w.hi - w.lo);
  let x = w.log ? Math.exp(t) : t;
  // `|| 0`: Math.round(-0.4) is -0, which is not the integer 0 a user wrote.
  if (dim.kind === 'int') x = Math.round(x) || 0;
  return Math.min(dim.high, Math.max(dim.low, x));
}

/** Index of the choice whose cell holds u. */
export function choiceIndex(count: number, u: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor(u * count)));
}

/** Unit-cube coordinates of a point (one per dimension, in the space's order). */
export function encode(space: Space, params: Params): number[] {
  return space.dimensions.map((dim) => {
    if (!(dim.name in params)) throw new Error(`${dim.name}: missing from the point`);
    return encodeValue(dim, params[dim.name] as ParamValue);
  });
}

/** The point at unit-cube coordinates u: always inside the bounds, integers integral, choices valid. */
export function decode(space: Space, u: readonly number[]): Params {
  const out: Params = {};
  space.dimensions.forEach((dim, j) => {
    out[dim.name] = decodeValue(dim, u[j] ?? 0.5);
  });
  return out;
}

/** Snap unit coordinates to the representative of their grid cell (identity on reals, cell centre otherwise). */
export function snap(space: Space, u: readonly number[]): number[] {
  return space.dimensions.map((dim, j) => {
    const v = u[j] ?? 0.5;
    return dim.kind === 'real' ? clamp01(v) : encodeValue(dim, decodeValue(dim, v));
  });
}

/** Number of distinct grid values of a dimension (Infinity for reals). */
export function cardinality(dim: Dimension): number {
  if (dim.kind === 'choice') return dim.choices.length;
  if (dim.kind === 'int') return dim.high - dim.low + 1;
  return Number.POSITIVE_INFINITY;
}

/** Unit-coordinate bounds of the grid cell holding u (the whole interval for reals). */
export function cellBounds(dim: Dimension, u: number): [number, number] {
  if (dim.kind === 'real') return [0, 1];
  if (dim.kind === 'choice') {
    const i = choiceIndex(dim.choices.length, u);
    return [i / dim.choices.length, (i + 1) / dim.choices.length];
  }
  const w = warpOf(dim) as Warp;
  const k = decodeValue(dim, u) as number;
  const edge = (v: number) => clamp01(((w.log ? Math.log(v) : v) - w.lo) / (w.hi - w.lo));
  return [edge(k - 0.5), edge(k + 0.5)];
}
