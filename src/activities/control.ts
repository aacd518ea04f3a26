import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { ensureStudyAugmentation } from '../augment/study.js';
import { suggestTagged } from '../optimizers/index.js';
import { makeDirectory } from '../outputFiles.js';
import { rankConfigs, readTrialStore } from '../results/index.js';
import type { Params, Trial } from '../space/types.js';
import { checkpointName, studyLayout, trialLayout } from '../study/layout.js';
import { type TrialRecord, VALIDATION } from '../study/records.js';
import { appendTrialRecord, trialKey } from '../study/trialStore.js';
import type {
  EvalOutcome,
  ExecResult,
  OptimizerPlan,
  StudyPlan,
  StudyProgress,
  StudyRef,
  StudyState,
  TrialTicket,
} from '../study/types.js';
import { inputErrorsAreFinal } from './failures.js';
import { finalizeResults, refreshAccuracyCsv } from './finalize.js';
import { heartbeating } from './heartbeat.js';
import { errorLines } from './logs.js';
import { loadStudy } from './studyContext.js';

export function createControlActivities() {
  const activities = {
    async prepareStudy(study: StudyRef): Promise<{ plan: StudyPlan; progress: StudyProgress }> {
      const { config, plan, manifest } = await inputErrorsAreFinal(() => loadStudy(study));
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
      await inputErrorsAreFinal(async () => {
        makeDirectory(layout.checkpoints, 'the study output folder');
        makeDirectory(layout.results, 'the study output folder');
      });
      if (!existsSync(layout.manifest))
        await writeFile(layout.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
      const records = await readTrialStore(study.outputDir);
      return { plan, progress: await recoverProgress(study, plan, records) };
    },

    async paramSearch(request: {
      study: StudyRef;
      optimizer: OptimizerPlan;
      tickets: TrialTicket[];
      pending: number[];
    }) {
      const { study, optimizer, tickets } = request;
      const { config, plan, seed } = await inputErrorsAreFinal(() => loadStudy(study));
      const records = tuningRecords(await readTrialStore(study.outputDir));
      const iterations = [...new Set(tickets.map((t) => t.iteration))];
      const candidates = await inputErrorsAreFinal(async () =>
        suggestTagged(optimizer.name, {
          space: config.space,
          trials: records.map(toTrial),
          pending: await pendingParams(study.outputDir, request.pending),
          n: iterations.length,
          // Same inputs, same suggestions: a retried or resumed search continues identically.
          seed: mixSeed(seed, optimizer.label, iterations[0]!),
          minimize: plan.minimize,
          budget: optimizer.maxIteration,
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
      const top = rankConfigs(records, { minimize: plan.minimize })
        .slice(0, request.top)
        .map((c) => c.record)
        .filter((r) => !baseline.some((b) => sameParams(b, r)));
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

    async pipeEval(request: {
      study: StudyRef;
      ticket: TrialTicket;
      exec: ExecResult | null;
      execError?: string;
    }): Promise<EvalOutcome> {
      const { study, ticket, exec } = request;
      const { config, plan } = await loadStudy(study);
      const files = trialLayout(study.outputDir, ticket);
      const params = JSON.parse(await readFile(files.params, 'utf8')) as Params;
      const proposer = existsSync(files.proposal)
        ? (JSON.parse(await readFile(files.proposal, 'utf8')) as { by: string }).by
        : undefined;
      const evalStart = Date.now();
      let metrics: Record<string, number> = {};
      let error: EvalOutcome['error'];
      if (exec?.exitCode !== 0) {
        const why =
          request.execError ?? (exec?.signal ? `killed by ${exec.signal}` : `exit code ${exec?.exitCode}`);
        error = {
          message: `the pipeline run failed: ${why}`,
          lines: await errorLines(files.log),
          logFile: files.log,
        };
      } else {
        try {
          metrics = await config.evaluate(files.output, config.seqmapFor(ticket));
        } catch (err) {
          // No or unreadable output counts as a failed run (PipeTuner: no KITTI files).
          error = {
            message: `the pipeline's output could not be scored: ${(err as Error).message}`,
            lines: await errorLines(files.log),
            logFile: files.log,
          };
        }
      }
      const score = error ? null : (metrics[plan.metric] ?? null);
      const finishedAt = new Date().toISOString();
      const record: TrialRecord = {
        key: trialKey(ticket),
        trial: ticket.trial,
        optimizer: ticket.optimizer,
        ...(proposer ? { proposer } : {}),
        iteration: ticket.iteration,
        repeat: ticket.repeat,
        params,
        status: error ? 'failed' : 'ok',
        score,
        metrics,
        exitCode: exec?.exitCode ?? null,
        execMs: exec?.execMs ?? 0,
        evalMs: Date.now() - evalStart,
        startedAt: exec?.startedAt ?? finishedAt,
        finishedAt,
        checkpoint: checkpointName(ticket),
        ...(ticket.validationOf !== undefined ? { validationOf: ticket.validationOf } : {}),
        ...(error ? { error } : {}),
      };
      await writeFile(
        files.scores,
        `${JSON.stringify({ status: record.status, score, metric: plan.metric, metrics, error }, null, 2)}\n`,
      );
      await appendTrialRecord(studyLayout(study.outputDir).trials, record);
      await refreshAccuracyCsv(study.outputDir);
      return {
        status: record.status,
        score,
        ...(error ? { error } : {}),
        trialMs: record.execMs + record.evalMs,
      };
    },

    async finalizeStudy({ study }: { study: StudyRef; state: StudyState }) {
      return finalizeResults(study.outputDir);
    },
  };
  // The per-trial activities heartbeat: a control worker that dies mid-search is replaced in seconds.
  return {
    ...activities,
    paramSearch: (request: Parameters<typeof activities.paramSearch>[0]) =>
      heartbeating(() => activities.paramSearch(request)),
    pipeEval: (request: Parameters<typeof activities.pipeEval>[0]) =>
      heartbeating(() => activities.pipeEval(request)),
  };
}

/** The trials of the search itself: held-out re-scores are on other data. */
function tuningRecords(records: TrialRecord[]): TrialRecord[] {
  return records.filter((r) => r.optimizer !== VALIDATION);
}

const sameParams = (a: TrialRecord, b: TrialRecord) => JSON.stringify(a.params) === JSON.stringify(b.params);

/** As the optimizers see a trial: `optimizer:proposer` tells an ensemble which member to credit. */
function toTrial(record: TrialRecord): Trial {
  const optimizer = record.proposer ? `${record.optimizer}:${record.proposer}` : record.optimizer;
  return { params: record.params, score: record.score, optimizer };
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
  for (const r of records) {
    if (r.status === 'failed') appFails++;
    else if (r.score === 0) zeroScores++;
    if (r.optimizer === VALIDATION) continue;
    iterations[r.optimizer] = Math.max(iterations[r.optimizer] ?? 0, r.iteration);
    if (r.score !== null) {
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
  return {
    nextTrial: Math.max(-1, ...numbers) + 1,
    baselineDone: records.some((r) => r.optimizer === 'baseline'),
    reevaluationDone: records.some((r) => r.optimizer === 'reeval'),
    validationDone: records.some((r) => r.optimizer === VALIDATION),
    baselineScore: records.find((r) => r.optimizer === 'baseline')?.score ?? null,
    iterations,
    appFails,
    zeroScores,
    trialsDone: records.length,
    best,
    bestPerOptimizer,
  };
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
