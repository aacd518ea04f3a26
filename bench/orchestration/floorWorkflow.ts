/**
 * Temporal's own floor on a server: a workflow that awaits a no-op activity `n` times. Each iteration is
 * one workflow task and one activity on one task queue, nothing else, so its time per iteration is the
 * least a round trip costs there; a trial of a study is three of them (ParamSearch, PipeExec, PipeEval).
 */
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function roundTrips(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await noop();
}
