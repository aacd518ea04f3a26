/**
 * The nearest point of the space to a point that may lie outside it: numbers are clamped into their
 * range (and rounded for integer dimensions). A baseline outside the tuned ranges is projected so the
 * optimizers still learn from it: its score stands for the nearest point they may propose.
 */
import type { Params, ParamValue, Space } from './types.js';

export interface Moved {
  name: string;
  from: ParamValue;
  to: ParamValue;
}

export interface Projection {
  params: Params;
  /** The dimensions whose value had to move, in the space's order. */
  moved: Moved[];
}

/** The projection, or undefined when some value cannot be placed (missing, not a choice, not a number). */
export function projectParams(space: Space, params: Params): Projection | undefined {
  const out: Params = {};
  const moved: Moved[] = [];
  for (const dim of space.dimensions) {
    const v = params[dim.name];
    if (v === undefined) return undefined;
    if (dim.kind === 'choice') {
      if (!dim.choices.includes(v)) return undefined;
      out[dim.name] = v;
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    let to = Math.min(dim.high, Math.max(dim.low, v));
    if (dim.kind === 'int') to = Math.round(to) || 0;
    out[dim.name] = to;
    if (to !== v) moved.push({ name: dim.name, from: v, to });
  }
  return { params: out, moved };
}
