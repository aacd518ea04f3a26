/** Study results: the trial store reader, accuracy CSV, convergence plot, HTML report and best checkpoint. */
export { copyBestCheckpoint } from './best.js';
export { type AccuracyTable, accuracyCsv, accuracyTable, writeAccuracyCsv } from './csv.js';
export { resultsLayout } from './paths.js';
export { renderConvergencePlot, writeConvergencePlot } from './plot.js';
export {
  bestTrial,
  isValidation,
  paramsKey,
  type RankedConfig,
  type Ranking,
  rankConfigs,
  rankingFor,
  scoreOf,
  tuningRecords,
} from './ranking.js';
export { type RefreshOptions, type StudyResults, writeStudyResults } from './refresh.js';
export { renderReport, writeReport } from './report.js';
export { type ParsedTrialStore, parseTrialStore, readStudyManifest, readTrialStore } from './store.js';
export { type StudySummary, summarizeStudy } from './summary.js';
export { summarizeValidation, type ValidatedConfig, type ValidationSummary } from './validation.js';
