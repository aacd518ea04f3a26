/**
 * Multi-camera (MTMC) metrics over `camera id frame left top width height x y` rows, on the HOTA and
 * Identity cores of the single-camera evaluator:
 *  - ground-plane HOTA (AIC 2024): rows de-duplicated per (frame, id) keeping the first in file order,
 *    x/y rounded to 3 decimals, similarity max(0, 1 − d / 2 m), one sequence over the scene's frames;
 *  - multi-camera IDF1 (AIC 2020–22): camera timelines concatenated in camera order (each camera's
 *    frames offset by the lengths of the cameras before it), boxes matched at IoU >= 0.5 under one
 *    global id matching, so cross-camera id errors cost IDTP; per-camera IDF1 for diagnosis.
 * Predictions of cameras the ground truth does not have are ignored.
 */
import { computeHota } from './hota.js';
import { computeIdentity, type IdentityResult } from './identity.js';
import type { MtmcRows } from './mtmc-files.js';
import { mean } from './sums.js';
import type { SequenceData } from './types.js';

export { type MtmcRows, parseMtmcRows, readMtmcFile } from './mtmc-files.js';

/** Distance (metres) at which the ground-plane similarity reaches 0. */
export const ZERO_DISTANCE = 2;

export interface MtmcReport {
  /** HOTA-family summary (fractions): HOTA, DetA, AssA, LocA, … */
  groundPlane: Record<string, number>;
  multiCamera: IdentityResult;
  /** Empty unless asked for. */
  perCamera: ({ camera: number } & IdentityResult)[];
}

/** numpy's round(x, 3): x·1000 rounded half to even. */
function round3(x: number): number {
  const y = x * 1000;
  let r = Math.round(y);
  if (Math.abs(y % 1) === 0.5 && r % 2 !== 0) r -= 1;
  return r / 1000;
}

/** Row indices kept after dropping later repeats of the same (group, id, frame); `keep` filters rows. */
function firstOf(rows: MtmcRows, group: (r: number) => number, keep: (r: number) => boolean): number[] {
  const seen = new Map<number, Map<number, Set<number>>>();
  const out: number[] = [];
  for (let r = 0; r < rows.count; r++) {
    if (!keep(r)) continue;
    let byId = seen.get(group(r));
    if (!byId) {
      byId = new Map();
      seen.set(group(r), byId);
    }
    let frames = byId.get(rows.id[r]!);
    if (!frames) {
      frames = new Set();
      byId.set(rows.id[r]!, frames);
    }
    if (frames.has(rows.frame[r]!)) continue;
    frames.add(rows.frame[r]!);
    out.push(r);
  }
  return out;
}

/** Contiguous 0-based ids in sorted order of the original ids (TrackEval's relabelling). */
function idMap(rows: MtmcRows, kept: readonly number[]): Map<number, number> {
  const ids = [...new Set(kept.map((r) => rows.id[r]!))].sort((a, b) => a - b);
  return new Map(ids.map((id, k) => [id, k]));
}

/**
 * TrackEval's sequence data from rows placed on timesteps by `timestep`, with `similarity` between a
 * gt row and a tracker row. Only timesteps that hold rows are kept: an empty one adds nothing to HOTA
 * or Identity, and a frame number in the billions then costs no memory.
 */
function sequenceData(
  gt: MtmcRows,
  gtRows: readonly number[],
  pred: MtmcRows,
  predRows: readonly number[],
  timestep: (rows: MtmcRows, r: number) => number,
  similarity: (g: number, p: number) => number,
): SequenceData {
  const gtIdOf = idMap(gt, gtRows);
  const predIdOf = idMap(pred, predRows);
  const steps = [
    ...new Set([...gtRows.map((r) => timestep(gt, r)), ...predRows.map((r) => timestep(pred, r))]),
  ].sort((a, b) => a - b);
  const index = new Map(steps.map((step, i) => [step, i]));
  const numTimesteps = steps.length;
  const gtAt: number[][] = Array.from({ length: numTimesteps }, () => []);
  const predAt: number[][] = Array.from({ length: numTimesteps }, () => []);
  for (const r of gtRows) gtAt[index.get(timestep(gt, r))!]!.push(r);
  for (const r of predRows) predAt[index.get(timestep(pred, r))!]!.push(r);
  const data: SequenceData = {
    numTimesteps,
    numGtIds: gtIdOf.size,
    numTrackerIds: predIdOf.size,
    numGtDets: gtRows.length,
    numTrackerDets: predRows.length,
    gtIds: [],
    trackerIds: [],
    similarity: [],
  };
  for (let t = 0; t < numTimesteps; t++) {
    const g = gtAt[t]!;
    const p = predAt[t]!;
    data.gtIds.push(Int32Array.from(g, (r) => gtIdOf.get(gt.id[r]!)!));
    data.trackerIds.push(Int32Array.from(p, (r) => predIdOf.get(pred.id[r]!)!));
    const sim = new Float64Array(g.length * p.length);
    g.forEach((gr, i) => {
      p.forEach((pr, j) => {
        sim[i * p.length + j] = similarity(gr, pr);
      });
    });
    data.similarity.push(sim);
  }
  return data;
}

function maxFrame(rows: MtmcRows, kept: readonly number[]): number {
  return kept.reduce((m, r) => Math.max(m, rows.frame[r]!), -1);
}

export function groundPlaneData(gt: MtmcRows, pred: MtmcRows): SequenceData {
  const cameras = new Set(gt.camera);
  const gtRows = firstOf(
    gt,
    () => 0,
    () => true,
  );
  const predRows = firstOf(
    pred,
    () => 0,
    (r) => cameras.has(pred.camera[r]!),
  );
  const gx = gt.x.map(round3);
  const gy = gt.y.map(round3);
  const px = pred.x.map(round3);
  const py = pred.y.map(round3);
  return sequenceData(
    gt,
    gtRows,
    pred,
    predRows,
    (rows, r) => rows.frame[r]!,
    (g, p) => Math.max(0, 1 - Math.hypot(gx[g]! - px[p]!, gy[g]! - py[p]!) / ZERO_DISTANCE),
  );
}

function iou(a: MtmcRows, i: number, b: MtmcRows, j: number): number {
  const w = Math.min(a.left[i]! + a.width[i]!, b.left[j]! + b.width[j]!) - Math.max(a.left[i]!, b.left[j]!);
  const h = Math.min(a.top[i]! + a.height[i]!, b.top[j]! + b.height[j]!) - Math.max(a.top[i]!, b.top[j]!);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width[i]! * a.height[i]! + b.width[j]! * b.height[j]! - inter);
}

/** Camera timelines of `cameras` concatenated into one sequence (boxes, IoU similarity). */
export function concatenatedCameraData(
  gt: MtmcRows,
  pred: MtmcRows,
  cameras: readonly number[],
): SequenceData {
  const wanted = new Set(cameras);
  const gtRows = firstOf(
    gt,
    (r) => gt.camera[r]!,
    (r) => wanted.has(gt.camera[r]!),
  );
  const predRows = firstOf(
    pred,
    (r) => pred.camera[r]!,
    (r) => wanted.has(pred.camera[r]!),
  );
  const offset = new Map<number, number>();
  let total = 0;
  for (const c of [...cameras].sort((a, b) => a - b)) {
    offset.set(c, total);
    const inCamera = (rows: MtmcRows, list: readonly number[]) => list.filter((r) => rows.camera[r] === c);
    total += Math.max(maxFrame(gt, inCamera(gt, gtRows)), maxFrame(pred, inCamera(pred, predRows))) + 1;
  }
  return sequenceData(
    gt,
    gtRows,
    pred,
    predRows,
    (rows, r) => offset.get(rows.camera[r]!)! + rows.frame[r]!,
    (g, p) => iou(gt, g, pred, p),
  );
}

/** `perCamera` adds each camera's own IDF1 (for diagnosis; it doubles the Identity work). */
export function evaluateMtmc(gt: MtmcRows, pred: MtmcRows, { perCamera = false } = {}): MtmcReport {
  const cameras = [...new Set(gt.camera)].sort((a, b) => a - b);
  const hota = computeHota(groundPlaneData(gt, pred));
  const groundPlane: Record<string, number> = {};
  for (const k of ['HOTA', 'DetA', 'AssA', 'DetRe', 'DetPr', 'AssRe', 'AssPr', 'LocA'] as const)
    groundPlane[k] = mean(hota[k]);
  return {
    groundPlane,
    multiCamera: computeIdentity(concatenatedCameraData(gt, pred, cameras)),
    perCamera: perCamera
      ? cameras.map((camera) => ({ camera, ...computeIdentity(concatenatedCameraData(gt, pred, [camera])) }))
      : [],
  };
}
