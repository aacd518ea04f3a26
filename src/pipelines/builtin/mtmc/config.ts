/** The MTMC JSON (Metropolis `config_mtmc_app.json` key names, `preprocessing` and `clustering`). */
import type { ConfigFile } from '../configFile.js';

/** When one observation's box is trusted for a ground location or an embedding. */
export interface ObservationFilter {
  /** Confidence >= this. */
  confidence: number;
  /** Width / height < this (an upright person). */
  aspectRatio: number;
  /** Box area > this × frame area. */
  area: number;
  /** Box bottom <= (1 − this) × frame height: feet not cut off by the image border. */
  bottomGap: number;
}

export type ClusteringAlgo = 'AgglomerativeClustering' | 'HDBSCAN';

export interface MtmcConfig {
  location: ObservationFilter;
  embedding: ObservationFilter;
  /** A behavior is dropped when its mean confidence is below this… */
  behaviorConfidence: number;
  /** …or its mean box area is <= this × frame area… */
  behaviorArea: number;
  /** …or its mean width / height is >= this… */
  behaviorAspectRatio: number;
  /** …or it lasts less than this many seconds. */
  behaviorLengthSec: number;
  /** A single-camera track is split into behaviors at gaps longer than this (seconds). */
  splitSec: number;
  algo: ClusteringAlgo;
  /** Fixed number of clusters (agglomerative), or null to derive it from the distance threshold. */
  overwrittenNumClusters: number | null;
  /** Ward linkage distance at or above which clusters are not merged. */
  agglomerativeDistThresh: number;
  hdbscanMinClusterSize: number;
  reassignmentIterations: number;
  /** Re-assignment accepts a behavior → cluster pair only below this cost. */
  reassignmentLooseThresh: number;
  /** Weight of the spatio-temporal distance against the appearance distance. */
  spatioTemporalLambda: number;
}

const P = 'preprocessing';
const C = 'clustering';
const UNIT = { min: 0, max: 1 };

function filter(c: ConfigFile, prefix: 'location' | 'embedding'): ObservationFilter {
  return {
    confidence: c.number([P, `${prefix}ConfidenceThresh`], UNIT),
    aspectRatio: c.number([P, `${prefix}BboxAspectRatioThresh`], { above: 0 }),
    area: c.number([P, `${prefix}BboxAreaThresh`], UNIT),
    bottomGap: c.number([P, `${prefix}BboxBottomGapThresh`], UNIT),
  };
}

export function readMtmcConfig(c: ConfigFile): MtmcConfig {
  const algo = c.choice([C, 'clusteringAlgo'], ['AgglomerativeClustering', 'HDBSCAN'] as const);
  return {
    location: filter(c, 'location'),
    embedding: filter(c, 'embedding'),
    behaviorConfidence: c.number([P, 'behaviorConfidenceThresh'], UNIT),
    behaviorArea: c.number([P, 'behaviorBboxAreaThresh'], UNIT),
    behaviorAspectRatio: c.number([P, 'behaviorBboxAspectRatioThresh'], { above: 0 }),
    behaviorLengthSec: c.number([P, 'behaviorLengthThreshSec'], { min: 0 }),
    splitSec: c.number([P, 'behaviorSplitThreshSec'], { above: 0 }),
    algo,
    overwrittenNumClusters:
      algo === 'AgglomerativeClustering'
        ? c.optionalNumber([C, 'overwrittenNumClusters'], { integer: true, min: 1 })
        : null,
    agglomerativeDistThresh:
      algo === 'AgglomerativeClustering'
        ? c.number([C, 'agglomerativeClusteringDistThresh'], { above: 0 })
        : 0,
    hdbscanMinClusterSize:
      algo === 'HDBSCAN' ? c.number([C, 'hdbscanMinClusterSize'], { integer: true, min: 2 }) : 2,
    reassignmentIterations: c.number([C, 'numReassignmentIterations'], { integer: true, min: 0 }),
    reassignmentLooseThresh: c.number([C, 'reassignmentDistLooseThresh'], { min: 0 }),
    spatioTemporalLambda: c.number([C, 'spatioTemporalDistLambda'], UNIT),
  };
}
