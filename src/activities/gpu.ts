import { readFile, rm, writeFile } from 'node:fs/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { makeDirectory } from '../outputFiles.js';
import type { Params } from '../space/types.js';
import { trialLayout } from '../study/layout.js';
import type { ExecResult, StudyRef, TrialTicket } from '../study/types.js';
import type { GpuPool } from '../worker/gpuPool.js';
import { policyRefusal, type WorkerPolicy } from '../worker/policy.js';
import { inputErrorsAreFinal } from './failures.js';
import { heartbeating } from './heartbeat.js';
import { killLeftoverProcesses } from './leftovers.js';
import { loadStudy } from './studyContext.js';

/** PipeExec, running each trial on a GPU leased from this worker's pool. */
export function createGpuActivities(pool: GpuPool, policy: WorkerPolicy = {}) {
  return {
    pipeExec: ({ study, ticket }: { study: StudyRef; ticket: TrialTicket }): Promise<ExecResult> =>
      pool.withGpu((gpu) => pipeExec(study, ticket, gpu, policy)),
  };
}

async function pipeExec(
  study: StudyRef,
  ticket: TrialTicket,
  gpu: number,
  policy: WorkerPolicy,
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
  }
  await rm(files.output, { recursive: true, force: true });
  await rm(files.configs, { recursive: true, force: true });
  makeDirectory(files.output, 'the trial output folder');
  const rendered = await inputErrorsAreFinal(() => config.render(params, files.configs));

  let lines = 0;
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
          seqmapPath: config.seqmapFor(ticket),
          outputDir: files.output,
          logFile: files.log,
          gpu,
          signal: context.cancellationSignal,
          onOutput: () => {
            lines++;
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
  await writeFile(files.exec, `${JSON.stringify(exec, null, 2)}\n`);
  return exec;
}
