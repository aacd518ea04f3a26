/** Public API of the evaluator: TrackEval-equal MOT metrics, their pure cores, and the file readers. */
export { type ClearResult, combineClear, computeClear } from './clear.js';
export { type CountResult, combineCount, computeCount } from './count.js';
export { type EvalReport, evaluateMot, type MotEvalOptions, readMotSequence } from './evaluate.js';
export { combineHota, computeHota, HOTA_ALPHAS, type HotaResult } from './hota.js';
export { combineIdentity, computeIdentity, type IdentityResult, maxWeightMatching } from './identity.js';
export { boxIou, EPS } from './iou.js';
export { type Assignment, AssignmentError, linearSumAssignment } from './lsap.js';
export {
  combineResults,
  evaluateSequence,
  METRIC_NAMES,
  type MetricName,
  type MetricResults,
  type MetricsBlock,
  metricsBlock,
  summarize,
} from './metrics.js';
export {
  type DetectionRows,
  type GroundTruthRows,
  parseDetections,
  parseGroundTruth,
  parseSeqinfo,
  parseSeqmap,
  parseTrackerOutput,
  readDetections,
  readGroundTruth,
  readSeqinfo,
  readSeqmap,
  readTrackerOutput,
  type TrackerRows,
} from './motFiles.js';
export { BENCHMARKS, type Benchmark, prepareSequence } from './preprocess.js';
export { formatSummaryTables } from './summaryTable.js';
export type { SequenceData } from './types.js';
