import path from 'node:path';
import { InputError } from '../../errors.js';
import { rootMessage } from '../../study/failures.js';
import { STUDY_BEST, STUDY_STATUS, STUDY_TRIALS } from '../../study/searchAttributes.js';
import { statusQuery } from '../../workflows/messages.js';
import { parseCommandArgs } from '../args.js';
import { formatOptionalScore, formatServerStatus, formatStatus, type ServerStatus } from '../progress.js';
import { recordedFolder, recordedRuns, runsOf } from '../recordedStudies.js';
import { NoServerError, openSession } from '../session.js';
import { folderStatus } from '../studyFolder.js';
import { controlWorkerPolling, describeStudy, studyNameFrom } from '../studyHandle.js';

const USAGE = `usage: pipetune status <study> [--root DIR] [--json]

Progress, ETA and best score per optimizer. <study> is a study name or its config file.
Without a running worker, or for an ended study, it reports what the server records (state, trials
done, best; a failed study's reason, exit 1); without a server, what the embedded server's database
and the study folder record (read-only), saying which.
`;

function print(json: boolean | undefined, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text);
}

/**
 * No server: the embedded server's database record of the study (its latest run) and its study folder,
 * read-only, saying which answered. A failed study gives its reason and exit 1, as with a server.
 */
async function withoutServer(rootDir: string, arg: string, name: string, json?: boolean): Promise<number> {
  const recorded = await recordedRuns(rootDir);
  const runs = runsOf(recorded.runs, name);
  const latest = runs[0];
  const folder = await folderStatus(rootDir, arg, name, recordedFolder(latest)).catch((err) => {
    if (latest && err instanceof InputError) return undefined;
    throw err;
  });
  const sources = [
    ...(latest ? [`the server's database record (${recorded.dbFile}, read-only)`] : []),
    ...(folder ? ['its study folder'] : []),
  ];
  const record = latest && {
    workflowId: latest.workflowId,
    workflowStatus: latest.status,
    state: latest.state,
    runs: runs.length,
    firstStarted: runs.at(-1)!.startTime,
    lastStarted: latest.startTime,
    ended: latest.closeTime,
    trialsDone: latest.trials,
    best: latest.best,
    failure: latest.failure,
  };
  const lines = [
    `study ${folder?.name ?? latest?.name ?? name}: from ${sources.join(' and ')}; no Temporal server is running`,
  ];
  if (recorded.problem) lines.push(`(${recorded.problem})`);
  if (record) {
    const when = record.ended ? `, last run ended ${record.ended}` : '';
    lines.push(
      `workflow ${record.workflowId} ${record.workflowStatus}, ${record.state ?? 'state unknown'}; ` +
        `started ${record.firstStarted}; ${record.runs} run${record.runs === 1 ? '' : 's'}${when}`,
    );
    if (record.failure) lines.push(`failed: ${record.failure}`);
    if (record.workflowStatus === 'RUNNING')
      lines.push(`it was running when the server stopped: pipetune resume ${name} continues it`);
  }
  if (folder && !record) lines.push(`started ${folder.createdAt}`);
  if (folder)
    lines.push(
      `${folder.trials} trials recorded, ${folder.failed} failed; best ${formatOptionalScore(folder.best)}` +
        `${folder.bestTrial === null ? '' : ` (trial ${folder.bestTrial})`}`,
      `output: ${folder.outputDir}`,
    );
  else if (record)
    lines.push(
      `${record.trialsDone ?? 0} trials done; best ${formatOptionalScore(record.best)} (no study folder found)`,
    );
  print(json, { name, sources, record: record ?? null, folder: folder ?? null }, `${lines.join('\n')}\n`);
  return record?.workflowStatus === 'FAILED' ? 1 : 0;
}

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
  const rootDir = path.resolve(values.root ?? process.cwd());
  const arg = positionals[0] as string;
  const name = studyNameFrom(arg);
  const session = await openSession(rootDir, { start: false }).catch((err) => {
    if (err instanceof NoServerError) return undefined;
    throw err;
  });
  if (!session) return withoutServer(rootDir, arg, name, values.json);
  try {
    const { handle, description, study } = await describeStudy(session.client, name);
    const attributes = description.typedSearchAttributes;
    const record = (note: string): ServerStatus => ({
      name: study.name,
      workflowStatus: description.status.name,
      state: attributes.get(STUDY_STATUS) ?? null,
      trialsDone: attributes.get(STUDY_TRIALS) ?? 0,
      best: attributes.get(STUDY_BEST) ?? null,
      outputDir: study.outputDir,
      note,
    });
    const ended = description.status.name !== 'RUNNING';
    if (description.status.name === 'FAILED' || (ended && !(await controlWorkerPolling(session.client)))) {
      // No worker to ask about an ended study (or it failed): the server's record answers at once.
      const failed = description.status.name === 'FAILED';
      const reason = failed ? await handle.result().then(() => '', rootMessage) : '';
      const summary = record(failed ? `failed: ${reason}` : "the study has ended; from the server's record");
      print(values.json, summary, formatServerStatus(summary));
      return failed ? 1 : 0;
    }
    // Aborted on timeout, so that no retry runs on the connection once it is closed.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 5_000);
    try {
      const status = await session.connection.withAbortSignal(abort.signal, () => handle.query(statusQuery));
      print(values.json, status, `${formatStatus(status)}\n`);
    } catch (err) {
      if (!abort.signal.aborted) throw err;
      // No worker to answer the query: the server's own record of the study still says a lot.
      const summary = record('no control worker answered within 5 s (is one running?)');
      print(values.json, summary, formatServerStatus(summary));
    } finally {
      clearTimeout(timer);
    }
    return 0;
  } finally {
    await session.close();
  }
}
