import { describe, expect, it } from 'vitest';
import { type PgieConfig, postprocess } from '../../src/pipelines/builtin/postprocess.js';
import { detections, type Row } from './helpers.js';

const base: PgieConfig = {
  clusterMode: 2,
  preClusterThreshold: 0.2,
  eps: 0.3,
  minBoxes: 1,
  dbscanMinScore: 0.5,
  nmsIouThreshold: 0.5,
  topk: -1,
  postClusterThreshold: 0,
  detectedMinW: 0,
  detectedMinH: 0,
  detectedMaxW: 0,
  detectedMaxH: 0,
};

/** Boxes kept in frame 1 as [left, confidence]. */
function kept(rows: Row[], cfg: Partial<PgieConfig>): [number, number][] {
  const d = postprocess(detections(1, rows), { ...base, ...cfg });
  return Array.from({ length: d.count }, (_, i) => [d.left[i]!, d.confidence[i]!]);
}

// A person seen as three overlapping candidates (IoU 0.8 and 0.67 with the best), and a lone box far away.
const person: Row[] = [
  [1, 100, 100, 50, 100, 0.6],
  [1, 105, 100, 50, 100, 0.9],
  [1, 95, 100, 50, 100, 0.4],
];
const lone: Row = [1, 600, 100, 50, 100, 0.3];

describe('detector post-processing', () => {
  it('NMS keeps the most confident of overlapping boxes', () => {
    expect(kept([...person, lone], { clusterMode: 2 })).toEqual([
      [105, 0.9],
      [600, 0.3],
    ]);
    // A looser threshold lets the candidates through as duplicates.
    expect(kept([...person, lone], { clusterMode: 2, nmsIouThreshold: 0.9 })).toHaveLength(4);
  });

  it('DBSCAN+NMS drops boxes without enough neighbouring confidence', () => {
    expect(kept([...person, lone], { clusterMode: 3, dbscanMinScore: 0.5 })).toEqual([[105, 0.9]]);
    expect(kept([...person, lone], { clusterMode: 3, dbscanMinScore: 0.2 })).toEqual([
      [105, 0.9],
      [600, 0.3],
    ]);
    // minBoxes: the lone box has only itself as neighbour.
    expect(kept([...person, lone], { clusterMode: 3, dbscanMinScore: 0, minBoxes: 2 })).toEqual([[105, 0.9]]);
  });

  it('DBSCAN alone outputs the confidence-weighted mean box of each cluster', () => {
    const out = postprocess(detections(1, person), { ...base, clusterMode: 1 });
    expect(out.count).toBe(1);
    expect(out.left[0]).toBeCloseTo((0.6 * 100 + 0.9 * 105 + 0.4 * 95) / 1.9, 9);
    expect(out.confidence[0]).toBe(0.9);
  });

  it('applies the pre-cluster threshold, the minimum size and top-k', () => {
    expect(kept([...person, lone], { clusterMode: 4, preClusterThreshold: 0.5 })).toEqual([
      [105, 0.9],
      [100, 0.6],
    ]);
    const small: Row = [1, 300, 100, 10, 30, 0.8];
    expect(kept([lone, small], { clusterMode: 4, detectedMinH: 40 })).toEqual([[600, 0.3]]);
    expect(kept([lone, small], { clusterMode: 4, detectedMinW: 20, detectedMinH: 0 })).toEqual([[600, 0.3]]);
    expect(kept([...person, lone], { clusterMode: 4, topk: 2 })).toEqual([
      [105, 0.9],
      [100, 0.6],
    ]);
  });

  it('applies the post-cluster threshold after clustering, and the maximum size', () => {
    // NMS keeps 0.9 and the lone 0.3; the post-cluster filter then drops the lone box.
    expect(kept([...person, lone], { clusterMode: 2, postClusterThreshold: 0.5 })).toEqual([[105, 0.9]]);
    // DBSCAN's merged box keeps its best member's confidence, so it passes a 0.8 post-cluster filter.
    expect(kept(person, { clusterMode: 1, postClusterThreshold: 0.8 })).toHaveLength(1);
    expect(kept(person, { clusterMode: 1, postClusterThreshold: 0.95 })).toEqual([]);
    const tall: Row = [1, 300, 100, 40, 300, 0.8];
    expect(kept([lone, tall], { clusterMode: 4, detectedMaxH: 200 })).toEqual([[600, 0.3]]);
    expect(kept([lone, tall], { clusterMode: 4, detectedMaxW: 45 })).toEqual([[300, 0.8]]);
  });

  it('keeps frames apart and carries embedding rows through', () => {
    const d = postprocess(
      detections(3, [
        [1, 0, 0, 10, 20, 0.9, 7],
        [3, 0, 0, 10, 20, 0.8, 9],
      ]),
      base,
    );
    expect(Array.from(d.frameStart)).toEqual([0, 0, 1, 1, 2]);
    expect(Array.from(d.embedding)).toEqual([7, 9]);
  });
});
