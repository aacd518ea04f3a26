/**
 * The single-camera multi-object tracker (NvSORT-like, with optional ReID), frame by frame:
 *  1. predict every target (Kalman filter, or the last box without a motion model);
 *  2. associate: CASCADED matches confident detections to all targets on the weighted score (IoU, size
 *     similarity, ReID), then low-confidence ("tentative") detections to the rest on IoU alone; GREEDY
 *     takes all detections in one pass, best score first. Assignments use the project's LSAP solver;
 *  3. lifecycle: a new target is on probation until matched `probationAge` more times, dies on probation
 *     after `earlyTerminationAge` misses, and once active survives `maxShadowTrackingAge` misses;
 *  4. births from unmatched confident detections that do not overlap a target by more than
 *     `minIouDiff4NewTarget`; on activation, optional ReID re-association gives a new target the id of
 *     a recently lost one.
 * Active targets are reported on the frames they are matched, including their probation frames once
 * they are confirmed (as DeepStream's past-frame data does). With `outputShadowTracks`, the frames a
 * target was shadow-tracked (missed, kept alive on its prediction) are reported too, once it is matched
 * again; a target that dies in shadow keeps them unreported. Pure: detections in, tracks out.
 */
import { linearSumAssignment } from '../../eval/lsap.js';
import { type Embeddings, Gallery } from './appearance.js';
import { type Detections, iou } from './detections.js';
import { BoxFilter } from './kalman.js';
import type { TrackerConfig } from './trackerConfig.js';

/** Tracker output of one sequence, sorted by frame then id. */
export interface Tracks {
  count: number;
  frame: Int32Array;
  id: Int32Array;
  left: Float64Array;
  top: Float64Array;
  width: Float64Array;
  height: Float64Array;
  confidence: Float64Array;
  /** Embedding row of the matched detection, or -1. */
  embedding: Int32Array;
}

interface Row {
  frame: number;
  left: number;
  top: number;
  width: number;
  height: number;
  confidence: number;
  embedding: number;
}

interface Target {
  /** 0 while on probation. */
  id: number;
  active: boolean;
  filter: BoxFilter | null;
  /** Box after the last correction (the state itself without a motion model), tlwh. */
  last: Float64Array;
  /** The box this frame's association uses (predicted or last), tlwh. */
  box: Float64Array;
  missed: number;
  matches: number;
  birthFrame: number;
  lastMatchFrame: number;
  gallery: Gallery | null;
  /** Rows of the probation period, reported on activation. */
  pending: Row[];
  /** Predicted rows of the frames missed since the last match (outputShadowTracks). */
  shadow: Row[];
}

/** Score given to a valid pair, on top of its matching score, so zero-score pairs stay distinguishable. */
const VALID = 1e-9;

function sizeSimilarity(aw: number, ah: number, bw: number, bh: number): number {
  return ((aw < bw ? aw / bw : bw / aw) || 0) * ((ah < bh ? ah / bh : bh / ah) || 0);
}

export class Tracker {
  private readonly targets: Target[] = [];
  /** Active targets that ended recently (re-association candidates). */
  private lost: Target[] = [];
  private nextId = 1;
  private readonly out: Row[] = [];
  private readonly outIds: number[] = [];
  /** Score matrix scratch, reused across frames. */
  private matrix = new Float64Array(256);
  /** Whether this frame's detections have embeddings (ReID.reidExtractionInterval). */
  private extracting = true;
  private readonly embeddings: Embeddings | null;

  constructor(
    private readonly cfg: TrackerConfig,
    embeddings: Embeddings | null,
  ) {
    // Without a ReID section (MTMC may still pass embeddings) there is no feature size to cut them to.
    this.embeddings =
      embeddings && cfg.reidFeatureSize4Matching > 0
        ? embeddings.prefix(cfg.reidFeatureSize4Matching)
        : embeddings;
  }

  /** The embedding row of detection `i` on this frame, or -1 when none is used. */
  private featureOf(d: Detections, i: number): number {
    return this.extracting ? d.embedding[i]! : -1;
  }

  private get usesReid(): boolean {
    return this.embeddings !== null && (this.cfg.reidInAssociation || this.cfg.reassociation !== null);
  }

  /** Sets the box a target is matched on this frame: the prediction, or the last corrected box. */
  private setAssocBox(t: Target): void {
    const f = t.filter;
    if (this.cfg.usePrediction && f) {
      t.box[0] = f.left;
      t.box[1] = f.top;
      t.box[2] = f.width;
      t.box[3] = f.height;
    } else t.box.set(t.last);
  }

  private overlap(t: Target, d: Detections, i: number): number {
    const b = t.box;
    return iou(b[0]!, b[1]!, b[2]!, b[3]!, d.left[i]!, d.top[i]!, d.width[i]!, d.height[i]!);
  }

  /** Matching score of a target and a detection, or -1 when a gate rejects the pair. */
  private score(t: Target, d: Detections, i: number): number {
    const cfg = this.cfg;
    const overlap = this.overlap(t, d, i);
    if (overlap <= 0 || overlap < cfg.minIou) return -1;
    const size = sizeSimilarity(t.box[2]!, t.box[3]!, d.width[i]!, d.height[i]!);
    if (size < cfg.minSizeSimilarity) return -1;
    let s = cfg.weightIou * overlap + cfg.weightSize * size;
    const row = this.featureOf(d, i);
    if (cfg.reidInAssociation && t.gallery && !t.gallery.empty && row >= 0) {
      const reid = Math.max(0, t.gallery.similarity(row));
      if (reid < cfg.minReidSimilarity) return -1;
      s += cfg.weightReid * reid;
    }
    return s >= cfg.minOverall ? s : -1;
  }

  /** Tentative detections: IoU only, gated by minMatchingScore4TentativeIou. */
  private tentativeScore(t: Target, d: Detections, i: number): number {
    const overlap = this.overlap(t, d, i);
    return overlap > 0 && overlap >= this.cfg.minTentativeIou ? overlap : -1;
  }

  /** Optimal assignment of `dets` to `free` targets on `score`; writes matches into `match`. */
  private assign(
    d: Detections,
    dets: number[],
    free: number[],
    score: (t: Target, d: Detections, i: number) => number,
    match: Map<number, number>,
  ): void {
    const nr = dets.length;
    const nc = free.length;
    if (nr === 0 || nc === 0) return;
    if (this.matrix.length < nr * nc) this.matrix = new Float64Array(2 * nr * nc);
    const m = this.matrix.subarray(0, nr * nc).fill(0);
    let any = false;
    for (let a = 0; a < nr; a++) {
      for (let b = 0; b < nc; b++) {
        const s = score(this.targets[free[b]!]!, d, dets[a]!);
        if (s >= 0) {
          m[a * nc + b] = s + VALID;
          any = true;
        }
      }
    }
    if (!any) return;
    const { rows, cols } = linearSumAssignment(m, nr, nc, true);
    for (let k = 0; k < rows.length; k++) {
      if (m[rows[k]! * nc + cols[k]!]! > 0) match.set(dets[rows[k]!]!, free[cols[k]!]!);
    }
  }

  /** One pass, best score first. */
  private greedy(d: Detections, dets: number[], match: Map<number, number>): void {
    const pairs: [number, number, number][] = [];
    for (const i of dets) {
      this.targets.forEach((t, k) => {
        const s = this.score(t, d, i);
        if (s >= 0) pairs.push([s, i, k]);
      });
    }
    pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
    const used = new Set<number>();
    for (const [, i, k] of pairs) {
      if (match.has(i) || used.has(k)) continue;
      match.set(i, k);
      used.add(k);
    }
  }

  private update(t: Target, d: Detections, i: number, frame: number, confident: boolean): void {
    const cfg = this.cfg;
    const l = d.left[i]!;
    const tp = d.top[i]!;
    const w = d.width[i]!;
    const h = d.height[i]!;
    if (t.filter && cfg.kalman) {
      // Low-confidence detections are weaker evidence: they update with the tracker's noise variance.
      t.filter.update(
        l,
        tp,
        w,
        h,
        confident ? cfg.kalman.measurementNoiseVar4Detector : cfg.kalman.measurementNoiseVar4Tracker,
      );
      t.last[0] = t.filter.left;
      t.last[1] = t.filter.top;
      t.last[2] = t.filter.width;
      t.last[3] = t.filter.height;
    } else {
      t.last[0] = l;
      t.last[1] = tp;
      t.last[2] = w;
      t.last[3] = h;
    }
    const row = d.embedding[i]!;
    const feature = this.featureOf(d, i);
    if (t.gallery && feature >= 0) t.gallery.add(feature);
    t.missed = 0;
    t.matches++;
    t.lastMatchFrame = frame;
    const [bl, bt, bw, bh] = t.last;
    const out: Row = {
      frame,
      left: bl,
      top: bt,
      width: bw,
      height: bh,
      confidence: d.confidence[i]!,
      embedding: row,
    };
    // Shadow frames are reported only for a target found again, in frame order before this one.
    for (const row of t.shadow) {
      if (t.active) this.emit(t.id, row);
      else t.pending.push(row);
    }
    t.shadow = [];
    if (t.active) this.emit(t.id, out);
    else t.pending.push(out);
  }

  /** The target's predicted box on a frame it missed (its last box without a motion model). */
  private shadowRow(t: Target, frame: number): Row {
    const f = t.filter;
    const [left, top, width, height] = f ? [f.left, f.top, f.width, f.height] : t.last;
    return { frame, left: left!, top: top!, width: width!, height: height!, confidence: 0, embedding: -1 };
  }

  private emit(id: number, row: Row): void {
    this.out.push(row);
    this.outIds.push(id);
  }

  private activate(t: Target): void {
    t.active = true;
    t.id = this.reassociate(t) ?? this.nextId++;
    for (const row of t.pending) this.emit(t.id, row);
    t.pending = [];
  }

  /** The id of a lost (or shadow-tracked) target this new one continues, if ReID and geometry agree. */
  private reassociate(t: Target): number | undefined {
    const re = this.cfg.reassociation;
    if (!re || !t.gallery || t.gallery.empty) return undefined;
    const first = t.pending[0]!;
    let best: Target | undefined;
    let bestSim = re.minReidSimilarity;
    const candidates = [...this.lost, ...this.targets.filter((o) => o.active && o.missed > 0)];
    for (const o of candidates) {
      const gap = t.birthFrame - o.lastMatchFrame;
      if (gap <= 0 || gap > re.maxTimeSearchRange || !o.gallery || o.gallery.empty) continue;
      const [l, tp, w, h] = o.last;
      if (sizeSimilarity(w, h, first.width, first.height) < re.minSizeSimilarity) continue;
      const dist = Math.hypot(
        l + w / 2 - (first.left + first.width / 2),
        tp + h / 2 - (first.top + first.height / 2),
      );
      if (dist > re.spatialSearchScale * h) continue;
      const sim = o.gallery.similarityTo(t.gallery);
      if (sim >= bestSim) {
        best = o;
        bestSim = sim;
      }
    }
    if (!best) return undefined;
    const found = best;
    this.lost = this.lost.filter((o) => o !== found);
    const live = this.targets.indexOf(found);
    if (live >= 0) this.targets.splice(live, 1);
    return found.id;
  }

  private birth(d: Detections, i: number, frame: number): void {
    const cfg = this.cfg;
    if (this.targets.length >= cfg.maxTargetsPerStream) return;
    for (const t of this.targets) if (this.overlap(t, d, i) > cfg.minIouDiff4NewTarget) return;
    const l = d.left[i]!;
    const tp = d.top[i]!;
    const w = d.width[i]!;
    const h = d.height[i]!;
    const t: Target = {
      id: 0,
      active: false,
      filter: cfg.kalman
        ? new BoxFilter(l, tp, w, h, cfg.kalman.measurementNoiseVar4Detector, cfg.kalman)
        : null,
      last: Float64Array.of(l, tp, w, h),
      box: Float64Array.of(l, tp, w, h),
      missed: 0,
      // The birth detection is the target's first match.
      matches: 1,
      birthFrame: frame,
      lastMatchFrame: frame,
      gallery: this.usesReid ? new Gallery(this.embeddings!, cfg.reidHistorySize) : null,
      pending: [],
      shadow: [],
    };
    this.targets.push(t);
    const row = d.embedding[i]!;
    const feature = this.featureOf(d, i);
    if (t.gallery && feature >= 0) t.gallery.add(feature);
    t.pending.push({
      frame,
      left: l,
      top: tp,
      width: w,
      height: h,
      confidence: d.confidence[i]!,
      embedding: row,
    });
    if (cfg.probationAge === 0) this.activate(t);
  }

  /** Process frame `frame` (1-based) of `d`. */
  step(d: Detections, frame: number): void {
    const cfg = this.cfg;
    this.extracting = (frame - 1) % (cfg.reidExtractionInterval + 1) === 0;
    for (const t of this.targets) {
      t.filter?.predict();
      this.setAssocBox(t);
    }
    const confident: number[] = [];
    const weak: number[] = [];
    for (let i = d.frameStart[frame]!; i < d.frameStart[frame + 1]!; i++) {
      const c = d.confidence[i]!;
      if (c < cfg.minDetectorConfidence) continue;
      (c >= cfg.tentativeDetectorConfidence ? confident : weak).push(i);
    }
    const match = new Map<number, number>();
    if (cfg.matcher === 1) {
      this.assign(
        d,
        confident,
        this.targets.map((_, k) => k),
        (t, dd, i) => this.score(t, dd, i),
        match,
      );
      const taken = new Set(match.values());
      const free = this.targets.map((_, k) => k).filter((k) => !taken.has(k));
      this.assign(d, weak, free, (t, dd, i) => this.tentativeScore(t, dd, i), match);
    } else {
      this.greedy(d, [...confident, ...weak], match);
    }

    const confidentSet = new Set(confident);
    // In detection order, so reported rows and re-associations do not depend on Map internals.
    const pairs = [...match.keys()]
      .sort((a, b) => a - b)
      .map((i) => [i, this.targets[match.get(i)!]!] as const);
    const matched = new Set(pairs.map(([, t]) => t));
    for (const [i, t] of pairs) this.update(t, d, i, frame, confidentSet.has(i));
    for (const [, t] of pairs) if (!t.active && t.matches > cfg.probationAge) this.activate(t);
    for (let k = this.targets.length - 1; k >= 0; k--) {
      const t = this.targets[k]!;
      if (matched.has(t)) continue;
      t.missed++;
      const limit = t.active ? cfg.maxShadowTrackingAge : cfg.earlyTerminationAge - 1;
      if (t.missed <= limit) {
        if (cfg.outputShadowTracks) t.shadow.push(this.shadowRow(t, frame));
        continue;
      }
      this.targets.splice(k, 1);
      if (t.active && cfg.reassociation) this.lost.push(t);
    }
    if (cfg.reassociation) {
      const horizon = frame - cfg.reassociation.maxTimeSearchRange;
      this.lost = this.lost.filter((t) => t.lastMatchFrame >= horizon);
    }
    for (const i of confident) if (!match.has(i)) this.birth(d, i, frame);
  }

  finish(): Tracks {
    const n = this.out.length;
    const order = Array.from({ length: n }, (_, k) => k).sort(
      (a, b) => this.out[a]!.frame - this.out[b]!.frame || this.outIds[a]! - this.outIds[b]!,
    );
    const tracks: Tracks = {
      count: n,
      frame: new Int32Array(n),
      id: new Int32Array(n),
      left: new Float64Array(n),
      top: new Float64Array(n),
      width: new Float64Array(n),
      height: new Float64Array(n),
      confidence: new Float64Array(n),
      embedding: new Int32Array(n),
    };
    order.forEach((k, r) => {
      const row = this.out[k]!;
      tracks.frame[r] = row.frame;
      tracks.id[r] = this.outIds[k]!;
      tracks.left[r] = row.left;
      tracks.top[r] = row.top;
      tracks.width[r] = row.width;
      tracks.height[r] = row.height;
      tracks.confidence[r] = row.confidence;
      tracks.embedding[r] = row.embedding;
    });
    return tracks;
  }
}

/** Track a whole sequence. */
export function trackSequence(d: Detections, cfg: TrackerConfig, embeddings: Embeddings | null): Tracks {
  const tracker = new Tracker(cfg, embeddings);
  for (let f = 1; f <= d.frames; f++) tracker.step(d, f);
  return tracker.finish();
}
