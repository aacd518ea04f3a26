/**
 * Metropolis-style re-assignment of behaviors to clusters. Each iteration recomputes the clusters' mean
 * embeddings and ground trajectories; then, for every group of same-camera behaviors alive at the same
 * time (they must get distinct global ids), a Hungarian assignment on
 *   cost = λ · spatio-temporal distance + (1 − λ) · appearance distance
 * where appearance = (2 − 2 cos)/4 and the spatio-temporal term is the mean ground distance d (metres)
 * to the cluster's nearest other-camera location at the same frames, as min(1, d / 2 m). Without such
 * frames there is no spatio-temporal evidence and the cost is the appearance distance alone.
 * An assigned pair votes when it is the behavior's cheapest cluster and below the loose threshold;
 * each behavior takes its most voted cluster (and keeps its cluster without votes).
 */
import { linearSumAssignment } from '../../../eval/lsap.js';
import type { Behavior } from './behaviors.js';
import type { MtmcConfig } from './config.js';

/** Behaviors of one camera alive together: the maximal sets of overlapping intervals. */
export function coexistingGroups(behaviors: readonly Behavior[]): number[][] {
  const byCamera = new Map<number, number[]>();
  behaviors.forEach((b, i) => {
    const list = byCamera.get(b.camera);
    if (list) list.push(i);
    else byCamera.set(b.camera, [i]);
  });
  const groups: number[][] = [];
  for (const members of byCamera.values()) {
    // Sweep: starts before ends at the same frame; a set is maximal when an end follows a start.
    const events: [number, number, number][] = [];
    for (const i of members) {
      const b = behaviors[i]!;
      events.push([b.frames[0]!, 0, i], [b.frames[b.frames.length - 1]!, 1, i]);
    }
    events.sort((p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]);
    const alive = new Set<number>();
    let grew = false;
    for (const [, kind, i] of events) {
      if (kind === 0) {
        alive.add(i);
        grew = true;
      } else {
        if (grew) groups.push([...alive].sort((a, b) => a - b));
        grew = false;
        alive.delete(i);
      }
    }
  }
  return groups;
}

/** The largest number of behaviors any camera has alive at once. */
export function maxCoexisting(groups: readonly number[][]): number {
  return groups.reduce((m, g) => Math.max(m, g.length), 0);
}

/** Ground distance (metres) at which the spatio-temporal distance saturates at 1. */
const ST_SCALE = 2;
/** The spatio-temporal distance when no other camera saw the cluster at the behavior's frames. */
const ST_UNKNOWN = 0.5;

interface ClusterState {
  embedding: Float64Array[];
  norm: Float64Array;
  /** Per cluster: [Σx, Σy, n] of trusted ground locations at (frame, camera), frame-major. */
  ground: Float64Array[];
  cameras: number;
}

function clusterState(
  behaviors: readonly Behavior[],
  labels: Int32Array,
  clusters: number,
  cameras: number,
): ClusterState {
  const dim = behaviors[0]!.embedding.length;
  const embedding = Array.from({ length: clusters }, () => new Float64Array(dim));
  const frames = behaviors.reduce((m, b) => Math.max(m, b.frames[b.frames.length - 1]!), 0) + 1;
  const ground = Array.from({ length: clusters }, () => new Float64Array(frames * cameras * 3));
  behaviors.forEach((b, i) => {
    const c = labels[i]!;
    const e = embedding[c]!;
    for (let j = 0; j < dim; j++) e[j]! += b.embedding[j]!;
    for (let k = 0; k < b.rows.length; k++) {
      if (!b.located[k]) continue;
      const at = (b.frames[k]! * cameras + b.camera) * 3;
      const g = ground[c]!;
      g[at]! += b.x[k]!;
      g[at + 1]! += b.y[k]!;
      g[at + 2]!++;
    }
  });
  const norm = Float64Array.from(embedding, (e) => Math.sqrt(e.reduce((s, v) => s + v * v, 0)));
  return { embedding, norm, ground, cameras };
}

function appearanceDistance(b: Behavior, s: ClusterState, c: number): number {
  if (s.norm[c]! <= 0) return 1;
  let dot = 0;
  const e = s.embedding[c]!;
  for (let j = 0; j < e.length; j++) dot += b.embedding[j]! * e[j]!;
  return (2 - (2 * dot) / s.norm[c]!) / 4;
}

/**
 * How far the cluster is from the behavior on the floor: per frame, the distance to the nearest other
 * camera's location of the cluster (robust to a cluster member that switched to another person), averaged
 * over frames and mapped to min(1, d / 2 m); null when no other camera saw the cluster at those frames.
 */
function spatioTemporalDistance(b: Behavior, s: ClusterState, c: number, stride: number): number | null {
  const ground = s.ground[c]!;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < b.rows.length; k += stride) {
    if (!b.located[k]) continue;
    const base = b.frames[k]! * s.cameras * 3;
    let nearest = Infinity;
    for (let cam = 0; cam < s.cameras; cam++) {
      const at = base + 3 * cam;
      const n = ground[at + 2]!;
      if (cam === b.camera || n === 0) continue;
      nearest = Math.min(nearest, Math.hypot(b.x[k]! - ground[at]! / n, b.y[k]! - ground[at + 1]! / n));
    }
    if (nearest === Infinity) continue;
    sum += nearest;
    count++;
  }
  return count === 0 ? null : Math.min(1, sum / count / ST_SCALE);
}

export function reassign(
  behaviors: readonly Behavior[],
  initial: Int32Array,
  cameras: number,
  cfg: MtmcConfig,
  groups: readonly number[][],
  stride: number,
): Int32Array {
  let labels = initial.slice();
  const clusters = labels.reduce((m, v) => Math.max(m, v + 1), 0);
  const lambda = cfg.spatioTemporalLambda;
  for (let it = 0; it < cfg.reassignmentIterations; it++) {
    const state = clusterState(behaviors, labels, clusters, cameras);
    // A behavior's cost to each cluster is the same in every group it belongs to: computed once.
    const costs = behaviors.map((b) =>
      Float64Array.from({ length: clusters }, (_, c) => {
        const app = appearanceDistance(b, state, c);
        const st = lambda > 0 ? (spatioTemporalDistance(b, state, c, stride) ?? ST_UNKNOWN) : 0;
        return lambda * st + (1 - lambda) * app;
      }),
    );
    const votes = behaviors.map(() => new Map<number, number>());
    for (const group of groups) {
      const nr = group.length;
      const cost = new Float64Array(nr * clusters);
      group.forEach((i, r) => {
        cost.set(costs[i]!, r * clusters);
      });
      const { rows, cols } = linearSumAssignment(cost, nr, clusters, false);
      for (let k = 0; k < rows.length; k++) {
        // Only a behavior's own best cluster, and only below the loose threshold, counts.
        const row = costs[group[rows[k]!]!]!;
        const c = row[cols[k]!]!;
        if (c >= cfg.reassignmentLooseThresh || row.some((other) => other < c)) continue;
        const v = votes[group[rows[k]!]!]!;
        v.set(cols[k]!, (v.get(cols[k]!) ?? 0) + 1);
      }
    }
    const next = labels.slice();
    votes.forEach((v, i) => {
      let best = -1;
      let count = 0;
      for (const [c, n] of v) {
        if (n > count || (n === count && c < best)) {
          best = c;
          count = n;
        }
      }
      if (best >= 0) next[i] = best;
    });
    if (next.every((v, i) => v === labels[i])) break;
    labels = next;
  }
  return labels;
}
