/** The activity proxies of a study, with their timeouts and retries from the plan. */
import { proxyActivities } from '@temporalio/workflow';
import type { ControlActivities, GpuActivities } from '../activities/types.js';
import { CONTROL_QUEUE, type StudyPlan } from '../study/types.js';

/** The failure type of a write the disk refused (src/storageErrors.ts): the study holds until it is fixed. */
export const STORAGE_ERROR = 'StorageError';

const retry = { initialInterval: '1s', maximumInterval: '1 minute', nonRetryableErrorTypes: ['InputError'] };

/** Loading the study, writing the results, baseline, re-evaluation and validation params. */
export const studyActivities = proxyActivities<ControlActivities>({
  taskQueue: CONTROL_QUEUE,
  startToCloseTimeout: '30 minutes',
  // They heartbeat every 2 s: an attempt on a control worker that died is retried after this.
  heartbeatTimeout: '30 seconds',
  retry,
});

/** The study's results at its end: a disk that refuses them holds the study, as for trials. */
export const finalActivities = proxyActivities<Pick<ControlActivities, 'finalizeStudy'>>({
  taskQueue: CONTROL_QUEUE,
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { ...retry, nonRetryableErrorTypes: [...retry.nonRetryableErrorTypes, STORAGE_ERROR] },
});

/**
 * ParamSearch and PipeEval on the control queue, PipeExec on the GPU pool. Regular activities, not local
 * ones: when concurrent optimizer loops run local activities that outlast a workflow-task heartbeat,
 * replay regroups their results and the history stops replaying (TMPRL1100). Heartbeats replace a dead
 * worker's attempt quickly.
 */
export function trialActivities(plan: StudyPlan) {
  const control = {
    taskQueue: CONTROL_QUEUE,
    startToCloseTimeout: '20 minutes',
    heartbeatTimeout: plan.heartbeatTimeoutMs,
    retry: { ...retry, nonRetryableErrorTypes: [...retry.nonRetryableErrorTypes, STORAGE_ERROR] },
  };
  const gpu = {
    taskQueue: plan.gpuQueue,
    startToCloseTimeout: plan.trialTimeoutMs,
    heartbeatTimeout: plan.heartbeatTimeoutMs,
    retry: {
      initialInterval: '2s',
      maximumInterval: '2 minutes',
      maximumAttempts: 5,
      nonRetryableErrorTypes: ['InputError', STORAGE_ERROR],
    },
  };
  const perTrial = proxyActivities<ControlActivities>(control);
  const pool = proxyActivities<GpuActivities>(gpu);
  // Each call carries a one-line summary, so the Temporal UI's timeline says what every bar is.
  return {
    paramSearch: (request: Parameters<ControlActivities['paramSearch']>[0], summary: string) =>
      perTrial.paramSearch.executeWithOptions({ ...control, summary }, [request]),
    pipeEval: (request: Parameters<ControlActivities['pipeEval']>[0], summary: string) =>
      perTrial.pipeEval.executeWithOptions({ ...control, summary }, [request]),
    pipeExec: (request: Parameters<GpuActivities['pipeExec']>[0], summary: string) =>
      pool.pipeExec.executeWithOptions({ ...gpu, summary }, [request]),
  };
}
