import { InputError } from '../errors.js';
import { describeConstraint } from '../study/objectives.js';
import type { StudyManifest, TrialRecord } from '../study/records.js';
import { type ParetoSummary, parsePick, pickPoint, summarizePareto } from './pareto.js';
import {
  paramsKey,
  type RankedConfig,
  type Ranking,
  rankConfigs,
  rankingLabel,
  tuningRecords,
} from './ranking.js';
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
  /** Two-objective studies: the Pareto set and its hypervolume; `best` is the picked Pareto config. */
  pareto?: ParetoSummary;
  /** The `--pick` rule that chose `best` among the Pareto configs (absent: the best first objective). */
  pick?: string;
  /** The configs re-scored on the held-out seqmap; absent when the study has no validation run. */
  validation?: ValidationSummary;
}

export function summarizeStudy(
  manifest: StudyManifest,
  records: readonly TrialRecord[],
  ranking: Ranking,
  pick?: string,
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
  if (pick !== undefined && !manifest.objectives)
    throw new InputError(
      `--pick: study ${manifest.name} has one objective (${manifest.metric}); --pick chooses among the Pareto configs of a study with Init.Eval.objectives`,
    );
  const ranked = rankConfigs(ordered, ranking);
  const pareto = manifest.objectives ? summarizePareto(records, manifest.objectives) : undefined;
  const best = pareto && pick !== undefined ? pickedConfig(ranked, pareto, pick) : ranked[0];
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
  if (pareto) summary.pareto = pareto;
  if (pick !== undefined) summary.pick = pick;
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

/** The ranked config of the Pareto point the rule picks; an input error naming the front when none fits. */
function pickedConfig(ranked: readonly RankedConfig[], pareto: ParetoSummary, rule: string): RankedConfig {
  const point = pickPoint(pareto.points, parsePick(rule, pareto.objectives));
  const names = pareto.objectives.map((o) => o.metric).join('/');
  if (!point) {
    const front = pareto.points.map(
      (p) => `trial ${p.record.trial} ${p.values.map((v) => v.toFixed(2)).join('/')}`,
    );
    throw new InputError(
      `--pick "${rule}": no Pareto config meets it (${names}: ${front.join('; ') || 'none yet'})`,
    );
  }
  const key = paramsKey(point.record.params);
  return ranked.find((c) => paramsKey(c.record.params) === key)!;
}

/** `constraints fps ≥ 30: 41 of 60 complete trials feasible (19 infeasible, never best)` */
export function feasibilityLine(f: NonNullable<StudySummary['feasibility']>): string {
  const complete = f.feasible + f.infeasible;
  return `constraints ${f.constraints.join(', ')}: ${f.feasible} of ${complete} complete trials feasible (${f.infeasible} infeasible, never best)`;
}
