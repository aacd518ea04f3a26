import { pauseSignal } from '../../workflows/messages.js';
import { sendStudyRequest } from '../studyRequest.js';

const USAGE = `usage: pipetune pause <study> [--root DIR]

No new trials until \`pipetune resume\`; running trials finish.
The request is kept by the Temporal server: without a control worker it takes effect when one runs.
`;

export function run(argv: string[]): Promise<number> {
  return sendStudyRequest('pause', USAGE, argv, (handle) => handle.signal(pauseSignal));
}
