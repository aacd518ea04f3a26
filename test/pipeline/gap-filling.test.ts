import { describe, expect, it } from 'vitest';
import { interpolateGaps } from '../../src/pipelines/builtin/interpolation.js';
import { trackSequence } from '../../src/pipelines/builtin/tracker.js';
import { atFrameRate } from '../../src/pipelines/builtin/trackerConfig.js';
import { detections, framesById, range, trackerConfig, walker } from './helpers.js';

// One person walking 5 px a frame, missed by the detector on frames 8-10; a second one lost for good at 12.
const scene = detections(20, [...walker(1, 20, 0, 5, { skip: [8, 9, 10] }), ...walker(1, 12, 400, 0)]);

describe('shadow-track output (outputShadowTracks)', () => {
  it('reports the predicted boxes of the missed frames of a target found again, and of no dying target', () => {
    const off = framesById(trackSequence(scene, trackerConfig(), null));
    expect([...off.values()]).toEqual([range(1, 20).filter((f) => f < 8 || f > 10), range(1, 12)]);
    const tracks = trackSequence(scene, trackerConfig({ outputShadowTracks: true }), null);
    // The walker's gap is filled; the target lost at frame 12 dies in shadow (5 frames) unreported.
    expect([...framesById(tracks).values()]).toEqual([range(1, 20), range(1, 12)]);
    const at9 = [...tracks.frame.keys()].find((r) => tracks.frame[r] === 9 && tracks.id[r] === 1)!;
    expect(tracks.left[at9]).toBeCloseTo(40, -1); // the constant-velocity prediction: 5 px a frame
    expect(tracks.confidence[at9]).toBe(0);
  });
});

describe('track-gap interpolation', () => {
  it('fills gaps up to maxGap frames on the straight line between the rows around them', () => {
    const tracks = trackSequence(scene, trackerConfig(), null);
    expect(interpolateGaps(tracks, 0)).toBe(tracks);
    expect([...framesById(interpolateGaps(tracks, 2)).values()][0]).toEqual(
      range(1, 20).filter((f) => f < 8 || f > 10),
    );
    const filled = interpolateGaps(tracks, 3);
    expect([...framesById(filled).values()]).toEqual([range(1, 20), range(1, 12)]);
    const row = (f: number) =>
      [...filled.frame.keys()].find((r) => filled.frame[r] === f && filled.id[r] === 1)!;
    const [l7, l11] = [filled.left[row(7)]!, filled.left[row(11)]!];
    expect(filled.left[row(9)]).toBeCloseTo((l7 + l11) / 2, 9);
    expect(filled.embedding[row(9)]).toBe(-1);
    // Sorted by frame, then id.
    for (let r = 1; r < filled.count; r++)
      expect(filled.frame[r - 1]! * 100 + filled.id[r - 1]!).toBeLessThan(
        filled.frame[r]! * 100 + filled.id[r]!,
      );
  });
});

describe('TimeScale.referenceFrameRate', () => {
  it('scales the frame counts that stand for durations to the sequence frame rate, and is off at 0', () => {
    const cfg = trackerConfig({ maxShadowTrackingAge: 30, interpolationMaxGap: 20, referenceFrameRate: 30 });
    expect(atFrameRate(cfg, 15)).toMatchObject({ maxShadowTrackingAge: 15, interpolationMaxGap: 10 });
    expect(atFrameRate(cfg, 7)).toMatchObject({ maxShadowTrackingAge: 7, interpolationMaxGap: 5 });
    expect(atFrameRate(cfg, null)).toBe(cfg);
    const off = { ...cfg, referenceFrameRate: 0 };
    expect(atFrameRate(off, 15)).toBe(off);
  });
});
