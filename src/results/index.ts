/** Study results: read the trial store once, analyse it into one summary, render every view from it. */
export { type AnalysedTrial, analyzeStudy, type BoundFlag, type StudyAnalysis } from './analysis.js';
export { copyBestCheckpoint } from './best.js';
export { type AccuracyTable, accuracyCsv, accuracyTable, writeAccuracyCsv } from './csv.js';
export { type ParameterImportance, parameterImportance } from './importance.js';
export { readStudyInput, type StudyInput } from './input.js';
export { resultsJson } from './json.js';
export { resultsLayout } from './paths.js';
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
export {
  analyzeStudyResults,
  type RefreshOptions,
  renderCharts,
  type StudyResults,
  writeStudyResults,
} from './refresh.js';
export { renderReport } from './report.js';
export { type ParsedTrialStore, parseTrialStore, readStudyManifest, readTrialStore } from './store.js';
export { type StudySummary, summarizeStudy } from './summary.js';
export { summarizeValidation, type ValidatedConfig, type ValidationSummary } from './validation.js';
