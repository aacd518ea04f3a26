import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { ensureStudyAugmentation } from '../augment/study.js';
import { withPoint } from '../objectives/pareto.js';
import { suggestTagged } from '../optimizers/index.js';
import { makeDirectory } from '../outputFiles.js';
import { writeFileAtomic } from '../results/atomic.js';
import { distinctOutputs } from '../results/distinctOutputs.js';
import { rankConfigs, readTrialStore } from '../results/index.js';
import type { Params, Trial } from '../space/types.js';
import { storageFailures } from '../storageErrors.js';
import { studyLayout, trialLayout } from '../study/layout.js';
import { type ObjectiveSpec, objectiveValues } from '../study/objectives.js';
import { type TrialRecord, VALIDATION } from '../study/records.js';
import type { StudyPlan, StudyProgress, StudyRef, StudyState, TrialTicket } from '../study/types.js';
import { inputErrorsAreFinal } from './failures.js';
import { finalizeResults } from './finalize.js';
import { heartbeating } from './heartbeat.js';
import { pipeEval } from './pipeEval.js';
import { ensureStagePlan } from './stagePlan.js';
import { loadStudy } from './studyContext.js';
import type { ControlActivities, ParamSearchRequest, PipeEvalRequest } from './types.js';

export function createControlActivities() {
  const activities = {
    async prepareStudy(study: StudyRef): Promise<{ plan: StudyPlan; progress: StudyProgress }> {
      const { config, plan, manifest, seed } = await inputErrorsAreFinal(() => loadStudy(study));
      await inputErrorsAreFinal(() => ensureStudyAugmentation(study));
      // Data that cannot run or score (missing seqmap, benchmark that does not fit) fails the study now.
      await inputErrorsAreFinal(() => config.checkData());
      if (manifest.name !== study.name)
        throw ApplicationFailure.nonRetryable(
          `${study.outputDir} holds the trials of study "${manifest.name}", not of "${study.name}": give this study its own folder (--output DIR, or another --name)`,
          'InputError',
        );
      const layout = studyLayout(study.outputDir);
      // A folder that cannot be made (read-only, under /proc…) is an input error naming it, not a hang.
      await inputErrorsAreFinal(
        async () => {
          makeDirectory(layout.checkpoints, 'the study output folder');
          makeDirectory(layout.results, 'the study output folder');
        },
        { storageToo: true },
      );
      const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
      if (!existsSync(layout.manifest) || (await readFile(layout.manifest, 'utf8')) !== manifestText)
        await writeFileAtomic(layout.manifest, manifestText);
      const records = await readTrialStore(study.outputDir);
      const stages = config.pruning
        ? await inputErrorsAreFinal(async () => {
            const schedule = await ensureStagePlan(
              study.outputDir,
              config.pruning!,
              config.sequenceFrames(config.seqmapFor(BASELINE_TICKET)),
              seed,
            );
            return schedule.stages.length;
          })
        : 1;
      return { plan: { ...plan, stages }, progress: await recoverProgress(study, plan, records) };
    },

    async paramSearch(request: ParamSearchRequest) {
      const { study, optimizer, tickets } = request;
      const { config, plan, seed } = await inputErrorsAreFinal(() => loadStudy(study));
      const all = tuningRecords(await readTrialStore(study.outputDir));
      // Deterministic studies: only earlier rounds, whatever else has finished by now.
      const { historyBefore } = request;
      const records = historyBefore === undefined ? all : all.filter((r) => r.trial < historyBefore);
      const iterations = [...new Set(tickets.map((t) => t.iteration))];
      const candidates = await inputErrorsAreFinal(async () =>
        suggestTagged(optimizer.name, {
          space: config.space,
          trials: records.map((r) => toTrial(r, plan.objectives)),
          pending: await pendingParams(study.outputDir, request.pending),
          n: iterations.length,
          // Same inputs, same suggestions: a retried or resumed search continues identically.
          seed: mixSeed(seed, optimizer.label, iterations[0]!),
          minimize: plan.minimize,
          budget: optimizer.maxIteration,
          ...(plan.objectives ? { objectives: plan.objectives.map((o) => o.goal) } : {}),
        }),
      );
      for (const ticket of tickets) {
        const { params, by } = candidates[iterations.indexOf(ticket.iteration)]!;
        await writeParams(study, ticket, params);
        await writeFile(trialLayout(study.outputDir, ticket).proposal, `${JSON.stringify({ by })}\n`);
      }
    },

    async baselineParams({ study, ticket }: { study: StudyRef; ticket: TrialTicket }) {
      const { config } = await inputErrorsAreFinal(() => loadStudy(study));
      await writeParams(study, ticket, await config.originalParams());
    },

    async reevaluationParams(request: {
      study: StudyRef;
      firstTrial: number;
      top: number;
      repeats: number;
    }): Promise<TrialTicket[]> {
      const { plan } = await loadStudy(request.study);
      const records = await readTrialStore(request.study.outputDir);
      const ranked = rankConfigs(records, { minimize: plan.minimize }).slice(0, request.top);
      const tickets: TrialTicket[] = [];
      let trial = request.firstTrial;
      for (const [rank, config] of ranked.entries()) {
        for (let repeat = 0; repeat < request.repeats; repeat++) {
          const ticket = { trial: trial++, optimizer: 'reeval', iteration: rank + 1, repeat };
          await writeParams(request.study, ticket, config.record.params);
          tickets.push(ticket);
        }
      }
      return tickets;
    },

    async validationParams(request: {
      study: StudyRef;
      firstTrial: number;
      top: number;
    }): Promise<TrialTicket[]> {
      const { plan } = await loadStudy(request.study);
      const records = tuningRecords(await readTrialStore(request.study.outputDir));
      // One run per config: the baseline's first successful run stands for it (redundancy repeats it).
      const baseline = records.filter((r) => r.optimizer === 'baseline' && r.status === 'ok').slice(0, 1);
      const ranked = rankConfigs(records, { minimize: plan.minimize })
        .map((c) => c.record)
        .filter((r) => !baseline.some((b) => sameParams(b, r)));
      // Configs that write the same tracks as a better one (or the baseline) would score the same.
      const top = await distinctOutputs(
        ranked,
        baseline,
        request.top,
        (r) => trialLayout(request.study.outputDir, r).output,
      );
      let trial = request.firstTrial;
      const tickets: TrialTicket[] = [];
      for (const [k, record] of [...baseline, ...top].entries()) {
        const iteration = baseline.length ? k : k + 1;
        const ticket = {
          trial: trial++,
          optimizer: VALIDATION,
          iteration,
          repeat: 0,
          validationOf: record.trial,
        };
        await writeParams(request.study, ticket, record.params);
        tickets.push(ticket);
      }
      return tickets;
    },

    async finalizeStudy({ study }: { study: StudyRef; state: StudyState }) {
      return finalizeResults(study.outputDir);
    },
  };
  // Every control activity heartbeats: a control worker that dies mid-activity (a search, the final
  // results) is replaced within the heartbeat timeout, not the long start-to-close timeout. A full or
  // read-only output folder fails the per-trial ones and the final results at once as StorageError: the
  // workflow holds the study.
  return {
    prepareStudy: (study: StudyRef) => heartbeating(() => activities.prepareStudy(study)),
    baselineParams: (request: Parameters<typeof activities.baselineParams>[0]) =>
      heartbeating(() => activities.baselineParams(request)),
    reevaluationParams: (request: Parameters<typeof activities.reevaluationParams>[0]) =>
      heartbeating(() => activities.reevaluationParams(request)),
    validationParams: (request: Parameters<typeof activities.validationParams>[0]) =>
      heartbeating(() => activities.validationParams(request)),
    finalizeStudy: (request: Parameters<typeof activities.finalizeStudy>[0]) =>
      heartbeating(() => storageFailures(activities.finalizeStudy(request))),
    paramSearch: (request: ParamSearchRequest) =>
      heartbeating(() => storageFailures(activities.paramSearch(request))),
    // Scoring a trial, then (when the workflow asks) the optimizer's next search, which sees it.
    pipeEval: ({ next, ...request }: PipeEvalRequest) =>
      heartbeating(() =>
        storageFailures(
          pipeEval(request).then(async (outcome) => {
            if (next) await activities.paramSearch({ study: request.study, ...next });
            return outcome;
          }),
        ),
      ),
  } satisfies ControlActivities;
}

/** Any search ticket: the sequences a staged study cuts into stages are the tuning seqmap's. */
const BASELINE_TICKET: TrialTicket = { trial: 0, optimizer: 'baseline', iteration: 0, repeat: 0 };

/** The trials of the search itself: held-out re-scores are on other data. */
function tuningRecords(records: TrialRecord[]): TrialRecord[] {
  return records.filter((r) => r.optimizer !== VALIDATION);
}

const sameParams = (a: TrialRecord, b: TrialRecord) => JSON.stringify(a.params) === JSON.stringify(b.params);

/**
 * As the optimizers see a trial: `optimizer:proposer` tells an ensemble which member to credit; a pruned
 * trial carries the stage it reached, so its partial score is never taken for a complete one; an
 * infeasible one its violation; in a two-objective study each trial its objective values.
 */
function toTrial(record: TrialRecord, objectives?: readonly ObjectiveSpec[]): Trial {
  const optimizer = record.proposer ? `${record.optimizer}:${record.proposer}` : record.optimizer;
  const pruned = record.status === 'pruned' && record.stages ? { pruned: record.stages } : {};
  const values = objectives && record.status === 'ok' ? objectiveValues(record, objectives) : undefined;
  return {
    params: record.params,
    score: record.score,
    optimizer,
    ...pruned,
    ...(values ? { values } : {}),
    ...(record.violation ? { violation: record.violation } : {}),
  };
}

async function writeParams(study: StudyRef, ticket: TrialTicket, params: Params): Promise<void> {
  const files = trialLayout(study.outputDir, ticket);
  makeDirectory(files.dir, 'the trial folder');
  await writeFile(files.params, `${JSON.stringify(params, null, 2)}\n`);
}

/** Params of trials still running, read from their checkpoints (the optimizers spread a batch around them). */
async function pendingParams(outputDir: string, trials: number[]): Promise<Params[]> {
  if (trials.length === 0) return [];
  const { checkpoints } = studyLayout(outputDir);
  const names = await readdir(checkpoints);
  const pending: Params[] = [];
  for (const trial of trials) {
    const prefix = `trial-${String(trial).padStart(4, '0')}-`;
    const name = names.find((n) => n.startsWith(prefix));
    const file = name && path.join(checkpoints, name, 'params.json');
    if (file && existsSync(file)) pending.push(JSON.parse(await readFile(file, 'utf8')) as Params);
  }
  return pending;
}

/** Progress of a study as its trial store and checkpoints tell it. */
async function recoverProgress(
  study: StudyRef,
  plan: StudyPlan,
  records: TrialRecord[],
): Promise<StudyProgress> {
  const better = (a: number, b: number) => (plan.minimize ? a < b : a > b);
  const iterations: Record<string, number> = {};
  const bestPerOptimizer: Record<string, number> = {};
  let best: StudyProgress['best'] = null;
  let appFails = 0;
  let zeroScores = 0;
  let pruned = 0;
  let infeasible = 0;
  let pareto: { trial: number; values: number[] }[] = [];
  for (const r of records) {
    if (r.status === 'failed') appFails++;
    else if (r.score === 0) zeroScores++;
    if (r.status === 'pruned') pruned++;
    if (r.optimizer === VALIDATION) continue;
    iterations[r.optimizer] = Math.max(iterations[r.optimizer] ?? 0, r.iteration);
    if (r.status === 'ok' && r.violation) infeasible++;
    const values =
      plan.objectives && r.status === 'ok' && !r.violation ? objectiveValues(r, plan.objectives) : undefined;
    if (values) pareto = withPoint(pareto, { trial: r.trial, values }, plan.objectives!);
    // A pruned trial's partial score never competes for best, nor does an infeasible trial.
    if (r.status === 'ok' && r.score !== null && !r.violation) {
      if (!best || better(r.score, best.score)) best = { score: r.score, trial: r.trial };
      if (bestPerOptimizer[r.optimizer] === undefined || better(r.score, bestPerOptimizer[r.optimizer]!))
        bestPerOptimizer[r.optimizer] = r.score;
    }
  }
  // Trial numbers of abandoned checkpoints (in flight when a run ended) are not reused.
  const names = await readdir(studyLayout(study.outputDir).checkpoints).catch(() => [] as string[]);
  const numbers = [
    ...records.map((r) => r.trial),
    ...names.map((n) => Number(/^trial-(\d+)-/.exec(n)?.[1] ?? -1)),
  ];
  const missing = missingIterations(records, plan);
  return {
    nextTrial: Math.max(-1, ...numbers) + 1,
    baselineDone: records.some((r) => r.optimizer === 'baseline'),
    reevaluationDone: records.some((r) => r.optimizer === 'reeval'),
    validationDone: records.some((r) => r.optimizer === VALIDATION),
    baselineScore: records.find((r) => r.optimizer === 'baseline')?.score ?? null,
    iterations,
    ...(Object.keys(missing).length ? { missing } : {}),
    appFails,
    zeroScores,
    trialsDone: records.length,
    pruned,
    infeasible,
    ...(plan.objectives ? { pareto } : {}),
    best,
    bestPerOptimizer,
  };
}

/** Per search optimizer, the iterations below its highest recorded one that have no trial. */
function missingIterations(records: TrialRecord[], plan: StudyPlan): Record<string, number[]> {
  const missing: Record<string, number[]> = {};
  for (const { label } of plan.optimizers) {
    const seen = new Set(records.filter((r) => r.optimizer === label).map((r) => r.iteration));
    const highest = Math.max(0, ...seen);
    const holes = Array.from({ length: highest }, (_, k) => k + 1).filter((i) => !seen.has(i));
    if (holes.length) missing[label] = holes;
  }
  return missing;
}

/** A 32-bit seed per (study seed, optimizer, iteration): FNV-1a over the three. */
function mixSeed(seed: number, label: string, iteration: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}/${label}/${iteration}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
