import { describe, expect, it } from 'vitest';
import type { Behavior } from '../../src/pipelines/builtin/mtmc/behaviors.js';
import { parseCalibration, toGround } from '../../src/pipelines/builtin/mtmc/calibration.js';
import { agglomerative, hdbscan, wardMerges } from '../../src/pipelines/builtin/mtmc/clustering.js';
import type { MtmcConfig } from '../../src/pipelines/builtin/mtmc/config.js';
import { type CameraTracks, runMtmc } from '../../src/pipelines/builtin/mtmc/index.js';
import { coexistingGroups } from '../../src/pipelines/builtin/mtmc/reassign.js';
import type { SequenceInfo } from '../../src/pipelines/builtin/sequence.js';
import type { Tracks } from '../../src/pipelines/builtin/tracker.js';
import { embeddings } from './helpers.js';

const point = (...v: number[]) => Float64Array.from(v);

describe('clustering', () => {
  it('merges by Ward heights as sklearn reports them', () => {
    const merges = wardMerges([point(0), point(1), point(3)]);
    expect(merges.map((m) => [m.a, m.b])).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect(merges[0]!.height).toBeCloseTo(1, 12);
    // √(2·2·1/3) · |0.5 − 3|
    expect(merges[1]!.height).toBeCloseTo(Math.sqrt(4 / 3) * 2.5, 12);
  });

  it('cuts by distance threshold, never below the minimum, or at a fixed count', () => {
    const pts = [point(0), point(1), point(3)];
    expect(Array.from(agglomerative(pts, 2, 1, null))).toEqual([0, 0, 1]);
    expect(Array.from(agglomerative(pts, 3, 1, null))).toEqual([0, 0, 0]);
    expect(Array.from(agglomerative(pts, 3, 3, null))).toEqual([0, 1, 2]);
    expect(Array.from(agglomerative(pts, 0.5, 1, 2))).toEqual([0, 0, 1]);
  });

  it('HDBSCAN finds dense groups and leaves an outlier on its own', () => {
    const blob = (cx: number, cy: number) =>
      [0, 1, 2, 3, 4, 5].map((k) => point(cx + 0.05 * Math.cos(k), cy + 0.05 * Math.sin(k)));
    const labels = Array.from(hdbscan([...blob(0, 0), ...blob(1, 1), point(5, -5)], 3));
    expect(new Set(labels.slice(0, 6)).size).toBe(1);
    expect(new Set(labels.slice(6, 12)).size).toBe(1);
    expect(labels[0]).not.toBe(labels[6]);
    expect(labels.filter((l) => l === labels[12])).toHaveLength(1);
  });
});

describe('co-existing behaviors', () => {
  it('are the maximal sets of one camera alive at the same time', () => {
    const b = (camera: number, from: number, to: number) =>
      ({ camera, frames: Int32Array.of(from, to) }) as unknown as Behavior;
    const groups = coexistingGroups([b(0, 1, 10), b(0, 5, 20), b(0, 15, 30), b(1, 1, 30), b(0, 40, 50)]);
    expect(groups).toEqual([[0, 1], [1, 2], [4], [3]]);
  });
});

// A 1920×1080 camera whose image maps to the floor at 1 px = 1 cm.
const CALIBRATION = parseCalibration(
  JSON.stringify({
    sensors: ['Cam01', 'Cam02'].map((id) => ({
      id,
      homography: [
        [100, 0, 0],
        [0, 100, 0],
        [0, 0, 1],
      ],
    })),
  }),
  'calibration.json',
);

const INFO = (name: string): SequenceInfo => ({
  name,
  dir: name,
  frames: 60,
  width: 1920,
  height: 1080,
  fps: 30,
});

/** Tracks from [frame, id, left, top, width, height, embedding row] rows. */
function tracks(rows: number[][]): Tracks {
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  return {
    count: rows.length,
    frame: Int32Array.from(rows, (r) => r[0]!),
    id: Int32Array.from(rows, (r) => r[1]!),
    left: col(2),
    top: col(3),
    width: col(4),
    height: col(5),
    confidence: new Float64Array(rows.length).fill(0.9),
    embedding: Int32Array.from(rows, (r) => r[6]!),
  };
}

/** Person at floor (x, y) metres: a 40×100 box whose bottom centre is (100x, 100y). */
const personRows = (id: number, frames: number[], x: number, y: number, emb: number) =>
  frames.map((f) => [f, id, 100 * x - 20, 100 * y - 100, 40, 100, emb]);
const frames = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

const CONFIG: MtmcConfig = {
  location: { confidence: 0.5, aspectRatio: 0.6, area: 0.0008, bottomGap: 0.02 },
  embedding: { confidence: 0.5, aspectRatio: 0.6, area: 0.0008, bottomGap: 0.02 },
  behaviorConfidence: 0.45,
  behaviorArea: 0.0007,
  behaviorAspectRatio: 0.75,
  behaviorLengthSec: 0,
  splitSec: 1,
  algo: 'AgglomerativeClustering',
  overwrittenNumClusters: null,
  agglomerativeDistThresh: 3.5,
  hdbscanMinClusterSize: 2,
  reassignmentIterations: 2,
  reassignmentLooseThresh: 1,
  spatioTemporalLambda: 0.15,
};

describe('MTMC', () => {
  const emb = embeddings([
    [1, 0, 0, 0],
    [0, 1, 0, 0],
  ]);
  const cameras = (camTwoY: number): CameraTracks[] => [
    {
      info: INFO('Cam01'),
      tracks: tracks([...personRows(1, frames(1, 30), 2, 3, 0), ...personRows(2, frames(1, 30), 6, 3, 1)]),
      embeddings: emb,
    },
    { info: INFO('Cam02'), tracks: tracks(personRows(7, frames(1, 30), 2.2, camTwoY, 0)), embeddings: emb },
  ];

  it('gives one global id to one person seen by two cameras, and fuses their locations', () => {
    const result = runMtmc(cameras(3), CALIBRATION, CONFIG);
    expect(result.behaviors).toBe(3);
    expect(result.globalIds).toBe(2);
    const p = result.rows.filter((r) => r.frame === 0 && Math.abs(r.x - 2.1) < 1e-9);
    expect(p.map((r) => r.camera).sort()).toEqual([1, 2]);
    expect(new Set(p.map((r) => r.id)).size).toBe(1);
    expect(p[0]!.y).toBeCloseTo(3, 9);
    // Frames are written 0-based.
    expect(Math.min(...result.rows.map((r) => r.frame))).toBe(0);
    expect(result.rows).toHaveLength(90);
  });

  it('does not trust locations of boxes touching the image bottom (feet cut off)', () => {
    // Camera 2's boxes end at y = 1075 px > (1 − 0.02)·1080. With the same embedding filter the whole
    // behavior would have no trusted embedding and be dropped; here only its locations are distrusted.
    const config = { ...CONFIG, embedding: { ...CONFIG.embedding, bottomGap: 0 } };
    const result = runMtmc(cameras(10.75), CALIBRATION, config);
    const fused = result.rows.find((r) => r.camera === 2 && r.frame === 5)!;
    expect([fused.x, fused.y]).toEqual([2, 3]);
    const loose = runMtmc(cameras(10.75), CALIBRATION, {
      ...config,
      location: { ...CONFIG.location, bottomGap: 0 },
    });
    expect(loose.rows.find((r) => r.camera === 2 && r.frame === 5)!.y).toBeCloseTo((3 + 10.75) / 2, 9);
    expect(runMtmc(cameras(10.75), CALIBRATION, CONFIG).rows.some((r) => r.camera === 2)).toBe(false);
  });

  it('splits a track into behaviors at gaps longer than behaviorSplitThreshSec and drops unconfident ones', () => {
    const gap = [
      {
        info: INFO('Cam01'),
        tracks: tracks(personRows(1, [...frames(1, 10), ...frames(50, 60)], 2, 3, 0)),
        embeddings: emb,
      },
    ];
    expect(runMtmc(gap, CALIBRATION, CONFIG).behaviors).toBe(2);
    expect(runMtmc(gap, CALIBRATION, { ...CONFIG, splitSec: 2 }).behaviors).toBe(1);
    expect(runMtmc(gap, CALIBRATION, { ...CONFIG, behaviorConfidence: 0.95 }).behaviors).toBe(0);
  });

  it('maps image points through the inverted calibration homography', () => {
    expect(toGround(CALIBRATION.imageToGround.get('Cam01')!, 250, 400)).toEqual([2.5, 4]);
  });
});
