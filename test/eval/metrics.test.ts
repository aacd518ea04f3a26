// The pure metric cores on hand-built SequenceData (any similarity, as the MTMC evaluation uses them),
// TrackEval's IoU operation order, and the sparse Identity matching against TrackEval's dense one.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  boxIou,
  combineClear,
  combineHota,
  combineIdentity,
  computeClear,
  computeHota,
  computeIdentity,
  HOTA_ALPHAS,
  linearSumAssignment,
  type SequenceData,
} from '../../src/eval/index.js';
import { mean, pairwiseSum } from '../../src/eval/sums.js';

/** Per frame: [gt ids], [tracker ids], row-major similarities. */
function sequence(frames: [number[], number[], number[]][]): SequenceData {
  const gtIds = frames.map(([g]) => Int32Array.from(g));
  const trackerIds = frames.map(([, t]) => Int32Array.from(t));
  const count = (ids: Int32Array[]) => new Set(ids.flatMap((a) => [...a])).size;
  return {
    numTimesteps: frames.length,
    numGtIds: count(gtIds),
    numTrackerIds: count(trackerIds),
    numGtDets: gtIds.reduce((n, a) => n + a.length, 0),
    numTrackerDets: trackerIds.reduce((n, a) => n + a.length, 0),
    gtIds,
    trackerIds,
    similarity: frames.map(([, , s]) => Float64Array.from(s)),
  };
}

describe('numpy summation order', () => {
  it('pairwiseSum and mean are bit-equal to np.sum / np.mean (fixture written by numpy 2.4)', () => {
    const cases = JSON.parse(
      readFileSync(resolve(import.meta.dirname, 'fixtures/numpy-sums.json'), 'utf8'),
    ) as { values: number[]; sum: number; mean: number }[];
    for (const c of cases) {
      expect(pairwiseSum(Float64Array.from(c.values), 0, c.values.length, 1)).toBe(c.sum);
      expect(mean(c.values)).toBe(c.mean);
    }
    // A strided column: the same order over every third element.
    const wide = Float64Array.from(cases.at(-1)!.values.flatMap((x) => [x, 1e9, -1e9]));
    expect(pairwiseSum(wide, 0, cases.at(-1)!.values.length, 3)).toBe(cases.at(-1)!.sum);
  });
});

describe('IoU', () => {
  it('follows TrackEval’s operation order to the last bit (spec §4)', () => {
    expect(boxIou([598.312, 259.319, 289.894, 221.467], [598.312, 259.319, 144.947, 221.467])).toBe(
      0.49999999999999994,
    );
    expect(boxIou([174.244, 104.151, 297.526, 239.807], [174.244, 104.151, 148.763, 239.807])).toBe(0.5);
  });

  it('is 0 for disjoint and degenerate boxes', () => {
    expect(boxIou([0, 0, 10, 10], [20, 0, 10, 10])).toBe(0);
    expect(boxIou([0, 0, -5, 10], [0, 0, 10, 10])).toBe(0);
    expect(boxIou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });
});

describe('HOTA', () => {
  it('uses np.arange’s alphas', () => {
    expect(HOTA_ALPHAS).toHaveLength(19);
    expect(HOTA_ALPHAS[2]).toBe(0.15000000000000002);
    expect(HOTA_ALPHAS[11]).toBe(0.6000000000000001);
  });

  it('scores one track matched at similarities 0.88 and 0.32 as computed by hand', () => {
    const res = computeHota(
      sequence([
        [[0], [0], [0.88]],
        [[0], [0], [0.32]],
      ]),
    );
    for (let a = 0; a < 19; a++) {
      const both = HOTA_ALPHAS[a]! <= 0.32;
      const one = !both && HOTA_ALPHAS[a]! <= 0.88;
      expect(res.HOTA_TP[a]).toBe(both ? 2 : one ? 1 : 0);
      expect(res.HOTA[a]).toBeCloseTo(both ? 1 : one ? 1 / 3 : 0, 12);
      expect(res.LocA[a]).toBeCloseTo(both ? 0.6 : one ? 0.88 : 1, 12);
    }
    expect(res['HOTA(0)']).toBe(1);
    expect(res['HOTALocA(0)']).toBeCloseTo(0.6, 12);
  });

  it('returns TrackEval’s early result for an empty side, and the combination re-weights by TP', () => {
    const empty = computeHota(sequence([[[0, 1], [], []]]));
    expect(empty.HOTA_FN).toEqual(new Array(19).fill(2));
    expect(empty.LocA).toEqual(new Array(19).fill(1));
    expect(empty['LocA(0)']).toBe(1);
    const perfect = computeHota(sequence([[[0], [0], [1]]]));
    const combined = combineHota([perfect, empty]);
    expect(combined.HOTA_TP[0]).toBe(1);
    expect(combined.DetA[0]).toBeCloseTo(1 / 3, 12);
    expect(combined.AssA[0]).toBe(1);
  });
});

describe('CLEAR', () => {
  // gt 0 in three frames: matched to tracker 0, then tracker 1 (an id switch), then no tracker rows at all.
  const data = sequence([
    [[0], [0], [0.9]],
    [[0], [1], [0.9]],
    [[0], [], []],
  ]);

  it('counts TP, FN, IDSW, Frag and MT/PT/ML as TrackEval does', () => {
    const res = computeClear(data);
    expect([res.CLR_TP, res.CLR_FN, res.CLR_FP, res.IDSW, res.Frag, res.MT, res.PT, res.ML]).toEqual([
      2, 1, 0, 1, 0, 0, 1, 0,
    ]);
    expect(res.MOTA).toBeCloseTo(1 / 3, 12);
    expect(res.MOTP).toBeCloseTo(0.9, 12);
    expect(res.CLR_Frames).toBe(3);
  });

  it('keeps a continued match over a better new one (1000 × continuation)', () => {
    // Frame 2: tracker 0 continues at 0.6 while tracker 1 overlaps better (0.95).
    const res = computeClear(
      sequence([
        [[0], [0], [0.9]],
        [[0], [0, 1], [0.6, 0.95]],
      ]),
    );
    expect([res.CLR_TP, res.CLR_FP, res.IDSW]).toEqual([2, 1, 0]);
  });

  it('per-sequence MOTA stays 0 for an empty tracker, the combination recomputes', () => {
    const empty = computeClear(sequence([[[0], [], []]]));
    expect([empty.MOTA, empty.CLR_FN, empty.ML, empty.MLR, empty.CLR_Frames]).toEqual([0, 1, 1, 1, 0]);
    const onlyFp = computeClear(sequence([[[], [0], []]]));
    expect([onlyFp.MOTA, onlyFp.CLR_FP]).toEqual([0, 1]);
    expect(combineClear([empty, onlyFp]).MOTA).toBe(-1);
  });
});

describe('Identity', () => {
  it('scores the id switch case by hand', () => {
    const res = computeIdentity(
      sequence([
        [[0], [0], [0.9]],
        [[0], [1], [0.9]],
        [[0], [], []],
      ]),
    );
    expect([res.IDTP, res.IDFN, res.IDFP]).toEqual([1, 2, 1]);
    expect(res.IDF1).toBeCloseTo(0.4, 12);
    expect(combineIdentity([res, res]).IDF1).toBeCloseTo(0.4, 12);
  });

  /** TrackEval's formulation: a dense (G+K)² assignment over fn + fp costs. */
  function denseIdtp(data: SequenceData): number {
    const G = data.numGtIds;
    const K = data.numTrackerIds;
    const n = G + K;
    const matches = new Float64Array(G * K);
    const gtCount = new Float64Array(G);
    const trCount = new Float64Array(K);
    data.similarity.forEach((sim, t) => {
      const g = data.gtIds[t]!;
      const k = data.trackerIds[t]!;
      g.forEach((gid, i) => {
        gtCount[gid]!++;
        k.forEach((tid, j) => {
          if (sim[i * k.length + j]! >= 0.5) matches[gid * K + tid]!++;
        });
      });
      for (const tid of k) trCount[tid]!++;
    });
    const fn = new Float64Array(n * n);
    const fp = new Float64Array(n * n);
    for (let g = 0; g < G; g++) for (let c = K; c < n; c++) fn[g * n + c] = c === K + g ? gtCount[g]! : 1e10;
    for (let t = 0; t < K; t++) for (let r = G; r < n; r++) fp[r * n + t] = r === G + t ? trCount[t]! : 1e10;
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < K; t++) {
        fn[g * n + t] = gtCount[g]! - matches[g * K + t]!;
        fp[g * n + t] = trCount[t]! - matches[g * K + t]!;
      }
    }
    const { rows, cols } = linearSumAssignment(
      fn.map((x, i) => x + fp[i]!),
      n,
      n,
    );
    const idfn = rows.reduce((s, r, p) => s + fn[r * n + cols[p]!]!, 0);
    return data.numGtDets - idfn;
  }

  it('equals TrackEval’s dense assignment on random sequences', () => {
    let state = 99;
    const rnd = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    for (let trial = 0; trial < 60; trial++) {
      const G = 1 + Math.floor(rnd() * 6);
      const K = 1 + Math.floor(rnd() * 8);
      const frames: [number[], number[], number[]][] = [];
      for (let t = 0; t < 12; t++) {
        const g = [...Array(G).keys()].filter(() => rnd() < 0.7);
        const k = [...Array(K).keys()].filter(() => rnd() < 0.5);
        frames.push([g, k, g.flatMap(() => k.map(() => (rnd() < 0.4 ? 0.5 + rnd() / 2 : rnd() / 2)))]);
      }
      const data = sequence(frames);
      // Ids must be 0..n-1 and all present: relabel what the random draw used.
      const relabel = (ids: Int32Array[]) => {
        const used = [...new Set(ids.flatMap((a) => [...a]))].sort((a, b) => a - b);
        for (const a of ids) for (let i = 0; i < a.length; i++) a[i] = used.indexOf(a[i]!);
      };
      relabel(data.gtIds);
      relabel(data.trackerIds);
      if (data.numGtDets === 0 || data.numTrackerDets === 0) continue;
      expect(computeIdentity(data).IDTP).toBe(denseIdtp(data));
    }
  });
});
