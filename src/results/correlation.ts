import type { TrialRecord } from '../study/records.js';
import { type Ranking, scoreOf, tuningRecords } from './ranking.js';

/** 1-based ranks; tied values share the mean of their ranks. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[order[k]![1]] = rank;
    start = end + 1;
  }
  return out;
}

/** Spearman's rank correlation (Pearson on tie-averaged ranks); null when either side is constant. */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length || xs.length < 2) return null;
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mean = (xs.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    const dx = rx[i]! - mean;
    const dy = ry[i]! - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

export type ParameterCorrelation =
  | { name: string; kind: 'numeric'; rho: number | null; n: number }
  | { name: string; kind: 'categorical'; choices: Array<{ value: string; mean: number; n: number }> };

/**
 * How each parameter moved with the score over the successful runs: Spearman's rho for numbers (and
 * booleans as 0/1), the mean score per choice for strings. Strongest correlations first. Held-out
 * validation runs score other sequences and are left out.
 */
export function parameterCorrelations(
  records: readonly TrialRecord[],
  ranking: Ranking,
): ParameterCorrelation[] {
  const runs = tuningRecords(records).flatMap((r) => {
    const score = scoreOf(r, ranking);
    return score === null ? [] : [{ params: r.params, score }];
  });
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.params)))];
  const result = names.map((name): ParameterCorrelation => {
    const points = runs
      .filter((r) => name in r.params)
      .map((r) => ({ value: r.params[name]!, score: r.score }));
    if (points.every((p) => typeof p.value !== 'string')) {
      const xs = points.map((p) => Number(p.value));
      return {
        name,
        kind: 'numeric',
        rho: spearman(
          xs,
          points.map((p) => p.score),
        ),
        n: points.length,
      };
    }
    const byChoice = new Map<string, number[]>();
    for (const p of points) {
      const scores = byChoice.get(String(p.value)) ?? [];
      scores.push(p.score);
      byChoice.set(String(p.value), scores);
    }
    const choices = [...byChoice].map(([value, scores]) => ({
      value,
      mean: scores.reduce((a, b) => a + b, 0) / scores.length,
      n: scores.length,
    }));
    return { name, kind: 'categorical', choices };
  });
  const strength = (c: ParameterCorrelation) =>
    c.kind === 'numeric' && c.rho !== null ? Math.abs(c.rho) : -1;
  return result.sort((a, b) => strength(b) - strength(a));
}
