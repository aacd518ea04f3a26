/**
 * `pipetune results --json`: the analysis as plain JSON for other systems. Scores are fractions, as in
 * the trial store and the CSV; trials are referred to by number (the CSV and trials.jsonl hold them all).
 */
import type { StudyAnalysis } from './analysis.js';
import type { RankedConfig } from './ranking.js';

const config = (c: RankedConfig) => ({
  trial: c.record.trial,
  optimizer: c.record.optimizer,
  score: c.mean,
  runs: c.count,
  trials: c.trials,
  checkpoint: c.record.checkpoint,
  params: c.record.params,
});

export function resultsJson(a: StudyAnalysis) {
  const s = a.summary;
  const count = (status: string) => a.trials.filter((t) => t.status === status).length;
  return {
    schema: 'pipetune.results/1',
    study: {
      name: a.name,
      configPath: a.configPath,
      createdAt: a.createdAt,
      metric: a.metric,
      minimize: a.minimize,
    },
    trials: { total: s.trials, ok: count('ok'), failed: count('failed'), pruned: count('pruned') },
    best: s.best ? config(s.best) : null,
    baseline: s.baseline ? config(s.baseline) : null,
    improvement: s.improvement ?? null,
    relativeImprovement: s.relativeImprovement ?? null,
    optimizers: s.optimizers.map((o) => ({
      optimizer: o.optimizer,
      trials: o.trials,
      failed: o.failed,
      best: o.best ? { trial: o.best.record.trial, score: o.best.mean } : null,
    })),
    ranking: a.top.map((c, i) => ({ rank: i + 1, ...config(c) })),
    importance: a.importance,
    boundFlags: a.boundFlags,
    ...(a.spaceNote ? { spaceNote: a.spaceNote } : {}),
    // Constrained and two-objective studies; objective values in display units (points, fps).
    ...(s.feasibility ? { feasibility: s.feasibility } : {}),
    ...(s.pareto
      ? {
          pareto: {
            objectives: s.pareto.objectives,
            pick: s.pick ?? null,
            reference: s.pareto.reference,
            hypervolume: s.pareto.hypervolume,
            points: s.pareto.points.map((p) => ({
              trial: p.record.trial,
              optimizer: p.record.optimizer,
              values: p.values,
              trials: p.trials,
              checkpoint: p.record.checkpoint,
              params: p.record.params,
            })),
          },
        }
      : {}),
    perSequence: a.perSequence ?? null,
    validation:
      s.validation?.configs.map((c) => ({
        trial: c.trial,
        rank: c.rank ?? null,
        baseline: c.baseline,
        tuning: c.tuning?.mean ?? null,
        heldOut: c.heldOut ?? null,
        difference: c.difference ?? null,
        runs: c.runs.map((r) => ({ trial: r.trial, status: r.status, score: r.score })),
      })) ?? null,
  };
}
