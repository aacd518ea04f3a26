/**
 * The tuning study: one durable workflow per study. Deterministic code only — everything that touches
 * files, processes or optimizers is an activity. The control state lives in ./studyControl.ts; the trial
 * store on disk holds the trials, so a resumed or continued-as-new run recovers its progress from
 * `prepareStudy`.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  CancelledFailure,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { isInputFailure, isStorageFailure, rootMessage } from '../study/failures.js';
import { studyInputProblems } from '../study/inputShape.js';
import { VALIDATION } from '../study/records.js';
import type {
  EvalOutcome,
  OptimizerPlan,
  StudyInput,
  StudyResult,
  StudyState,
  TrialTicket,
} from '../study/types.js';
import { currentDetails, searchAttributes } from './details.js';
import {
  pauseSignal,
  pauseUpdate,
  resumeSignal,
  resumeUpdate,
  type StopRequest,
  statusQuery,
  stopRequestProblem,
  stopSignal,
  stopUpdate,
} from './messages.js';
import { studyActivities as activities, finalActivities, trialActivities } from './proxies.js';
import { StudyControl } from './studyControl.js';

/** Studies started by this version: handlers from the first instant, a `starting` state, failures published. */
const HANDLERS_FIRST = 'handlers-first';
/** Studies started by this version: an optimizer proposes again as soon as one of its trials ends. */
const REFILL = 'refill-free-slots';
/** Studies started by this version: an ending trial's PipeEval runs its optimizer's next search. */
const SCORE_THEN_PROPOSE = 'score-then-propose';
/** How often a study held by a refused write tries it again by itself. */
const STORAGE_RETRY = '1 minute';

export async function tuningStudy(input: StudyInput): Promise<StudyResult> {
  const control = new StudyControl(
    input?.study?.name ?? '',
    input?.study?.outputDir ?? '',
    input?.carry?.paused ?? false,
  );
  const inflight = new Map<number, CancellationScope>();
  const cancelInflight = () => {
    for (const scope of inflight.values()) scope.cancel();
  };
  const publish = () => {
    upsertSearchAttributes(searchAttributes(control));
    setCurrentDetails(currentDetails(control, Date.now(), inflight.size));
  };
  const fail = (reason: string) => {
    control.failure ??= reason;
    cancelInflight();
  };

  // ---- Message handlers, registered before the first await: a query or update sent right after the
  // start is answered (`starting`), and arguments are checked before they reach history.
  const status = () => control.status(Date.now(), inflight.size);
  const stop = (request?: StopRequest) => {
    control.stopRequested = true;
    if (request?.now) cancelInflight();
    if (control.plan) publish();
  };
  const pause = (paused: boolean) => {
    control.pause(Date.now(), paused);
    if (control.plan) publish();
  };
  const noArguments =
    (name: string) =>
    (...args: unknown[]) => {
      if (args.some((a) => a !== undefined && a !== null)) throw new Error(`${name}: takes no argument`);
    };
  setHandler(statusQuery, status);
  setHandler(stopUpdate, (request) => (stop(request), status()), {
    validator: (request) => {
      const problem = stopRequestProblem(request);
      if (problem) throw new Error(problem);
    },
  });
  setHandler(pauseUpdate, () => (pause(true), status()), { validator: noArguments('pause') });
  setHandler(resumeUpdate, () => (pause(false), status()), { validator: noArguments('resume') });
  setHandler(stopSignal, (request) => {
    const problem = stopRequestProblem(request);
    if (problem) log.warn(`stop signal ignored: ${problem}`);
    else stop(request);
  });
  setHandler(pauseSignal, () => pause(true));
  setHandler(resumeSignal, () => pause(false));

  // ---- Main workflow logic.
  const problems = studyInputProblems(input);
  if (problems.length) {
    control.failure = `the workflow input is not valid: ${problems.join('; ')}`;
    upsertSearchAttributes(searchAttributes(control));
    throw ApplicationFailure.nonRetryable(
      `the workflow input is not valid:\n${problems.join('\n')}`,
      'InputError',
    );
  }
  const { study } = input;
  const current = patched(HANDLERS_FIRST);
  if (current) publish();
  let prepared: Awaited<ReturnType<typeof activities.prepareStudy>>;
  try {
    prepared = await activities.prepareStudy(study);
  } catch (err) {
    if (current) {
      control.failure = rootMessage(err);
      publish();
    }
    throw err;
  }
  const { plan, progress } = prepared;
  control.prepared(plan, progress);
  const perTrial = trialActivities(plan);

  /**
   * A trial activity (or the final results), holding the study while the disk refuses its writes (full,
   * read-only): the study pauses with the reason, and the call is tried again every minute, or at once on
   * resume; once it goes through, the study goes on. The activities are idempotent (a retried PipeEval
   * records nothing twice). A trial of a stopping study is not held (it ends like a cancelled one); the
   * final results are held whatever the study's state: they are what a stop asks for.
   */
  const holding = async <T>(call: () => Promise<T>, { finalStep = false } = {}): Promise<T> => {
    for (;;) {
      try {
        const result = await call();
        if (control.holdReason !== undefined) {
          control.released(Date.now());
          publish();
        }
        return result;
      } catch (err) {
        if (!isStorageFailure(err)) throw err;
        // Stopped while held: the trial cannot be recorded, so it ends like a cancelled one.
        if (!finalStep && control.halted()) throw new CancelledFailure(`not recorded: ${rootMessage(err)}`);
        control.hold(Date.now(), `held: ${rootMessage(err)}`);
        publish();
        await condition(() => !control.paused || (!finalStep && control.halted()), STORAGE_RETRY);
      }
    }
  };
  const score = (request: Parameters<typeof perTrial.pipeEval>[0], summary: string) =>
    holding(() => perTrial.pipeEval(request, summary));

  type NextSearch = Parameters<typeof perTrial.pipeEval>[0]['next'];

  /**
   * PipeExec on a GPU worker, then PipeEval, once per stage (search trials of a staged study) or once for
   * the whole trial; the verdict PipeEval returns ends a staged trial early. A stop-now or a tripped
   * threshold cancels it. `nextSearch`, asked once when an unstaged trial is about to be scored, may
   * return its optimizer's next search for PipeEval to run too; the tickets it proposed are returned.
   */
  const runTrial = async (
    ticket: TrialTicket,
    historyBefore?: number,
    nextSearch?: () => NextSearch,
  ): Promise<TrialTicket[] | undefined> => {
    const scope = new CancellationScope();
    inflight.set(ticket.trial, scope);
    control.trialStarted(Date.now());
    // Re-evaluation and held-out runs score whole configs: they run unstaged, as every unstaged plan does.
    const wholeConfig = ticket.optimizer === 'reeval' || ticket.optimizer === VALIDATION;
    const stages = plan.stages > 1 && !wholeConfig ? plan.stages : 1;
    const before = historyBefore === undefined ? {} : { historyBefore };
    let next: NextSearch;
    let asked = false;
    const withNext = () => {
      if (stages > 1 || !nextSearch) return {};
      if (!asked) {
        asked = true;
        next = nextSearch();
      }
      return next ? { next } : {};
    };
    try {
      await scope.run(async () => {
        let outcome: EvalOutcome | undefined;
        let cannotRun: string | undefined;
        for (let stage = 1; stage <= stages && (outcome === undefined || outcome.next); stage++) {
          const at = stages > 1 ? { stage: { stage, of: stages } } : {};
          const label = `trial ${ticket.trial} · ${ticket.optimizer} it ${ticket.iteration}${stages > 1 ? ` · stage ${stage}/${stages}` : ''}`;
          try {
            const exec = await holding(() => perTrial.pipeExec({ study, ticket, ...at }, `run ${label}`));
            outcome = await score({ study, ticket, exec, ...at, ...before, ...withNext() }, `score ${label}`);
          } catch (err) {
            if (isCancellation(err)) throw err;
            // PipeExec gave up after its retries (worker lost, engine down…): a failed run, recorded.
            const execError = rootMessage(err);
            outcome = await score(
              { study, ticket, exec: null, execError, ...at, ...before, ...withNext() },
              `record failed ${label}`,
            );
            // A config error (program not found, missing image…) fails every trial alike: stop now.
            if (isInputFailure(err)) cannotRun = execError;
          }
        }
        control.record(ticket, outcome!);
        const tripped = control.tripReason(ticket, outcome!);
        if (tripped) fail(tripped);
        publish();
        if (cannotRun !== undefined)
          fail(`study stopped: the pipeline cannot run (trial ${ticket.trial}): ${cannotRun}`);
      });
      return next?.tickets;
    } catch (err) {
      if (!isCancellation(err)) throw err;
      return undefined;
    } finally {
      inflight.delete(ticket.trial);
    }
  };

  /** ParamSearch for an optimizer's tickets, the trials still running seen as pending. */
  const propose = (o: OptimizerPlan, tickets: TrialTicket[]) => {
    const pending = [...inflight.keys()];
    return holding(() =>
      perTrial.paramSearch(
        { study, optimizer: o, tickets, pending },
        `search ${o.label} it ${tickets[0]!.iteration}`,
      ),
    );
  };

  /**
   * Each optimizer keeps `batch_size` iterations running: it proposes a whole batch first, then, each time
   * one of its iterations ends, as many as are free. A GPU does not wait for the slowest trial of a batch.
   */
  const runOptimizer = async (o: OptimizerPlan): Promise<void> => {
    if (!patched(REFILL)) return runOptimizerInBatches(o);
    // One search per trial fewer: an ending trial's PipeEval proposes the one that takes its slot
    // (single runs of unstaged trials; the others wait for their repeats or stages).
    const fused = o.redundancy === 1 && plan.stages === 1 && patched(SCORE_THEN_PROPOSE);
    const running = new Set<Promise<void>>();
    /** Tickets an ending trial's PipeEval proposed: they run next, without a search of their own. */
    const proposed: TrialTicket[] = [];
    const nextSearch = (scored: TrialTicket) => (): NextSearch => {
      const more = !control.halted() && !control.draining && !control.paused;
      if (!more || control.started[o.label]! >= o.maxIteration) return undefined;
      const pending = [...inflight.keys()].filter((trial) => trial !== scored.trial);
      return { optimizer: o, tickets: control.nextBatch(o, 1), pending };
    };
    const launch = (tickets: TrialTicket[]) => {
      // One entry per iteration (its `redundancy` repeats together), so its end frees one slot.
      for (const iteration of new Set(tickets.map((t) => t.iteration))) {
        const repeats = tickets.filter((t) => t.iteration === iteration);
        const runs = repeats.map((t) => runTrial(t, undefined, fused ? nextSearch(t) : undefined));
        const done: Promise<void> = Promise.all(runs).then((next) => {
          running.delete(done);
          control.finished[o.label] = control.finished[o.label]! + 1;
          for (const tickets of next) proposed.push(...(tickets ?? []));
        });
        running.add(done);
      }
    };
    const more = () => control.started[o.label]! < o.maxIteration;
    while (!control.halted() && !control.draining) {
      // All slots busy, or the budget all started: wait for a trial to end (it may bring a proposal).
      if (proposed.length === 0 && (running.size >= o.batchSize || !more())) {
        if (running.size === 0) break;
        await Promise.race(running);
        continue;
      }
      await condition(() => !control.paused || control.halted());
      if (control.halted()) break;
      if (proposed.length > 0) launch(proposed.splice(0));
      else {
        const tickets = control.nextBatch(o, o.batchSize - running.size);
        await propose(o, tickets);
        launch(tickets);
      }
      if (workflowInfo().continueAsNewSuggested) control.draining = true;
    }
    await Promise.all(running);
  };

  /** Studies started before REFILL: each optimizer asks for its next batch once its previous one finished. */
  const runOptimizerInBatches = async (o: OptimizerPlan): Promise<void> => {
    while (!control.halted() && !control.draining && control.started[o.label]! < o.maxIteration) {
      await condition(() => !control.paused || control.halted());
      if (control.halted()) break;
      const tickets = control.nextBatch(o);
      await propose(o, tickets);
      await Promise.all(tickets.map((t) => runTrial(t)));
      control.finished[o.label] = control.started[o.label]!;
      if (workflowInfo().continueAsNewSuggested) control.draining = true;
    }
  };

  /**
   * Deterministic studies: the optimizers take turns in rounds. Each proposes from the trials of earlier
   * rounds and sees this round's earlier proposals as pending; the pruner compares with earlier rounds
   * only. So the same config and seed give the same trials whatever the workers' count and timing.
   */
  const runRounds = async (): Promise<void> => {
    const left = () => plan.optimizers.some((o) => control.started[o.label]! < o.maxIteration);
    while (!control.halted() && !control.draining && left()) {
      await condition(() => !control.paused || control.halted());
      if (control.halted()) break;
      const historyBefore = control.nextTrial;
      const round: TrialTicket[] = [];
      for (const o of plan.optimizers) {
        const tickets = control.nextBatch(o);
        if (!tickets.length) continue;
        const pending = round.map((t) => t.trial);
        await holding(() =>
          perTrial.paramSearch(
            { study, optimizer: o, tickets, pending, historyBefore },
            `search ${o.label} it ${tickets[0]!.iteration}`,
          ),
        );
        round.push(...tickets);
      }
      await Promise.all(round.map((t) => runTrial(t, historyBefore)));
      for (const o of plan.optimizers) control.finished[o.label] = control.started[o.label]!;
      if (workflowInfo().continueAsNewSuggested) control.draining = true;
    }
  };

  publish();
  await condition(() => !control.paused || control.halted());
  if (plan.baseline && !progress.baselineDone && !control.halted()) {
    const [ticket] = control.takeTickets('baseline', [0], 1);
    await activities.baselineParams({ study, ticket: ticket! });
    await runTrial(ticket!);
  }
  await (plan.deterministic ? runRounds() : Promise.all(plan.optimizers.map(runOptimizer)));

  if (control.draining && !control.halted()) {
    // History is getting long: start a fresh run that recovers progress from the trial store.
    await condition(allHandlersFinished);
    return continueAsNew<typeof tuningStudy>({ study, carry: { paused: control.paused } });
  }

  const reevalTotal = plan.reevaluateTop * plan.reevaluateRepeats;
  if (!control.halted() && !progress.reevaluationDone && reevalTotal > 0) {
    // Noise: re-run the top configs so the final best is chosen by mean, not by a lucky draw.
    const tickets = await activities.reevaluationParams({
      study,
      firstTrial: control.nextTrial,
      top: plan.reevaluateTop,
      repeats: plan.reevaluateRepeats,
    });
    control.nextTrial += tickets.length;
    await Promise.all(tickets.map((t) => runTrial(t)));
  }

  if (!control.halted() && plan.validate && !progress.validationDone) {
    const validateTop = Math.max(1, plan.reevaluateTop);
    const tickets = await activities.validationParams({
      study,
      firstTrial: control.nextTrial,
      top: validateTop,
    });
    control.trialsTotal += tickets.length - ((plan.baseline ? 1 : 0) + validateTop);
    control.nextTrial += tickets.length;
    await Promise.all(tickets.map((t) => runTrial(t)));
  }

  const final: StudyState = control.failure ? 'failed' : control.stopRequested ? 'stopped' : 'completed';
  const summary = await CancellationScope.nonCancellable(() =>
    holding(() => finalActivities.finalizeStudy({ study, state: final }), { finalStep: true }),
  );
  control.finalState = final;
  publish();
  await condition(allHandlersFinished);
  if (control.failure) throw ApplicationFailure.nonRetryable(control.failure, 'StudyFailed');
  return {
    state: final,
    trialsDone: control.trialsDone,
    best: summary.best ?? control.best,
    bestDir: summary.bestDir,
    csv: summary.csv,
  };
}
