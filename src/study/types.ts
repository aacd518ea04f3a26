/**
 * Types shared by the study workflow, its activities and the CLI. Type-only and constants: this module
 * is bundled into the workflow sandbox, so it must not import Node modules.
 */

import type { ConstraintSpec, ObjectiveSpec } from './objectives.js';

export const CONTROL_QUEUE = 'pipetune-control';
export const DEFAULT_GPU_QUEUE = 'pipetune-gpu';
export const WORKFLOW_TYPE = 'tuningStudy';

/** Workflow id of a study: one running study per name. */
export function studyWorkflowId(name: string): string {
  return `pipetune-${name}`;
}

/** Where a study lives; every activity gets this small reference and reads the rest from disk. */
export interface StudyRef {
  name: string;
  /** Absolute path of the study YAML. */
  configPath: string;
  /** Absolute root folder (PipeTuner's rootPath). */
  rootDir: string;
  /** Absolute study output folder (`<root>/output/<config>_output`). */
  outputDir: string;
  /** Override of every optimizer's `max_iteration` (CLI `--max-iterations`). */
  maxIterations?: number;
}

export interface OptimizerPlan {
  /** Unique label used in checkpoints and the CSV (`tpe`, `pysot`, `tpe-2` when a name repeats). */
  label: string;
  /** Registry name (`pysot`, `tpe`, `auto`, …). */
  name: string;
  maxIteration: number;
  redundancy: number;
  batchSize: number;
}

/** What the workflow needs from the config; small and fixed for the life of a run. */
export interface StudyPlan {
  metric: 'HOTA' | 'MOTA' | 'IDF1';
  minimize: boolean;
  baseline: boolean;
  optimizers: OptimizerPlan[];
  thresholdZeroScores: number;
  thresholdAppFails: number;
  trialTimeoutMs: number;
  heartbeatTimeoutMs: number;
  /** Distinct top configs re-evaluated at the end, and how many extra runs each. */
  reevaluateTop: number;
  reevaluateRepeats: number;
  /** A held-out seqmap is given: the baseline and the top configs are re-scored on it at the end. */
  validate: boolean;
  /** Stages of a search trial (1: all sequences in one run, as PipeTuner; >1 with a `pruning:` block). */
  stages: number;
  /** Two objectives: the study keeps a Pareto set; `metric` is the first. */
  objectives?: ObjectiveSpec[];
  /** Bounds on metrics: infeasible trials never become best. */
  constraints?: ConstraintSpec[];
  /** `Init.Exec.deterministic`: optimizers take turns in rounds that see only earlier rounds' trials. */
  deterministic?: boolean;
  gpuQueue: string;
}

/** Progress recovered from the trial store (a resumed or continued-as-new run starts from it). */
export interface StudyProgress {
  nextTrial: number;
  baselineDone: boolean;
  reevaluationDone: boolean;
  validationDone: boolean;
  /** Score of the baseline trial, when it ran. */
  baselineScore: number | null;
  /** Highest started iteration per optimizer label. */
  iterations: Record<string, number>;
  /**
   * Iterations below the highest that have no trial, per optimizer label (absent: none). A trial proposed
   * while the run ended (stop, continue-as-new) and never started leaves one; the next run runs it.
   */
  missing?: Record<string, number[]>;
  appFails: number;
  zeroScores: number;
  trialsDone: number;
  pruned: number;
  /** Complete search trials that missed a constraint. */
  infeasible?: number;
  /** Two-objective studies: the Pareto set of the complete feasible search trials. */
  pareto?: { trial: number; values: number[] }[];
  best: { score: number; trial: number } | null;
  bestPerOptimizer: Record<string, number>;
}

/** A trial the workflow asks to run: its number, who proposed it and its key. */
export interface TrialTicket {
  trial: number;
  optimizer: string;
  iteration: number;
  repeat: number;
  /** `validation` tickets: the trial whose config is re-scored on the held-out seqmap. */
  validationOf?: number;
}

export interface ExecResult {
  exitCode: number | null;
  signal?: string;
  execMs: number;
  startedAt: string;
}

/** Which stage of a staged trial an activity works on (absent: the whole trial in one run). */
export interface StageRef {
  stage: number;
  of: number;
}

export interface EvalOutcome {
  /** `pruned`: the pruner stopped the trial after this stage; `score` covers the stages it ran. */
  status: 'ok' | 'failed' | 'pruned';
  score: number | null;
  /** Two-objective studies: the trial's objective values (display units), when complete and measured. */
  values?: number[];
  /** Constrained studies: false when the trial misses a constraint (it never becomes best). */
  feasible?: boolean;
  /** Staged trials: the trial goes on to the next stage (the stage scored and was kept). */
  next?: boolean;
  /** For failed runs: why, with the log's error lines and its path. */
  error?: { message: string; lines: string[]; logFile: string };
  trialMs: number;
}

export interface OptimizerStatus {
  label: string;
  name: string;
  done: number;
  total: number;
  best: number | null;
}

export type StudyState = 'starting' | 'running' | 'paused' | 'stopping' | 'completed' | 'stopped' | 'failed';

export interface StudyStatus {
  name: string;
  state: StudyState;
  metric: string;
  trialsDone: number;
  /** Every run the study will make: search trials, re-evaluations and held-out validation runs. */
  trialsTotal: number;
  /** Of `trialsTotal`, the held-out validation runs (`validationSeqmapPath`), which are not search trials. */
  heldOutRuns?: number;
  running: number;
  best: { score: number; trial: number } | null;
  baselineScore: number | null;
  optimizers: OptimizerStatus[];
  appFails: number;
  zeroScores: number;
  /** Trials the pruner stopped between stages. */
  pruned?: number;
  /** Constrained studies: complete search trials that missed a constraint (never best). */
  infeasible?: number;
  /** Two-objective studies: the Pareto set of the complete feasible search trials so far. */
  pareto?: { trial: number; values: number[] }[];
  /** Estimated remaining time in ms (null until a trial has finished in this run). */
  etaMs: number | null;
  failure?: string;
  /** Paused by the study itself: why (e.g. the output folder's disk is full); it retries every minute. */
  holdReason?: string;
  outputDir: string;
}

/** Carried across continue-as-new and into a resumed run. */
export interface StudyCarry {
  paused: boolean;
}

export interface StudyInput {
  study: StudyRef;
  carry?: StudyCarry;
}

export interface StudyResult {
  state: StudyState;
  trialsDone: number;
  best: { score: number; trial: number } | null;
  bestDir?: string;
  csv?: string;
  failure?: string;
}
