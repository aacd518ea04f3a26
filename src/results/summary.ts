import { describeConstraint } from '../study/objectives.js';
import type { StudyManifest, TrialRecord } from '../study/records.js';
import { type RankedConfig, type Ranking, rankConfigs, rankingLabel, tuningRecords } from './ranking.js';
import { summarizeValidation, type ValidationSummary } from './validation.js';

export interface OptimizerSummary {
  optimizer: string;
  trials: number;
  failed: number;
  /** Its best configuration among its own runs. */
  best?: RankedConfig;
}

/** The headline numbers shown by the report, `pipetune results` and best/README.txt. */
export interface StudySummary {
  metric: string;
  minimize: boolean;
  /** Tuning trials: the held-out validation runs are counted in `validation` only. */
  trials: number;
  ok: number;
  failed: number;
  /** Trials the pruner stopped between stages (their partial scores never rank). */
  pruned: number;
  /** Constrained studies: the constraints, and how many complete tuning trials met them. */
  feasibility?: { constraints: string[]; feasible: number; infeasible: number };
  /** What the tuning trials cost: pipeline seconds (PipeExec wall time), frames run, and the pipeline seconds pruning saved (estimated). */
  cost: { pipelineSeconds: number; frames: number; savedSeconds: number };
  best?: RankedConfig;
  /** The user's original config (optimizer `baseline`). */
  baseline?: RankedConfig;
  /** Best minus baseline, signed so that positive is better; a fraction like the scores. */
  improvement?: number;
  /** `improvement` relative to the baseline's magnitude (undefined when the baseline is 0). */
  relativeImprovement?: number;
  /** In order of each optimizer's first trial (tuning optimizers only). */
  optimizers: OptimizerSummary[];
  /** The configs re-scored on the held-out seqmap; absent when the study has no validation run. */
  validation?: ValidationSummary;
}

export function summarizeStudy(
  manifest: StudyManifest,
  records: readonly TrialRecord[],
  ranking: Ranking,
): StudySummary {
  const ordered = tuningRecords(records).sort((a, b) => a.trial - b.trial);
  const byOptimizer = new Map<string, TrialRecord[]>();
  for (const r of ordered) {
    const runs = byOptimizer.get(r.optimizer) ?? [];
    runs.push(r);
    byOptimizer.set(r.optimizer, runs);
  }
  const optimizers = [...byOptimizer].map(([optimizer, runs]) => ({
    optimizer,
    trials: runs.length,
    failed: runs.filter((r) => r.status === 'failed').length,
    best: rankConfigs(runs, ranking)[0],
  }));
  const best = rankConfigs(ordered, ranking)[0];
  const baseline = optimizers.find((o) => o.optimizer === 'baseline')?.best;
  const failed = ordered.filter((r) => r.status === 'failed').length;
  const pruned = ordered.filter((r) => r.status === 'pruned').length;
  const total = (value: (r: TrialRecord) => number | undefined) =>
    ordered.reduce((sum, r) => sum + (value(r) ?? 0), 0);
  const summary: StudySummary = {
    metric: rankingLabel(manifest, ranking),
    minimize: ranking.minimize,
    trials: ordered.length,
    ok: ordered.length - failed - pruned,
    failed,
    pruned,
    cost: {
      pipelineSeconds: total((r) => r.execMs) / 1000,
      frames: total((r) => r.frames),
      savedSeconds: total((r) => r.savedMs) / 1000,
    },
    best,
    baseline,
    optimizers,
  };
  if (manifest.constraints?.length) {
    const complete = ordered.filter((r) => r.status === 'ok');
    const infeasible = complete.filter((r) => (r.violation ?? 0) > 0).length;
    summary.feasibility = {
      constraints: manifest.constraints.map(describeConstraint),
      feasible: complete.length - infeasible,
      infeasible,
    };
  }
  const validation = summarizeValidation(records, ranking);
  if (validation) summary.validation = validation;
  if (best && baseline) {
    summary.improvement = ranking.minimize ? baseline.mean - best.mean : best.mean - baseline.mean;
    if (baseline.mean !== 0) summary.relativeImprovement = summary.improvement / Math.abs(baseline.mean);
  }
  return summary;
}
