/**
 * TrackEval's MotChallenge2DBox preprocessing: from the rows of a gt file and a tracker file to the
 * per-sequence data the metrics read (spec §3).
 * Per frame, when it has both gt and tracker rows (not for MOT15): gt classes must be 1..13; tracker
 * boxes matched (IoU >= 0.5, one assignment over all gt rows) to a distractor are deleted. Then only gt
 * rows with a non-zero flag and class 1 (MOT15: a non-zero flag) are evaluated. Ids are relabelled
 * 0..n-1 in ascending order of the original ids.
 *
 * Each hot loop sits in a small function of its own, and gt and tracker rows reach them as objects of one
 * shape: V8 then optimises each loop once instead of recompiling large functions after every new case.
 */
import { inputError } from '../errors.js';
import { type Corners, cornersOf, EPS, iouRow } from './iou.js';
import { matchedPairs, positivePairs } from './matching.js';
import type { GroundTruthRows, TrackerRows } from './motFiles.js';
import type { SequenceData } from './types.js';

export const BENCHMARKS = ['MOT17', 'MOT16', 'MOT20', 'MOT15'] as const;
export type Benchmark = (typeof BENCHMARKS)[number];

const PEDESTRIAN = 1;
const MAX_CLASS = 13;
/** person_on_vehicle, static_person, distractor, reflection; MOT20 adds non_mot_vehicle. */
const DISTRACTORS: Record<Benchmark, readonly number[]> = {
  MOT17: [2, 7, 8, 12],
  MOT16: [2, 7, 8, 12],
  MOT20: [2, 6, 7, 8, 12],
  MOT15: [],
};

/**
 * The columns both files share. Ground-truth and tracker rows are copied into this one object shape so
 * the per-frame loops below stay monomorphic in V8 (they run over every row of every sequence).
 */
interface Rows {
  file: string;
  count: number;
  line: Int32Array;
  fields: Uint16Array;
  frame: Int32Array;
  id: Float64Array;
  left: Float64Array;
  top: Float64Array;
  width: Float64Array;
  height: Float64Array;
}

const rowsOf = ({
  file,
  count,
  line,
  fields,
  frame,
  id,
  left,
  top,
  width,
  height,
}: GroundTruthRows | TrackerRows): Rows => ({
  file,
  count,
  line,
  fields,
  frame,
  id,
  left,
  top,
  width,
  height,
});

/** A file's rows in frame order (file order kept inside a frame). */
interface FrameOrder {
  /** Position p holds row order[p]. */
  order: Int32Array;
  /** Positions of timestep t (frame t+1) are start[t]..start[t+1]-1. */
  start: Int32Array;
  /** Rank of each position's id among the file's distinct ids. */
  idIndex: Int32Array;
  distinctIds: number;
  boxes: Corners;
}

/** Counting sort of the rows by frame (1..numTimesteps), stable; `start` must be zeroed, of numTimesteps + 1. */
function frameSort(frame: Int32Array, start: Int32Array): Int32Array {
  const numTimesteps = start.length - 1;
  for (let r = 0; r < frame.length; r++) start[frame[r]!]!++;
  for (let t = 0; t < numTimesteps; t++) start[t + 1]! += start[t]!;
  const next = start.slice(0, numTimesteps);
  const order = new Int32Array(frame.length);
  for (let r = 0; r < frame.length; r++) order[next[frame[r]! - 1]!++] = r;
  return order;
}

/** Ranks of ids (integers >= 0) through a table indexed by id: linear time when ids are not huge. */
function tableRanks(id: Float64Array, max: number, rank: Int32Array): number {
  const seen = new Uint8Array(max + 1);
  for (let r = 0; r < id.length; r++) seen[id[r]!] = 1;
  const rankOf = new Int32Array(max + 1);
  let distinct = 0;
  for (let v = 0; v <= max; v++) if (seen[v]) rankOf[v] = distinct++;
  for (let r = 0; r < id.length; r++) rank[r] = rankOf[id[r]!]!;
  return distinct;
}

/** Ranks of ids by sorting, for ids too large for a table. */
function sortedRanks(id: Float64Array, rank: Int32Array): number {
  const sorted = id.slice().sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i]!;
  for (let r = 0; r < id.length; r++) {
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < id[r]!) lo = mid + 1;
      else hi = mid;
    }
    rank[r] = lo;
  }
  return distinct;
}

function maxOf(values: Float64Array): number {
  let max = 0;
  for (let r = 0; r < values.length; r++) if (values[r]! > max) max = values[r]!;
  return max;
}

function permute(values: Int32Array, order: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let p = 0; p < order.length; p++) out[p] = values[order[p]!]!;
  return out;
}

/**
 * Frame orders already computed, by the rows' frame array: identical ground-truth files share their
 * parsed arrays (GroundTruthCache), so MOT17's three detector variants of a sequence sort its gt once.
 */
const ordered = new WeakMap<Int32Array, { rows: Rows; numTimesteps: number; frames: FrameOrder }>();

function orderOf(rows: Rows, numTimesteps: number): FrameOrder {
  const known = ordered.get(rows.frame);
  const same =
    known?.numTimesteps === numTimesteps &&
    (['id', 'left', 'top', 'width', 'height', 'fields'] as const).every(
      (key) => known.rows[key] === rows[key],
    );
  if (known && same) return known.frames;
  const frames = computeOrder(rows, numTimesteps);
  ordered.set(rows.frame, { rows, numTimesteps, frames });
  return frames;
}

function computeOrder(rows: Rows, numTimesteps: number): FrameOrder {
  const start = new Int32Array(numTimesteps + 1);
  const order = frameSort(rows.frame, start);
  // Each row's rank among the file's distinct ids.
  const max = maxOf(rows.id);
  const rank = new Int32Array(rows.count);
  const distinctIds =
    max < 4 * rows.count + 4096 ? tableRanks(rows.id, max, rank) : sortedRanks(rows.id, rank);
  const frames = { order, start, idIndex: permute(rank, order), distinctIds, boxes: cornersOf(rows, order) };
  checkFrames(rows, frames);
  return frames;
}

/** TrackEval rejects an id twice in one frame, and rows of one frame with different column counts. */
function checkFrames(rows: Rows, { order, start, idIndex, distinctIds }: FrameOrder): void {
  const { fields } = rows;
  const seenIn = new Int32Array(distinctIds).fill(-1);
  const seenAt = new Int32Array(distinctIds);
  for (let t = 0; t + 1 < start.length; t++) {
    const first = order[start[t]!]!;
    for (let p = start[t]!; p < start[t + 1]!; p++) {
      const r = order[p]!;
      const u = idIndex[p]!;
      if (seenIn[u] === t) {
        throw inputError(
          rows.file,
          rows.line[r]!,
          `id ${rows.id[r]} appears twice in frame ${t + 1} (also on line ${rows.line[order[seenAt[u]!]!]})`,
        );
      }
      seenIn[u] = t;
      seenAt[u] = p;
      if (fields[r] !== fields[first]) {
        throw inputError(
          rows.file,
          rows.line[r]!,
          `${fields[r]} columns, but line ${rows.line[first]} of the same frame has ${fields[first]}`,
        );
      }
    }
  }
}

/** Replace id ranks by 0..n-1 over the ids that survived preprocessing, keeping their order. */
function relabel(ids: Int32Array, distinct: number): number {
  const label = new Int32Array(distinct);
  markUsed(ids, label);
  const n = numberUsed(label);
  applyLabels(ids, label);
  return n;
}

// One loop per function: V8 optimises a hot loop on its own, and code after it would lack type feedback.
function markUsed(ids: Int32Array, label: Int32Array): void {
  for (let i = 0; i < ids.length; i++) label[ids[i]!] = 1;
}

/** Used ranks get 0..n-1 in order (others -1); returns n. */
function numberUsed(label: Int32Array): number {
  let n = 0;
  for (let u = 0; u < label.length; u++) label[u] = label[u] ? n++ : -1;
  return n;
}

function applyLabels(ids: Int32Array, label: Int32Array): void {
  for (let i = 0; i < ids.length; i++) ids[i] = label[ids[i]!]!;
}

/**
 * Fill `keep` with the positions of the evaluated gt rows and `keptBefore[t+1]` with how many there are
 * in frames up to t; returns the total.
 */
function evaluatedGt(
  gt: GroundTruthRows,
  frames: FrameOrder,
  preprocess: boolean,
  keep: Int32Array,
  keptBefore: Int32Array,
): number {
  const { flag, cls } = gt;
  const { order, start } = frames;
  let kept = 0;
  for (let t = 0; t + 1 < start.length; t++) {
    for (let p = start[t]!; p < start[t + 1]!; p++) {
      const r = order[p]!;
      if (flag[r] !== 0 && (!preprocess || cls[r] === PEDESTRIAN)) keep[kept++] = p;
    }
    keptBefore[t + 1] = kept;
  }
  return kept;
}

/**
 * Scratch space for every frame, sized once for the largest (its fields never change afterwards, which
 * keeps V8 from deoptimising the code that reads them).
 */
class Scratch {
  readonly iou: Float64Array;
  readonly removed: Uint8Array;
  constructor(gtFrames: FrameOrder, trFrames: FrameOrder) {
    let cells = 0;
    let columns = 0;
    for (let t = 0; t + 1 < gtFrames.start.length; t++) {
      const k = trFrames.start[t + 1]! - trFrames.start[t]!;
      cells = Math.max(cells, (gtFrames.start[t + 1]! - gtFrames.start[t]!) * k);
      columns = Math.max(columns, k);
    }
    this.iou = new Float64Array(Math.max(cells, columns));
    this.removed = new Uint8Array(columns);
  }
}

export function prepareSequence(
  gt: GroundTruthRows,
  tracker: TrackerRows,
  numTimesteps: number,
  benchmark: Benchmark,
): SequenceData {
  const gtFrames = orderOf(rowsOf(gt), numTimesteps);
  const trFrames = orderOf(rowsOf(tracker), numTimesteps);
  const preprocess = benchmark !== 'MOT15';
  const keptBefore = new Int32Array(numTimesteps + 1);
  const keep = new Int32Array(gt.count);
  const kept = evaluatedGt(gt, gtFrames, preprocess, keep, keptBefore);
  // One buffer per output, sliced into frames: a few large allocations instead of three per frame.
  let cells = 0;
  for (let t = 0; t < numTimesteps; t++)
    cells += (keptBefore[t + 1]! - keptBefore[t]!) * (trFrames.start[t + 1]! - trFrames.start[t]!);
  const pools = {
    gtIds: new Int32Array(kept),
    trackerIds: new Int32Array(tracker.count),
    similarity: new Float64Array(cells),
  };
  const data: SequenceData = {
    numTimesteps,
    numGtIds: 0,
    numTrackerIds: 0,
    numGtDets: kept,
    numTrackerDets: 0,
    gtIds: [],
    trackerIds: [],
    similarity: [],
  };
  data.numTrackerDets = buildFrames(
    gt,
    gtFrames,
    trFrames,
    keep,
    keptBefore,
    preprocess ? DISTRACTORS[benchmark] : undefined,
    pools,
    data,
  );
  data.numGtIds = relabel(pools.gtIds, gtFrames.distinctIds);
  data.numTrackerIds = relabel(pools.trackerIds.subarray(0, data.numTrackerDets), trFrames.distinctIds);
  return data;
}

/** Fill `data`'s per-frame ids and similarities (slices of `pools`); returns the tracker boxes kept. */
function buildFrames(
  gt: GroundTruthRows,
  gtFrames: FrameOrder,
  trFrames: FrameOrder,
  keep: Int32Array,
  keptBefore: Int32Array,
  distractors: readonly number[] | undefined,
  pools: { gtIds: Int32Array; trackerIds: Int32Array; similarity: Float64Array },
  data: SequenceData,
): number {
  const scratch = new Scratch(gtFrames, trFrames);
  let trackerDets = 0;
  let cell = 0;
  for (let t = 0; t < data.numTimesteps; t++) {
    const gFrom = gtFrames.start[t]!;
    const gTo = gtFrames.start[t + 1]!;
    const kFrom = trFrames.start[t]!;
    const kTo = trFrames.start[t + 1]!;
    const k = kTo - kFrom;
    const first = keptBefore[t]!;
    const g = keptBefore[t + 1]! - first;
    const removed =
      distractors && gTo > gFrom && k > 0
        ? removeDistractorMatches(gt, gtFrames, gFrom, gTo, trFrames.boxes, kFrom, kTo, distractors, scratch)
        : 0;
    const kk = k - removed;

    const ids = pools.gtIds.subarray(first, first + g);
    for (let i = 0; i < g; i++) ids[i] = gtFrames.idIndex[keep[first + i]!]!;
    const tids = pools.trackerIds.subarray(trackerDets, trackerDets + kk);
    const sim = pools.similarity.subarray(cell, cell + g * kk);
    if (removed === 0) {
      tids.set(trFrames.idIndex.subarray(kFrom, kTo));
      for (let i = 0; i < g; i++)
        iouRow(gtFrames.boxes, keep[first + i]!, trFrames.boxes, kFrom, kTo, sim, i * kk);
    } else {
      keptColumns(gtFrames.boxes, trFrames, keep.subarray(first, first + g), kFrom, kTo, scratch, tids, sim);
    }
    data.gtIds.push(ids);
    data.trackerIds.push(tids);
    data.similarity.push(sim);
    trackerDets += kk;
    cell += g * kk;
  }
  return trackerDets;
}

/** Ids and IoUs of a frame whose tracker boxes `scratch.removed` marks were deleted. */
function keptColumns(
  gtBoxes: Corners,
  trFrames: FrameOrder,
  rows: Int32Array,
  kFrom: number,
  kTo: number,
  scratch: Scratch,
  tids: Int32Array,
  sim: Float64Array,
): void {
  const k = kTo - kFrom;
  for (let b = 0, j = 0; b < k; b++) if (!scratch.removed[b]) tids[j++] = trFrames.idIndex[kFrom + b]!;
  for (let i = 0, s = 0; i < rows.length; i++) {
    iouRow(gtBoxes, rows[i]!, trFrames.boxes, kFrom, kTo, scratch.iou, 0);
    for (let b = 0; b < k; b++) if (!scratch.removed[b]) sim[s++] = scratch.iou[b]!;
  }
}

/**
 * Mark in `scratch.removed` the tracker boxes of this frame matched to a distractor gt, and return how
 * many. Also rejects gt classes outside 1..13, as TrackEval does in frames with tracker boxes. The
 * assignment (over all gt rows, IoU zeroed below 0.5 - eps) only runs when some distractor row has an
 * IoU >= 0.5 - eps: otherwise it cannot remove anything.
 */
function removeDistractorMatches(
  gt: GroundTruthRows,
  frames: FrameOrder,
  gFrom: number,
  gTo: number,
  trBoxes: Corners,
  kFrom: number,
  kTo: number,
  distractors: readonly number[],
  scratch: Scratch,
): number {
  const { cls } = gt;
  const k = kTo - kFrom;
  let needed = false;
  for (let p = gFrom; p < gTo; p++) {
    const c = cls[frames.order[p]!]!;
    if (c < PEDESTRIAN || c > MAX_CLASS) {
      const r = frames.order[p]!;
      throw inputError(
        gt.file,
        gt.line[r]!,
        `class ${c} is not a MOTChallenge class (1..13); TrackEval rejects it in a frame that has tracker boxes`,
      );
    }
    if (needed || !distractors.includes(c)) continue;
    iouRow(frames.boxes, p, trBoxes, kFrom, kTo, scratch.iou, 0);
    for (let b = 0; b < k; b++) if (scratch.iou[b]! >= 0.5 - EPS) needed = true;
  }
  return needed
    ? distractorAssignment(cls, frames, gFrom, gTo, trBoxes, kFrom, kTo, distractors, scratch)
    : 0;
}

/** The assignment over all gt rows of the frame; marks tracker boxes matched to a distractor. */
function distractorAssignment(
  cls: Float64Array,
  frames: FrameOrder,
  gFrom: number,
  gTo: number,
  trBoxes: Corners,
  kFrom: number,
  kTo: number,
  distractors: readonly number[],
  scratch: Scratch,
): number {
  const g = gTo - gFrom;
  const k = kTo - kFrom;
  const scores = scratch.iou; // the first g×k entries
  for (let a = 0; a < g; a++) iouRow(frames.boxes, gFrom + a, trBoxes, kFrom, kTo, scores, a * k);
  for (let s = 0; s < g * k; s++) if (scores[s]! < 0.5 - EPS) scores[s] = 0;
  const count = positivePairs(scores, g, k);
  const { rows, cols } = matchedPairs;
  scratch.removed.fill(0, 0, k);
  let removed = 0;
  for (let m = 0; m < count; m++) {
    const b = cols[m]!;
    if (distractors.includes(cls[frames.order[gFrom + rows[m]!]!]!) && !scratch.removed[b]) {
      scratch.removed[b] = 1;
      removed++;
    }
  }
  return removed;
}
