import path from 'node:path';
import type { TrialTicket } from './types.js';

/** The study output folder layout (design.md §7). */
export function studyLayout(outputDir: string) {
  return {
    outputDir,
    manifest: path.join(outputDir, 'study.json'),
    trials: path.join(outputDir, 'trials.jsonl'),
    /** Staged studies: one record per scored stage, and the schedule with its seqmaps. */
    stageRecords: path.join(outputDir, 'stages.jsonl'),
    stagePlan: path.join(outputDir, 'stages', 'plan.json'),
    stageSeqmap: (stage: number) => path.join(outputDir, 'stages', `stage-${stage}.txt`),
    stagesUpTo: (stage: number) => path.join(outputDir, 'stages', `upto-${stage}.txt`),
    checkpoints: path.join(outputDir, 'checkpoints'),
    results: path.join(outputDir, 'results'),
    logs: path.join(outputDir, 'logs'),
  };
}

/** `checkpoints/trial-0007-tpe` (relative to the output folder). */
export function checkpointName(ticket: Pick<TrialTicket, 'trial' | 'optimizer'>): string {
  return path.join('checkpoints', `trial-${String(ticket.trial).padStart(4, '0')}-${ticket.optimizer}`);
}

/** Files inside one trial's checkpoint. */
export function trialLayout(outputDir: string, ticket: Pick<TrialTicket, 'trial' | 'optimizer'>) {
  const dir = path.join(outputDir, checkpointName(ticket));
  return {
    dir,
    params: path.join(dir, 'params.json'),
    proposal: path.join(dir, 'proposal.json'),
    configs: path.join(dir, 'configs'),
    output: path.join(dir, 'output'),
    /** Where stage k of a staged trial writes before its files join `output`. */
    stageOutput: (stage: number) => path.join(dir, 'output', `.stage-${stage}`),
    log: path.join(dir, 'log.txt'),
    /** Staged trials: each stage's run has its own log (a retried stage rewrites only its own). */
    stageLog: (stage: number) => path.join(dir, `log-stage-${stage}.txt`),
    exec: path.join(dir, 'exec.json'),
    scores: path.join(dir, 'scores.json'),
  };
}

/**
 * `<root>/output/<config file name>_output`, as PipeTuner names it; a study given its own name gets
 * `<root>/output/<name>_output`, so two studies of one config never share a trial store.
 */
export function defaultOutputDir(rootDir: string, configPath: string, name?: string): string {
  return path.join(rootDir, 'output', `${name ?? path.basename(configPath)}_output`);
}

/** Study name from the config file: `configs/sdg-mot.yml` → `sdg-mot`. */
export function defaultStudyName(configPath: string): string {
  return path
    .basename(configPath)
    .replace(/\.ya?ml$/i, '')
    .replace(/[^A-Za-z0-9._-]/g, '_');
}
