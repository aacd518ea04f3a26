import os from 'node:os';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { rootMessage } from '../study/failures.js';
import type { TemporalTarget } from '../temporal/connection.js';
import { connectWorker } from './workers.js';

/** One attempt (connect, create) may hang on a server that stopped answering: give it this long. */
const ATTEMPT_TIMEOUT_MS = 30_000;
const MAX_RETRY_DELAY_MS = 10_000;

/**
 * Connect and create a worker, retrying with backoff while the server is unreachable, starting up or
 * going down (`Namespace default was not found`), until `timeoutMs` has passed; then throw.
 */
export async function startWorker(
  target: TemporalTarget,
  create: (connection: NativeConnection, namespace: string) => Promise<Worker>,
  {
    timeoutMs,
    log = (line: string) => process.stderr.write(`${line}\n`),
  }: { timeoutMs: number; log?: (line: string) => void },
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const { address } = target;
  const deadline = Date.now() + timeoutMs;
  for (let delay = 500; ; delay = Math.min(2 * delay, MAX_RETRY_DELAY_MS)) {
    let connection: NativeConnection | undefined;
    try {
      return await within(ATTEMPT_TIMEOUT_MS, async () => {
        connection = await connectWorker(target);
        return { worker: await create(connection, target.namespace), connection };
      });
    } catch (err) {
      await connection?.close().catch(() => undefined);
      const why = rootMessage(err);
      if (Date.now() + delay > deadline)
        throw new Error(`the worker could not start on ${address} within ${timeoutMs / 1000} s: ${why}`);
      log(`pipetune worker: cannot start yet on ${address} (${why}); retrying in ${delay / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function within<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * SIGINT/SIGTERM for a worker process: while it starts, exit at once; once it runs, shut it down
 * gracefully (its running activities are retried elsewhere); a second signal exits at once.
 */
export function handleStopSignals(): { running(worker: Worker): void } {
  let worker: Worker | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (worker?.getState() === 'RUNNING') {
      worker.shutdown();
      worker = undefined;
      return;
    }
    process.exit(128 + (os.constants.signals[signal] ?? 15));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    running(w) {
      worker = w;
    },
  };
}
