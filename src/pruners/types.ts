/**
 * The pruner contract. A "step" is a stage: a group of sequences in an order fixed for the study. A
 * trial's score at stage k is its metric over the sequences of stages 1..k combined, so scores at one
 * stage are comparable across trials. Pruners are pure: the PipeEval activity gathers the context from
 * the trial store and records the verdict, so a replayed workflow reuses it.
 */

/** A trial's cumulative score at one stage and its per-sequence scores so far (metric as fractions). */
export interface StageScore {
  trial: number;
  stage: number;
  score: number;
  perSequence: Record<string, number>;
}

/** A trial that ran every stage: its cumulative score after each stage (index k-1 for stage k). */
export interface CompleteTrial {
  trial: number;
  score: number;
  stageScores: number[];
  perSequence: Record<string, number>;
}

export interface PruneContext {
  /** The stage just scored (1-based) and the study's number of stages. */
  stage: number;
  stages: number;
  /** This trial at this stage. */
  current: StageScore;
  /** Trials that ran every stage (the baseline included). */
  complete: CompleteTrial[];
  /** Scores recorded at this stage by the other trials that reached it, pruned or not. */
  atStage: number[];
  minimize: boolean;
}

export interface Verdict {
  prune: boolean;
  /** Why, in a few words, for the CSV and the report (`warm-up`, `below the median 0.512 of 7 trials`). */
  reason: string;
}

export type Pruner = (context: PruneContext) => Verdict;

export const keep = (reason: string): Verdict => ({ prune: false, reason });
export const prune = (reason: string): Verdict => ({ prune: true, reason });

/** `a` is worse than `b` in the study's direction. */
export const worse = (a: number, b: number, minimize: boolean) => (minimize ? a > b : a < b);

/** Scores as printed in verdicts: points with 3 decimals, as everywhere else. */
export const points = (fraction: number) => (fraction * 100).toFixed(3);
