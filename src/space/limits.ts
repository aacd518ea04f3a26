/**
 * What known DeepStream / Metropolis keys accept, so a search range that would make every trial write
 * a value the pipeline rejects (nms-iou-threshold 1.2, minBoxes 2.5) fails before the study starts.
 * Ranges come from nvinfer's property parser, the Gst-nvtracker parameter tables and mdx-mtmc's config
 * model (see docs/research/deepstream-formats.md §1.3, §2.2, §5.1). Keys not listed are not checked.
 */
import { describeRange } from './dimensions.js';
import type { Dimension, ParamValue } from './types.js';

export type ConfigRole = 'pgie' | 'tracker' | 'mtmc';

export interface KeyLimit {
  min?: number;
  max?: number;
  integer?: boolean;
}

const FRACTION: KeyLimit = { min: 0, max: 1 };
const NON_NEGATIVE: KeyLimit = { min: 0 };
const COUNT: KeyLimit = { min: 0, integer: true };
const FLAG: KeyLimit = { min: 0, max: 1, integer: true };

function keys(limit: KeyLimit, ...names: string[]): Record<string, KeyLimit> {
  return Object.fromEntries(names.map((name) => [name, limit]));
}

const LIMITS: Record<ConfigRole, Record<string, KeyLimit>> = {
  pgie: {
    ...keys(
      NON_NEGATIVE,
      'pre-cluster-threshold',
      'threshold',
      'post-cluster-threshold',
      'eps',
      'dbscan-min-score',
    ),
    ...keys(
      COUNT,
      'group-threshold',
      'minBoxes',
      'topk',
      'detected-min-w',
      'detected-min-h',
      'detected-max-w',
      'detected-max-h',
    ),
    ...keys(COUNT, 'roi-top-offset', 'roi-bottom-offset', 'interval'),
    ...keys(FLAG, 'maintain-aspect-ratio', 'symmetric-padding'),
    'nms-iou-threshold': FRACTION,
    'cluster-mode': { min: 0, max: 4, integer: true },
    'num-detected-classes': { min: 1, integer: true },
  },
  tracker: {
    ...keys(
      FLAG,
      'preserveStreamUpdateOrder',
      'enableBboxUnClipping',
      'outputTerminatedTracks',
      'outputShadowTracks',
      'useUniqueID',
    ),
    ...keys(
      FLAG,
      'enableReAssoc',
      'checkClassMatch',
      'usePrediction4Assoc',
      'useAspectRatio',
      'useColorNames',
      'useHog',
      'useHighPrecisionFeature',
    ),
    ...keys(
      FRACTION,
      'minIouDiff4NewTarget',
      'minTrackerConfidence',
      'tentativeDetectorConfidence',
      'minMatchingScore4TentativeIou',
    ),
    ...keys(
      FRACTION,
      'minMatchingScore4Overall',
      'minMatchingScore4SizeSimilarity',
      'minMatchingScore4Iou',
      'minMatchingScore4VisualSimilarity',
    ),
    ...keys(
      FRACTION,
      'minMatchingScore4ReidSimilarity',
      'minTrackletMatchingScore',
      'minSpeedSimilarity4TrackletMatching',
    ),
    ...keys(
      FRACTION,
      'matchingScoreWeight4Iou',
      'matchingScoreWeight4SizeSimilarity',
      'matchingScoreWeight4VisualSimilarity',
    ),
    ...keys(
      FRACTION,
      'matchingScoreWeight4ReidSimilarity',
      'matchingScoreWeight4TrackletSimilarity',
      'minBboxSizeSimilarity4TrackletMatching',
    ),
    ...keys(FRACTION, 'filterLr', 'filterChannelWeightsLr'),
    ...keys(
      COUNT,
      'probationAge',
      'maxShadowTrackingAge',
      'earlyTerminationAge',
      'maxTrackletMatchingTimeSearchRange',
    ),
    ...keys(
      COUNT,
      'minTrajectoryLength4Projection',
      'prepLength4TrajectoryProjection',
      'trajectoryProjectionLength',
    ),
    ...keys(
      NON_NEGATIVE,
      'processNoiseVar4Loc',
      'processNoiseVar4Size',
      'processNoiseVar4Vel',
      'measurementNoiseVar4Detector',
    ),
    ...keys(NON_NEGATIVE, 'measurementNoiseVar4Tracker', 'gaussianSigma', 'trackletSpacialSearchRegionScale'),
    ...keys(
      NON_NEGATIVE,
      'trajectoryProjectionProcessNoiseScale',
      'trajectoryProjectionMeasurementNoiseScale',
    ),
    maxTargetsPerStream: { min: 0, max: 65535, integer: true },
    maxAngle4TrackletMatching: { min: 0, max: 180, integer: true },
    reidExtractionInterval: { min: -1, integer: true },
    associationMatcherType: { min: 0, max: 1, integer: true },
    stateEstimatorType: { min: 0, max: 3, integer: true },
    visualTrackerType: { min: 0, max: 2, integer: true },
    featureImgSizeLevel: { min: 1, max: 5, integer: true },
  },
  mtmc: {
    ...keys(
      FRACTION,
      'locationBboxBottomGapThresh',
      'locationConfidenceThresh',
      'embeddingBboxBottomGapThresh',
      'embeddingConfidenceThresh',
    ),
    ...keys(
      FRACTION,
      'embeddingVisibilityThresh',
      'behaviorConfidenceThresh',
      'spatioTemporalDistLambda',
      'meanEmbeddingsUpdateRate',
    ),
    ...keys(FRACTION, 'peopleHeightEstimationRatio', 'peopleHeightVisibilityThresh'),
    ...keys(
      NON_NEGATIVE,
      'locationBboxAreaThresh',
      'locationBboxAspectRatioThresh',
      'embeddingBboxAreaThresh',
      'embeddingBboxAspectRatioThresh',
    ),
    ...keys(
      NON_NEGATIVE,
      'behaviorBboxAreaThresh',
      'behaviorBboxAspectRatioThresh',
      'behaviorLengthThreshSec',
      'shortBehaviorFinishThreshMin',
    ),
    ...keys(
      NON_NEGATIVE,
      'agglomerativeClusteringDistThresh',
      'reassignmentDistLooseThresh',
      'reassignmentDistTightThresh',
    ),
    ...keys(COUNT, 'behaviorSplitThreshSec', 'numReassignmentIterations'),
    hdbscanMinClusterSize: { min: 2, integer: true },
    overwrittenNumClusters: { min: 1, integer: true },
  },
};

export function keyLimit(role: ConfigRole, key: string): KeyLimit | undefined {
  return LIMITS[role][key];
}

function describeLimit(limit: KeyLimit): string {
  const kind = limit.integer ? 'integers' : 'numbers';
  if (limit.min !== undefined && limit.max !== undefined) return `${kind} in [${limit.min}, ${limit.max}]`;
  if (limit.min !== undefined) return `${kind} >= ${limit.min}`;
  return limit.max !== undefined ? `${kind} <= ${limit.max}` : kind;
}

function outside(limit: KeyLimit, value: number): boolean {
  return (limit.min !== undefined && value < limit.min) || (limit.max !== undefined && value > limit.max);
}

/** Why `value` cannot be written into `key`, or undefined when it can (or the key is not known). */
export function valueProblem(role: ConfigRole, key: string, value: ParamValue): string | undefined {
  const limit = keyLimit(role, key);
  if (!limit) return undefined;
  // DeepStream's INI and YAML readers take booleans as 1/0, which is how the overlay writes them.
  const n = typeof value === 'boolean' ? Number(value) : value;
  const ok = typeof n === 'number' && !outside(limit, n) && (!limit.integer || Number.isInteger(n));
  return ok ? undefined : `${JSON.stringify(value)} is not accepted by ${key} (${describeLimit(limit)})`;
}

/** Why a search range does not fit `key`, or undefined when it does (or the key is not known). */
export function dimensionProblem(role: ConfigRole, key: string, dimension: Dimension): string | undefined {
  const limit = keyLimit(role, key);
  if (!limit) return undefined;
  if (dimension.kind === 'choice') {
    return dimension.choices
      .map((choice) => valueProblem(role, key, choice))
      .find((problem) => problem !== undefined);
  }
  if (limit.integer && dimension.kind === 'real') return `${key} takes integers; declare the range as int`;
  if (outside(limit, dimension.low) || outside(limit, dimension.high)) {
    return `${describeRange(dimension)} is outside what ${key} accepts (${describeLimit(limit)})`;
  }
  return undefined;
}
