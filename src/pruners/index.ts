/**
 * Pruner registry. Each pruner is a pure function of the stage scores (./types.ts); variants are made with
 * options, not copies (`median` is the percentile pruner at 50). The options are checked by the study
 * config schema; `describePruning` says what the rule will do on a study's stages, for `pipetune check`.
 */
import { ASHA_DEFAULTS, type AshaOptions, ashaPruner } from './asha.js';
import { PERCENTILE_DEFAULTS, type PercentileOptions, percentilePruner } from './percentile.js';
import { keep, type Pruner } from './types.js';
import { minimumPairsToPrune, WILCOXON_DEFAULTS, type WilcoxonOptions, wilcoxonPruner } from './wilcoxon.js';

export type { CompleteTrial, PruneContext, Pruner, StageScore, Verdict } from './types.js';

export const PRUNER_NAMES = ['none', 'median', 'percentile', 'asha', 'wilcoxon'] as const;
export type PrunerName = (typeof PRUNER_NAMES)[number];

export type PrunerSettings =
  | { name: 'none' }
  | ({ name: 'median' | 'percentile' } & PercentileOptions)
  | ({ name: 'asha' } & AshaOptions)
  | ({ name: 'wilcoxon' } & WilcoxonOptions);

export const PRUNER_DEFAULTS = {
  percentile: PERCENTILE_DEFAULTS,
  asha: ASHA_DEFAULTS,
  wilcoxon: WILCOXON_DEFAULTS,
} as const;

export function createPruner(settings: PrunerSettings): Pruner {
  switch (settings.name) {
    case 'none':
      return () => keep('pruning off');
    case 'median':
    case 'percentile':
      return percentilePruner(settings);
    case 'asha':
      return ashaPruner(settings);
    case 'wilcoxon':
      return wilcoxonPruner(settings);
  }
}

/** What the rule does on this study, one line per fact (`check` prints them). */
export function describePruning(settings: PrunerSettings, sequencesAfterStage: readonly number[]): string[] {
  const stages = sequencesAfterStage.length;
  const decisions = stages - 1;
  switch (settings.name) {
    case 'none':
      return ['pruner none: every trial runs every stage (stages still record partial scores and cost)'];
    case 'median':
    case 'percentile':
      return [
        `pruner ${settings.name}: after stages 1..${decisions}, a trial worse than ${settings.percentile === 50 ? 'the median' : `the top ${settings.percentile} %`} of the complete trials at that stage stops`,
        `no pruning until ${settings.startupTrials} trials have run every stage${settings.warmupStages > 0 ? `, nor at stages 1..${settings.warmupStages}` : ''}`,
      ];
    case 'asha':
      return [
        `pruner asha: after stages ${Math.max(1, settings.graceStages)}..${decisions}, a trial outside the top 1/${settings.reductionFactor} of the scores recorded at that stage stops`,
        `no pruning at a stage until ${settings.minScores} trials have scored it`,
      ];
    case 'wilcoxon': {
      const needed = minimumPairsToPrune(settings);
      const first = sequencesAfterStage.findIndex((n, k) => k < decisions && n >= needed);
      return [
        `pruner wilcoxon: p < ${settings.pThreshold} needs at least ${needed} paired sequences (the smallest p with n sequences is 2^-n)`,
        first < 0
          ? `with ${sequencesAfterStage.map((n, k) => `${n} after stage ${k + 1}`).join(', ')}, it can never prune this study: use more sequences or stages, a higher p_threshold, or another pruner`
          : `it can prune from stage ${first + 1} on (${sequencesAfterStage[first]} sequences)`,
      ];
    }
  }
}
