import { InputError } from '../errors.js';
import { studyLayout } from '../study/layout.js';
import type { StudyManifest } from '../study/records.js';
import { copyBestCheckpoint } from './best.js';
import { writeAccuracyCsv } from './csv.js';
import { writeConvergencePlot } from './plot.js';
import { rankingFor, tuningRecords } from './ranking.js';
import { writeReport } from './report.js';
import { readStudyManifest, readTrialStore } from './store.js';
import { type StudySummary, summarizeStudy } from './summary.js';

export interface StudyResults {
  manifest: StudyManifest;
  summary: StudySummary;
  csv: string;
  plot: string;
  report: string;
  /** results/best/, absent when no trial succeeded yet. */
  best?: string;
}

export interface RefreshOptions {
  /** Rank by this entry of the trials' metrics instead of the study metric. */
  metric?: string;
  warn?: (message: string) => void;
}

/** Rewrites everything under `results/` from the trial store: CSV, plot, report and best/. */
export async function writeStudyResults(
  outputDir: string,
  { metric, warn }: RefreshOptions = {},
): Promise<StudyResults> {
  const manifest = await readStudyManifest(outputDir);
  const records = await readTrialStore(outputDir, warn);
  if (!records.length) throw new InputError(`${studyLayout(outputDir).trials}: no trials recorded yet`);
  const ranking = rankingFor(manifest, metric);
  const tuning = tuningRecords(records);
  if (ranking.metric && !tuning.some((r) => r.status === 'ok' && ranking.metric! in r.metrics)) {
    const recorded = [...new Set(tuning.flatMap((r) => Object.keys(r.metrics)))].join(', ') || 'none';
    throw new InputError(`--metric ${ranking.metric}: no trial recorded it (recorded metrics: ${recorded})`);
  }
  const summary = summarizeStudy(manifest, records, ranking);
  return {
    manifest,
    summary,
    csv: await writeAccuracyCsv(outputDir, manifest, records),
    plot: await writeConvergencePlot(outputDir, manifest, records, ranking),
    report: await writeReport(outputDir, manifest, records, ranking),
    best:
      summary.best &&
      (await copyBestCheckpoint(
        outputDir,
        manifest,
        summary.best,
        ranking,
        summary.validation?.configs.find((c) => c.rank === 1),
      )),
  };
}
