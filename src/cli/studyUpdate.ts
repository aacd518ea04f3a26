import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { InputError } from '../errors.js';
import { CONTROL_QUEUE, type StudyStatus } from '../study/types.js';
import { parseCommandArgs } from './args.js';
import { formatStatus } from './progress.js';
import { openSession } from './session.js';
import { describeStudy, studyNameFrom } from './studyHandle.js';

/** A control worker long-polls for 60 s at most, so one seen within this is still there. */
const POLLER_FRESH_MS = 90_000;
/** How long a command waits for the control worker's answer once the request is sent. */
const ANSWER_WAIT_MS = 15_000;

/** Whether a control worker polled the study's queue lately (a study's updates run only on one). */
async function controlWorkerPolling(client: Client): Promise<boolean> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    // TASK_QUEUE_KIND_NORMAL, TASK_QUEUE_TYPE_WORKFLOW (numeric: @temporalio/proto is not a runtime dependency)
    taskQueue: { name: CONTROL_QUEUE, kind: 1 },
    taskQueueType: 1,
  });
  const seconds = (p: (typeof pollers)[number]) => Number(p.lastAccessTime?.seconds ?? 0);
  return pollers.some((p) => Date.now() - seconds(p) * 1000 < POLLER_FRESH_MS);
}

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
