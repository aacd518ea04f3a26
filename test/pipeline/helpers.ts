/** Hand-made scenes for the pipeline tests: detections, embeddings and configs built in code. */
import { Embeddings } from '../../src/pipelines/builtin/appearance.js';
import { type Detections, DetectionsBuilder } from '../../src/pipelines/builtin/detections.js';
import type { Tracks } from '../../src/pipelines/builtin/tracker.js';
import type { TrackerConfig } from '../../src/pipelines/builtin/trackerConfig.js';

/** [frame, left, top, width, height, confidence, embedding row (default -1)] */
export type Row = [number, number, number, number, number, number, number?];

export function detections(frames: number, rows: Row[]): Detections {
  const sorted = [...rows].sort((a, b) => a[0] - b[0]);
  const b = new DetectionsBuilder(frames, rows.length);
  for (const [frame, l, t, w, h, c, e] of sorted) {
    b.beginFrame(frame);
    b.add(l, t, w, h, c, e ?? -1);
  }
  return b.finish();
}

/** A box of `w`×`h` moving `vx` px per frame from `x0`, on frames `from..to` (minus `skip`). */
export function walker(
  from: number,
  to: number,
  x0: number,
  vx: number,
  opts: { y?: number; w?: number; h?: number; conf?: number; emb?: number; skip?: number[] } = {},
): Row[] {
  const rows: Row[] = [];
  for (let f = from; f <= to; f++) {
    if (opts.skip?.includes(f)) continue;
    rows.push([
      f,
      x0 + vx * (f - from),
      opts.y ?? 100,
      opts.w ?? 40,
      opts.h ?? 100,
      opts.conf ?? 0.9,
      opts.emb,
    ]);
  }
  return rows;
}

/** Unit embeddings of dimension 4 (rows as given). */
export function embeddings(rows: number[][]): Embeddings {
  return new Embeddings(Float32Array.from(rows.flat()), 4);
}

export function trackerConfig(overrides: Partial<TrackerConfig> = {}): TrackerConfig {
  return {
    minDetectorConfidence: 0.1,
    maxTargetsPerStream: 100,
    minIouDiff4NewTarget: 0.5,
    probationAge: 0,
    maxShadowTrackingAge: 5,
    earlyTerminationAge: 1,
    outputShadowTracks: false,
    interpolationMaxGap: 0,
    referenceFrameRate: 0,
    matcher: 1,
    usePrediction: true,
    minOverall: 0,
    minSizeSimilarity: 0,
    minIou: 0.1,
    minReidSimilarity: 0,
    weightIou: 1,
    weightSize: 0,
    weightReid: 0,
    tentativeDetectorConfidence: 0.5,
    minTentativeIou: 0.3,
    kalman: {
      processNoiseVar4Loc: 2,
      processNoiseVar4Size: 1,
      processNoiseVar4Vel: 0.1,
      measurementNoiseVar4Detector: 4,
      measurementNoiseVar4Tracker: 16,
    },
    reidInAssociation: false,
    reassociation: null,
    reidFeatureSize: 4,
    reidHistorySize: 10,
    reidFeatureSize4Matching: 4,
    reidExtractionInterval: 0,
    ...overrides,
  };
}

/** Output rows as [frame, id] pairs, and the ids seen. */
export function framesById(t: Tracks): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let r = 0; r < t.count; r++) {
    const list = out.get(t.id[r]!) ?? [];
    list.push(t.frame[r]!);
    out.set(t.id[r]!, list);
  }
  return out;
}

export const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
