/**
 * One study's results as one summary: ranking, parameter importance and the ranges to widen,
 * per-sequence scores, held-out validation, and every trial as the views draw it. Pure: the report,
 * every chart, `pipetune results --json` and the dashboard are all rendered from this one value.
 */
import type { Dimension, ParamValue } from '../space/types.js';
import type { TrialRecord } from '../study/records.js';
import { type ParameterImportance, parameterImportance, unitOf } from './importance.js';
import type { StudyInput } from './input.js';
import { paramsKey, type RankedConfig, rankConfigs, scoreOf, tuningRecords } from './ranking.js';
import { type StudySummary, summarizeStudy } from './summary.js';

export const TOP_CONFIGS = 10;
/**
 * A parameter is flagged when the best config sits in the outer BOUND_EDGE of its range (unit scale,
 * log ranges in log space) and at least half of the BOUND_CONFIGS best sit in the outer quarter there.
 */
const BOUND_CONFIGS = 5;
const BOUND_EDGE = 0.1;
const BOUND_QUARTER = 0.25;

export interface AnalysedTrial {
  trial: number;
  optimizer: string;
  iteration: number;
  status: 'ok' | 'failed' | 'pruned';
  /** Under the ranking, a fraction; null for failed runs. */
  score: number | null;
  params: TrialRecord['params'];
  startedAt: string;
  finishedAt: string;
  /** `host GPU n` of the worker that ran it, when recorded. */
  worker?: string;
  checkpoint: string;
  exitCode: number | null;
  /** Failed runs: why, the log's error lines and its path. */
  error?: TrialRecord['error'];
  /** Pruned trials: the partial score (stages run), where it stopped, the time saved and why. */
  pruned?: {
    partialScore: number | null;
    stages: TrialRecord['stages'];
    savedMs: number | undefined;
    reason: string | undefined;
  };
}

/** A parameter whose best values sit at one end of its range: the optimum may lie outside it. */
export interface BoundFlag {
  name: string;
  bound: 'lower' | 'upper';
  /** The range searched and the best config's value. */
  low: number;
  high: number;
  best: number;
  /** How many of the best configs sit in the quarter of the range at that end, of how many looked at. */
  atBound: number;
  of: number;
  /**
   * A wider range to try: past that bound by half the width (log ranges: doubled or halved); absent
   * when the range already starts at 0 (the value cannot go lower).
   */
  suggested?: [number, number];
}

export interface PerSequence {
  metric: string;
  sequences: string[];
  /** The best configs (rank 1…) and the baseline; null where a sequence has no score. */
  rows: Array<{ label: string; trial: number; baseline: boolean; scores: Array<number | null> }>;
}

export interface StudyAnalysis {
  name: string;
  configPath: string;
  createdAt: string;
  metric: string;
  minimize: boolean;
  summary: StudySummary;
  /** Best first, at most TOP_CONFIGS. */
  top: RankedConfig[];
  /** Every tuning trial in trial order. */
  trials: AnalysedTrial[];
  /** The search space (from the config; else inferred from the values tried, see `spaceNote`). */
  dimensions: Dimension[];
  spaceNote?: string;
  importance: ParameterImportance[];
  boundFlags: BoundFlag[];
  perSequence?: PerSequence;
}

/** A space from the values tried, when the config's is not available: numbers span what was tried. */
export function inferDimensions(records: readonly TrialRecord[]): Dimension[] {
  const values = new Map<string, ParamValue[]>();
  for (const r of records)
    for (const [name, value] of Object.entries(r.params))
      values.set(name, [...(values.get(name) ?? []), value]);
  return [...values].map(([name, vs]): Dimension => {
    if (vs.every((v) => typeof v === 'number')) {
      const nums = vs as number[];
      const kind = nums.every(Number.isInteger) ? 'int' : 'real';
      return { kind, name, low: Math.min(...nums), high: Math.max(...nums), log: false };
    }
    const choices = [...new Map(vs.map((v) => [JSON.stringify(v), v])).values()];
    return { kind: 'choice', name, choices };
  });
}

/** Parameters whose best configs crowd one end of the range (numeric ones only). */
export function boundFlags(dimensions: readonly Dimension[], top: readonly RankedConfig[]): BoundFlag[] {
  const best = top.slice(0, BOUND_CONFIGS);
  if (best.length === 0) return [];
  const flags: BoundFlag[] = [];
  for (const dim of dimensions) {
    if (dim.kind === 'choice' || dim.high === dim.low) continue;
    const units = best.map((c) => unitOf(dim, Number(c.record.params[dim.name])));
    const bestUnit = units[0]!;
    for (const bound of ['lower', 'upper'] as const) {
      const near = (u: number, edge: number) => (bound === 'lower' ? u <= edge : u >= 1 - edge);
      const atBound = units.filter((u) => near(u, BOUND_QUARTER)).length;
      if (!near(bestUnit, BOUND_EDGE) || atBound * 2 < units.length) continue;
      const width = dim.high - dim.low;
      const step = dim.kind === 'int' ? Math.max(1, Math.round(width / 2)) : width / 2;
      // Log ranges stay positive (halve the bound); a range that starts at 0 or above does not cross 0.
      const lower = dim.log ? dim.low / 2 : dim.low >= 0 ? Math.max(0, dim.low - step) : dim.low - step;
      const suggested: [number, number] | undefined =
        bound === 'upper'
          ? [dim.low, dim.log ? dim.high * 2 : dim.high + step]
          : lower < dim.low
            ? [lower, dim.high]
            : undefined;
      flags.push({
        name: dim.name,
        bound,
        low: dim.low,
        high: dim.high,
        best: Number(best[0]!.record.params[dim.name]),
        atBound,
        of: units.length,
        ...(suggested ? { suggested } : {}),
      });
    }
  }
  return flags;
}

function perSequence(
  input: StudyInput,
  metric: string,
  top: readonly RankedConfig[],
  baseline?: RankedConfig,
) {
  const rows: PerSequence['rows'] = [];
  const add = (config: RankedConfig, label: string, isBaseline: boolean) => {
    if (rows.some((r) => r.trial === config.record.trial)) return;
    if (input.sequences.has(config.record.trial))
      rows.push({ label, trial: config.record.trial, baseline: isBaseline, scores: [] });
  };
  const isBaseline = (c: RankedConfig) =>
    baseline !== undefined && paramsKey(c.record.params) === paramsKey(baseline.record.params);
  for (const [i, c] of top.entries())
    add(c, `#${i + 1} ${isBaseline(c) ? 'baseline ' : ''}trial ${c.record.trial}`, isBaseline(c));

  if (baseline) add(baseline, `baseline (trial ${baseline.record.trial})`, true);
  if (rows.length === 0) return undefined;
  const sequences = [...new Set(rows.flatMap((r) => Object.keys(input.sequences.get(r.trial)!)))].sort();
  for (const row of rows) {
    const scores = input.sequences.get(row.trial)!;
    row.scores = sequences.map((s) => scores[s]?.[metric] ?? null);
  }
  return { metric, sequences, rows };
}

export function analyzeStudy(input: StudyInput): StudyAnalysis {
  const { manifest, ranking } = input;
  const ordered = tuningRecords(input.records).sort((a, b) => a.trial - b.trial);
  const summary = summarizeStudy(manifest, input.records, ranking, input.pick);
  const ranked = rankConfigs(ordered, ranking);
  const top = ranked.slice(0, TOP_CONFIGS);
  const dimensions = input.dimensions ?? inferDimensions(ordered);
  const trials = ordered.map((r): AnalysedTrial => {
    const worker = input.workers.get(r.trial);
    return {
      trial: r.trial,
      optimizer: r.optimizer,
      iteration: r.iteration,
      status: r.status,
      score: scoreOf(r, ranking),
      params: r.params,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      ...(worker ? { worker } : {}),
      checkpoint: r.checkpoint,
      exitCode: r.exitCode,
      ...(r.error ? { error: r.error } : {}),
      ...(r.status === 'pruned'
        ? { pruned: { partialScore: r.score, stages: r.stages, savedMs: r.savedMs, reason: r.pruneReason } }
        : {}),
    };
  });
  const sign = ranking.minimize ? -1 : 1;
  // Importance over the optimizers' own picks: the baseline and re-runs of known configs add no spread.
  const scored = ordered.flatMap((r) => {
    const score = scoreOf(r, ranking);
    return score === null || r.optimizer === 'baseline' || r.optimizer === 'reeval'
      ? []
      : [{ params: r.params, score: sign * score }];
  });
  const analysis: StudyAnalysis = {
    name: manifest.name,
    configPath: manifest.configPath,
    createdAt: manifest.createdAt,
    metric: summary.metric,
    minimize: ranking.minimize,
    summary,
    top,
    trials,
    dimensions,
    importance: parameterImportance(dimensions, scored),
    boundFlags: input.dimensions ? boundFlags(dimensions, ranked) : [],
  };
  if (input.spaceNote) analysis.spaceNote = input.spaceNote;
  const sequences = perSequence(input, summary.metric, top.slice(0, 5), summary.baseline);
  if (sequences) analysis.perSequence = sequences;
  return analysis;
}
