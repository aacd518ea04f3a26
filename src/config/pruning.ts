/** The `pruning:` block of a study config, its defaults filled in (src/pruners has the rules). */
import { PRUNER_DEFAULTS, type PrunerSettings } from '../pruners/index.js';
import { stageShares } from '../study/stages.js';
import type { RawPruning } from './schema.js';
import type { PruningConfig } from './types.js';

/** The validated `pruning:` block with every default filled in. */
export function pruningConfig(raw: RawPruning): PruningConfig {
  const shares = typeof raw.stages === 'number' ? stageShares(raw.stages) : raw.stages;
  const { percentile, asha, wilcoxon } = PRUNER_DEFAULTS;
  const pruner: PrunerSettings =
    raw.pruner === 'none'
      ? { name: 'none' }
      : raw.pruner === 'asha'
        ? {
            name: 'asha',
            reductionFactor: raw.reduction_factor ?? asha.reductionFactor,
            graceStages: raw.grace_stages ?? asha.graceStages,
            minScores: raw.min_scores ?? asha.minScores,
          }
        : raw.pruner === 'wilcoxon'
          ? {
              name: 'wilcoxon',
              pThreshold: raw.p_threshold ?? wilcoxon.pThreshold,
              startupSteps: raw.startup_steps ?? wilcoxon.startupSteps,
            }
          : {
              name: raw.pruner,
              percentile: raw.pruner === 'median' ? 50 : (raw.percentile ?? percentile.percentile),
              startupTrials: raw.startup_trials ?? percentile.startupTrials,
              warmupStages: raw.warmup_stages ?? percentile.warmupStages,
            };
  return { pruner, shares, order: raw.order };
}
