/**
 * The study's control state: counters, flags, bests and the ETA, with the optimization manager's rules.
 * No Temporal imports and no clock of its own (the workflow passes the time in), so vitest tests it
 * directly; the workflow keeps the waits, the cancellation scopes and the activity calls.
 */
import { withPoint } from '../objectives/pareto.js';
import { VALIDATION } from '../study/records.js';
import type {
  EvalOutcome,
  OptimizerPlan,
  StudyPlan,
  StudyProgress,
  StudyRef,
  StudyState,
  StudyStatus,
  TrialTicket,
} from '../study/types.js';

export class StudyControl {
  plan?: StudyPlan;
  paused: boolean;
  /** Why the study holds by itself (a write the disk refused); cleared when a retried write succeeds or on resume. */
  holdReason?: string;
  stopRequested = false;
  draining = false;
  failure?: string;
  finalState?: StudyState;
  nextTrial = 0;
  trialsDone = 0;
  trialsTotal = 0;
  appFails = 0;
  zeroScores = 0;
  pruned = 0;
  infeasible = 0;
  best: StudyStatus['best'] = null;
  /** Two-objective studies: the Pareto set so far (complete feasible search trials). */
  pareto: { trial: number; values: number[] }[] = [];
  baselineScore: number | null = null;
  /** How many iterations were handed out and finished, per optimizer label. */
  readonly started: Record<string, number> = {};
  readonly finished: Record<string, number> = {};
  /** Per optimizer label, the highest iteration handed out, and those below it an earlier run left unrun. */
  private readonly highest: Record<string, number> = {};
  private readonly missing: Record<string, number[]> = {};
  readonly bestPerOptimizer: Record<string, number> = {};
  /** Throughput of this run, for the ETA. */
  private runStartMs: number | null = null;
  private trialsThisRun = 0;
  /** While paused the ETA stands still: paused time is not trial time. */
  private pausedSinceMs: number | null = null;
  private pausedMs = 0;

  constructor(
    readonly name: string,
    readonly outputDir: string,
    paused: boolean,
  ) {
    this.paused = paused;
  }

  /** The plan and the progress the trial store holds (a resumed or continued run starts from it). */
  prepared(plan: StudyPlan, progress: StudyProgress): void {
    this.plan = plan;
    this.nextTrial = progress.nextTrial;
    this.trialsDone = progress.trialsDone;
    this.appFails = progress.appFails;
    this.zeroScores = progress.zeroScores;
    this.pruned = progress.pruned ?? 0;
    this.infeasible = progress.infeasible ?? 0;
    this.pareto = progress.pareto ?? [];
    this.best = progress.best;
    this.baselineScore = progress.baselineScore ?? null;
    Object.assign(this.bestPerOptimizer, progress.bestPerOptimizer);
    for (const o of plan.optimizers) {
      this.highest[o.label] = progress.iterations[o.label] ?? 0;
      this.missing[o.label] = [...(progress.missing?.[o.label] ?? [])];
      this.started[o.label] = this.highest[o.label]! - this.missing[o.label]!.length;
      this.finished[o.label] = this.started[o.label]!;
    }
    this.trialsTotal =
      (plan.baseline ? 1 : 0) +
      plan.optimizers.reduce((sum, o) => sum + o.maxIteration * o.redundancy, 0) +
      plan.reevaluateTop * plan.reevaluateRepeats +
      this.heldOutRuns();
  }

  /** Held-out validation runs at the end: the baseline's and the top configs'. */
  private heldOutRuns(): number {
    const plan = this.plan!;
    return plan.validate ? (plan.baseline ? 1 : 0) + Math.max(1, plan.reevaluateTop) : 0;
  }

  halted(): boolean {
    return this.stopRequested || this.failure !== undefined;
  }

  state(): StudyState {
    if (this.finalState) return this.finalState;
    if (this.failure) return 'failed';
    // Held by a refused write (the final results of a stopping study too): paused until it goes through.
    if (this.holdReason !== undefined) return 'paused';
    if (this.stopRequested) return 'stopping';
    if (this.paused) return 'paused';
    return this.plan ? 'running' : 'starting';
  }

  /** The study pauses by itself, saying why; a resume (or the write succeeding later) lifts it. */
  hold(nowMs: number, reason: string): void {
    this.pause(nowMs, true);
    this.holdReason = reason;
  }

  /** A held write went through: the hold ends (a pause the user asked for meanwhile stays). */
  released(nowMs: number): void {
    if (this.holdReason === undefined) return;
    this.holdReason = undefined;
    this.pause(nowMs, false);
  }

  pause(nowMs: number, paused: boolean): void {
    if (!paused) this.holdReason = undefined;
    if (paused && this.pausedSinceMs === null) this.pausedSinceMs = nowMs;
    if (!paused && this.pausedSinceMs !== null) {
      this.pausedMs += nowMs - this.pausedSinceMs;
      this.pausedSinceMs = null;
    }
    this.paused = paused;
  }

  trialStarted(nowMs: number): void {
    this.runStartMs ??= nowMs;
  }

  /** Counts a finished trial; complete feasible search trials compete for best (held-out, pruned, infeasible ones never). */
  record(ticket: TrialTicket, outcome: EvalOutcome): void {
    this.trialsDone++;
    this.trialsThisRun++;
    if (outcome.status === 'pruned') this.pruned++;
    else if (ticket.optimizer === 'baseline') this.baselineScore = outcome.score;
    const search = outcome.status === 'ok' && ticket.optimizer !== VALIDATION;
    if (search && outcome.feasible === false) this.infeasible++;
    if (search && outcome.values && outcome.feasible !== false && this.plan?.objectives)
      this.pareto = withPoint(
        this.pareto,
        { trial: ticket.trial, values: outcome.values },
        this.plan.objectives,
      );
    if (search && outcome.score !== null && outcome.feasible !== false) {
      if (!this.best || this.better(outcome.score, this.best.score))
        this.best = { score: outcome.score, trial: ticket.trial };
      const own = this.bestPerOptimizer[ticket.optimizer];
      if (own === undefined || this.better(outcome.score, own))
        this.bestPerOptimizer[ticket.optimizer] = outcome.score;
    }
    if (outcome.status === 'failed') this.appFails++;
    else if (outcome.score === 0) this.zeroScores++;
  }

  /** Optimization manager (PipeTuner semantics): past a threshold, the study stops; undefined while under. */
  tripReason(ticket: TrialTicket, outcome: EvalOutcome): string | undefined {
    const plan = this.plan!;
    let reason: string | undefined;
    if (this.appFails > plan.thresholdAppFails)
      reason = `${this.appFails} pipeline runs failed, more than optim_manager.threshold_ds_app_fails = ${plan.thresholdAppFails}`;
    else if (this.zeroScores > plan.thresholdZeroScores)
      reason = `${this.zeroScores} trials scored 0, more than optim_manager.threshold_zero_scores = ${plan.thresholdZeroScores}`;
    if (!reason || this.failure) return undefined;
    const detail = outcome.error
      ? `\nlast failure (trial ${ticket.trial}): ${outcome.error.message}\n${outcome.error.lines.join('\n')}\nfull log: ${outcome.error.logFile}`
      : '';
    return `study stopped: ${reason}${detail}`;
  }

  takeTickets(optimizer: string, iterations: number[], redundancy: number): TrialTicket[] {
    return iterations.flatMap((iteration) =>
      Array.from({ length: redundancy }, (_, repeat) => ({
        trial: this.nextTrial++,
        optimizer,
        iteration,
        repeat,
      })),
    );
  }

  /**
   * The next `size` iterations of an optimizer (a batch by default), or none when it is done: first those
   * an earlier run left unrun, then new ones.
   */
  nextBatch(o: OptimizerPlan, size = o.batchSize): TrialTicket[] {
    const count = Math.min(size, o.maxIteration - this.started[o.label]!);
    if (count <= 0) return [];
    const iterations = this.missing[o.label]!.splice(0, count);
    while (iterations.length < count) {
      this.highest[o.label] = this.highest[o.label]! + 1;
      iterations.push(this.highest[o.label]!);
    }
    this.started[o.label] = this.started[o.label]! + count;
    return this.takeTickets(o.label, iterations, o.redundancy);
  }

  status(nowMs: number, running: number): StudyStatus {
    const plan = this.plan;
    const remaining = Math.max(0, this.trialsTotal - this.trialsDone);
    const pausedNow = this.pausedSinceMs === null ? 0 : nowMs - this.pausedSinceMs;
    const spent = this.runStartMs === null ? 0 : nowMs - this.runStartMs - this.pausedMs - pausedNow;
    const etaMs =
      this.runStartMs !== null && this.trialsThisRun > 0
        ? Math.round((spent / this.trialsThisRun) * remaining)
        : null;
    return {
      name: this.name,
      state: this.state(),
      metric: plan?.metric ?? '',
      trialsDone: this.trialsDone,
      trialsTotal: this.trialsTotal,
      ...(plan?.validate ? { heldOutRuns: this.heldOutRuns() } : {}),
      running,
      best: this.best,
      baselineScore: this.baselineScore,
      optimizers: (plan?.optimizers ?? []).map((o) => ({
        label: o.label,
        name: o.name,
        done: this.finished[o.label]!,
        total: o.maxIteration,
        best: this.bestPerOptimizer[o.label] ?? null,
      })),
      appFails: this.appFails,
      zeroScores: this.zeroScores,
      ...(plan && plan.stages > 1 ? { pruned: this.pruned } : {}),
      ...(plan?.constraints ? { infeasible: this.infeasible } : {}),
      ...(plan?.objectives ? { pareto: this.pareto } : {}),
      etaMs,
      ...(this.failure ? { failure: this.failure } : {}),
      ...(this.holdReason ? { holdReason: this.holdReason } : {}),
      outputDir: this.outputDir,
    };
  }

  private better(a: number, b: number): boolean {
    return this.plan?.minimize ? a < b : a > b;
  }
}
