/**
 * A tuning study's loop without the orchestration: the same stage schedule, optimizer, pruner and prune
 * context as a staged pipetune study, one trial at a time, charging each stage the CPU time of its
 * pipeline runs. Records every trial's cost and score so the benchmark can tell when it got good.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { originalParams, render, type StudyConfig } from '../../src/config/index.js';
import { evaluateMot } from '../../src/eval/index.js';
import { suggestTagged } from '../../src/optimizers/index.js';
import { buildPruneContext } from '../../src/pruners/context.js';
import { createPruner, type PrunerSettings } from '../../src/pruners/index.js';
import type { Params, Trial } from '../../src/space/types.js';
import type { StageRecord, TrialRecord } from '../../src/study/records.js';
import type { Stage } from '../../src/study/stages.js';
import type { SequenceRunner } from './sequenceRuns.js';

export interface StudyRun {
  trials: { trial: number; status: 'ok' | 'pruned'; score: number; params: Params; cpuMs: number }[];
}

export interface StudyOptions {
  config: StudyConfig;
  runner: SequenceRunner;
  stages: Stage[];
  pruner: PrunerSettings;
  optimizer: string;
  /** Trials after the baseline; with `cpuBudgetMs` a cap. */
  trials: number;
  /** The optimizers' planned budget (max_iteration), which sizes their initial design. */
  budget: number;
  /** Stop once the trials have spent this much pipeline CPU time (equal-cost comparisons). */
  cpuBudgetMs?: number;
  seed: number;
  workDir: string;
}

export async function runStudy(options: StudyOptions): Promise<StudyRun> {
  const { config, stages } = options;
  const prune = createPruner(options.pruner);
  const trialRecords: TrialRecord[] = [];
  const stageRecords: StageRecord[] = [];
  const history: Trial[] = [];
  const run: StudyRun = { trials: [] };
  let spentMs = 0;
  for (let trial = 0; trial <= options.trials && spentMs < (options.cpuBudgetMs ?? Infinity); trial++) {
    const params =
      trial === 0
        ? originalParams(config)
        : suggestTagged(options.optimizer, {
            space: config.space,
            trials: history,
            pending: [],
            n: 1,
            seed: options.seed * 100_003 + trial,
            budget: options.budget,
          })[0]!.params;
    const dir = path.join(options.workDir, `trial-${trial}`);
    mkdirSync(dir, { recursive: true });
    const configs = await render(config, params, path.join(dir, 'configs'));
    let cpuMs = 0;
    let upTo: string[] = [];
    let scored = { score: 0, perSequence: {} as Record<string, number> };
    let reached = 0;
    let pruned = false;
    for (const [k, stage] of stages.entries()) {
      for (const sequence of stage.sequences) {
        const result = await options.runner.run(configs, sequence);
        writeFileSync(path.join(dir, `${sequence}.txt`), result.text);
        cpuMs += result.cpuMs;
      }
      upTo = [...upTo, ...stage.sequences];
      scored = score(config, dir, upTo);
      reached = k + 1;
      const current = { trial, stage: reached, of: stages.length, ...scored };
      const verdict =
        trial === 0 || reached === stages.length
          ? { prune: false, reason: 'runs every stage' }
          : prune(buildPruneContext(trialRecords, stageRecords, current, false));
      stageRecords.push(stageRecord(trial, reached, stages.length, scored, verdict));
      if (verdict.prune) {
        pruned = true;
        break;
      }
    }
    trialRecords.push(trialRecord(trial, params, pruned, scored, reached, stages.length));
    history.push({
      params,
      score: scored.score,
      ...(pruned ? { pruned: { reached, of: stages.length } } : {}),
    });
    run.trials.push({ trial, status: pruned ? 'pruned' : 'ok', score: scored.score, params, cpuMs });
    spentMs += cpuMs;
  }
  return run;
}

/** HOTA (or the study metric) over the given sequences, and per sequence. */
export function score(config: StudyConfig, trackerDir: string, sequences: readonly string[]) {
  const seqmapPath = path.join(trackerDir, 'seqmap.txt');
  writeFileSync(seqmapPath, `name\n${sequences.join('\n')}\n`);
  const report = evaluateMot({
    gtDir: config.exec.datasetPath,
    trackerDir,
    seqmapPath,
    benchmark: config.exec.benchmark,
  });
  const perSequence: Record<string, number> = {};
  for (const [name, block] of Object.entries(report.sequences))
    perSequence[name] = block.summary[config.metric]!;
  return { score: report.combined.summary[config.metric]!, perSequence };
}

function stageRecord(
  trial: number,
  stage: number,
  of: number,
  scored: { score: number; perSequence: Record<string, number> },
  verdict: { prune: boolean; reason: string },
): StageRecord {
  const key = `t/${trial}/0/${stage}`;
  return {
    key,
    trial,
    optimizer: 't',
    stage,
    of,
    status: 'ok',
    ...scored,
    execMs: 0,
    frames: 0,
    evalMs: 0,
    verdict,
    finishedAt: '',
  };
}

function trialRecord(
  trial: number,
  params: Params,
  pruned: boolean,
  scored: { score: number; perSequence: Record<string, number> },
  reached: number,
  of: number,
): TrialRecord {
  return {
    key: `t/${trial}/0`,
    trial,
    optimizer: trial === 0 ? 'baseline' : 't',
    iteration: trial,
    repeat: 0,
    params,
    status: pruned ? 'pruned' : 'ok',
    score: scored.score,
    metrics: {},
    exitCode: 0,
    execMs: 0,
    evalMs: 0,
    stages: { reached, of },
    perSequence: scored.perSequence,
    startedAt: '',
    finishedAt: '',
    checkpoint: '',
  };
}
