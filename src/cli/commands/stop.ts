import { stopUpdate } from '../../workflows/messages.js';
import { sendStudyUpdate } from '../studyUpdate.js';

const USAGE = `usage: pipetune stop <study> [--now] [--root DIR]

Graceful stop: no new trials, running trials finish, results are written.
  --now   cancel the running trials too (their processes or containers are killed)
`;

export function run(argv: string[]): Promise<number> {
  return sendStudyUpdate('stop', USAGE, argv, (handle, now) =>
    handle.executeUpdate(stopUpdate, { args: [{ now }] }),
  );
}
