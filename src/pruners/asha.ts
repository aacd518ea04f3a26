/**
 * Asynchronous successive halving (ASHA, Li et al. 2020; Ray Tune's ASHAScheduler in its stopping form):
 * the stages are the rungs. After stage k, a trial continues only if its score is in the top 1/η of the
 * scores recorded at stage k so far (its own included), i.e. not below their (1 − 1/η) quantile. There is
 * no barrier: a trial is judged by what is recorded when it arrives.
 */
import { percentile } from './percentile.js';
import { keep, type Pruner, points, prune, worse } from './types.js';

export interface AshaOptions {
  /** η: the fraction 1/η of trials goes on at each rung. */
  reductionFactor: number;
  /** No pruning before this stage (Ray's grace period, counted in stages). */
  graceStages: number;
  /** No pruning while fewer scores than this are recorded at the stage (own included). */
  minScores: number;
}

export const ASHA_DEFAULTS: AshaOptions = { reductionFactor: 3, graceStages: 1, minScores: 3 };

export function ashaPruner(options: AshaOptions): Pruner {
  const keepShare = 100 * (1 - 1 / options.reductionFactor);
  return ({ stage, stages, current, atStage, minimize }) => {
    if (stage >= stages) return keep('last stage');
    if (stage < options.graceStages) return keep('grace stage');
    const rung = [...atStage, current.score];
    if (rung.length < options.minScores)
      return keep(`warm-up: ${rung.length} of ${options.minScores} scores at stage ${stage}`);
    const cutoff = percentile(rung, minimize ? 100 - keepShare : keepShare);
    const label = `the top 1/${options.reductionFactor} cutoff ${points(cutoff)} of ${rung.length} trials at stage ${stage}`;
    return worse(current.score, cutoff, minimize)
      ? prune(`${points(current.score)} below ${label}`)
      : keep(`${points(current.score)} within ${label}`);
  };
}
