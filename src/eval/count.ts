/** TrackEval's Count: detections and ids on each side (and frames, per sequence only). */
import type { SequenceData } from './types.js';

export interface CountResult {
  Dets: number;
  GT_Dets: number;
  IDs: number;
  GT_IDs: number;
  /** Per sequence only; TrackEval does not combine it. */
  Frames?: number;
}

export function computeCount(data: SequenceData): CountResult {
  return {
    Dets: data.numTrackerDets,
    GT_Dets: data.numGtDets,
    IDs: data.numTrackerIds,
    GT_IDs: data.numGtIds,
    Frames: data.numTimesteps,
  };
}

export function combineCount(results: readonly CountResult[]): CountResult {
  const sum = (key: 'Dets' | 'GT_Dets' | 'IDs' | 'GT_IDs') => results.reduce((total, r) => total + r[key], 0);
  return { Dets: sum('Dets'), GT_Dets: sum('GT_Dets'), IDs: sum('IDs'), GT_IDs: sum('GT_IDs') };
}
