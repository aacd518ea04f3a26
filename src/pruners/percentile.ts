/**
 * Percentile pruning (Optuna's PercentilePruner/MedianPruner): after stage k, a trial whose score is
 * worse than the given percentile of the complete trials' scores at stage k stops. `median` is this at 50.
 * Scores at a stage are means over a growing, fixed set of sequences, not a learning curve, so the
 * trial's own score at the stage is compared (Optuna's "best so far" would be optimistic here).
 */
import { keep, type Pruner, points, prune, worse } from './types.js';

export interface PercentileOptions {
  /** The share of trials kept, in percent (Optuna's meaning): 50 = median; 25 keeps the best quarter. */
  percentile: number;
  /** No pruning until this many trials have run every stage. */
  startupTrials: number;
  /** No pruning at stages 1..warmupStages. */
  warmupStages: number;
}

export const PERCENTILE_DEFAULTS: PercentileOptions = { percentile: 50, startupTrials: 5, warmupStages: 0 };

export function percentilePruner(options: PercentileOptions): Pruner {
  return ({ stage, stages, current, complete, minimize }) => {
    if (stage >= stages) return keep('last stage');
    if (stage <= options.warmupStages) return keep('warm-up stage');
    if (complete.length < options.startupTrials)
      return keep(`warm-up: ${complete.length} of ${options.startupTrials} complete trials`);
    const values = complete.map((t) => t.stageScores[stage - 1]).filter((v): v is number => v !== undefined);
    if (values.length === 0) return keep('no complete trial scored this stage');
    // Keeping the best p % means cutting at the (100 − p)th percentile when maximising, the pth when minimising.
    const cutoff = percentile(values, minimize ? options.percentile : 100 - options.percentile);
    const rule = options.percentile === 50 ? 'the median' : `the top ${options.percentile} % cutoff`;
    const label = `${rule} ${points(cutoff)} of ${values.length} complete trials`;
    return worse(current.score, cutoff, minimize)
      ? prune(`${points(current.score)} below ${label}`)
      : keep(`${points(current.score)} not below ${label}`);
  };
}

/** The qth percentile, interpolating linearly between order statistics (numpy's default): q = 75 of [0,1,2,3,4] is 3. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (q / 100) * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
