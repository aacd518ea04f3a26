/**
 * One-sided Wilcoxon signed-rank p-value with zeros split between the signs (`zero_method="zsplit"`), chosen
 * as SciPy 1.17's `wilcoxon(d, alternative=…, zero_method="zsplit", method="auto")` chooses:
 * - no ties and no zeros, n ≤ 50: the exact null distribution of W+;
 * - ties or zeros, n ≤ 13: every one of the 2ⁿ sign flips (SciPy's exact permutation test);
 * - otherwise: the normal approximation with the tie correction, no continuity correction.
 * Pure; `d` holds finite differences.
 */
import { normalCdf } from '../optimizers/gp/normal.js';

export type Alternative = 'less' | 'greater';

const EXACT_MAX = 50;
const PERMUTATION_MAX = 13;

export function signedRankPValue(d: readonly number[], alternative: Alternative): number {
  const n = d.length;
  if (n === 0) return Number.NaN;
  const { ranks, tieGroups } = averageRanks(d.map(Math.abs));
  const positive = (i: number) => (d[i]! > 0 ? ranks[i]! : d[i] === 0 ? ranks[i]! / 2 : 0);
  const rPlus = d.reduce((sum, _, i) => sum + positive(i), 0);
  const hasZeros = d.some((v) => v === 0);
  const hasTies = tieGroups.some((t) => t > 1);
  if (!hasTies && !hasZeros && n <= EXACT_MAX) return exactPValue(n, rPlus, alternative);
  if (n <= PERMUTATION_MAX) return signFlipPValue(d, ranks, rPlus, alternative);
  const mean = (n * (n + 1)) / 4;
  const tieCorrection = tieGroups.reduce((sum, t) => sum + t ** 3 - t, 0);
  const se = Math.sqrt((n * (n + 1) * (2 * n + 1) - tieCorrection / 2) / 24);
  const z = (rPlus - mean) / se;
  return alternative === 'less' ? normalCdf(z) : normalCdf(-z);
}

/** Average ranks (1-based) of the values and the sizes of their tie groups. */
function averageRanks(values: readonly number[]): { ranks: number[]; tieGroups: number[] } {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  const tieGroups: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    tieGroups.push(end - start);
    start = end;
  }
  return { ranks, tieGroups };
}

/** P(W+ ≤ ⌈r⌉) or P(W+ ≥ ⌊r⌋) under H0, from the counts of subsets of {1..n} with each rank sum. */
function exactPValue(n: number, rPlus: number, alternative: Alternative): number {
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let rank = 1; rank <= n; rank++) for (let s = max; s >= rank; s--) counts[s]! += counts[s - rank]!;
  const total = 2 ** n;
  let sum = 0;
  if (alternative === 'less') for (let s = 0; s <= Math.ceil(rPlus); s++) sum += counts[s]!;
  else for (let s = Math.floor(rPlus); s <= max; s++) sum += counts[s]!;
  return sum / total;
}

/**
 * The share of the 2ⁿ sign patterns whose W+ is at most (`less`) or at least (`greater`) the observed one,
 * with SciPy's relative tolerance of 100 ulp so equal sums of halves compare equal.
 */
function signFlipPValue(
  d: readonly number[],
  ranks: readonly number[],
  observed: number,
  alternative: Alternative,
): number {
  const n = d.length;
  const zeroHalf = d.reduce((sum, v, i) => sum + (v === 0 ? ranks[i]! / 2 : 0), 0);
  const signed = ranks.map((r, i) => (d[i] === 0 ? 0 : r));
  const gamma = Math.abs(observed * Number.EPSILON * 100);
  let hits = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let w = zeroHalf;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) w += signed[i]!;
    if (alternative === 'less' ? w <= observed + gamma : w >= observed - gamma) hits++;
  }
  return hits / 2 ** n;
}
