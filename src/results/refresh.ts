/**
 * `results/` in one flow: read the study once (./input.ts), analyse it into one summary
 * (./analysis.ts), render every view from that summary, then write each file atomically.
 */
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { studyLayout } from '../study/layout.js';
import type { StudyManifest } from '../study/records.js';
import { analyzeStudy, type StudyAnalysis } from './analysis.js';
import { writeFileAtomic } from './atomic.js';
import { copyBestCheckpoint } from './best.js';
import { renderSvg, svgToPng } from './charts/render.js';
import { writeAccuracyCsv } from './csv.js';
import { type ReadOptions, readStudyInput, type StudyInput } from './input.js';
import { interactiveHead } from './interactive.js';
import { resultsLayout } from './paths.js';
import { tuningRecords } from './ranking.js';
import { type ReportChart, renderReport } from './report.js';
import type { StudySummary } from './summary.js';
import { studyViews, type View } from './views/index.js';

export interface StudyResults {
  manifest: StudyManifest;
  summary: StudySummary;
  /** Paths of what is on disk; a read of a study whose results were never written has none of them. */
  csv?: string;
  plot?: string;
  plots?: string;
  report?: string;
  /** results/best/, absent when no trial succeeded yet. */
  best?: string;
}

export interface RefreshOptions extends ReadOptions {
  /** Inline the ECharts library in report.html so its charts are interactive. */
  interactive?: boolean;
}

export type RenderedChart = ReportChart & Pick<View, 'option' | 'size'> & { png: () => Buffer };

/** Every view of the analysis as SVG (what the report inlines) and PNG. */
export function renderCharts(analysis: StudyAnalysis): RenderedChart[] {
  return studyViews(analysis).map((view) => {
    const svg = renderSvg(view.option, view.size);
    return { ...view, svg, png: () => svgToPng(svg) };
  });
}

/**
 * The study read and analysed, without writing anything; an input error when the store is empty or
 * `--metric` names a metric no trial recorded.
 */
export async function analyzeStudyResults(
  outputDir: string,
  options: RefreshOptions = {},
): Promise<{ input: StudyInput; analysis: StudyAnalysis }> {
  const input = await readStudyInput(outputDir, options);
  if (!input.records.length) throw new InputError(`${studyLayout(outputDir).trials}: no trials recorded yet`);
  const metric = input.ranking.metric;
  const tuning = tuningRecords(input.records);
  if (metric && !tuning.some((r) => r.status === 'ok' && metric in r.metrics)) {
    const recorded = [...new Set(tuning.flatMap((r) => Object.keys(r.metrics)))].join(', ') || 'none';
    throw new InputError(`--metric ${metric}: no trial recorded it (recorded metrics: ${recorded})`);
  }
  return { input, analysis: analyzeStudy(input) };
}

/** Rewrites everything under `results/` from the trial store: CSV, charts, report and best/. */
export async function writeStudyResults(
  outputDir: string,
  options: RefreshOptions = {},
): Promise<StudyResults> {
  const { input, analysis } = await analyzeStudyResults(outputDir, options);
  const { manifest, records } = input;
  const files = resultsLayout(outputDir, manifest);
  const charts = renderCharts(analysis);
  const csv = await writeAccuracyCsv(outputDir, manifest, records);
  for (const chart of charts) {
    const png = chart.png();
    await writeFileAtomic(join(files.plots, `${chart.id}.svg`), chart.svg);
    await writeFileAtomic(join(files.plots, `${chart.id}.png`), png);
    if (chart.id === 'convergence') await writeFileAtomic(files.plot, png);
  }
  const { summary } = analysis;
  const best =
    summary.best &&
    (await copyBestCheckpoint(
      outputDir,
      manifest,
      summary.best,
      input.ranking,
      summary.validation?.configs.find((c) => c.rank === 1),
      summary.pareto,
    ));
  const csvName = csv.slice(files.results.length + 1);
  const head = options.interactive ? interactiveHead(charts) : '';
  await writeFileAtomic(
    files.report,
    renderReport(analysis, charts, { csv: csvName, best: best !== undefined }, head),
  );
  return {
    manifest,
    summary,
    csv,
    plot: files.plot,
    plots: files.plots,
    report: files.report,
    ...(best ? { best } : {}),
  };
}
