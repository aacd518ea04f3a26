/**
 * CLEAR MOT metrics (MOTA, MOTP, MT/PT/ML, Frag, …) exactly as TrackEval computes them (spec §7).
 * Per frame one assignment maximises 1000·[continues the previous frame's match] + similarity over
 * pairs with similarity >= threshold - eps. Pure: SequenceData in, fields out.
 */
import { frameSizes } from './frames.js';
import { EPS } from './iou.js';
import { matchedPairs, positivePairs } from './matching.js';
import type { SequenceData } from './types.js';

export interface ClearResult {
  MOTA: number;
  MOTP: number;
  MODA: number;
  CLR_Re: number;
  CLR_Pr: number;
  MTR: number;
  PTR: number;
  MLR: number;
  sMOTA: number;
  CLR_F1: number;
  FP_per_frame: number;
  MOTAL: number;
  MOTP_sum: number;
  CLR_TP: number;
  CLR_FN: number;
  CLR_FP: number;
  IDSW: number;
  MT: number;
  PT: number;
  ML: number;
  Frag: number;
  CLR_Frames: number;
}

type ClearCounts = Pick<
  ClearResult,
  'CLR_TP' | 'CLR_FN' | 'CLR_FP' | 'IDSW' | 'MT' | 'PT' | 'ML' | 'Frag' | 'CLR_Frames' | 'MOTP_sum'
>;

const SUMMED: readonly (keyof ClearCounts)[] = [
  'CLR_TP',
  'CLR_FN',
  'CLR_FP',
  'IDSW',
  'MT',
  'PT',
  'ML',
  'Frag',
  'CLR_Frames',
  'MOTP_sum',
];

function zeroResult(): ClearResult {
  const res = {} as ClearResult;
  for (const key of CLEAR_FIELDS) res[key] = 0;
  return res;
}

/** Field order of TrackEval's CLEAR (floats, then integers). */
export const CLEAR_FIELDS: readonly (keyof ClearResult)[] = [
  'MOTA',
  'MOTP',
  'MODA',
  'CLR_Re',
  'CLR_Pr',
  'MTR',
  'PTR',
  'MLR',
  'sMOTA',
  'CLR_F1',
  'FP_per_frame',
  'MOTAL',
  'MOTP_sum',
  'CLR_TP',
  'CLR_FN',
  'CLR_FP',
  'IDSW',
  'MT',
  'PT',
  'ML',
  'Frag',
  'CLR_Frames',
];

function finalFields(c: ClearCounts): ClearResult {
  const ids = Math.max(1, c.MT + c.ML + c.PT);
  const gtDets = Math.max(1, c.CLR_TP + c.CLR_FN);
  const logIdsw = c.IDSW > 0 ? Math.log10(c.IDSW) : c.IDSW;
  return {
    MOTA: (c.CLR_TP - c.CLR_FP - c.IDSW) / gtDets,
    MOTP: c.MOTP_sum / Math.max(1, c.CLR_TP),
    MODA: (c.CLR_TP - c.CLR_FP) / gtDets,
    CLR_Re: c.CLR_TP / gtDets,
    CLR_Pr: c.CLR_TP / Math.max(1, c.CLR_TP + c.CLR_FP),
    MTR: c.MT / ids,
    PTR: c.PT / ids,
    MLR: c.ML / ids,
    sMOTA: (c.MOTP_sum - c.CLR_FP - c.IDSW) / gtDets,
    CLR_F1: c.CLR_TP / Math.max(1, c.CLR_TP + 0.5 * c.CLR_FN + 0.5 * c.CLR_FP),
    FP_per_frame: c.CLR_FP / Math.max(1, c.CLR_Frames),
    MOTAL: (c.CLR_TP - c.CLR_FP - logIdsw) / gtDets,
    ...c,
  };
}

const [TP, FN, FP, IDSW, MOTP_SUM] = [0, 1, 2, 3, 4] as const;

/** Frame-by-frame totals and, per gt id, frames present, frames matched and track (re)starts. */
interface FrameTotals {
  /** TP, FN, FP, IDSW and MOTP_sum at the indices below (an array, so every value stays a double). */
  sums: Float64Array;
  present: Float64Array;
  matched: Float64Array;
  starts: Float64Array;
}

function matchFrames(data: SequenceData, threshold: number): FrameTotals {
  const nGt = data.numGtIds;
  const totals = {
    sums: new Float64Array(5),
    present: new Float64Array(nGt),
    matched: new Float64Array(nGt),
    starts: new Float64Array(nGt),
  };
  const { sums, present, matched, starts } = totals;
  const lastTracker = new Int32Array(nGt).fill(-1); // last matched tracker id at any time (IDSW)
  const stepTracker = new Int32Array(nGt); // tracker id matched in the previous processed frame …
  const stepStamp = new Int32Array(nGt).fill(-1); // … valid when stamped with that frame's number
  let processed = 0; // number of the current frame among those with both gt and tracker rows (1-based)
  const scores = new Float64Array(frameSizes(data).largest);
  const minSimilarity = threshold - EPS;
  for (let t = 0; t < data.numTimesteps; t++) {
    const gids = data.gtIds[t]!;
    const tids = data.trackerIds[t]!;
    const g = gids.length;
    const k = tids.length;
    // Frames without gt or without tracker rows leave the continuation state untouched.
    if (g === 0) {
      sums[FP]! += k;
      continue;
    }
    if (k === 0) {
      sums[FN]! += g;
      for (let i = 0; i < g; i++) present[gids[i]!]!++;
      continue;
    }
    const sim = data.similarity[t]!;
    processed++;
    for (let i = 0, s = 0; i < g; i++) {
      const gid = gids[i]!;
      const continuing = stepStamp[gid] === processed - 1 ? stepTracker[gid]! : -1;
      for (let j = 0; j < k; j++, s++) {
        const value = sim[s]!;
        scores[s] = value < minSimilarity ? 0 : tids[j] === continuing ? 1000 + value : value;
      }
    }
    const count = positivePairs(scores, g, k);
    const { rows, cols } = matchedPairs;
    for (let i = 0; i < g; i++) present[gids[i]!]!++;
    let frameSimilarity = 0;
    for (let p = 0; p < count; p++) {
      const gid = gids[rows[p]!]!;
      const tid = tids[cols[p]!]!;
      if (lastTracker[gid] !== -1 && lastTracker[gid] !== tid) sums[IDSW]!++;
      if (stepStamp[gid] !== processed - 1) starts[gid]!++;
      matched[gid]!++;
      lastTracker[gid] = tid;
      stepTracker[gid] = tid;
      stepStamp[gid] = processed;
      frameSimilarity += sim[rows[p]! * k + cols[p]!]!;
    }
    sums[TP]! += count;
    sums[FN]! += g - count;
    sums[FP]! += k - count;
    sums[MOTP_SUM]! += frameSimilarity;
  }
  return totals;
}

/** MT (tracked > 80% of its frames), PT (>= 20%), ML and Frag (restarts after the first start). */
function trackStats({ present, matched, starts }: FrameTotals): {
  mt: number;
  pt: number;
  ml: number;
  frag: number;
} {
  let mt = 0;
  let pt = 0;
  let frag = 0;
  for (let gid = 0; gid < present.length; gid++) {
    if (present[gid]! > 0) {
      const ratio = matched[gid]! / present[gid]!;
      if (ratio > 0.8) mt++;
      else if (ratio >= 0.2) pt++;
    }
    if (starts[gid]! > 0) frag += starts[gid]! - 1;
  }
  return { mt, pt, ml: present.length - mt - pt, frag };
}

export function computeClear(data: SequenceData, threshold = 0.5): ClearResult {
  // TrackEval's early returns skip the derived fields: MOTA stays 0 and MLR is 1.
  if (data.numTrackerDets === 0)
    return { ...zeroResult(), CLR_FN: data.numGtDets, ML: data.numGtIds, MLR: 1 };
  if (data.numGtDets === 0) return { ...zeroResult(), CLR_FP: data.numTrackerDets, MLR: 1 };
  const totals = matchFrames(data, threshold);
  const { mt, pt, ml, frag } = trackStats(totals);
  return finalFields({
    CLR_TP: totals.sums[TP]!,
    CLR_FN: totals.sums[FN]!,
    CLR_FP: totals.sums[FP]!,
    IDSW: totals.sums[IDSW]!,
    MT: mt,
    PT: pt,
    ML: ml,
    Frag: frag,
    CLR_Frames: data.numTimesteps,
    MOTP_sum: totals.sums[MOTP_SUM]!,
  });
}

/** COMBINED_SEQ: sum the counts (and MOTP_sum), then recompute the ratios. */
export function combineClear(results: readonly ClearResult[]): ClearResult {
  const sums = {} as ClearCounts;
  for (const key of SUMMED) sums[key] = results.reduce((total, r) => total + r[key], 0);
  return finalFields(sums);
}
