import { basename, join } from 'node:path';
import { studyLayout } from '../study/layout.js';
import type { StudyManifest } from '../study/records.js';

/** The files `results/` holds (design §7); the rest of the output folder is src/study/layout.ts. */
export function resultsLayout(outputDir: string, manifest: StudyManifest) {
  const results = studyLayout(outputDir).results;
  return {
    results,
    /** `<config>.yml-<stamp>_accuracy.csv`, named like PipeTuner's accuracy CSV (extension kept). */
    csv: join(results, `${basename(manifest.configPath)}-${manifest.stamp}_accuracy.csv`),
    /** The convergence chart as PNG, under PipeTuner's name. */
    plot: join(results, 'accuracy_plot.png'),
    /** Every chart as `<view>.svg` and `<view>.png`. */
    plots: join(results, 'plots'),
    report: join(results, 'report.html'),
    /** The copy of the best trial's checkpoint. */
    best: join(results, 'best'),
  };
}
