/**
 * Wilcoxon pruning (Optuna's WilcoxonPruner): the per-sequence scores of this trial so far are paired with
 * the best complete trial's on the same sequences; a one-sided signed-rank test (zeros split) asks whether
 * this trial is worse. It stops when p < pThreshold and, as a safety guard, its mean over those sequences
 * is worse than the best's. With every difference of one sign the smallest p is 2⁻ⁿ, so with few
 * sequences it cannot prune at all: `minimumPairsToPrune` tells `check` when it first can.
 */
import { signedRankPValue } from './signedRank.js';
import { keep, type Pruner, prune, worse } from './types.js';

export interface WilcoxonOptions {
  /** Prune when the one-sided p-value is below this. */
  pThreshold: number;
  /** No test with fewer paired sequences than this (at least 2). */
  startupSteps: number;
}

export const WILCOXON_DEFAULTS: WilcoxonOptions = { pThreshold: 0.1, startupSteps: 2 };

export function wilcoxonPruner(options: WilcoxonOptions): Pruner {
  return ({ stage, stages, current, complete, minimize }) => {
    if (stage >= stages) return keep('last stage');
    if (complete.length === 0) return keep('no complete trial to compare with');
    const best = complete.reduce((a, b) => (worse(a.score, b.score, minimize) ? b : a));
    const shared = Object.keys(current.perSequence).filter((s) => best.perSequence[s] !== undefined);
    const pairs = Math.max(2, options.startupSteps);
    if (shared.length < pairs) return keep(`warm-up: ${shared.length} of ${pairs} paired sequences`);
    const diffs = shared.map((s) => current.perSequence[s]! - best.perSequence[s]!);
    const p = signedRankPValue(diffs, minimize ? 'greater' : 'less');
    const meanDiff = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const against = `trial ${best.trial} on ${shared.length} sequences`;
    if (!(p < options.pThreshold)) return keep(`p = ${p.toFixed(3)} against ${against}`);
    if (!worse(meanDiff, 0, minimize))
      return keep(`p = ${p.toFixed(3)} but the mean is not worse than ${against}`);
    return prune(`p = ${p.toFixed(3)} < ${options.pThreshold} against ${against}`);
  };
}

/** The fewest paired sequences at which p can fall below the threshold (every difference one way: p = 2⁻ⁿ). */
export function minimumPairsToPrune(options: WilcoxonOptions): number {
  let n = Math.max(2, options.startupSteps);
  while (2 ** -n >= options.pThreshold) n++;
  return n;
}
