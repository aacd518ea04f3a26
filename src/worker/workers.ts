import os from 'node:os';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createControlActivities } from '../activities/control.js';
import { createGpuActivities } from '../activities/gpu.js';
import { CONTROL_QUEUE, DEFAULT_GPU_QUEUE } from '../study/types.js';
import type { TemporalTarget } from '../temporal/connection.js';
import { workflowBundle } from './bundle.js';
import { GpuPool } from './gpuPool.js';
import type { WorkerPolicy } from './policy.js';

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect(target.options);
}

/** Workflows, ParamSearch, PipeEval and bookkeeping. */
export async function createControlWorker(connection: NativeConnection, namespace: string): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue: CONTROL_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: createControlActivities(),
    // Enough slots beyond those its pollers hold that the server hands ParamSearch and PipeEval over
    // eagerly, in its reply to the workflow task that scheduled them (with 4, none was free and each
    // waited for a poll). Their CPU work shares this one thread whatever the count.
    maxConcurrentActivityTaskExecutions: 16,
    identity: `${os.hostname()}/control/${process.pid}`,
  });
}

/**
 * PipeExec only: one trial at a time per GPU, each pinned to its GPU. Every GPU worker polls the same
 * pool queue, so whichever GPU is free takes the next trial.
 */
export async function createGpuWorker(
  connection: NativeConnection,
  namespace: string,
  gpus: number[],
  policy: WorkerPolicy,
  queue: string = DEFAULT_GPU_QUEUE,
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue: queue,
    activities: createGpuActivities(new GpuPool(gpus), policy),
    maxConcurrentActivityTaskExecutions: gpus.length,
    // On shutdown the running pipeline gets a moment to be killed cleanly; the attempt is retried elsewhere.
    shutdownGraceTime: '5s',
    identity: `${os.hostname()}/gpu${gpus.join(',')}/${process.pid}`,
  });
}
