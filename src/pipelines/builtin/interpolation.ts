/**
 * Track-gap interpolation, a post-processing step after the tracker: where a track is missing for at
 * most `maxGap` frames between two of its rows, the missing frames get boxes on the straight line
 * between them (confidence 0, no embedding). Offline trackers' submissions commonly do this; it turns
 * occlusion misses into matches at the cost of a few boxes where the person really was hidden. Pure.
 */
import type { Tracks } from './tracker.js';

/** Tracks with gaps of 1..maxGap frames filled, sorted by frame then id; `t` itself when maxGap is 0. */
export function interpolateGaps(t: Tracks, maxGap: number): Tracks {
  if (maxGap <= 0 || t.count === 0) return t;
  // Rows of each id in frame order (the input is sorted by frame, so a stable sort by id keeps that).
  const byId = Int32Array.from({ length: t.count }, (_, r) => r).sort((a, b) => t.id[a]! - t.id[b]! || a - b);
  const added: number[] = []; // [frame, id, left, top, width, height] per filled row
  for (let k = 1; k < byId.length; k++) {
    const a = byId[k - 1]!;
    const b = byId[k]!;
    if (t.id[a] !== t.id[b]) continue;
    const gap = t.frame[b]! - t.frame[a]! - 1;
    if (gap < 1 || gap > maxGap) continue;
    for (let g = 1; g <= gap; g++) {
      const w = g / (gap + 1);
      const at = (v: Float64Array) => v[a]! + w * (v[b]! - v[a]!);
      added.push(t.frame[a]! + g, t.id[a]!, at(t.left), at(t.top), at(t.width), at(t.height));
    }
  }
  const extra = added.length / 6;
  if (extra === 0) return t;
  const n = t.count + extra;
  const frame = new Int32Array(n);
  const id = new Int32Array(n);
  const box = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const confidence = new Float64Array(n);
  const embedding = new Int32Array(n).fill(-1);
  frame.set(t.frame);
  id.set(t.id);
  for (const [c, v] of [t.left, t.top, t.width, t.height].entries()) box[c]!.set(v);
  confidence.set(t.confidence);
  embedding.set(t.embedding);
  for (let e = 0; e < extra; e++) {
    const r = t.count + e;
    frame[r] = added[6 * e]!;
    id[r] = added[6 * e + 1]!;
    for (let c = 0; c < 4; c++) box[c]![r] = added[6 * e + 2 + c]!;
  }
  const order = Int32Array.from({ length: n }, (_, r) => r).sort(
    (a, b) => frame[a]! - frame[b]! || id[a]! - id[b]!,
  );
  const pick = <T extends Int32Array | Float64Array>(v: T): T => v.map((_, r) => v[order[r]!]!) as T;
  return {
    count: n,
    frame: pick(frame),
    id: pick(id),
    left: pick(box[0]!),
    top: pick(box[1]!),
    width: pick(box[2]!),
    height: pick(box[3]!),
    confidence: pick(confidence),
    embedding: pick(embedding),
  };
}
