import type { Params } from '../space/types.js';
import { type StudyManifest, type TrialRecord, VALIDATION } from '../study/records.js';

/**
 * What "best" means. `metric` omitted: the study's own score (`TrialRecord.score`); otherwise that
 * entry of `TrialRecord.metrics`.
 */
export interface Ranking {
  minimize: boolean;
  metric?: string;
}

/** One distinct configuration: every successful run of identical params (repeats, re-evaluations). */
export interface RankedConfig {
  /** The earliest successful run of the config: its checkpoint is the one to deploy. */
  record: TrialRecord;
  /** Mean score over the runs. */
  mean: number;
  /** Number of successful runs averaged. */
  count: number;
  /** Trial numbers of those runs, ascending. */
  trials: number[];
}

/** Ranks the study by its own metric, or by another one (HOTA, MOTA and IDF1 are all higher-is-better). */
export function rankingFor(manifest: StudyManifest, metric?: string): Ranking {
  if (metric === undefined || metric === manifest.metric) return { minimize: manifest.minimize };
  return { minimize: false, metric };
}

/** The metric name a ranking displays as. */
export function rankingLabel(manifest: StudyManifest, ranking: Ranking): string {
  return ranking.metric ?? manifest.metric;
}

/**
 * A run's score under the ranking; null for failed, pruned and infeasible runs (a run that misses a
 * constraint never ranks, whatever it scored) and runs without that metric.
 */
export function scoreOf(record: TrialRecord, ranking: Ranking): number | null {
  if (record.status !== 'ok' || (record.violation ?? 0) > 0) return null;
  const value = ranking.metric === undefined ? record.score : record.metrics[ranking.metric];
  return value !== undefined && value !== null && Number.isFinite(value) ? value : null;
}

/** A held-out re-score (`validationSeqmapPath`), not a tuning trial. */
export function isValidation(record: TrialRecord): boolean {
  return record.optimizer === VALIDATION;
}

/**
 * The trials of the search itself. Held-out re-scores ran on other sequences: they never compete for
 * best, never count as iterations and never enter the charts or the importance.
 */
export function tuningRecords(records: readonly TrialRecord[]): TrialRecord[] {
  return records.filter((r) => !isValidation(r));
}

/** Stable identity of a parameter set, independent of key order. */
export function paramsKey(params: Params): string {
  return JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
}

/** Negative when score `a` is better than `b`. */
export function compareScores(a: number, b: number, minimize: boolean): number {
  return minimize ? a - b : b - a;
}

/**
 * Distinct configurations, best mean first; equal means keep the earliest trial first. Held-out
 * validation runs are left out: their scores are on other sequences.
 */
export function rankConfigs(records: readonly TrialRecord[], ranking: Ranking): RankedConfig[] {
  const groups = new Map<string, { runs: TrialRecord[]; sum: number }>();
  const ordered = tuningRecords(records).sort((a, b) => a.trial - b.trial);
  for (const record of ordered) {
    const score = scoreOf(record, ranking);
    if (score === null) continue;
    const key = paramsKey(record.params);
    const group = groups.get(key) ?? { runs: [], sum: 0 };
    group.runs.push(record);
    group.sum += score;
    groups.set(key, group);
  }
  const configs = [...groups.values()].map(({ runs, sum }) => ({
    record: runs[0]!,
    mean: sum / runs.length,
    count: runs.length,
    trials: runs.map((r) => r.trial),
  }));
  return configs.sort(
    (a, b) => compareScores(a.mean, b.mean, ranking.minimize) || a.record.trial - b.record.trial,
  );
}

/** The best configuration by mean score over its runs; undefined when no run succeeded. */
export function bestTrial(records: readonly TrialRecord[], ranking: Ranking): RankedConfig | undefined {
  return rankConfigs(records, ranking)[0];
}
