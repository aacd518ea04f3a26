/**
 * Parameter importance by PED-ANOVA (Watanabe, Bansal & Hutter, IJCAI 2023): how far the distribution
 * of a parameter among the top trials differs from its distribution over all trials, measured as the
 * Pearson χ² divergence of two 1-D Parzen densities on a grid. A parameter that does not matter is
 * spread the same way in both; one that matters concentrates in the top trials. Closed-form and fast
 * (no model to fit), so it can run on every results refresh. Each parameter also gets the direction of
 * its effect: where its top values sit relative to all of its values.
 */
import type { Dimension, Params, ParamValue } from '../space/types.js';

export interface ImportanceTrial {
  params: Params;
  /** Oriented so that higher is better. */
  score: number;
}

export type EffectDirection = 'higher' | 'lower' | 'middle' | 'choice';

export interface ParameterImportance {
  name: string;
  /** Share of the total divergence, 0..1; the importances of a study sum to 1 (or are all 0). */
  importance: number;
  /** `higher`/`lower`: the top trials prefer the upper/lower part of the range; `middle`: neither end. */
  direction: EffectDirection;
  /** The value range of the top trials (numbers), or the choice the top trials favour most. */
  topRange?: [number, number];
  bestChoice?: ParamValue;
}

export interface ImportanceOptions {
  /** Fraction of trials counted as "top"; at least 2 trials. */
  topQuantile?: number;
  /** Grid points for real parameters. */
  gridSize?: number;
}

const DEFAULTS = { topQuantile: 0.1, gridSize: 50 };
/** The outer share of the range, or of the values tried, where a median makes an effect `higher`/`lower`. */
const DIRECTION_EDGE = 0.25;

/** A value's position in [0, 1] of the dimension's range (log ranges in log space). */
export function unitOf(dim: Exclude<Dimension, { kind: 'choice' }>, value: number): number {
  const [lo, hi, v] = dim.log
    ? [Math.log(dim.low), Math.log(dim.high), Math.log(value)]
    : [dim.low, dim.high, value];
  return hi === lo ? 0.5 : Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
}

/** Scott's rule on unit positions, floored so a tight cluster still spreads over a grid cell. */
function bandwidth(xs: readonly number[], cell: number): number {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, n - 1));
  const sorted = [...xs].sort((a, b) => a - b);
  const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
  const spread = iqr > 0 ? Math.min(iqr / 1.34, sd) : sd;
  return Math.max(1.059 * spread * n ** -0.2, 0.5 * cell);
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** Parzen density of unit positions on the grid, with a broad prior kernel so no grid point is 0. */
function density(xs: readonly number[], grid: readonly number[]): number[] {
  const cell = grid.length > 1 ? 1 / (grid.length - 1) : 1;
  const sigma = bandwidth(xs, cell);
  const kernel = (g: number, x: number, s: number) => Math.exp(-0.5 * ((g - x) / s) ** 2) / s;
  const p = grid.map((g) => xs.reduce((sum, x) => sum + kernel(g, x, sigma), 0) + kernel(g, 0.5, 2));
  const total = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / total);
}

/** Σ p_all (p_top / p_all − 1)²: zero when the top trials are spread like all trials. */
function chiSquare(top: readonly number[], all: readonly number[]): number {
  return all.reduce((sum, q, i) => sum + q * (top[i]! / q - 1) ** 2, 0);
}

function median(xs: readonly number[]): number {
  return quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

/**
 * `higher` when the top trials' median sits in the upper part of the range or above most values tried,
 * `lower` for the mirror case, `middle` otherwise (or when the two signs disagree).
 */
function directionOf(topMedian: number, place: number): EffectDirection {
  const higher = topMedian >= 1 - DIRECTION_EDGE || place > 1 - DIRECTION_EDGE;
  const lower = topMedian <= DIRECTION_EDGE || place < DIRECTION_EDGE;
  return higher === lower ? 'middle' : higher ? 'higher' : 'lower';
}

function numericImportance(
  dim: Exclude<Dimension, { kind: 'choice' }>,
  all: readonly ImportanceTrial[],
  top: readonly ImportanceTrial[],
  gridSize: number,
): Omit<ParameterImportance, 'importance'> & { divergence: number } {
  const unit = (t: ImportanceTrial) => unitOf(dim, Number(t.params[dim.name]));
  const points = dim.kind === 'int' && !dim.log ? Math.min(gridSize, dim.high - dim.low + 1) : gridSize;
  const grid = Array.from({ length: points }, (_, i) => (points === 1 ? 0.5 : i / (points - 1)));
  const uAll = all.map(unit);
  const uTop = top.map(unit);
  const topMedian = median(uTop);
  const below = uAll.filter((u) => u < topMedian).length + uAll.filter((u) => u === topMedian).length / 2;
  const place = below / uAll.length;
  const values = top.map((t) => Number(t.params[dim.name]));
  return {
    name: dim.name,
    divergence: chiSquare(density(uTop, grid), density(uAll, grid)),
    direction: directionOf(topMedian, place),
    topRange: [Math.min(...values), Math.max(...values)],
  };
}

function choiceImportance(
  dim: Extract<Dimension, { kind: 'choice' }>,
  all: readonly ImportanceTrial[],
  top: readonly ImportanceTrial[],
): Omit<ParameterImportance, 'importance'> & { divergence: number } {
  const keys = dim.choices.map((c) => JSON.stringify(c));
  // Add-one smoothing keeps an unseen choice from dividing by zero.
  const histogram = (trials: readonly ImportanceTrial[]) => {
    const counts = keys.map((k) => trials.filter((t) => JSON.stringify(t.params[dim.name]) === k).length + 1);
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => c / total);
  };
  const pTop = histogram(top);
  const pAll = histogram(all);
  let best = 0;
  for (let i = 1; i < keys.length; i++) if (pTop[i]! / pAll[i]! > pTop[best]! / pAll[best]!) best = i;
  return {
    name: dim.name,
    divergence: chiSquare(pTop, pAll),
    direction: 'choice',
    bestChoice: dim.choices[best]!,
  };
}

/**
 * Importance of every dimension over the scored trials, most important first. Fewer than 4 trials:
 * empty (there is no "top" to compare yet).
 */
export function parameterImportance(
  dimensions: readonly Dimension[],
  trials: readonly ImportanceTrial[],
  options: ImportanceOptions = {},
): ParameterImportance[] {
  const { topQuantile, gridSize } = { ...DEFAULTS, ...options };
  const usable = trials.filter((t) => dimensions.every((d) => d.name in t.params));
  if (usable.length < 4 || dimensions.length === 0) return [];
  const sorted = [...usable].sort((a, b) => b.score - a.score);
  const top = sorted.slice(0, Math.max(2, Math.ceil(topQuantile * sorted.length)));
  const raw = dimensions.map((dim) =>
    dim.kind === 'choice'
      ? choiceImportance(dim, sorted, top)
      : numericImportance(dim, sorted, top, gridSize),
  );
  const total = raw.reduce((a, r) => a + r.divergence, 0);
  return raw
    .map(({ divergence, ...rest }) => ({ ...rest, importance: total > 0 ? divergence / total : 0 }))
    .sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
}
