import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readStudyManifest } from '../../results/store.js';
import { STUDY_BEST, STUDY_NAME, STUDY_STATUS, STUDY_TRIALS } from '../../study/searchAttributes.js';
import type { StudyRef } from '../../study/types.js';
import { WORKFLOW_TYPE } from '../../study/types.js';
import { parseCommandArgs } from '../args.js';
import { formatStudyTable, type StudyRow } from '../progress.js';
import { latestRuns, recordedFolder, recordedRuns } from '../recordedStudies.js';
import { NoServerError, openSession } from '../session.js';
import { folderStatus } from '../studyFolder.js';

const USAGE = `usage: pipetune list [--root DIR] [--json]

Studies on the Temporal server (the embedded one of --root, or TEMPORAL_ADDRESS), newest first;
"started" is when the study was first started. With no server running: what the embedded server's
database records (read-only) and the study folders under <root>/output.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'list',
    argv,
    {
      root: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const rootDir = path.resolve(values.root ?? process.cwd());
  const session = await openSession(rootDir, { start: false }).catch((err) => {
    if (err instanceof NoServerError) return undefined;
    throw err;
  });
  if (!session) return listWithoutServer(rootDir, values.json);
  try {
    const rows: StudyRow[] = [];
    const seen = new Set<string>();
    for await (const execution of session.client.workflow.list({
      query: `WorkflowType = '${WORKFLOW_TYPE}'`,
    })) {
      if (seen.has(execution.workflowId)) continue; // older runs of the same study
      seen.add(execution.workflowId);
      const attributes = execution.typedSearchAttributes;
      rows.push({
        study: attributes.get(STUDY_NAME) ?? execution.workflowId,
        workflow: execution.workflowId,
        status: execution.status.name,
        state: attributes.get(STUDY_STATUS) ?? '',
        trials: attributes.get(STUDY_TRIALS) ?? 0,
        best: attributes.get(STUDY_BEST) ?? null,
        started: (await studyStart(execution.memo?.study)) ?? execution.startTime.toISOString(),
      });
    }
    process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : formatStudyTable(rows));
    return 0;
  } finally {
    await session.close();
  }
}

/** When the study was first started (its study.json), not when its latest run began. */
async function studyStart(memo: unknown): Promise<string | undefined> {
  const outputDir = (memo as Partial<StudyRef> | undefined)?.outputDir;
  if (!outputDir) return undefined;
  return (await readStudyManifest(outputDir).catch(() => undefined))?.createdAt;
}

/**
 * No server: the studies the embedded server's database records (read-only), with the trials and best of
 * their study folders, then the study folders under <root>/output it does not know.
 */
async function listWithoutServer(rootDir: string, json?: boolean): Promise<number> {
  const recorded = await recordedRuns(rootDir);
  const rows: StudyRow[] = [];
  const listedFolders = new Set<string>();
  for (const { latest, firstStart } of latestRuns(recorded.runs)) {
    const dir = recordedFolder(latest);
    const folder = dir ? await folderStatus(rootDir, '', '', dir) : undefined;
    if (dir) listedFolders.add(path.resolve(dir));
    rows.push({
      study: latest.name ?? latest.study?.name ?? latest.workflowId,
      workflow: latest.workflowId,
      status: latest.status,
      state: latest.state ?? '',
      trials: folder?.trials ?? latest.trials ?? 0,
      best: folder ? folder.best : latest.best,
      started: folder?.createdAt ?? firstStart,
    });
  }
  const output = path.join(rootDir, 'output');
  const folders = existsSync(output) ? readdirSync(output).map((f) => path.join(output, f)) : [];
  for (const dir of folders.filter((d) => existsSync(path.join(d, 'study.json')))) {
    if (listedFolders.has(path.resolve(dir))) continue;
    const s = await folderStatus(rootDir, '', '', dir);
    rows.push({
      study: s.name,
      workflow: '-',
      status: '-',
      state: 'study folder',
      trials: s.trials,
      best: s.best,
      started: s.createdAt,
    });
  }
  rows.sort((a, b) => b.started.localeCompare(a.started));
  if (!json) {
    const from = recorded.runs.length
      ? `its database record ${recorded.dbFile} (read-only) and the study folders in ${output}`
      : `the study folders in ${output}`;
    process.stdout.write(`(no Temporal server is running for ${rootDir}: from ${from})\n`);
    if (recorded.problem) process.stdout.write(`(${recorded.problem})\n`);
  }
  process.stdout.write(json ? `${JSON.stringify(rows, null, 2)}\n` : formatStudyTable(rows));
  return 0;
}
