import type { Params } from '../space/types.js';

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
  status: 'ok' | 'failed';
  /** The study metric (HOTA, MOTA or IDF1) as a fraction; null when the run failed. */
  score: number | null;
  /** Headline metrics of the evaluation as fractions (HOTA, DetA, AssA, MOTA, IDF1, …). */
  metrics: Record<string, number>;
  exitCode: number | null;
  /** Pipeline wall time and evaluation wall time. */
  execMs: number;
  evalMs: number;
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
  createdAt: string;
  /** Timestamp used in the CSV file name, e.g. `20261125-061500`. */
  stamp: string;
}
