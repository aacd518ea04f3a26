import { readStudyManifest, readTrialStore, writeAccuracyCsv, writeStudyResults } from '../results/index.js';

/** Study end (completed, stopped or failed alike): CSV, plot, report and results/best/ from the trial store. */
export async function finalizeResults(outputDir: string) {
  const records = await readTrialStore(outputDir);
  if (records.length === 0) return { best: null };
  const results = await writeStudyResults(outputDir);
  const best = results.summary.best;
  return {
    best: best ? { score: best.mean, trial: best.record.trial } : null,
    ...(results.best ? { bestDir: results.best } : {}),
    csv: results.csv,
  };
}

/** The accuracy CSV is rewritten as trials finish, at most every few seconds (it is the whole store). */
const CSV_REFRESH_MS = 5_000;
const lastRefresh = new Map<string, number>();

export async function refreshAccuracyCsv(outputDir: string): Promise<void> {
  const now = Date.now();
  if (now - (lastRefresh.get(outputDir) ?? 0) < CSV_REFRESH_MS) return;
  lastRefresh.set(outputDir, now);
  await writeAccuracyCsv(outputDir, await readStudyManifest(outputDir), await readTrialStore(outputDir));
}
