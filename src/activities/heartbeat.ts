import { Context } from '@temporalio/activity';

/** Often enough that a dead worker is told from a busy one well within any heartbeat timeout. */
const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Run an activity's work while heartbeating on a timer, so a worker that died mid-activity is noticed
 * after the heartbeat timeout rather than the (long) start-to-close timeout.
 */
export async function heartbeating<T>(work: () => Promise<T>, details?: () => unknown): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(details?.()), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
