/**
 * Clustering of behavior embeddings (Euclidean distance between unit vectors), the two algorithms
 * Metropolis offers: agglomerative clustering with Ward linkage (sklearn's merge heights) and HDBSCAN
 * (excess-of-mass selection; noise points become clusters of their own). Labels are 0..k-1.
 */

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    s += d * d;
  }
  return s;
}

function distanceMatrix(points: readonly Float64Array[], squared: boolean): Float64Array {
  const n = points.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = squaredDistance(points[i]!, points[j]!);
      d[i * n + j] = d[j * n + i] = squared ? s : Math.sqrt(s);
    }
  }
  return d;
}

export interface Merge {
  /** Representative points of the two merged clusters. */
  a: number;
  b: number;
  height: number;
}

/**
 * Ward merges by increasing height, found with the nearest-neighbour chain (Ward is reducible). The
 * height of merging clusters A and B is √(2·|A||B|/(|A|+|B|))·‖mean A − mean B‖, as sklearn reports it.
 */
export function wardMerges(points: readonly Float64Array[]): Merge[] {
  const n = points.length;
  const d = distanceMatrix(points, true);
  const size = new Float64Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const merges: Merge[] = [];
  const chain: number[] = [];
  for (let left = n; left > 1; ) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    const a = chain[chain.length - 1]!;
    const prev = chain.length >= 2 ? chain[chain.length - 2]! : -1;
    let b = prev;
    let best = prev >= 0 ? d[a * n + prev]! : Infinity;
    for (let k = 0; k < n; k++) {
      if (k === a || !active[k]) continue;
      if (d[a * n + k]! < best) {
        best = d[a * n + k]!;
        b = k;
      }
    }
    if (b !== prev) {
      chain.push(b);
      continue;
    }
    chain.length -= 2;
    merges.push({ a: Math.min(a, b), b: Math.max(a, b), height: Math.sqrt(best) });
    // Lance–Williams update for Ward on squared heights; the merged cluster lives at min(a, b).
    const keep = Math.min(a, b);
    const drop = Math.max(a, b);
    const na = size[a]!;
    const nb = size[b]!;
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === a || k === b) continue;
      const nk = size[k]!;
      const v = ((na + nk) * d[k * n + a]! + (nb + nk) * d[k * n + b]! - nk * best) / (na + nb + nk);
      d[k * n + keep] = d[keep * n + k] = v;
    }
    size[keep] = na + nb;
    active[drop] = 0;
    left--;
  }
  return merges.sort((p, q) => p.height - q.height);
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]!]!;
    x = parent[x]!;
  }
  return x;
}

/** Labels after applying the first `count` merges, numbered by first member. */
function labelsAfter(n: number, merges: readonly Merge[], count: number): Int32Array {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < count; k++) {
    const ra = find(parent, merges[k]!.a);
    const rb = find(parent, merges[k]!.b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  return relabel(Int32Array.from({ length: n }, (_, i) => find(parent, i)));
}

/** Labels renumbered 0..k-1 in order of first appearance. */
function relabel(raw: Int32Array): Int32Array {
  const map = new Map<number, number>();
  return raw.map((v) => {
    let l = map.get(v);
    if (l === undefined) {
      l = map.size;
      map.set(v, l);
    }
    return l;
  });
}

/**
 * Agglomerative Ward clustering into `clusters` groups when given, else into as many as the distance
 * threshold leaves (merges at or above it are not made), but never fewer than `minClusters`.
 */
export function agglomerative(
  points: readonly Float64Array[],
  distThresh: number,
  minClusters: number,
  clusters: number | null,
): Int32Array {
  const n = points.length;
  if (n === 0) return new Int32Array(0);
  const merges = wardMerges(points);
  let k = clusters ?? n - merges.filter((m) => m.height < distThresh).length;
  k = Math.min(n, Math.max(k, minClusters, 1));
  return labelsAfter(n, merges, n - k);
}

/** HDBSCAN with min_samples = min_cluster_size; every noise point gets a label of its own. */
export function hdbscan(points: readonly Float64Array[], minClusterSize: number): Int32Array {
  const n = points.length;
  if (n === 0) return new Int32Array(0);
  const d = distanceMatrix(points, false);
  // Core distance: to the min_samples-th nearest point, the point itself counting as the first.
  const core = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = Array.from(d.subarray(i * n, i * n + n)).sort((p, q) => p - q);
    core[i] = row[Math.min(minClusterSize - 1, n - 1)]!;
  }
  const reach = (i: number, j: number) => Math.max(core[i]!, core[j]!, d[i * n + j]!);

  // Minimum spanning tree of the mutual-reachability graph (Prim, dense).
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n).fill(-1);
  const edges: [number, number, number][] = [];
  let current = 0;
  inTree[0] = 1;
  for (let step = 1; step < n; step++) {
    let next = -1;
    for (let k = 0; k < n; k++) {
      if (inTree[k]) continue;
      const w = reach(current, k);
      if (w < best[k]!) {
        best[k] = w;
        from[k] = current;
      }
      if (next < 0 || best[k]! < best[next]!) next = k;
    }
    inTree[next] = 1;
    edges.push([from[next]!, next, best[next]!]);
    current = next;
  }
  edges.sort((p, q) => p[2] - q[2]);

  // Single-linkage tree: node n+k is the k-th merge.
  const parent = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const left = new Int32Array(n - 1);
  const right = new Int32Array(n - 1);
  const lambda = new Float64Array(n - 1);
  const size = new Int32Array(2 * n - 1).fill(1);
  edges.forEach(([a, b, w], k) => {
    const ra = find(parent, a);
    const rb = find(parent, b);
    left[k] = ra;
    right[k] = rb;
    lambda[k] = 1 / Math.max(w, 1e-12);
    size[n + k] = size[ra]! + size[rb]!;
    parent[ra] = parent[rb] = n + k;
  });

  // Condensed tree: clusters split only where both sides keep >= minClusterSize points.
  const clusterParent = [-1];
  const birth = [0];
  const fallCluster = new Int32Array(n);
  const fallLambda = new Float64Array(n);
  const fall = (node: number, cluster: number, at: number) => {
    const stack = [node];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v < n) {
        fallCluster[v] = cluster;
        fallLambda[v] = at;
      } else stack.push(left[v - n]!, right[v - n]!);
    }
  };
  const work: [number, number][] = n > 1 ? [[2 * n - 2, 0]] : [];
  if (n === 1) fallCluster[0] = 0;
  while (work.length > 0) {
    const [node, cluster] = work.pop()!;
    const k = node - n;
    const [l, r, at] = [left[k]!, right[k]!, lambda[k]!];
    const bigL = size[l]! >= minClusterSize;
    const bigR = size[r]! >= minClusterSize;
    if (bigL && bigR) {
      for (const child of [l, r]) {
        clusterParent.push(cluster);
        birth.push(at);
        work.push([child, clusterParent.length - 1]);
      }
    } else {
      for (const [child, big] of [
        [l, bigL],
        [r, bigR],
      ] as const) {
        if (big) work.push([child, cluster]);
        else fall(child, cluster, at);
      }
    }
  }
  const clusters = clusterParent.length;
  const stability = new Float64Array(clusters);
  // Points of each cluster's subtree: those falling out of it, plus its child clusters' (children
  // have larger numbers than their parents).
  const members = new Float64Array(clusters);
  for (let p = 0; p < n; p++) {
    stability[fallCluster[p]!]! += fallLambda[p]! - birth[fallCluster[p]!]!;
    members[fallCluster[p]!]!++;
  }
  for (let c = clusters - 1; c >= 1; c--) {
    const parent = clusterParent[c]!;
    members[parent]! += members[c]!;
    stability[parent]! += members[c]! * (birth[c]! - birth[parent]!);
  }

  // Excess of mass, bottom-up (children have larger numbers than parents); the root is never chosen.
  const selected = new Uint8Array(clusters);
  const subtree = new Float64Array(clusters);
  for (let c = clusters - 1; c >= 1; c--) {
    let children = 0;
    for (let k = c + 1; k < clusters; k++) if (clusterParent[k] === c) children += subtree[k]!;
    if (stability[c]! >= children) {
      selected[c] = 1;
      subtree[c] = stability[c]!;
    } else subtree[c] = children;
  }
  // Keep the topmost selected clusters; a point belongs to the one above where it fell out.
  const chosen = (c: number): number => {
    let found = -1;
    for (let v = c; v > 0; v = clusterParent[v]!) if (selected[v]) found = v;
    return found;
  };
  const raw = new Int32Array(n);
  let noise = clusters;
  for (let p = 0; p < n; p++) {
    const c = chosen(fallCluster[p]!);
    raw[p] = c >= 0 ? c : noise++;
  }
  return relabel(raw);
}
