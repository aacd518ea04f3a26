/**
 * The tuning study: one durable workflow per study. Deterministic code only — everything that touches
 * files, processes or optimizers is an activity. The workflow holds control state (counters, best so far,
 * flags); the trial store on disk holds the trials, so a resumed or continued-as-new run recovers its
 * progress from `prepareStudy`.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ControlActivities, GpuActivities } from '../activities/types.js';
import { isInputFailure, rootMessage } from '../study/failures.js';
import { VALIDATION } from '../study/records.js';
import { STUDY_BEST, STUDY_NAME, STUDY_STATUS, STUDY_TRIALS } from '../study/searchAttributes.js';
import {
  CONTROL_QUEUE,
  type EvalOutcome,
  type OptimizerPlan,
  type StudyInput,
  type StudyResult,
  type StudyState,
  type StudyStatus,
  type TrialTicket,
} from '../study/types.js';
import { pauseUpdate, resumeUpdate, statusQuery, stopUpdate } from './messages.js';

const retry = { initialInterval: '1s', maximumInterval: '1 minute', nonRetryableErrorTypes: ['InputError'] };
/** Loading the study, writing the results, baseline and re-evaluation params. */
const control = proxyActivities<ControlActivities>({
  taskQueue: CONTROL_QUEUE,
  startToCloseTimeout: '30 minutes',
  retry,
});

export async function tuningStudy(input: StudyInput): Promise<StudyResult> {
  const { study } = input;
  const { plan, progress } = await control.prepareStudy(study);
  /**
   * ParamSearch and PipeEval, per trial. Regular activities, not local ones: when concurrent optimizer
   * loops run local activities that outlast a workflow-task heartbeat, replay regroups their results and
   * the history stops replaying (TMPRL1100). Heartbeats replace a dead control worker's attempt quickly.
   */
  const perTrial = proxyActivities<ControlActivities>({
    taskQueue: CONTROL_QUEUE,
    startToCloseTimeout: '20 minutes',
    heartbeatTimeout: plan.heartbeatTimeoutMs,
    retry,
  });
  const gpu = proxyActivities<GpuActivities>({
    taskQueue: plan.gpuQueue,
    startToCloseTimeout: plan.trialTimeoutMs,
    heartbeatTimeout: plan.heartbeatTimeoutMs,
    retry: {
      initialInterval: '2s',
      maximumInterval: '2 minutes',
      maximumAttempts: 5,
      nonRetryableErrorTypes: ['InputError'],
    },
  });

  // Control state.
  let paused = input.carry?.paused ?? false;
  let stopRequested = false;
  let draining = false;
  let failure: string | undefined;
  let nextTrial = progress.nextTrial;
  let trialsDone = progress.trialsDone;
  let appFails = progress.appFails;
  let zeroScores = progress.zeroScores;
  let pruned = progress.pruned ?? 0;
  let best = progress.best;
  let baselineScore = progress.baselineScore ?? null;
  const started: Record<string, number> = {};
  const finished: Record<string, number> = {};
  const bestPerOptimizer: Record<string, number> = { ...progress.bestPerOptimizer };
  for (const o of plan.optimizers) {
    started[o.label] = progress.iterations[o.label] ?? 0;
    finished[o.label] = started[o.label]!;
  }
  const inflight = new Map<number, { scope: CancellationScope; ticket: TrialTicket }>();
  // Throughput of this run, for the ETA.
  let runStartMs: number | null = null;
  let trialsThisRun = 0;

  const better = (a: number, b: number) => (plan.minimize ? a < b : a > b);
  const reevalTotal = plan.reevaluateTop * plan.reevaluateRepeats;
  // Held-out re-scoring: the baseline and the top configs (fewer when fewer configs succeeded).
  const validateTop = Math.max(1, plan.reevaluateTop);
  let trialsTotal =
    (plan.baseline ? 1 : 0) +
    plan.optimizers.reduce((sum, o) => sum + o.maxIteration * o.redundancy, 0) +
    reevalTotal +
    (plan.validate ? (plan.baseline ? 1 : 0) + validateTop : 0);

  let finalState: StudyState | undefined;
  const state = (): StudyState =>
    finalState ?? (failure ? 'failed' : stopRequested ? 'stopping' : paused ? 'paused' : 'running');

  const status = (): StudyStatus => {
    const remaining = Math.max(0, trialsTotal - trialsDone);
    const etaMs =
      runStartMs !== null && trialsThisRun > 0
        ? Math.round(((Date.now() - runStartMs) / trialsThisRun) * remaining)
        : null;
    return {
      name: study.name,
      state: state(),
      metric: plan.metric,
      trialsDone,
      trialsTotal,
      running: inflight.size,
      best,
      baselineScore,
      optimizers: plan.optimizers.map((o) => ({
        label: o.label,
        name: o.name,
        done: finished[o.label]!,
        total: o.maxIteration,
        best: bestPerOptimizer[o.label] ?? null,
      })),
      appFails,
      zeroScores,
      ...(plan.stages > 1 ? { pruned } : {}),
      etaMs,
      failure,
      outputDir: study.outputDir,
    };
  };

  const publish = () =>
    upsertSearchAttributes([
      { key: STUDY_NAME, value: study.name },
      { key: STUDY_STATUS, value: state() },
      { key: STUDY_TRIALS, value: trialsDone },
      ...(best ? [{ key: STUDY_BEST, value: best.score }] : []),
    ]);

  const cancelInflight = () => {
    for (const { scope } of inflight.values()) scope.cancel();
  };

  setHandler(statusQuery, () => status());
  setHandler(stopUpdate, (request) => {
    stopRequested = true;
    if (request.now) cancelInflight();
    publish();
    return status();
  });
  setHandler(pauseUpdate, () => {
    paused = true;
    publish();
    return status();
  });
  setHandler(resumeUpdate, () => {
    paused = false;
    publish();
    return status();
  });

  /** Optimization manager (PipeTuner semantics): past a threshold, everything stops. */
  const manage = (ticket: TrialTicket, outcome: EvalOutcome) => {
    if (outcome.status === 'failed') appFails++;
    else if (outcome.score === 0) zeroScores++;
    let reason: string | undefined;
    if (appFails > plan.thresholdAppFails) {
      reason = `${appFails} pipeline runs failed, more than optim_manager.threshold_ds_app_fails = ${plan.thresholdAppFails}`;
    } else if (zeroScores > plan.thresholdZeroScores) {
      reason = `${zeroScores} trials scored 0, more than optim_manager.threshold_zero_scores = ${plan.thresholdZeroScores}`;
    }
    if (!reason || failure) return;
    const detail = outcome.error
      ? `\nlast failure (trial ${ticket.trial}): ${outcome.error.message}\n${outcome.error.lines.join('\n')}\nfull log: ${outcome.error.logFile}`
      : '';
    failure = `study stopped: ${reason}${detail}`;
    cancelInflight();
  };

  const record = (ticket: TrialTicket, outcome: EvalOutcome) => {
    trialsDone++;
    trialsThisRun++;
    if (outcome.status === 'pruned') pruned++;
    else if (ticket.optimizer === 'baseline') baselineScore = outcome.score;
    // Held-out scores are on other sequences, pruned ones on some: neither competes with complete trials.
    if (outcome.status === 'ok' && outcome.score !== null && ticket.optimizer !== VALIDATION) {
      if (!best || better(outcome.score, best.score)) best = { score: outcome.score, trial: ticket.trial };
      const own = bestPerOptimizer[ticket.optimizer];
      if (own === undefined || better(outcome.score, own)) bestPerOptimizer[ticket.optimizer] = outcome.score;
    }
    manage(ticket, outcome);
    publish();
  };

  /**
   * PipeExec on a GPU worker, then PipeEval, once per stage (search trials of a staged study) or once for
   * the whole trial; the verdict PipeEval returns ends a staged trial early. A stop-now or a tripped
   * threshold cancels it.
   */
  const runTrial = async (ticket: TrialTicket): Promise<void> => {
    const scope = new CancellationScope();
    inflight.set(ticket.trial, { scope, ticket });
    runStartMs ??= Date.now();
    // Re-evaluation and held-out runs score whole configs: they run unstaged, as does every unstaged plan.
    const stages =
      plan.stages > 1 && ticket.optimizer !== 'reeval' && ticket.optimizer !== VALIDATION ? plan.stages : 1;
    try {
      await scope.run(async () => {
        let outcome: EvalOutcome | undefined;
        let cannotRun: string | undefined;
        for (let stage = 1; stage <= stages && (outcome === undefined || outcome.next); stage++) {
          const at = stages > 1 ? { stage: { stage, of: stages } } : {};
          try {
            const exec = await gpu.pipeExec({ study, ticket, ...at });
            outcome = await perTrial.pipeEval({ study, ticket, exec, ...at });
          } catch (err) {
            if (isCancellation(err)) throw err;
            // PipeExec gave up after its retries (worker lost, engine down…): a failed run, recorded.
            const execError = rootMessage(err);
            outcome = await perTrial.pipeEval({ study, ticket, exec: null, execError, ...at });
            // A config error (program not found, missing image…) fails every trial alike: stop now.
            if (isInputFailure(err)) cannotRun = execError;
          }
        }
        record(ticket, outcome!);
        if (cannotRun !== undefined && !failure) {
          failure = `study stopped: the pipeline cannot run (trial ${ticket.trial}): ${cannotRun}`;
          cancelInflight();
        }
      });
    } catch (err) {
      if (!isCancellation(err)) throw err;
    } finally {
      inflight.delete(ticket.trial);
    }
  };

  const takeTickets = (optimizer: string, iterations: number[], redundancy: number): TrialTicket[] =>
    iterations.flatMap((iteration) =>
      Array.from({ length: redundancy }, (_, repeat) => ({
        trial: nextTrial++,
        optimizer,
        iteration,
        repeat,
      })),
    );

  const halted = () => stopRequested || failure !== undefined;

  const runOptimizer = async (o: OptimizerPlan): Promise<void> => {
    while (!halted() && !draining && started[o.label]! < o.maxIteration) {
      await condition(() => !paused || halted());
      if (halted()) break;
      const count = Math.min(o.batchSize, o.maxIteration - started[o.label]!);
      const iterations = Array.from({ length: count }, (_, k) => started[o.label]! + k + 1);
      started[o.label] = started[o.label]! + count;
      const tickets = takeTickets(o.label, iterations, o.redundancy);
      const pending = [...inflight.keys()];
      await perTrial.paramSearch({ study, optimizer: o, tickets, pending });
      await Promise.all(tickets.map(runTrial));
      finished[o.label] = started[o.label]!;
      if (workflowInfo().continueAsNewSuggested) draining = true;
    }
  };

  publish();
  if (plan.baseline && !progress.baselineDone && !halted()) {
    const [ticket] = takeTickets('baseline', [0], 1);
    await control.baselineParams({ study, ticket: ticket! });
    await runTrial(ticket!);
  }
  await Promise.all(plan.optimizers.map(runOptimizer));

  if (draining && !halted()) {
    // History is getting long: start a fresh run that recovers progress from the trial store.
    await condition(allHandlersFinished);
    return continueAsNew<typeof tuningStudy>({ study, carry: { paused } });
  }

  if (!halted() && !progress.reevaluationDone && reevalTotal > 0) {
    // Noise: re-run the top configs so the final best is chosen by mean, not by a lucky draw.
    const tickets = await control.reevaluationParams({
      study,
      firstTrial: nextTrial,
      top: plan.reevaluateTop,
      repeats: plan.reevaluateRepeats,
    });
    nextTrial += tickets.length;
    await Promise.all(tickets.map(runTrial));
  }

  if (!halted() && plan.validate && !progress.validationDone) {
    const tickets = await control.validationParams({ study, firstTrial: nextTrial, top: validateTop });
    trialsTotal += tickets.length - ((plan.baseline ? 1 : 0) + validateTop);
    nextTrial += tickets.length;
    await Promise.all(tickets.map(runTrial));
  }

  const final: StudyState = failure ? 'failed' : stopRequested ? 'stopped' : 'completed';
  const summary = await CancellationScope.nonCancellable(() =>
    control.finalizeStudy({ study, state: final }),
  );
  finalState = final;
  publish();
  await condition(allHandlersFinished);
  if (failure) throw ApplicationFailure.nonRetryable(failure, 'StudyFailed');
  return { state: final, trialsDone, best: summary.best ?? best, bestDir: summary.bestDir, csv: summary.csv };
}
