import { pauseUpdate } from '../../workflows/messages.js';
import { sendStudyUpdate } from '../studyUpdate.js';

const USAGE = `usage: pipetune pause <study> [--root DIR]

No new trials until \`pipetune resume\`; running trials finish.
`;

export function run(argv: string[]): Promise<number> {
  return sendStudyUpdate('pause', USAGE, argv, (handle) => handle.executeUpdate(pauseUpdate));
}
