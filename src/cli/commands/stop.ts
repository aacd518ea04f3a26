import { stopSignal } from '../../workflows/messages.js';
import { sendStudyRequest } from '../studyRequest.js';

const USAGE = `usage: pipetune stop <study> [--now] [--root DIR]

Graceful stop: no new trials, running trials finish, results are written.
  --now   cancel the running trials too (their processes or containers are killed)
The request is kept by the Temporal server: without a control worker it takes effect when one runs.
`;

export function run(argv: string[]): Promise<number> {
  return sendStudyRequest('stop', USAGE, argv, (handle, now) => handle.signal(stopSignal, { now }));
}
