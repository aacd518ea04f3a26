/**
 * Identity metrics (IDF1, IDR, IDP; Ristani et al. 2016) as TrackEval computes them (spec §8).
 * TrackEval solves a dense (G+K)² assignment over fn+fp costs; its optimum is ΣgtDets + ΣtrackerDets
 * − 2·max Σ C[g,t] over one-to-one id matchings, where C counts the frames with similarity >= threshold.
 * Every optimum has the same IDTP = max Σ C, so a maximum-weight matching on the sparse C > 0 graph,
 * solved per connected component, gives identical integers.
 */
import { frameSizes, maxPairs } from './frames.js';
import { linearSumAssignment } from './lsap.js';
import { PairIndex } from './pairIndex.js';
import type { SequenceData } from './types.js';

export interface IdentityResult {
  IDF1: number;
  IDR: number;
  IDP: number;
  IDTP: number;
  IDFN: number;
  IDFP: number;
}

function finalFields(idtp: number, idfn: number, idfp: number): IdentityResult {
  return {
    IDF1: idtp / Math.max(1, idtp + 0.5 * idfp + 0.5 * idfn),
    IDR: idtp / Math.max(1, idtp + idfn),
    IDP: idtp / Math.max(1, idtp + idfp),
    IDTP: idtp,
    IDFN: idfn,
    IDFP: idfp,
  };
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]!]!;
    x = parent[x]!;
  }
  return x;
}

/** Maximum Σ weight over one-to-one matchings of the edges (gt[e], tracker[e]) with weight[e] > 0. */
export function maxWeightMatching(
  numGt: number,
  numTracker: number,
  gt: Int32Array,
  tracker: Int32Array,
  weight: Float64Array,
  edges: number,
): number {
  // Components of the bipartite graph: nodes 0..numGt-1 are gt ids, numGt.. are tracker ids.
  const parent = new Int32Array(numGt + numTracker).map((_, i) => i);
  for (let e = 0; e < edges; e++) {
    const a = find(parent, gt[e]!);
    const b = find(parent, numGt + tracker[e]!);
    if (a !== b) parent[a] = b;
  }
  const byComponent = new Map<number, number[]>();
  for (let e = 0; e < edges; e++) {
    const root = find(parent, gt[e]!);
    const list = byComponent.get(root);
    if (list) list.push(e);
    else byComponent.set(root, [e]);
  }
  let total = 0;
  for (const list of byComponent.values()) {
    if (list.length === 1) {
      total += weight[list[0]!]!;
      continue;
    }
    const rowOf = new Map<number, number>();
    const colOf = new Map<number, number>();
    for (const e of list) {
      if (!rowOf.has(gt[e]!)) rowOf.set(gt[e]!, rowOf.size);
      if (!colOf.has(tracker[e]!)) colOf.set(tracker[e]!, colOf.size);
    }
    const nr = rowOf.size;
    const nc = colOf.size;
    const matrix = new Float64Array(nr * nc);
    for (const e of list) matrix[rowOf.get(gt[e]!)! * nc + colOf.get(tracker[e]!)!] = weight[e]!;
    const { rows, cols } = linearSumAssignment(matrix, nr, nc, true);
    for (let p = 0; p < rows.length; p++) total += matrix[rows[p]! * nc + cols[p]!]!;
  }
  return total;
}

/** C[g, t]: the frames in which gt id g and tracker id t have similarity >= threshold (no eps). */
function matchCounts(data: SequenceData, threshold: number, pairs: PairIndex): Float64Array {
  const counts = new Float64Array(maxPairs(data, frameSizes(data)));
  for (let t = 0; t < data.numTimesteps; t++) {
    const gids = data.gtIds[t]!;
    const tids = data.trackerIds[t]!;
    const sim = data.similarity[t]!;
    const k = tids.length;
    for (let i = 0, s = 0; i < gids.length; i++) {
      for (let j = 0; j < k; j++, s++) {
        if (!(sim[s]! >= threshold)) continue;
        counts[pairs.add(gids[i]!, tids[j]!)]!++;
      }
    }
  }
  return counts;
}

export function computeIdentity(data: SequenceData, threshold = 0.5): IdentityResult {
  if (data.numTrackerDets === 0) return { IDF1: 0, IDR: 0, IDP: 0, IDTP: 0, IDFN: data.numGtDets, IDFP: 0 };
  if (data.numGtDets === 0) return { IDF1: 0, IDR: 0, IDP: 0, IDTP: 0, IDFN: 0, IDFP: data.numTrackerDets };
  const pairs = new PairIndex(data.numGtIds, data.numTrackerIds);
  const counts = matchCounts(data, threshold, pairs);
  const idtp = maxWeightMatching(
    data.numGtIds,
    data.numTrackerIds,
    pairs.gt,
    pairs.tracker,
    counts,
    pairs.size,
  );
  return finalFields(idtp, data.numGtDets - idtp, data.numTrackerDets - idtp);
}

/** COMBINED_SEQ: sum IDTP, IDFN, IDFP, then recompute the ratios. */
export function combineIdentity(results: readonly IdentityResult[]): IdentityResult {
  let idtp = 0;
  let idfn = 0;
  let idfp = 0;
  for (const r of results) {
    idtp += r.IDTP;
    idfn += r.IDFN;
    idfp += r.IDFP;
  }
  return finalFields(idtp, idfn, idfp);
}
