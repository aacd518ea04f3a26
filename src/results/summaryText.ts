import { existsSync } from 'node:fs';
import { formatDelta, formatRelative, formatScore } from './format.js';
import { resultsLayout } from './paths.js';
import { rankingFor } from './ranking.js';
import { type StudyResults, writeStudyResults } from './refresh.js';
import { readStudyManifest, readTrialStore } from './store.js';
import { summarizeStudy } from './summary.js';

/**
 * The summary `pipetune results` prints, and `tune`/`resume` at the end of a study: trial counts, best
 * and baseline in points, the improvement, and the paths of the results.
 */
export function formatResultsSummary({
  manifest,
  summary: s,
  csv,
  plot,
  report,
  best,
}: StudyResults): string {
  const lines = [`study ${manifest.name}: ${s.trials} trials, ${s.ok} succeeded, ${s.failed} failed`];
  if (s.best) {
    const r = s.best.record;
    const runs = s.best.count > 1 ? `, mean of ${s.best.count} runs` : '';
    lines.push(
      `best ${s.metric} ${formatScore(s.best.mean)} at trial ${r.trial} (${r.optimizer}, iteration ${r.iteration}${runs})`,
    );
  } else lines.push('no successful trial yet: best/ not written');
  if (s.baseline) {
    const relative = s.relativeImprovement === undefined ? '' : ` (${formatRelative(s.relativeImprovement)})`;
    const gain =
      s.improvement === undefined ? '' : `, improvement ${formatDelta(s.improvement)} points${relative}`;
    lines.push(`baseline ${s.metric} ${formatScore(s.baseline.mean)}${gain}`);
  }
  lines.push(`csv     ${csv}`, `plot    ${plot}`, `report  ${report}`);
  if (best) lines.push(`best    ${best}/ (README.txt says which original files the configs replace)`);
  return `${lines.join('\n')}\n`;
}

/**
 * The study's results as the study's end (finalizeStudy) wrote them, without rewriting them; written
 * here only when they are missing (a study that failed before it could write them). Undefined when no
 * trial was recorded.
 */
export async function readStudyResults(
  outputDir: string,
  warn?: (message: string) => void,
): Promise<StudyResults | undefined> {
  const records = await readTrialStore(outputDir, warn);
  if (records.length === 0) return undefined;
  const manifest = await readStudyManifest(outputDir);
  const files = resultsLayout(outputDir, manifest);
  if (!existsSync(files.report)) return writeStudyResults(outputDir, { warn });
  const summary = summarizeStudy(manifest, records, rankingFor(manifest));
  return {
    manifest,
    summary,
    csv: files.csv,
    plot: files.plot,
    report: files.report,
    ...(summary.best && existsSync(files.best) ? { best: files.best } : {}),
  };
}
