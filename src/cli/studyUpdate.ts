import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { InputError } from '../errors.js';
import type { StudyStatus } from '../study/types.js';
import { parseCommandArgs } from './args.js';
import { formatStatus } from './progress.js';
import { openSession } from './session.js';
import { controlWorkerPolling, describeStudy, studyNameFrom } from './studyHandle.js';

/** How long a command waits for the control worker's answer once the request is sent. */
const ANSWER_WAIT_MS = 15_000;

/**
 * `pipetune stop|pause <study>`: one update to the running study, answered by its control worker.
 * Without a control worker nothing is sent (an update waiting on the server would apply whenever a
 * worker next runs — e.g. end the next `resume` at once); the command says so and how to go on.
 */
export async function sendStudyUpdate(
  command: string,
  usage: string,
  argv: string[],
  send: (handle: WorkflowHandle, now: boolean) => Promise<StudyStatus>,
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
    if (!(await controlWorkerPolling(session.client))) {
      process.stderr.write(
        `pipetune ${command}: no control worker is running for study ${name}, so nothing was sent; ` +
          `start one (pipetune resume ${name}, or pipetune worker --control) and run pipetune ${command} again\n`,
      );
      return 3;
    }
    // Abort the call on timeout, so that no retry runs on the connection once it is closed.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), ANSWER_WAIT_MS);
    try {
      const status = await session.connection.withAbortSignal(abort.signal, () =>
        send(handle, values.now ?? false),
      );
      process.stdout.write(`${formatStatus(status)}\n`);
      return 0;
    } catch (err) {
      if (!abort.signal.aborted) throw err;
      process.stderr.write(
        `pipetune ${command}: sent, but the control worker did not answer within ${ANSWER_WAIT_MS / 1000} s; ` +
          `the ${command} applies when it does (pipetune status ${name} shows the state)\n`,
      );
      return 3;
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await session.close();
  }
}
