import { DefaultLogger, type LogEntry } from '@temporalio/worker';

/** The GPU worker has no workflows by design; the SDK warns about that on every start. */
const EXPECTED = /No workflows registered, not polling for workflow tasks/;

/** Warnings and errors of the Temporal runtime, on stderr, without the expected one. */
export function workerLogger(): DefaultLogger {
  return new DefaultLogger('WARN', (entry: LogEntry) => {
    if (EXPECTED.test(entry.message)) return;
    process.stderr.write(
      `${new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString()} [${entry.level}] ${entry.message}${entry.meta ? ` ${JSON.stringify(entry.meta)}` : ''}\n`,
    );
  });
}
