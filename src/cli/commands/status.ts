import path from 'node:path';
import { InputError } from '../../errors.js';
import { STUDY_BEST, STUDY_STATUS, STUDY_TRIALS } from '../../study/searchAttributes.js';
import { statusQuery } from '../../workflows/messages.js';
import { parseCommandArgs } from '../args.js';
import { formatServerStatus, formatStatus, type ServerStatus } from '../progress.js';
import { openSession } from '../session.js';
import { describeStudy, studyNameFrom } from '../studyHandle.js';

const USAGE = `usage: pipetune status <study> [--root DIR] [--json]

Progress, ETA and best score per optimizer. <study> is a study name or its config file.
Without a running worker it reports what the server knows (state, trials done, best).
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('status', argv, {
    root: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new InputError(`pipetune status: expected one study name\n${USAGE}`);
  const session = await openSession(path.resolve(values.root ?? process.cwd()), { start: false });
  try {
    const { handle, description, study } = await describeStudy(
      session.client,
      studyNameFrom(positionals[0]!),
    );
    try {
      // Aborted on timeout, so that no retry runs on the connection once it is closed.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), 5_000);
      const status = await session.connection
        .withAbortSignal(abort.signal, () => handle.query(statusQuery))
        .catch((err) => {
          throw abort.signal.aborted
            ? new Error('no control worker answered within 5 s (is one running?)')
            : err;
        })
        .finally(() => clearTimeout(timer));
      process.stdout.write(
        values.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status)}\n`,
      );
    } catch (err) {
      // No worker to answer the query: the server's own record of the study still says a lot.
      const attributes = description.typedSearchAttributes;
      const summary: ServerStatus = {
        name: study.name,
        workflowStatus: description.status.name,
        state: attributes.get(STUDY_STATUS) ?? null,
        trialsDone: attributes.get(STUDY_TRIALS) ?? 0,
        best: attributes.get(STUDY_BEST) ?? null,
        outputDir: study.outputDir,
        note: (err as Error).message,
      };
      process.stdout.write(
        values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatServerStatus(summary),
      );
    }
    return 0;
  } finally {
    await session.close();
  }
}
