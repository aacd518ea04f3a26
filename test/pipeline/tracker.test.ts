import { describe, expect, it } from 'vitest';
import { BoxFilter } from '../../src/pipelines/builtin/kalman.js';
import { trackSequence } from '../../src/pipelines/builtin/tracker.js';
import { detections, embeddings, framesById, type Row, range, trackerConfig, walker } from './helpers.js';

describe('Kalman state estimator', () => {
  it('learns a constant velocity and predicts through missing frames', () => {
    const noise = { processNoiseVar4Loc: 1, processNoiseVar4Size: 1, processNoiseVar4Vel: 0.01 };
    const f = new BoxFilter(0, 50, 40, 100, 4, noise);
    for (let k = 1; k <= 30; k++) {
      f.predict();
      f.update(3 * k, 50, 40, 100, 4);
    }
    for (let k = 31; k <= 35; k++) f.predict();
    expect(f.left).toBeCloseTo(105, 0);
    expect(f.top).toBeCloseTo(50, 5);
    expect(f.width).toBeCloseTo(40, 5);
  });

  it('trusts measurements less when their noise variance is larger', () => {
    const noise = { processNoiseVar4Loc: 1, processNoiseVar4Size: 1, processNoiseVar4Vel: 0.01 };
    const precise = new BoxFilter(0, 0, 40, 100, 4, noise);
    const vague = new BoxFilter(0, 0, 40, 100, 4, noise);
    precise.predict();
    vague.predict();
    precise.update(10, 0, 40, 100, 1);
    vague.update(10, 0, 40, 100, 100);
    expect(precise.left).toBeGreaterThan(vague.left);
    expect(vague.left).toBeGreaterThan(0);
  });
});

describe('tracker on hand-made scenes', () => {
  it('keeps one id through a short miss, reporting probation frames once the target is confirmed', () => {
    const d = detections(20, walker(1, 20, 0, 5, { skip: [8, 9, 10] }));
    const ids = framesById(trackSequence(d, trackerConfig({ probationAge: 2 }), null));
    expect([...ids.values()]).toEqual([range(1, 20).filter((f) => f < 8 || f > 10)]);
  });

  it('gives a new id after a gap longer than maxShadowTrackingAge', () => {
    const rows = walker(1, 40, 0, 2).filter(([f]) => f <= 10 || f >= 30);
    const ids = framesById(
      trackSequence(detections(40, rows), trackerConfig({ maxShadowTrackingAge: 5 }), null),
    );
    expect([...ids.values()]).toEqual([range(1, 10), range(30, 40)]);
    const longer = framesById(
      trackSequence(detections(40, rows), trackerConfig({ maxShadowTrackingAge: 25 }), null),
    );
    expect(longer.size).toBe(1);
  });

  it('never reports a blip shorter than the probation', () => {
    const d = detections(10, [...walker(1, 10, 0, 3), ...walker(1, 2, 500, 0)]);
    const ids = framesById(trackSequence(d, trackerConfig({ probationAge: 3 }), null));
    expect([...ids.values()]).toEqual([range(1, 10)]);
  });

  it('ends a target on probation after earlyTerminationAge misses', () => {
    const d = detections(10, walker(1, 10, 0, 3, { skip: [3] }));
    const strict = framesById(
      trackSequence(d, trackerConfig({ probationAge: 3, earlyTerminationAge: 1 }), null),
    );
    expect([...strict.values()]).toEqual([range(4, 10)]);
    const lenient = framesById(
      trackSequence(d, trackerConfig({ probationAge: 3, earlyTerminationAge: 2 }), null),
    );
    expect([...lenient.values()]).toEqual([[1, 2, ...range(4, 10)]]);
  });

  it('lets low-confidence detections continue a target but never start one', () => {
    const d = detections(10, [
      ...walker(1, 5, 0, 4),
      ...walker(6, 10, 20, 4, { conf: 0.3 }),
      ...walker(1, 10, 600, 0, { conf: 0.3 }),
    ]);
    const ids = framesById(trackSequence(d, trackerConfig(), null));
    expect([...ids.values()]).toEqual([range(1, 10)]);
  });

  it('starts no target on a detection overlapping a target by more than minIouDiff4NewTarget', () => {
    // Two boxes per frame with IoU 0.6.
    const rows = [...walker(1, 10, 100, 0, { conf: 0.8 }), ...walker(1, 10, 110, 0, { conf: 0.7 })];
    expect(
      framesById(trackSequence(detections(10, rows), trackerConfig({ minIouDiff4NewTarget: 0.5 }), null))
        .size,
    ).toBe(1);
    expect(
      framesById(trackSequence(detections(10, rows), trackerConfig({ minIouDiff4NewTarget: 0.7 }), null))
        .size,
    ).toBe(2);
  });

  it('bridges a gap with the motion model where the last box no longer overlaps', () => {
    // 20 px per frame, 40 px wide: after three missed frames the last box is 80 px behind.
    const d = detections(20, walker(1, 20, 0, 20, { skip: [11, 12, 13] }));
    expect(framesById(trackSequence(d, trackerConfig(), null)).size).toBe(1);
    expect(framesById(trackSequence(d, trackerConfig({ kalman: null }), null)).size).toBe(2);
  });

  it('uses ReID in the association score to resolve an ambiguous overlap', () => {
    const emb = embeddings([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
    // Frame 11: the detection nearer to A looks like B and the other like A.
    const rows: Row[] = [
      ...walker(1, 10, 100, 0, { emb: 0 }),
      ...walker(1, 10, 140, 0, { emb: 1 }),
      [11, 115, 100, 40, 100, 0.9, 1],
      [11, 120, 100, 40, 100, 0.9, 0],
    ];
    const d = detections(11, rows);
    const embeddingOfA = (reid: boolean) => {
      const t = trackSequence(d, trackerConfig({ reidInAssociation: reid, weightReid: 1 }), emb);
      const idA = t.id[0]!; // frame 1, first row: A (ids are assigned in detection order)
      for (let r = 0; r < t.count; r++) if (t.frame[r] === 11 && t.id[r] === idA) return t.embedding[r];
      return undefined;
    };
    expect(embeddingOfA(false)).toBe(1);
    expect(embeddingOfA(true)).toBe(0);
  });

  it('re-associates a returning person with a lost target by appearance, within the search range', () => {
    const emb = embeddings([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
    const scene = (row: number) =>
      detections(50, [...walker(1, 10, 100, 0, { emb: 0 }), ...walker(41, 50, 110, 0, { emb: row })]);
    const config = (range: number) =>
      trackerConfig({
        probationAge: 2,
        reassociation: {
          minReidSimilarity: 0.8,
          maxTimeSearchRange: range,
          spatialSearchScale: 2,
          minSizeSimilarity: 0.5,
        },
      });
    expect(framesById(trackSequence(scene(0), config(60), emb)).size).toBe(1);
    expect(framesById(trackSequence(scene(1), config(60), emb)).size).toBe(2);
    expect(framesById(trackSequence(scene(0), config(20), emb)).size).toBe(2);
  });

  it('starts at most maxTargetsPerStream targets', () => {
    const d = detections(5, [...walker(1, 5, 0, 0), ...walker(1, 5, 300, 0), ...walker(1, 5, 600, 0)]);
    expect(framesById(trackSequence(d, trackerConfig({ maxTargetsPerStream: 2 }), null)).size).toBe(2);
  });

  it('tracks with the greedy matcher too, and drops detections below minDetectorConfidence', () => {
    const d = detections(10, [...walker(1, 10, 0, 4), ...walker(1, 10, 400, 0, { conf: 0.05 })]);
    const ids = framesById(trackSequence(d, trackerConfig({ matcher: 0 }), null));
    expect([...ids.values()]).toEqual([range(1, 10)]);
  });
});
