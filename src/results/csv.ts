import { stringify } from 'csv-stringify/sync';
import type { StudyManifest, TrialRecord } from '../study/records.js';
import { writeFileAtomic } from './atomic.js';
import { hypervolumeByTrial } from './pareto.js';
import { resultsLayout } from './paths.js';
import { isValidation } from './ranking.js';

type Cell = string | number | null;

export interface AccuracyTable {
  columns: string[];
  rows: Cell[][];
}

/** Headline metrics in the order trackers are usually compared; any others follow as first seen. */
const METRIC_ORDER = ['HOTA', 'DetA', 'AssA', 'LocA', 'MOTA', 'MOTP', 'IDF1', 'IDP', 'IDR'];

function metricColumns(studyMetric: string, records: readonly TrialRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const name of Object.keys(r.metrics)) seen.add(name);
  seen.delete(studyMetric);
  const known = METRIC_ORDER.filter((m) => seen.has(m));
  const others = [...seen].filter((m) => !METRIC_ORDER.includes(m));
  return [...known, ...others];
}

function paramColumns(records: readonly TrialRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const name of Object.keys(r.params)) seen.add(name);
  return [...seen];
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * One row per trial, ordered by trial number: identity, status, the study metric (the score the
 * optimizers saw), the other metrics, timings, checkpoint, then one column per parameter named by its
 * full path, then (added last, so readers of the earlier columns keep working) `scored_on` (`tuning`,
 * or `held-out` for validation runs scored on `validationSeqmapPath`) and `validation_of` (the trial
 * whose config a validation run re-scores; empty on other rows), then the cost and staging columns:
 * `frames` run, `stage_reached` and `stages` (staged studies), `saved_s` (pipeline seconds a pruned
 * trial did not spend, estimated) and `prune_reason`, then `fps` (the trial's throughput, empty when the
 * pipeline reported none; docs/throughput.md). `exec_s` is the trial's pipeline time, summed over
 * its stages. Scores are fractions, as recorded; a pruned trial's covers the stages it ran. Constrained
 * studies add `violation` (0: feasible); two-objective studies `hypervolume`, the study's after that trial
 * (src/results/pareto.ts).
 */
export function accuracyTable(manifest: StudyManifest, records: readonly TrialRecord[]): AccuracyTable {
  const ordered = [...records].sort((a, b) => a.trial - b.trial);
  const metrics = metricColumns(manifest.metric, ordered);
  const params = paramColumns(ordered);
  const columns = [
    'trial',
    'optimizer',
    'iteration',
    'repeat',
    'status',
    manifest.metric,
    ...metrics,
    'exec_s',
    'eval_s',
    'finished_at',
    'checkpoint',
    ...params,
    'scored_on',
    'validation_of',
    'frames',
    'stage_reached',
    'stages',
    'saved_s',
    'prune_reason',
    'fps',
    ...(manifest.constraints ? ['violation'] : []),
    ...(manifest.objectives ? ['hypervolume'] : []),
  ];
  const hypervolume = manifest.objectives && hypervolumeByTrial(ordered, manifest.objectives);
  const rows = ordered.map((r): Cell[] => [
    r.trial,
    r.optimizer,
    r.iteration,
    r.repeat,
    r.status,
    r.score,
    ...metrics.map((m) => r.metrics[m] ?? null),
    seconds(r.execMs),
    seconds(r.evalMs),
    r.finishedAt,
    r.checkpoint,
    ...params.map((p) => (p in r.params ? String(r.params[p]) : null)),
    isValidation(r) ? 'held-out' : 'tuning',
    r.validationOf ?? null,
    r.frames ?? null,
    r.stages?.reached ?? null,
    r.stages?.of ?? null,
    r.savedMs === undefined ? null : seconds(r.savedMs),
    r.pruneReason ?? null,
    r.fps === undefined ? null : Math.round(r.fps * 10) / 10,
    ...(manifest.constraints ? [r.violation ?? null] : []),
    ...(hypervolume ? [hypervolume.get(r.trial) ?? null] : []),
  ]);
  return { columns, rows };
}

/** The table as CSV text (empty cells for missing values). */
export function accuracyCsv(table: AccuracyTable): string {
  return stringify([table.columns, ...table.rows.map((row) => row.map((cell) => cell ?? ''))]);
}

/** (Re)writes `results/<config>-<stamp>_accuracy.csv` in one piece; returns its path. */
export async function writeAccuracyCsv(
  outputDir: string,
  manifest: StudyManifest,
  records: readonly TrialRecord[],
): Promise<string> {
  const path = resultsLayout(outputDir, manifest).csv;
  await writeFileAtomic(path, accuracyCsv(accuracyTable(manifest, records)));
  return path;
}
