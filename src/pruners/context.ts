/**
 * What a pruner sees, built from the stores: the trials that ran every stage (with their score after each
 * stage) and every other trial's score at this stage. Pure, so the PipeEval activity and the fidelity
 * benchmark decide from the same view.
 */
import type { StageRecord, TrialRecord } from '../study/records.js';
import type { PruneContext, StageScore } from './types.js';

export function buildPruneContext(
  trials: readonly TrialRecord[],
  stages: readonly StageRecord[],
  current: StageScore & { of: number },
  minimize: boolean,
): PruneContext {
  const byTrial = new Map<number, StageRecord[]>();
  for (const r of stages)
    if (r.status === 'ok' && r.score !== null) byTrial.set(r.trial, [...(byTrial.get(r.trial) ?? []), r]);
  const complete = trials
    .filter(
      (r) =>
        r.status === 'ok' &&
        r.score !== null &&
        r.stages?.reached === current.of &&
        r.stages.of === current.of,
    )
    .map((r) => ({
      trial: r.trial,
      score: r.score!,
      stageScores: [...(byTrial.get(r.trial) ?? [])].sort((a, b) => a.stage - b.stage).map((s) => s.score!),
      perSequence: r.perSequence ?? {},
    }));
  const atStage = stages
    .filter(
      (r) => r.stage === current.stage && r.status === 'ok' && r.score !== null && r.trial !== current.trial,
    )
    .map((r) => r.score!);
  const { of, ...score } = current;
  return { stage: current.stage, stages: of, current: score, complete, atStage, minimize };
}
