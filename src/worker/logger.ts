import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { rootMessage } from '../study/failures.js';

/** The GPU worker has no workflows by design; the SDK warns about that on every start. */
const EXPECTED = /No workflows registered, not polling for workflow tasks/;

/** Context a person can act on; the rest of the SDK's meta (task tokens, run ids…) is console noise. */
const SHOWN = ['activityType', 'workflowId', 'attempt'] as const;

/** One readable line: time, level, message, what it is about, and the root cause of any error. */
export function formatLogEntry(entry: LogEntry): string {
  const meta = (entry.meta ?? {}) as Record<string, unknown>;
  const about = SHOWN.filter((key) => meta[key] !== undefined).map((key) => `${key} ${meta[key]}`);
  const error = meta.error ?? meta.failure;
  if (error !== undefined) about.push(`error: ${rootMessage(error)}`);
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  return `${time} [${entry.level}] ${entry.message}${about.length ? ` (${about.join('; ')})` : ''}\n`;
}

/** Warnings and errors of the Temporal runtime, on stderr, without the expected one. */
export function workerLogger(): DefaultLogger {
  return new DefaultLogger('WARN', (entry: LogEntry) => {
    if (!EXPECTED.test(entry.message)) process.stderr.write(formatLogEntry(entry));
  });
}
