/**
 * The tracker YAML (NvSORT/NvDCF-style sections). Keys a setting does not use are not required: the
 * ReID keys only when ReID.reidType asks for them, the noise keys only for the SIMPLE state estimator,
 * the tentative IoU gate only for the CASCADED matcher. Without a ReID section there is no ReID
 * (reidType 0); without a StateEstimator section there is no motion model (DUMMY), as in DeepStream's
 * IOU tracker. `ReID.reidExtractionInterval` (NvDCF's, default 0; -1 is not supported),
 * `ReID.reidFeatureSize4Matching` (pipetune's, default reidFeatureSize),
 * `TargetManagement.outputShadowTracks` (DeepStream's, default 0) and pipetune's own
 * `PostProcessing.interpolationMaxGap` and `TimeScale.referenceFrameRate` (default 0) are optional.
 */
import type { ConfigFile } from './configFile.js';
import type { NoiseConfig } from './kalman.js';

export interface ReassociationConfig {
  minReidSimilarity: number;
  /** Frames between the lost target's last match and the new target's first. */
  maxTimeSearchRange: number;
  /** Search radius around the lost target's last box, in its heights. */
  spatialSearchScale: number;
  minSizeSimilarity: number;
}

export interface TrackerConfig {
  minDetectorConfidence: number;
  maxTargetsPerStream: number;
  minIouDiff4NewTarget: number;
  probationAge: number;
  maxShadowTrackingAge: number;
  earlyTerminationAge: number;
  /** Report the shadow-tracked (predicted) frames of a target that is matched again. */
  outputShadowTracks: boolean;
  /** Track-gap interpolation after tracking: gaps of at most this many frames are filled (0: off). */
  interpolationMaxGap: number;
  /**
   * Frame rate the frame counts (maxShadowTrackingAge, interpolationMaxGap) are written for; a sequence
   * with another frameRate gets them scaled to the same duration. 0: used as written (DeepStream).
   */
  referenceFrameRate: number;
  /** 0 GREEDY, 1 CASCADED. */
  matcher: 0 | 1;
  usePrediction: boolean;
  minOverall: number;
  minSizeSimilarity: number;
  minIou: number;
  minReidSimilarity: number;
  weightIou: number;
  weightSize: number;
  weightReid: number;
  tentativeDetectorConfidence: number;
  minTentativeIou: number;
  /** null: DUMMY (no motion model, the last detection is the state). */
  kalman:
    | (NoiseConfig & { measurementNoiseVar4Detector: number; measurementNoiseVar4Tracker: number })
    | null;
  /** ReID in the association score (reidType 1 or 3). */
  reidInAssociation: boolean;
  /** Re-association of new targets with lost ones (reidType 2 or 3). */
  reassociation: ReassociationConfig | null;
  /** Embedding length of the dataset's .f32 files (null without a ReID section). */
  reidFeatureSize: number | null;
  reidHistorySize: number;
  /** The first N embedding values the tracker compares (fewer: cheaper and less discriminative). */
  reidFeatureSize4Matching: number;
  /** Embeddings are used on every (N + 1)-th frame only (0: every frame), as NvDCF extracts them. */
  reidExtractionInterval: number;
}

const UNIT = { min: 0, max: 1 };

export function readTrackerConfig(c: ConfigFile): TrackerConfig {
  const hasReid = c.has(['ReID']);
  const reidType = hasReid
    ? c.choice(['ReID', 'reidType'], [0, 1, 2, 3] as const, ['none', 'association', 're-association', 'both'])
    : 0;
  const reidInAssociation = reidType === 1 || reidType === 3;
  const matcher = c.choice(['DataAssociator', 'associationMatcherType'], [0, 1] as const, [
    'GREEDY',
    'CASCADED',
  ]);
  const estimator = c.has(['StateEstimator'])
    ? c.choice(['StateEstimator', 'stateEstimatorType'], [0, 1] as const, ['DUMMY', 'SIMPLE'])
    : 0;
  const reidFeatureSize = hasReid ? c.number(['ReID', 'reidFeatureSize'], { integer: true, min: 1 }) : null;
  const optionalReid = (key: string, range: { min: number; max?: number }, fallback: number) =>
    reidType > 0 && c.has(['ReID', key]) ? c.number(['ReID', key], { integer: true, ...range }) : fallback;
  return {
    minDetectorConfidence: c.number(['BaseConfig', 'minDetectorConfidence']),
    maxTargetsPerStream: c.number(['TargetManagement', 'maxTargetsPerStream'], { integer: true, min: 1 }),
    minIouDiff4NewTarget: c.number(['TargetManagement', 'minIouDiff4NewTarget'], UNIT),
    probationAge: c.number(['TargetManagement', 'probationAge'], { integer: true, min: 0 }),
    maxShadowTrackingAge: c.number(['TargetManagement', 'maxShadowTrackingAge'], { integer: true, min: 0 }),
    earlyTerminationAge: c.number(['TargetManagement', 'earlyTerminationAge'], { integer: true, min: 1 }),
    outputShadowTracks: c.has(['TargetManagement', 'outputShadowTracks'])
      ? c.flag(['TargetManagement', 'outputShadowTracks'])
      : false,
    interpolationMaxGap: c.has(['PostProcessing', 'interpolationMaxGap'])
      ? c.number(['PostProcessing', 'interpolationMaxGap'], { integer: true, min: 0 })
      : 0,
    referenceFrameRate: c.has(['TimeScale', 'referenceFrameRate'])
      ? c.number(['TimeScale', 'referenceFrameRate'], { min: 0 })
      : 0,
    matcher,
    usePrediction: c.flag(['DataAssociator', 'usePrediction4Assoc']),
    minOverall: c.number(['DataAssociator', 'minMatchingScore4Overall'], { min: 0 }),
    minSizeSimilarity: c.number(['DataAssociator', 'minMatchingScore4SizeSimilarity'], UNIT),
    minIou: c.number(['DataAssociator', 'minMatchingScore4Iou'], UNIT),
    minReidSimilarity: reidInAssociation
      ? c.number(['DataAssociator', 'minMatchingScore4ReidSimilarity'], UNIT)
      : 0,
    weightIou: c.number(['DataAssociator', 'matchingScoreWeight4Iou'], { min: 0 }),
    weightSize: c.number(['DataAssociator', 'matchingScoreWeight4SizeSimilarity'], { min: 0 }),
    weightReid: reidInAssociation
      ? c.number(['DataAssociator', 'matchingScoreWeight4ReidSimilarity'], { min: 0 })
      : 0,
    tentativeDetectorConfidence: c.number(['DataAssociator', 'tentativeDetectorConfidence'], UNIT),
    minTentativeIou: matcher === 1 ? c.number(['DataAssociator', 'minMatchingScore4TentativeIou'], UNIT) : 0,
    kalman:
      estimator === 1
        ? {
            processNoiseVar4Loc: c.number(['StateEstimator', 'processNoiseVar4Loc'], { min: 0 }),
            processNoiseVar4Size: c.number(['StateEstimator', 'processNoiseVar4Size'], { min: 0 }),
            processNoiseVar4Vel: c.number(['StateEstimator', 'processNoiseVar4Vel'], { min: 0 }),
            measurementNoiseVar4Detector: c.number(['StateEstimator', 'measurementNoiseVar4Detector'], {
              above: 0,
            }),
            measurementNoiseVar4Tracker: c.number(['StateEstimator', 'measurementNoiseVar4Tracker'], {
              above: 0,
            }),
          }
        : null,
    reidInAssociation,
    reassociation:
      reidType >= 2
        ? {
            minReidSimilarity: c.number(['TrajectoryManagement', 'minMatchingScore4ReidSimilarity'], UNIT),
            maxTimeSearchRange: c.number(['TrajectoryManagement', 'maxTrackletMatchingTimeSearchRange'], {
              integer: true,
              min: 0,
            }),
            spatialSearchScale: c.number(['TrajectoryManagement', 'trackletSpacialSearchRegionScale'], {
              min: 0,
            }),
            minSizeSimilarity: c.number(
              ['TrajectoryManagement', 'minBboxSizeSimilarity4TrackletMatching'],
              UNIT,
            ),
          }
        : null,
    reidFeatureSize,
    reidHistorySize: reidType > 0 ? c.number(['ReID', 'reidHistorySize'], { integer: true, min: 1 }) : 1,
    reidFeatureSize4Matching: optionalReid(
      'reidFeatureSize4Matching',
      { min: 1, max: reidFeatureSize ?? 1 },
      reidFeatureSize ?? 0,
    ),
    reidExtractionInterval: optionalReid('reidExtractionInterval', { min: 0 }, 0),
  };
}

/**
 * The config for a sequence at `fps` frames per second: with a reference frame rate, the frame counts
 * that stand for durations are scaled to the sequence's rate (as ByteTrack scales its track buffer).
 */
export function atFrameRate(cfg: TrackerConfig, fps: number | null): TrackerConfig {
  if (cfg.referenceFrameRate <= 0 || !fps) return cfg;
  const scale = (frames: number) => Math.round((frames * fps) / cfg.referenceFrameRate);
  return {
    ...cfg,
    maxShadowTrackingAge: scale(cfg.maxShadowTrackingAge),
    interpolationMaxGap: scale(cfg.interpolationMaxGap),
  };
}
