/**
 * PipeEval: score a trial's output (or a stage of it), decide whether a staged trial goes on, and append
 * the trial to the store when it ends (complete, failed or pruned). The pruner runs here, in an activity,
 * so its verdict lands in history: a replay reuses it, and a changed pruner never breaks a running study.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { type Perf, readPerf } from '../pipelines/perf.js';
import { buildPruneContext } from '../pruners/context.js';
import { createPruner, type Verdict } from '../pruners/index.js';
import { readTrialStore } from '../results/index.js';
import type { Params } from '../space/types.js';
import { checkpointName, studyLayout, trialLayout } from '../study/layout.js';
import { displayValue, neededMetrics, objectiveValues, violation } from '../study/objectives.js';
import type { StageRecord, TrialRecord } from '../study/records.js';
import { readStageRecords, stageKey } from '../study/stageStore.js';
import { appendTrialRecord, trialKey } from '../study/trialStore.js';
import type { EvalOutcome, StageRef } from '../study/types.js';
import { refreshAccuracyCsv } from './finalize.js';
import { errorLines } from './logs.js';
import { readStagePlan } from './stagePlan.js';
import { type LoadedStudy, loadStudy, type Scores } from './studyContext.js';
import type { PipeEvalRequest } from './types.js';

type RunError = NonNullable<TrialRecord['error']>;

export async function pipeEval(request: PipeEvalRequest): Promise<EvalOutcome> {
  const { study, ticket, exec, stage } = request;
  const loaded = await loadStudy(study);
  const { config, plan } = loaded;
  const files = trialLayout(study.outputDir, ticket);
  const evalStart = Date.now();
  const seqmap = stage ? studyLayout(study.outputDir).stagesUpTo(stage.stage) : config.seqmapFor(ticket);
  const log = stage ? files.stageLog(stage.stage) : files.log;
  let scores: Scores = { metrics: {}, sequences: {}, perSequence: {} };
  let perf: Perf | null = null;
  let error: RunError | undefined;
  if (exec?.exitCode !== 0) {
    const why =
      request.execError ?? (exec?.signal ? `killed by ${exec.signal}` : `exit code ${exec?.exitCode}`);
    error = {
      message: `the pipeline run failed: ${why}`,
      lines: await errorLines(log),
      logFile: log,
    };
  } else {
    try {
      scores = await config.evaluate(files.output, seqmap);
      // A malformed perf.json breaks the adapter's contract: the trial fails with the file's problem.
      perf = await readPerf(files.output);
    } catch (err) {
      // No or unreadable output counts as a failed run (PipeTuner: no KITTI files).
      error = {
        message: `the pipeline's output could not be scored: ${(err as Error).message}`,
        lines: await errorLines(log),
        logFile: log,
      };
    }
  }
  const score = error ? null : (scores.metrics[plan.metric] ?? null);

  let stages: StageRecord[] | undefined;
  let verdict: Verdict | undefined;
  if (stage) {
    const record = await scoreStage(loaded, request, stage, {
      score,
      scores,
      error,
      evalMs: Date.now() - evalStart,
    });
    stages = (await readStageRecords(study.outputDir)).filter((r) => r.trial === ticket.trial);
    verdict = record.verdict;
    if (record.status === 'ok' && !verdict.prune && stage.stage < stage.of)
      return { status: 'ok', score: record.score, next: true, trialMs: record.execMs + record.evalMs };
  }

  const frames = stages
    ? stages.reduce((sum, s) => sum + s.frames, 0)
    : config.sequenceFrames(seqmap).reduce((sum, s) => sum + s.frames, 0);
  const execMs = stages ? stages.reduce((sum, s) => sum + s.execMs, 0) : (exec?.execMs ?? 0);
  const pruned = verdict?.prune === true && !error;
  const finishedAt = new Date().toISOString();
  const measured: TrialRecord = {
    key: trialKey(ticket),
    trial: ticket.trial,
    optimizer: ticket.optimizer,
    ...(await proposerOf(files.proposal)),
    iteration: ticket.iteration,
    repeat: ticket.repeat,
    params: JSON.parse(await readFile(files.params, 'utf8')) as Params,
    status: error ? 'failed' : pruned ? 'pruned' : 'ok',
    score,
    metrics: scores.metrics,
    exitCode: exec?.exitCode ?? null,
    execMs,
    evalMs: stages ? stages.reduce((sum, s) => sum + s.evalMs, 0) : Date.now() - evalStart,
    frames,
    ...(stage ? { stages: { reached: stage.stage, of: stage.of } } : {}),
    ...(pruned
      ? { pruneReason: verdict!.reason, savedMs: await skippedMs(study.outputDir, stage!, execMs, frames) }
      : {}),
    ...(Object.keys(scores.perSequence).length ? { perSequence: scores.perSequence } : {}),
    ...(perf && !error ? fpsFields(perf) : {}),
    startedAt: exec?.startedAt ?? finishedAt,
    finishedAt,
    checkpoint: checkpointName(ticket),
    ...(ticket.validationOf !== undefined ? { validationOf: ticket.validationOf } : {}),
    ...(error ? { error } : {}),
  };
  const record = judgeObjectives(measured, loaded.config, log);
  const values =
    config.objectives && record.status === 'ok' ? objectiveValues(record, config.objectives) : undefined;
  await writeFile(
    files.scores,
    `${JSON.stringify({ status: record.status, score: record.score, metric: plan.metric, metrics: scores.metrics, sequences: scores.sequences, error: record.error }, null, 2)}\n`,
  );
  await appendTrialRecord(studyLayout(study.outputDir).trials, record);
  await refreshAccuracyCsv(study.outputDir);
  return {
    status: record.status,
    score: record.score,
    ...(record.violation ? { feasible: false } : {}),
    ...(values ? { values } : {}),
    ...(record.error ? { error: record.error } : {}),
    trialMs: record.execMs + record.evalMs,
  };
}

/**
 * A complete trial of a study with objectives or constraints, judged: its violation recorded (0 is
 * feasible), or the trial failed when a metric they need was not measured (e.g. a `command` program
 * that reports no throughput), so the study never ranks a trial it cannot judge.
 */
function judgeObjectives(record: TrialRecord, config: LoadedStudy['config'], logFile: string): TrialRecord {
  if (record.status !== 'ok' || (!config.objectives && !config.constraints)) return record;
  const missing = neededMetrics(config.objectives, config.constraints).filter(
    (metric) => displayValue(record, metric) === undefined,
  );
  if (missing.length > 0) {
    const what = missing.includes('fps')
      ? 'the pipeline reported no throughput (docs/throughput.md says how each pipeline measures it)'
      : 'the evaluation did not produce it';
    return {
      ...record,
      status: 'failed',
      score: null,
      error: {
        message: `Init.Eval objectives/constraints need ${missing.join(', ')}, but ${what}`,
        lines: [],
        logFile,
      },
    };
  }
  return config.constraints ? { ...record, violation: violation(record, config.constraints)! } : record;
}

/** Records the stage (once: a retried PipeEval returns the record, and the verdict, it wrote first). */
async function scoreStage(
  { config, plan }: LoadedStudy,
  { study, ticket, exec, historyBefore }: PipeEvalRequest,
  stage: StageRef,
  result: { score: number | null; scores: Scores; error: RunError | undefined; evalMs: number },
): Promise<StageRecord> {
  const key = stageKey(trialKey(ticket), stage.stage);
  const stored = await readStageRecords(study.outputDir);
  const existing = stored.find((r) => r.key === key);
  if (existing) return existing;
  const schedule = await readStagePlan(study.outputDir);
  let verdict: Verdict = {
    prune: false,
    reason: result.error
      ? 'stage failed'
      : stage.stage === stage.of
        ? 'last stage'
        : 'the baseline runs every stage',
  };
  // The baseline is the reference every result is reported against: it always runs to the end.
  if (result.score !== null && stage.stage < stage.of && config.pruning && ticket.optimizer !== 'baseline') {
    const current = {
      trial: ticket.trial,
      stage: stage.stage,
      of: stage.of,
      score: result.score,
      perSequence: result.scores.perSequence,
    };
    // Deterministic studies compare with earlier rounds only, whatever else has finished by now.
    const earlier = <T extends { trial: number }>(records: T[]) =>
      historyBefore === undefined ? records : records.filter((r) => r.trial < historyBefore);
    const trials = earlier(await readTrialStore(study.outputDir));
    const context = buildPruneContext(trials, earlier(stored), current, plan.minimize);
    verdict = createPruner(config.pruning.pruner)(context);
  }
  const record: StageRecord = {
    key,
    trial: ticket.trial,
    optimizer: ticket.optimizer,
    stage: stage.stage,
    of: stage.of,
    status: result.error ? 'failed' : 'ok',
    score: result.score,
    perSequence: result.scores.perSequence,
    execMs: exec?.execMs ?? 0,
    frames: schedule.stages[stage.stage - 1]?.frames ?? 0,
    evalMs: result.evalMs,
    verdict,
    finishedAt: new Date().toISOString(),
  };
  await appendTrialRecord(studyLayout(study.outputDir).stageRecords, record);
  return record;
}

/** The pipeline time the stages after `stage` would have taken at this trial's pace (ms per frame). */
async function skippedMs(
  outputDir: string,
  stage: StageRef,
  execMs: number,
  framesRun: number,
): Promise<number> {
  const { stages } = await readStagePlan(outputDir);
  const left = stages.slice(stage.stage).reduce((sum, s) => sum + s.frames, 0);
  return framesRun > 0 ? Math.round((execMs / framesRun) * left) : 0;
}

/** The record's throughput fields: the trial's fps and, when measured per sequence, each one's. */
function fpsFields(perf: Perf): Pick<TrialRecord, 'fps' | 'perSequenceFps'> {
  const perSequence = perf.perSequence && Object.entries(perf.perSequence);
  return {
    fps: perf.fps,
    ...(perSequence
      ? { perSequenceFps: Object.fromEntries(perSequence.map(([seq, p]) => [seq, p.fps])) }
      : {}),
  };
}

async function proposerOf(file: string): Promise<{ proposer?: string }> {
  if (!existsSync(file)) return {};
  return { proposer: (JSON.parse(await readFile(file, 'utf8')) as { by: string }).by };
}
