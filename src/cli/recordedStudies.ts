/**
 * What `status` and `list` answer while no Temporal server runs: the embedded server's database record
 * of each study (read-only) and the study folders, saying which they used.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { studyLayout } from '../study/layout.js';
import { studyWorkflowId } from '../study/types.js';
import { DatabaseUnreadable, readStudyRuns, type StudyRunRecord } from '../temporal/databaseRecord.js';
import { embeddedStateDir } from '../temporal/embedded.js';

export interface RecordedRuns {
  dbFile: string;
  runs: StudyRunRecord[];
  /** Why the database could not be read (the answer then comes from the study folders only). */
  problem?: string;
}

/** Every study run the embedded server of `rootDir` recorded, newest first. */
export async function recordedRuns(rootDir: string): Promise<RecordedRuns> {
  const dbFile = path.join(embeddedStateDir(rootDir), 'temporal.db');
  try {
    return { dbFile, runs: await readStudyRuns(dbFile) };
  } catch (err) {
    if (!(err instanceof DatabaseUnreadable)) throw err;
    return { dbFile, runs: [], problem: err.message };
  }
}

/** The runs of the study a command names: by study name, `pipetune-<name>` or workflow id. */
export function runsOf(runs: readonly StudyRunRecord[], name: string): StudyRunRecord[] {
  const ids = new Set([studyWorkflowId(name), name]);
  const workflowId = runs.find(
    (r) => r.name === name || r.study?.name === name || ids.has(r.workflowId),
  )?.workflowId;
  return runs.filter((r) => r.workflowId === workflowId);
}

/** The study folder a run names, when it holds a study. */
export function recordedFolder(run: StudyRunRecord | undefined): string | undefined {
  const dir = run?.study?.outputDir;
  return dir && existsSync(studyLayout(dir).manifest) ? dir : undefined;
}

/** The runs grouped by workflow: its latest run (with the first run's start), newest first. */
export function latestRuns(
  runs: readonly StudyRunRecord[],
): { latest: StudyRunRecord; firstStart: string }[] {
  const byWorkflow = new Map<string, { latest: StudyRunRecord; firstStart: string }>();
  for (const run of runs) {
    const seen = byWorkflow.get(run.workflowId);
    if (!seen) byWorkflow.set(run.workflowId, { latest: run, firstStart: run.startTime });
    else if (run.startTime < seen.firstStart) seen.firstStart = run.startTime;
  }
  return [...byWorkflow.values()];
}
