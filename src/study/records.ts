import type { Params } from '../space/types.js';
import type { ConstraintSpec, ObjectiveSpec } from './objectives.js';

/** Label of the trials that re-score configs on the held-out `validationSeqmapPath` at the end. */
export const VALIDATION = 'validation';

/**
 * One line of `<output>/trials.jsonl`, the study's trial store and source of truth. Keyed by
 * `(optimizer, iteration, repeat)`: a retried activity finds its key and writes nothing twice.
 */
export interface TrialRecord {
  /** `${optimizer}/${iteration}/${repeat}` */
  key: string;
  /** Global trial number: the checkpoint folder is `checkpoints/trial-NNNN-<optimizer>`. */
  trial: number;
  /** Optimizer label that proposed it: `baseline`, `reeval`, `validation`, or the study's optimizer label (`tpe`, `pysot`, `tpe-2`, …). */
  optimizer: string;
  /** Which part of the optimizer proposed it (`gp`, `rbf`, `design`…; an ensemble learns from it). */
  proposer?: string;
  /**
   * 1-based iteration of that optimizer (0 for the baseline; the rank of the config for `reeval`; for
   * `validation` 1..k in the order validated, 0 for the baseline's validation run).
   */
  iteration: number;
  /** 0-based repeat (`redundancy`). */
  repeat: number;
  params: Params;
  /** `pruned`: a staged trial stopped between stages; its score and metrics cover the stages it ran. */
  status: 'ok' | 'failed' | 'pruned';
  /** The study metric (HOTA, MOTA or IDF1) as a fraction; null when the run failed; partial when pruned. */
  score: number | null;
  /** Headline metrics of the evaluation as fractions (HOTA, DetA, AssA, MOTA, IDF1, …). */
  metrics: Record<string, number>;
  exitCode: number | null;
  /** Pipeline wall time (PipeExec, summed over stages: the trial's pipeline-seconds) and evaluation wall time. */
  execMs: number;
  evalMs: number;
  /** Constrained studies: how far the trial misses the constraints (0: feasible; see src/study/objectives.ts). */
  violation?: number;
  /** Frames of the sequences the pipeline ran (absent in stores written before cost accounting). */
  frames?: number;
  /** Staged trials: the last stage that ran and the study's number of stages. */
  stages?: { reached: number; of: number };
  /** Pruned trials: why, and the pipeline time the skipped stages would have taken (estimated from this trial's own pace). */
  pruneReason?: string;
  savedMs?: number;
  /** The study metric per sequence (single-camera studies), over the sequences the trial ran. */
  perSequence?: Record<string, number>;
  /**
   * Throughput from the trial's `output/perf.json` (docs/throughput.md): frames per second, the median
   * over sequences (CPU time for the built-in pipeline, wall time for DeepStream); absent when the
   * pipeline reported none. Staged trials: over the stages that ran.
   */
  fps?: number;
  /** The same per sequence, when the pipeline measured each. */
  perSequenceFps?: Record<string, number>;
  /** ISO timestamps. */
  startedAt: string;
  finishedAt: string;
  /** Checkpoint folder relative to the study output folder. */
  checkpoint: string;
  /** `validation` trials: the trial whose config (params) this run re-scores on the held-out seqmap. */
  validationOf?: number;
  /** For failed runs: the log lines containing Error, ERROR or [Exception] (at most a few) and the log path. */
  error?: { message: string; lines: string[]; logFile: string };
}

/** `<output>/study.json`: written once when the study is first prepared. */
export interface StudyManifest {
  name: string;
  configPath: string;
  rootDir: string;
  metric: 'HOTA' | 'MOTA' | 'IDF1';
  minimize: boolean;
  /** Two-objective studies (config `Init.Eval.objectives`), kept current when the study resumes. */
  objectives?: ObjectiveSpec[];
  /** Constrained studies (config `Init.Eval.constraints`), kept current when the study resumes. */
  constraints?: ConstraintSpec[];
  createdAt: string;
  /** Timestamp used in the CSV file name, e.g. `20261125-061500`. */
  stamp: string;
}

/**
 * One line of `<output>/stages.jsonl`: a stage of a staged trial, scored. Keyed by `<trial key>/<stage>`,
 * so a retried PipeEval finds it and returns the verdict it recorded.
 */
export interface StageRecord {
  key: string;
  trial: number;
  optimizer: string;
  stage: number;
  of: number;
  status: 'ok' | 'failed';
  /** The study metric over the sequences of stages 1..stage (null when the stage failed). */
  score: number | null;
  perSequence: Record<string, number>;
  /** This stage's pipeline wall time and frames. */
  execMs: number;
  frames: number;
  evalMs: number;
  verdict: { prune: boolean; reason: string };
  finishedAt: string;
}
