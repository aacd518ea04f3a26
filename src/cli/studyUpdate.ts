import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { InputError } from '../errors.js';
import type { StudyStatus } from '../study/types.js';
import { parseCommandArgs } from './args.js';
import { formatStatus } from './progress.js';
import { openSession } from './session.js';
import { describeStudy, studyNameFrom, withTimeout } from './studyHandle.js';

/** `pipetune stop|pause <study>`: one update to the running study, answered by its control worker. */
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
  const session = await openSession(path.resolve(values.root ?? process.cwd()), { start: false });
  try {
    const { handle, description } = await describeStudy(session.client, studyNameFrom(positionals[0]!));
    if (description.status.name !== 'RUNNING')
      throw new InputError(`study ${positionals[0]} is not running (${description.status.name})`);
    const status = await withTimeout(
      send(handle, values.now ?? false),
      15_000,
      'the study (is a control worker running?)',
    );
    process.stdout.write(`${formatStatus(status)}\n`);
    return 0;
  } finally {
    await session.close();
  }
}
