/**
 * nvinfer-style detector post-processing, frame by frame, of raw proposals and of detection files alike:
 * the pre-cluster confidence filter, clustering (DBSCAN, NMS, DBSCAN then NMS, or none), the
 * post-cluster confidence filter, the box-size limits and top-k. Keys nvinfer leaves optional
 * (post-cluster-threshold, detected-max-w/h) default to nvinfer's 0 = off.
 */
import type { ConfigFile, Range } from './configFile.js';
import { type Detections, DetectionsBuilder, iou } from './detections.js';

export type ClusterMode = 1 | 2 | 3 | 4;

export interface PgieConfig {
  clusterMode: ClusterMode;
  preClusterThreshold: number;
  /** DBSCAN (modes 1, 3): neighbours are boxes with 1 − IoU <= eps. */
  eps: number;
  /** DBSCAN: a core box has at least this many neighbours (itself included)… */
  minBoxes: number;
  /** …whose confidences sum to at least this. */
  dbscanMinScore: number;
  /** NMS (modes 2, 3): a box is dropped when it overlaps a kept, more confident box by more IoU. */
  nmsIouThreshold: number;
  /** Keep at most this many boxes per frame, most confident first (-1: all). */
  topk: number;
  /** Boxes below this confidence after clustering are dropped (modes 1–3; 0: off). */
  postClusterThreshold: number;
  detectedMinW: number;
  detectedMinH: number;
  /** Upper size limits in pixels; 0: no limit. */
  detectedMaxW: number;
  detectedMaxH: number;
}

const ALL = 'class-attrs-all';

export function readPgieConfig(config: ConfigFile): PgieConfig {
  const clusterMode = config.choice(['property', 'cluster-mode'], [1, 2, 3, 4] as const, [
    'DBSCAN',
    'NMS',
    'DBSCAN+NMS',
    'none',
  ]);
  const dbscan = clusterMode === 1 || clusterMode === 3;
  const nms = clusterMode === 2 || clusterMode === 3;
  const optional = (location: string[], range: Range) =>
    config.has(location) ? config.number(location, range) : 0;
  return {
    clusterMode,
    preClusterThreshold: config.number([ALL, 'pre-cluster-threshold'], { min: 0 }),
    eps: dbscan ? config.number([ALL, 'eps'], { min: 0, max: 1 }) : 0,
    minBoxes: dbscan ? config.number([ALL, 'minBoxes'], { integer: true, min: 1 }) : 1,
    dbscanMinScore: dbscan ? config.number([ALL, 'dbscan-min-score'], { min: 0 }) : 0,
    nmsIouThreshold: nms ? config.number([ALL, 'nms-iou-threshold'], { min: 0, max: 1 }) : 1,
    topk: config.number([ALL, 'topk'], { integer: true, min: -1 }),
    postClusterThreshold: clusterMode === 4 ? 0 : optional([ALL, 'post-cluster-threshold'], { min: 0 }),
    detectedMinW: config.number([ALL, 'detected-min-w'], { integer: true, min: 0 }),
    detectedMinH: config.number([ALL, 'detected-min-h'], { integer: true, min: 0 }),
    detectedMaxW: optional([ALL, 'detected-max-w'], { integer: true, min: 0 }),
    detectedMaxH: optional([ALL, 'detected-max-h'], { integer: true, min: 0 }),
  };
}

/** Per-frame scratch buffers, grown on demand (a frame rarely has more than a few dozen proposals). */
class Scratch {
  rows = new Int32Array(64);
  kept = new Int32Array(64);
  near = new Uint8Array(64 * 64);
  core = new Uint8Array(64);
  label = new Int32Array(64);
  stack = new Int32Array(64);

  reserve(n: number): void {
    if (n <= this.rows.length) return;
    const m = 2 * n;
    this.rows = new Int32Array(m);
    this.kept = new Int32Array(m);
    this.near = new Uint8Array(m * m);
    this.core = new Uint8Array(m);
    this.label = new Int32Array(m);
    this.stack = new Int32Array(m);
  }
}

function overlap(d: Detections, i: number, j: number): number {
  return iou(
    d.left[i]!,
    d.top[i]!,
    d.width[i]!,
    d.height[i]!,
    d.left[j]!,
    d.top[j]!,
    d.width[j]!,
    d.height[j]!,
  );
}

/**
 * DBSCAN over the `n` candidates in `s.rows`: labels each with its cluster (0..) or -1 for noise, and
 * returns the number of clusters. Neighbours: 1 − IoU <= eps (a box is its own neighbour); a core box
 * has at least minBoxes neighbours whose confidences sum to at least dbscan-min-score.
 */
function dbscan(d: Detections, s: Scratch, n: number, cfg: PgieConfig): number {
  const { rows, near, core, label, stack } = s;
  for (let a = 0; a < n; a++) {
    near[a * n + a] = 1;
    for (let b = a + 1; b < n; b++)
      near[a * n + b] = near[b * n + a] = 1 - overlap(d, rows[a]!, rows[b]!) <= cfg.eps ? 1 : 0;
  }
  for (let a = 0; a < n; a++) {
    let count = 0;
    let score = 0;
    for (let b = 0; b < n; b++) {
      if (!near[a * n + b]) continue;
      count++;
      score += d.confidence[rows[b]!]!;
    }
    core[a] = count >= cfg.minBoxes && score >= cfg.dbscanMinScore ? 1 : 0;
    label[a] = -1;
  }
  let clusters = 0;
  for (let a = 0; a < n; a++) {
    if (!core[a] || label[a] !== -1) continue;
    let top = 0;
    stack[top++] = a;
    label[a] = clusters;
    while (top > 0) {
      const p = stack[--top]!;
      if (!core[p]) continue;
      for (let q = 0; q < n; q++) {
        if (!near[p * n + q] || label[q] !== -1) continue;
        label[q] = clusters;
        stack[top++] = q;
      }
    }
    clusters++;
  }
  return clusters;
}

/** Greedy NMS over `s.rows[0..n)` (already by decreasing confidence); the survivors go to `s.kept`. */
function nms(d: Detections, s: Scratch, n: number, threshold: number): number {
  let kept = 0;
  for (let a = 0; a < n; a++) {
    const i = s.rows[a]!;
    let keep = true;
    for (let k = 0; k < kept; k++) {
      if (overlap(d, i, s.kept[k]!) > threshold) {
        keep = false;
        break;
      }
    }
    if (keep) s.kept[kept++] = i;
  }
  return kept;
}

/** DBSCAN's output box: the confidence-weighted mean of its members, with the best member's confidence and embedding. */
function mergedBoxes(
  d: Detections,
  s: Scratch,
  n: number,
  clusters: number,
): { box: [number, number, number, number]; confidence: number; embedding: number }[] {
  const out = [];
  for (let c = 0; c < clusters; c++) {
    let wsum = 0;
    let l = 0;
    let t = 0;
    let r = 0;
    let b = 0;
    let best = -1;
    for (let a = 0; a < n; a++) {
      if (s.label[a] !== c) continue;
      const i = s.rows[a]!;
      const w = d.confidence[i]!;
      wsum += w;
      l += w * d.left[i]!;
      t += w * d.top[i]!;
      r += w * (d.left[i]! + d.width[i]!);
      b += w * (d.top[i]! + d.height[i]!);
      if (best < 0) best = i; // rows are by decreasing confidence: the first member is the best
    }
    const box: [number, number, number, number] =
      wsum > 0
        ? [l / wsum, t / wsum, (r - l) / wsum, (b - t) / wsum]
        : [d.left[best]!, d.top[best]!, d.width[best]!, d.height[best]!];
    out.push({ box, confidence: d.confidence[best]!, embedding: d.embedding[best]! });
  }
  return out;
}

export function postprocess(raw: Detections, cfg: PgieConfig): Detections {
  const out = new DetectionsBuilder(raw.frames, raw.count);
  const s = new Scratch();
  const limit = cfg.topk < 0 ? Infinity : cfg.topk;
  const fits = (w: number, h: number, confidence: number) =>
    w >= cfg.detectedMinW &&
    h >= cfg.detectedMinH &&
    (cfg.detectedMaxW === 0 || w <= cfg.detectedMaxW) &&
    (cfg.detectedMaxH === 0 || h <= cfg.detectedMaxH) &&
    confidence >= cfg.postClusterThreshold;
  for (let f = 1; f <= raw.frames; f++) {
    out.beginFrame(f);
    const from = raw.frameStart[f]!;
    const to = raw.frameStart[f + 1]!;
    s.reserve(to - from);
    // Candidates above the pre-cluster threshold, by decreasing confidence (insertion sort; ties in file order).
    let n = 0;
    for (let i = from; i < to; i++) {
      const c = raw.confidence[i]!;
      if (c < cfg.preClusterThreshold) continue;
      let k = n++;
      while (k > 0 && raw.confidence[s.rows[k - 1]!]! < c) {
        s.rows[k] = s.rows[k - 1]!;
        k--;
      }
      s.rows[k] = i;
    }
    if (n === 0) continue;
    if (cfg.clusterMode === 1) {
      const boxes = mergedBoxes(raw, s, n, dbscan(raw, s, n, cfg)).sort(
        (a, b) => b.confidence - a.confidence,
      );
      let added = 0;
      for (const { box, confidence, embedding } of boxes) {
        if (added >= limit) break;
        if (!fits(box[2], box[3], confidence)) continue;
        out.add(box[0], box[1], box[2], box[3], confidence, embedding);
        added++;
      }
      continue;
    }
    if (cfg.clusterMode === 3) {
      // DBSCAN drops the unsupported candidates; NMS then picks among the rest.
      dbscan(raw, s, n, cfg);
      let m = 0;
      for (let a = 0; a < n; a++) if (s.label[a] !== -1) s.rows[m++] = s.rows[a]!;
      n = m;
    }
    let kept = n;
    let list = s.rows;
    if (cfg.clusterMode !== 4) {
      kept = nms(raw, s, n, cfg.nmsIouThreshold);
      list = s.kept;
    }
    let added = 0;
    for (let k = 0; k < kept && added < limit; k++) {
      const i = list[k]!;
      if (!fits(raw.width[i]!, raw.height[i]!, raw.confidence[i]!)) continue;
      out.add(
        raw.left[i]!,
        raw.top[i]!,
        raw.width[i]!,
        raw.height[i]!,
        raw.confidence[i]!,
        raw.embedding[i]!,
      );
      added++;
    }
  }
  return out.finish();
}
