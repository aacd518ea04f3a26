import os from 'node:os';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createControlActivities } from '../activities/control.js';
import { createGpuActivities } from '../activities/gpu.js';
import { CONTROL_QUEUE, DEFAULT_GPU_QUEUE } from '../study/types.js';
import { workflowBundle } from './bundle.js';
import { GpuPool } from './gpuPool.js';

export async function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}

/** Workflows, ParamSearch, PipeEval and bookkeeping. */
export async function createControlWorker(connection: NativeConnection): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: 'default',
    taskQueue: CONTROL_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: createControlActivities(),
    // PipeEval is CPU-bound: a few at a time keep the worker responsive.
    maxConcurrentActivityTaskExecutions: 4,
    identity: `${os.hostname()}/control/${process.pid}`,
  });
}

/**
 * PipeExec only: one trial at a time per GPU, each pinned to its GPU. Every GPU worker polls the same
 * pool queue, so whichever GPU is free takes the next trial.
 */
export async function createGpuWorker(
  connection: NativeConnection,
  gpus: number[],
  queue: string = DEFAULT_GPU_QUEUE,
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: 'default',
    taskQueue: queue,
    activities: createGpuActivities(new GpuPool(gpus)),
    maxConcurrentActivityTaskExecutions: gpus.length,
    // On shutdown the running pipeline gets a moment to be killed cleanly; the attempt is retried elsewhere.
    shutdownGraceTime: '5s',
    identity: `${os.hostname()}/gpu${gpus.join(',')}/${process.pid}`,
  });
}
