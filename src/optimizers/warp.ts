/**
 * Output warping for surrogate models (after OSS Vizier's half-rank warp): losses worse than the median are
 * replaced by the upper half of a normal with the good half's spread, so failures, zero scores and heavy bad
 * tails stop dominating the fit while the order of all points is kept. The result is standardised.
 */
import { normalQuantile } from './gp/normal.js';

export function warpLosses(losses: readonly number[]): number[] {
  const n = losses.length;
  if (n === 0) return [];
  const sorted = [...losses].sort((a, b) => a - b);
  const median = sorted[Math.floor((n - 1) / 2)] as number;
  const good = sorted.filter((v) => v <= median);
  let spread = Math.sqrt(good.reduce((s, v) => s + (v - median) ** 2, 0) / good.length);
  if (!(spread > 0)) spread = standardDeviation(losses) || 1;
  const bad = sorted.filter((v) => v > median);
  const m = bad.length;
  const warped = losses.map((v) => {
    if (v <= median) return v;
    // Mid-rank among the bad values (ties share a rank), mapped into the upper half of N(median, spread²).
    const below = bad.filter((b) => b < v).length;
    const equal = bad.filter((b) => b === v).length;
    const rank = below + (equal + 1) / 2;
    return median + spread * normalQuantile(0.5 + (0.5 * (rank - 0.5)) / m);
  });
  return standardize(warped);
}

function standardDeviation(v: readonly number[]): number {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
}

/** (v − mean)/sd, or zeros when all values are equal. */
export function standardize(v: readonly number[]): number[] {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = standardDeviation(v);
  return v.map((x) => (sd > 0 ? (x - mean) / sd : 0));
}
