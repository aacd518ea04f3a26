/**
 * HOTA (Luiten et al., IJCV 2020) exactly as TrackEval computes it (spec §6): a global alignment score
 * per id pair, then per frame one assignment maximising alignment × similarity that serves all 19
 * alpha thresholds. Pure: SequenceData in, fields out.
 */
import { type FrameSizes, frameSizes, maxPairs } from './frames.js';
import { EPS } from './iou.js';
import { matchedPairs, positivePairs } from './matching.js';
import { PairIndex } from './pairIndex.js';
import { pairwiseSum } from './sums.js';
import type { SequenceData } from './types.js';

/** `np.arange(0.05, 0.99, 0.05)`: 0.05 + 0.05·i, which is not (i+1)/20 (e.g. 0.15000000000000002). */
export const HOTA_ALPHAS: readonly number[] = Array.from({ length: 19 }, (_, i) => 0.05 + i * 0.05);
const N_ALPHA = HOTA_ALPHAS.length;
/** A matched pair counts for alpha i when similarity >= alpha_i - eps. */
const ALPHA_MIN = HOTA_ALPHAS.map((alpha) => alpha - EPS);

export interface HotaResult {
  HOTA: number[];
  DetA: number[];
  AssA: number[];
  DetRe: number[];
  DetPr: number[];
  AssRe: number[];
  AssPr: number[];
  LocA: number[];
  OWTA: number[];
  HOTA_TP: number[];
  HOTA_FN: number[];
  HOTA_FP: number[];
  'HOTA(0)': number;
  'LocA(0)': number;
  'HOTALocA(0)': number;
}

const zeros = (): number[] => new Array<number>(N_ALPHA).fill(0);

/** TrackEval's early return for an empty side: no derived fields, LocA 1. */
function emptyResult(fn: number, fp: number): HotaResult {
  return {
    HOTA: zeros(),
    DetA: zeros(),
    AssA: zeros(),
    DetRe: zeros(),
    DetPr: zeros(),
    AssRe: zeros(),
    AssPr: zeros(),
    LocA: new Array<number>(N_ALPHA).fill(1),
    OWTA: zeros(),
    HOTA_TP: zeros(),
    HOTA_FN: new Array<number>(N_ALPHA).fill(fn),
    HOTA_FP: new Array<number>(N_ALPHA).fill(fp),
    'HOTA(0)': 0,
    'LocA(0)': 1,
    'HOTALocA(0)': 0,
  };
}

/** DetRe, DetPr, DetA, HOTA, OWTA and the (0) fields from TP/FN/FP, AssA and LocA. */
function withFinalFields(res: HotaResult): HotaResult {
  for (let a = 0; a < N_ALPHA; a++) {
    const tp = res.HOTA_TP[a]!;
    res.DetRe[a] = tp / Math.max(1, tp + res.HOTA_FN[a]!);
    res.DetPr[a] = tp / Math.max(1, tp + res.HOTA_FP[a]!);
    res.DetA[a] = tp / Math.max(1, tp + res.HOTA_FN[a]! + res.HOTA_FP[a]!);
    res.HOTA[a] = Math.sqrt(res.DetA[a]! * res.AssA[a]!);
    res.OWTA[a] = Math.sqrt(res.DetRe[a]! * res.AssA[a]!);
  }
  res['HOTA(0)'] = res.HOTA[0]!;
  res['LocA(0)'] = res.LocA[0]!;
  res['HOTALocA(0)'] = res['HOTA(0)'] * res['LocA(0)'];
  return res;
}

interface GlobalAlignment {
  pairs: PairIndex;
  /** Pair slot of every similarity cell, frame after frame (-1 where the similarity is 0). */
  slotOf: Int32Array;
  /** Jaccard-style alignment of each pair slot over the whole sequence. */
  score: Float64Array;
  gtCount: Float64Array;
  trackerCount: Float64Array;
  /** Cells of the largest frame. */
  largestFrame: number;
}

/** Pass 1: sum S / (rowsum + colsum - S) per id pair over all frames, then normalise by id counts. */
function globalAlignment(data: SequenceData): GlobalAlignment {
  const pairs = new PairIndex(data.numGtIds, data.numTrackerIds);
  const gtCount = new Float64Array(data.numGtIds);
  const trackerCount = new Float64Array(data.numTrackerIds);
  const sizes = frameSizes(data);
  const slotOf = new Int32Array(sizes.cells);
  const potential = potentialMatches(data, sizes, pairs, slotOf, gtCount, trackerCount);
  return {
    pairs,
    slotOf,
    score: alignmentScores(potential, pairs, gtCount, trackerCount),
    gtCount,
    trackerCount,
    largestFrame: sizes.largest,
  };
}

/** Σ over frames of S / (rowsum + colsum - S) per pair slot; counts each id's frames on the way. */
function potentialMatches(
  data: SequenceData,
  sizes: FrameSizes,
  pairs: PairIndex,
  slotOf: Int32Array,
  gtCount: Float64Array,
  trackerCount: Float64Array,
): Float64Array {
  const potential = new Float64Array(maxPairs(data, sizes));
  const rowSum = new Float64Array(sizes.rows);
  const colSum = new Float64Array(sizes.columns);
  for (let t = 0, offset = 0; t < data.numTimesteps; offset += data.similarity[t++]!.length) {
    const gids = data.gtIds[t]!;
    const tids = data.trackerIds[t]!;
    const sim = data.similarity[t]!;
    const g = gids.length;
    const k = tids.length;
    for (let i = 0; i < g; i++) gtCount[gids[i]!]!++;
    for (let j = 0; j < k; j++) trackerCount[tids[j]!]!++;
    if (g === 0 || k === 0) continue;
    // numpy's order: rows are contiguous (pairwise sum); columns add row after row, unless k = 1.
    for (let i = 0; i < g; i++) rowSum[i] = pairwiseSum(sim, i * k, k, 1);
    if (k === 1) colSum[0] = pairwiseSum(sim, 0, g, 1);
    else {
      for (let j = 0; j < k; j++) colSum[j] = sim[j]!;
      for (let i = 1; i < g; i++) for (let j = 0; j < k; j++) colSum[j] = colSum[j]! + sim[i * k + j]!;
    }
    for (let i = 0, s = 0; i < g; i++) {
      for (let j = 0; j < k; j++, s++) {
        const value = sim[s]!;
        if (!(value > 0)) {
          slotOf[offset + s] = -1; // adds S/D = 0
          continue;
        }
        const slot = pairs.add(gids[i]!, tids[j]!);
        slotOf[offset + s] = slot;
        const denominator = colSum[j]! + rowSum[i]! - value;
        if (denominator > EPS) potential[slot] = potential[slot]! + value / denominator;
      }
    }
  }
  return potential;
}

/** A = PM / (gtCount + trackerCount - PM) per pair. */
function alignmentScores(
  potential: Float64Array,
  pairs: PairIndex,
  gtCount: Float64Array,
  trackerCount: Float64Array,
): Float64Array {
  const score = new Float64Array(pairs.size);
  for (let slot = 0; slot < pairs.size; slot++) {
    const pm = potential[slot]!;
    score[slot] = pm / (gtCount[pairs.gt[slot]!]! + trackerCount[pairs.tracker[slot]!]! - pm);
  }
  return score;
}

/** Per-alpha totals of pass 2, and the matches of each pair slot per alpha. */
interface AlphaCounts {
  tp: Float64Array;
  fn: Float64Array;
  fp: Float64Array;
  locSum: Float64Array;
  matchCount: Float64Array;
}

/** Pass 2: one assignment per frame maximising alignment × similarity; its pairs count for every alpha they pass. */
function matchFrames(
  data: SequenceData,
  { pairs, slotOf, score: alignment, largestFrame }: GlobalAlignment,
): AlphaCounts {
  const counts = {
    tp: new Float64Array(N_ALPHA),
    fn: new Float64Array(N_ALPHA),
    fp: new Float64Array(N_ALPHA),
    locSum: new Float64Array(N_ALPHA),
    matchCount: new Float64Array(pairs.size * N_ALPHA),
  };
  const { tp, fn, fp, locSum, matchCount } = counts;
  const frameTp = new Float64Array(N_ALPHA);
  const frameLoc = new Float64Array(N_ALPHA);
  const scores = new Float64Array(largestFrame);
  for (let t = 0, offset = 0; t < data.numTimesteps; offset += data.similarity[t++]!.length) {
    const g = data.gtIds[t]!.length;
    const k = data.trackerIds[t]!.length;
    const sim = data.similarity[t]!;
    if (g === 0 || k === 0) {
      for (let a = 0; a < N_ALPHA; a++) {
        fp[a]! += k;
        fn[a]! += g;
      }
      continue;
    }
    for (let s = 0; s < g * k; s++) {
      const value = sim[s]!;
      scores[s] = value > 0 ? alignment[slotOf[offset + s]!]! * value : 0;
    }
    // positivePairs drops pairs with score <= eps, which TrackEval keeps; harmless: such a pair has
    // S < 0.05 - eps, since S >= 0.05 gives alignment >= 0.05 / ((g + k)(frames of both ids)) ≫ eps / S.
    const count = positivePairs(scores, g, k);
    const { rows, cols } = matchedPairs;
    frameTp.fill(0);
    frameLoc.fill(0);
    for (let p = 0; p < count; p++) {
      const value = sim[rows[p]! * k + cols[p]!]!;
      let passed = 0;
      while (passed < N_ALPHA && value >= ALPHA_MIN[passed]!) passed++;
      if (passed === 0) continue;
      const base = slotOf[offset + rows[p]! * k + cols[p]!]! * N_ALPHA;
      for (let a = 0; a < passed; a++) {
        frameTp[a]!++;
        frameLoc[a]! += value;
        matchCount[base + a]!++;
      }
    }
    for (let a = 0; a < N_ALPHA; a++) {
      tp[a]! += frameTp[a]!;
      fn[a]! += g - frameTp[a]!;
      fp[a]! += k - frameTp[a]!;
      locSum[a]! += frameLoc[a]!;
    }
  }
  return counts;
}

/** AssA, AssRe and AssPr per alpha: Σ over pairs of matches × (matches / denominator), over TP. */
function associationScores(
  res: HotaResult,
  { matchCount, tp }: AlphaCounts,
  { pairs, gtCount, trackerCount }: GlobalAlignment,
): void {
  for (let a = 0; a < N_ALPHA; a++) {
    let assA = 0;
    let assRe = 0;
    let assPr = 0;
    for (let slot = 0; slot < pairs.size; slot++) {
      const matches = matchCount[slot * N_ALPHA + a]!;
      if (matches === 0) continue;
      const gc = gtCount[pairs.gt[slot]!]!;
      const tc = trackerCount[pairs.tracker[slot]!]!;
      assA += matches * (matches / Math.max(1, gc + tc - matches));
      assRe += matches * (matches / Math.max(1, gc));
      assPr += matches * (matches / Math.max(1, tc));
    }
    const denominator = Math.max(1, tp[a]!);
    res.AssA[a] = assA / denominator;
    res.AssRe[a] = assRe / denominator;
    res.AssPr[a] = assPr / denominator;
  }
}

export function computeHota(data: SequenceData): HotaResult {
  if (data.numTrackerDets === 0) return emptyResult(data.numGtDets, 0);
  if (data.numGtDets === 0) return emptyResult(0, data.numTrackerDets);
  const alignment = globalAlignment(data);
  const counts = matchFrames(data, alignment);
  const res = emptyResult(0, 0);
  res.HOTA_TP = Array.from(counts.tp);
  res.HOTA_FN = Array.from(counts.fn);
  res.HOTA_FP = Array.from(counts.fp);
  res.LocA = Array.from(counts.locSum, (sum, a) => Math.max(1e-10, sum) / Math.max(1e-10, counts.tp[a]!));
  associationScores(res, counts, alignment);
  return withFinalFields(res);
}

/** COMBINED_SEQ: summed counts, association scores weighted by HOTA_TP, LocA likewise. */
export function combineHota(results: readonly HotaResult[]): HotaResult {
  const res = emptyResult(0, 0);
  for (let a = 0; a < N_ALPHA; a++) {
    let tp = 0;
    let fn = 0;
    let fp = 0;
    let assA = 0;
    let assRe = 0;
    let assPr = 0;
    let loc = 0;
    for (const r of results) {
      const w = r.HOTA_TP[a]!;
      tp += w;
      fn += r.HOTA_FN[a]!;
      fp += r.HOTA_FP[a]!;
      assA += r.AssA[a]! * w;
      assRe += r.AssRe[a]! * w;
      assPr += r.AssPr[a]! * w;
      loc += r.LocA[a]! * w;
    }
    res.HOTA_TP[a] = tp;
    res.HOTA_FN[a] = fn;
    res.HOTA_FP[a] = fp;
    res.AssA[a] = assA / Math.max(1, tp);
    res.AssRe[a] = assRe / Math.max(1, tp);
    res.AssPr[a] = assPr / Math.max(1, tp);
    res.LocA[a] = Math.max(1e-10, loc) / Math.max(1e-10, tp);
  }
  return withFinalFields(res);
}
