import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { InputError } from '../errors.js';
import { statusQuery } from '../workflows/messages.js';
import { parseCommandArgs } from './args.js';
import { formatStatus } from './progress.js';
import { openSession } from './session.js';
import { controlWorkerPolling, describeStudy, studyNameFrom } from './studyHandle.js';

/** How long a command waits for the control worker to show the study's state once the request is in. */
const ANSWER_WAIT_MS = 5_000;

/**
 * `pipetune stop|pause <study>`: a durable request. It is sent as a signal, which the server writes into
 * the study's history at once, whether or not a control worker runs; the study applies it when a control
 * worker next runs its history (a later `pipetune resume` sees a pending stop and continues the study
 * after it, see ./commands/resume.ts). With a control worker running, the command then shows the state.
 */
export async function sendStudyRequest(
  command: 'stop' | 'pause',
  usage: string,
  argv: string[],
  send: (handle: WorkflowHandle, now: boolean) => Promise<void>,
): Promise<number> {
  const { values, positionals } = parseCommandArgs(command, argv, {
    root: { type: 'string' },
    now: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(`pipetune ${command}: expected one study name\n${usage}`);
  const rootDir = path.resolve(values.root ?? process.cwd());
  const session = await openSession(rootDir, { start: false });
  try {
    const name = studyNameFrom(positionals[0]!);
    const { handle, description } = await describeStudy(session.client, name);
    if (description.status.name !== 'RUNNING')
      throw new InputError(
        `study ${name} is not running (${description.status.name}); nothing to ${command}`,
      );
    await send(handle, values.now ?? false);
    const what = command === 'stop' && values.now ? 'stop --now' : command;
    if (!(await controlWorkerPolling(session.client))) {
      process.stdout.write(
        `${what} requested for study ${name}; no control worker is running, so it takes effect when one does ` +
          `(pipetune worker --control); pipetune resume ${name} continues the study instead\n`,
      );
      return 0;
    }
    // A query is answered after the workflow task that applies the request, so it shows its effect.
    // Aborted on timeout, so that no retry runs on the connection once it is closed.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), ANSWER_WAIT_MS);
    try {
      const status = await session.connection.withAbortSignal(abort.signal, () => handle.query(statusQuery));
      process.stdout.write(`${what} requested for study ${name}\n${formatStatus(status)}\n`);
    } catch (err) {
      if (!abort.signal.aborted) throw err;
      process.stdout.write(
        `${what} requested for study ${name}; the control worker did not answer within ${ANSWER_WAIT_MS / 1000} s, ` +
          `so it takes effect when it does (pipetune status ${name} shows the state)\n`,
      );
    } finally {
      clearTimeout(timer);
    }
    return 0;
  } finally {
    await session.close();
  }
}
