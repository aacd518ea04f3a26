/** Activity signatures as the workflow sees them (type-only: the workflow bundle imports nothing else). */
import type {
  EvalOutcome,
  ExecResult,
  OptimizerPlan,
  StageRef,
  StudyPlan,
  StudyProgress,
  StudyRef,
  StudyState,
  TrialTicket,
} from '../study/types.js';

/** ParamSearch's request: candidates for these tickets of this optimizer, the running trials as pending. */
export interface ParamSearchRequest {
  study: StudyRef;
  optimizer: OptimizerPlan;
  tickets: TrialTicket[];
  pending: number[];
  /** Deterministic studies: the optimizer sees only trials numbered below this (earlier rounds). */
  historyBefore?: number;
}

export interface PipeEvalRequest {
  study: StudyRef;
  ticket: TrialTicket;
  exec: ExecResult | null;
  /** Why PipeExec gave up, when it did (the trial is recorded as failed). */
  execError?: string;
  /** Staged trials: the stage this run scores (its verdict decides whether the trial goes on). */
  stage?: StageRef;
  /** Deterministic studies: the pruner compares with trials numbered below this only. */
  historyBefore?: number;
  /**
   * The optimizer's next search, run once this trial is recorded (it sees it): one activity, and one
   * round trip, fewer per trial. Asked only for a trial that ends with this evaluation.
   */
  next?: Omit<ParamSearchRequest, 'study'>;
}

export interface ControlActivities {
  /** Load and validate the config, create the output folder, recover progress from the trial store. */
  prepareStudy(study: StudyRef): Promise<{ plan: StudyPlan; progress: StudyProgress }>;
  /** Ask the optimizer for candidates and write each ticket's params.json into its checkpoint. */
  paramSearch(request: ParamSearchRequest): Promise<void>;
  /** Write the user's original values as the baseline trial's params.json. */
  baselineParams(request: { study: StudyRef; ticket: TrialTicket }): Promise<void>;
  /** Pick the top distinct configs and write re-evaluation tickets (numbered from firstTrial). */
  reevaluationParams(request: {
    study: StudyRef;
    firstTrial: number;
    top: number;
    repeats: number;
  }): Promise<TrialTicket[]>;
  /** Held-out re-scoring: tickets for the baseline and the top configs, numbered from firstTrial. */
  validationParams(request: { study: StudyRef; firstTrial: number; top: number }): Promise<TrialTicket[]>;
  /** Score the run (or record its failure) and append the trial to the store, once per key. */
  pipeEval(request: PipeEvalRequest): Promise<EvalOutcome>;
  /** CSV, best checkpoint, plot and report. */
  finalizeStudy(request: { study: StudyRef; state: StudyState }): Promise<{
    best: { score: number; trial: number } | null;
    bestDir?: string;
    csv?: string;
  }>;
}

export interface GpuActivities {
  /** Render the trial's configs into its checkpoint and run the pipeline on this worker's GPU. */
  pipeExec(request: { study: StudyRef; ticket: TrialTicket; stage?: StageRef }): Promise<ExecResult>;
}
