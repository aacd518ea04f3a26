/**
 * Multi-camera tracking over single-camera tracks: behaviors → appearance clustering (agglomerative
 * or HDBSCAN) → spatio-temporal re-assignment → global ids with fused ground locations. Pure.
 */
import { type Behavior, buildBehaviors, type CameraTracks, cameraNumber } from './behaviors.js';
import type { Calibration } from './calibration.js';
import { agglomerative, hdbscan } from './clustering.js';
import type { MtmcConfig } from './config.js';
import { fuse, type MtmcRow } from './fuse.js';
import { coexistingGroups, maxCoexisting, reassign } from './reassign.js';

export type { CameraTracks } from './behaviors.js';

export interface MtmcResult {
  rows: MtmcRow[];
  behaviors: number;
  globalIds: number;
}

/** Ground samples per second used by the spatio-temporal distance (enough for walking people). */
const SAMPLES_PER_SECOND = 6;

export function cluster(
  behaviors: readonly Behavior[],
  cfg: MtmcConfig,
  groups: readonly number[][],
): Int32Array {
  const points = behaviors.map((b) => b.embedding);
  return cfg.algo === 'HDBSCAN'
    ? hdbscan(points, cfg.hdbscanMinClusterSize)
    : agglomerative(points, cfg.agglomerativeDistThresh, maxCoexisting(groups), cfg.overwrittenNumClusters);
}

export function runMtmc(
  cameras: readonly CameraTracks[],
  calibration: Calibration,
  cfg: MtmcConfig,
): MtmcResult {
  const numbers = cameras.map((c) => cameraNumber(c.info.name));
  const behaviors = buildBehaviors(cameras, calibration, cfg);
  if (behaviors.length === 0) return { rows: [], behaviors: 0, globalIds: 0 };
  const groups = coexistingGroups(behaviors);
  const fps = Math.min(...cameras.map((c) => c.info.fps ?? 30));
  const stride = Math.max(1, Math.round(fps / SAMPLES_PER_SECOND));
  const labels = reassign(behaviors, cluster(behaviors, cfg, groups), cameras.length, cfg, groups, stride);
  const rows = fuse(behaviors, labels, cameras, numbers);
  return { rows, behaviors: behaviors.length, globalIds: new Set(rows.map((r) => r.id)).size };
}
