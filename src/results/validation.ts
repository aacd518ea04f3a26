import type { TrialRecord } from '../study/records.js';
import {
  isValidation,
  paramsKey,
  type RankedConfig,
  type Ranking,
  rankConfigs,
  scoreOf,
  tuningRecords,
} from './ranking.js';

/** One configuration re-scored on the held-out seqmap, with its tuning score beside it. */
export interface ValidatedConfig {
  /** The trial whose config was validated (`validationOf`; the config's first tuning run otherwise). */
  trial: number;
  /** The config as the ranking sees it over its tuning runs; undefined when none of them succeeded. */
  tuning?: RankedConfig;
  /** 1-based place of the config in the tuning ranking (1: the best config). */
  rank?: number;
  /** The config is the baseline's (the user's original config). */
  baseline: boolean;
  /** Its held-out runs, in trial order. */
  runs: TrialRecord[];
  /** Mean held-out score over the successful runs; undefined when every held-out run failed. */
  heldOut?: number;
  /** Held-out minus tuning score, a fraction; undefined unless both exist. */
  difference?: number;
}

/** The held-out runs and what they say; undefined when the study has none. */
export interface ValidationSummary {
  runs: number;
  failed: number;
  /** In the order validated (the baseline first). */
  configs: ValidatedConfig[];
}

/**
 * Groups the held-out runs by config (identical params) and puts each beside the config's tuning
 * score, the mean over its tuning runs as the ranking computes it. Scores follow the ranking's metric.
 */
export function summarizeValidation(
  records: readonly TrialRecord[],
  ranking: Ranking,
): ValidationSummary | undefined {
  const ordered = [...records].sort((a, b) => a.trial - b.trial);
  const validation = ordered.filter(isValidation);
  if (!validation.length) return undefined;
  const tuning = tuningRecords(ordered);
  const ranked = rankConfigs(tuning, ranking);
  const baselineKeys = new Set(
    tuning.filter((r) => r.optimizer === 'baseline').map((r) => paramsKey(r.params)),
  );
  const groups = new Map<string, TrialRecord[]>();
  for (const r of validation) {
    const key = paramsKey(r.params);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const configs = [...groups].map(([key, runs]): ValidatedConfig => {
    const index = ranked.findIndex((c) => paramsKey(c.record.params) === key);
    const config = index >= 0 ? ranked[index] : undefined;
    const scores = runs.flatMap((r) => {
      const score = scoreOf(r, ranking);
      return score === null ? [] : [score];
    });
    const heldOut = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : undefined;
    const validated: ValidatedConfig = {
      trial:
        runs.find((r) => r.validationOf !== undefined)?.validationOf ??
        config?.record.trial ??
        runs[0]!.trial,
      baseline: baselineKeys.has(key) || runs.every((r) => r.iteration === 0),
      runs,
    };
    if (config) Object.assign(validated, { tuning: config, rank: index + 1 });
    if (heldOut !== undefined) validated.heldOut = heldOut;
    if (config && heldOut !== undefined) validated.difference = heldOut - config.mean;
    return validated;
  });
  const order = (c: ValidatedConfig) => Math.min(...c.runs.map((r) => r.iteration));
  configs.sort((a, b) => order(a) - order(b) || a.runs[0]!.trial - b.runs[0]!.trial);
  return {
    runs: validation.length,
    failed: validation.filter((r) => r.status === 'failed').length,
    configs,
  };
}
