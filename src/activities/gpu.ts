import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { makeDirectory } from '../outputFiles.js';
import { pipelineImage, removeStaleContainers } from '../pipelines/index.js';
import { combineStagePerf, PERF_FILE, stagePerfFile } from '../pipelines/perf.js';
import type { Params } from '../space/types.js';
import { diskRefusal, printedRefusal, storageFailures } from '../storageErrors.js';
import { studyLayout, trialLayout } from '../study/layout.js';
import type { ExecResult, StageRef, StudyRef, TrialTicket } from '../study/types.js';
import type { GpuPool } from '../worker/gpuPool.js';
import { policyRefusal, type WorkerPolicy } from '../worker/policy.js';
import { inputErrorsAreFinal } from './failures.js';
import { heartbeating } from './heartbeat.js';
import { killLeftoverProcesses } from './leftovers.js';
import { loadStudy } from './studyContext.js';

/** How many of a program's last output lines are kept to tell why it failed. */
const LAST_LINES = 20;

/** PipeExec, running each trial on a GPU leased from this worker's pool. */
export function createGpuActivities(pool: GpuPool, policy: WorkerPolicy) {
  return {
    // A full or read-only output folder fails it at once as StorageError: the workflow holds the study.
    pipeExec: ({ study, ticket, stage }: { study: StudyRef; ticket: TrialTicket; stage?: StageRef }) =>
      storageFailures(pool.withGpu((gpu) => pipeExec(study, ticket, gpu, policy, stage))),
  };
}

/**
 * One run of the pipeline: the whole trial, or stage k of a staged one (that stage's sequences, written
 * aside and then moved into the trial's output folder, where earlier stages' files already are).
 */
async function pipeExec(
  study: StudyRef,
  ticket: TrialTicket,
  gpu: number,
  policy: WorkerPolicy,
  stage?: StageRef,
): Promise<ExecResult> {
  const context = Context.current();
  const { config, adapter } = await inputErrorsAreFinal(() => loadStudy(study));
  // Studies may be started by any system that reaches the namespace: this worker runs only what its operator allows.
  const refusal = policyRefusal(policy, { ...config, rootDir: study.rootDir, outputDir: study.outputDir });
  if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'InputError');
  const files = trialLayout(study.outputDir, ticket);
  const params = JSON.parse(await readFile(files.params, 'utf8')) as Params;

  // A retried attempt starts from a clean slate: the earlier attempt's processes (if its worker died)
  // and outputs would otherwise be scored as this run's.
  if (context.info.attempt > 1) {
    const killed = await killLeftoverProcesses(files.dir);
    if (killed.length) context.log.warn(`killed processes left by an earlier attempt: ${killed.join(', ')}`);
    // A dead worker's container would stay (exited once its process is killed) until that worker
    // restarts, which may be never; a live worker removes its own when it learns of the retry.
    if (pipelineImage(config.exec)) {
      const removed = await removeStaleContainers({ trialDir: files.dir });
      if (removed.length)
        context.log.warn(
          `removed containers left by an earlier attempt: ${removed.map((id) => id.slice(0, 12)).join(', ')}`,
        );
    }
  }
  const firstRun = !stage || stage.stage === 1;
  if (firstRun) {
    await rm(files.output, { recursive: true, force: true });
    await rm(files.configs, { recursive: true, force: true });
  }
  const outputDir = stage ? files.stageOutput(stage.stage) : files.output;
  await rm(outputDir, { recursive: true, force: true });
  makeDirectory(outputDir, 'the trial output folder');
  // Later stages render again into the same folder: the same params give byte-identical files.
  const rendered = await inputErrorsAreFinal(() => config.render(params, files.configs));

  let lines = 0;
  // The program's last lines: what it said when it failed.
  const lastLines: string[] = [];
  const startedAt = new Date().toISOString();
  // Silent pipelines still heartbeat, so a dead worker is told from a quiet one.
  const result = await heartbeating(
    // Run-time configuration errors (missing image, program not found…) fail the trial for good.
    () =>
      inputErrorsAreFinal(() =>
        adapter.run({
          trialDir: files.dir,
          configs: rendered,
          datasetDir: config.datasetDir,
          seqmapPath: stage
            ? studyLayout(study.outputDir).stageSeqmap(stage.stage)
            : config.seqmapFor(ticket),
          outputDir,
          logFile: stage ? files.stageLog(stage.stage) : files.log,
          gpu,
          signal: context.cancellationSignal,
          onOutput: (line) => {
            lines++;
            lastLines.push(line);
            if (lastLines.length > LAST_LINES) lastLines.shift();
          },
        }),
      ),
    () => ({ lines }),
  );
  const exec: ExecResult = {
    exitCode: result.exitCode,
    ...(result.signal ? { signal: result.signal } : {}),
    execMs: result.durationMs,
    startedAt,
  };
  // Cancelled (stop --now): report the cancellation, not a failed run.
  if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason ?? new Error('cancelled');
  // A program that failed on a full or read-only disk holds the study like our own writes would.
  if (exec.exitCode !== 0) {
    const refusal = (await diskRefusal(outputDir)) ?? printedRefusal(outputDir, lastLines);
    if (refusal) throw refusal;
  }
  if (stage && exec.exitCode === 0) await joinStageOutput(outputDir, files.output, stage.stage);
  // Which worker ran it, for the results' timeline per GPU.
  const recorded = { ...exec, host: hostname(), gpu, ...(stage ? { stage } : {}) };
  await writeFile(
    files.exec,
    `${JSON.stringify(recorded, null, 2)}
`,
  );
  return exec;
}

/**
 * Moves a stage's result files into the trial's output folder (a retried stage overwrites its own). Its
 * perf.json is kept per stage, and the trial's perf.json becomes the stages' combination.
 */
export async function joinStageOutput(stageDir: string, outputDir: string, stage: number): Promise<void> {
  for (const entry of await readdir(stageDir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const target = entry.name === PERF_FILE ? stagePerfFile(stage) : entry.name;
    await rename(path.join(stageDir, entry.name), path.join(outputDir, target));
  }
  await rm(stageDir, { recursive: true, force: true });
  await combineStagePerf(outputDir);
}
