import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constrainedDominates,
  crowdingDistance,
  dominates,
  hypervolume2d,
  hypervolumeContributions2d,
  nonDominatedSort,
  paretoFront,
  paretoSet,
} from '../../src/objectives/pareto.js';

describe('dominates', () => {
  it('needs no worse everywhere and better somewhere', () => {
    expect(dominates([1, 2], [1, 3])).toBe(true);
    expect(dominates([1, 3], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 2])).toBe(false);
    expect(dominates([2, 2], [1, 3])).toBe(false);
    // Equal vectors do not dominate each other.
    expect(dominates([2, 2], [2, 2])).toBe(false);
  });

  it('constrained: feasible beats infeasible, then the smaller violation, then Pareto', () => {
    expect(constrainedDominates({ values: [9, 9] }, { values: [0, 0], violation: 0.1 })).toBe(true);
    expect(constrainedDominates({ values: [0, 0], violation: 0.1 }, { values: [9, 9] })).toBe(false);
    expect(constrainedDominates({ values: [9, 9], violation: 0.1 }, { values: [0, 0], violation: 0.2 })).toBe(
      true,
    );
    expect(constrainedDominates({ values: [0, 0], violation: 0.2 }, { values: [9, 9], violation: 0.2 })).toBe(
      false,
    );
    expect(constrainedDominates({ values: [1, 1], violation: 0 }, { values: [1, 2] })).toBe(true);
  });
});

describe('nonDominatedSort', () => {
  it('splits into fronts, duplicates in one front', () => {
    // a(1,3) b(2,2) c(3,3) d(2,4) e(4,4) f=b: a, b, f are non-dominated; c is dominated by b, d by a
    // (and c, d not by each other); e by everything.
    const pts = [
      [1, 3],
      [2, 2],
      [3, 3],
      [2, 4],
      [4, 4],
      [2, 2],
    ];
    expect(nonDominatedSort(pts, dominates)).toEqual([[0, 1, 5], [2, 3], [4]]);
  });

  it('with constraints: feasible fronts first, then infeasible points by violation', () => {
    const pts = [
      { values: [5, 5] },
      { values: [0, 0], violation: 0.2 },
      { values: [9, 9], violation: 0.1 },
      { values: [1, 1] },
    ];
    expect(nonDominatedSort(pts, constrainedDominates)).toEqual([[3], [0], [2], [1]]);
  });

  it('handles empty input', () => {
    expect(nonDominatedSort([], dominates)).toEqual([]);
  });
});

describe('crowdingDistance', () => {
  it('sums normalised neighbour gaps, ends infinite', () => {
    // f1 spans 0..4: (1,2) gets (3−0)/4 = 0.75, (3,1) gets (4−1)/4 = 0.75.
    // f2 spans 0..4 in order 0,1,2,4: (3,1) gets (2−0)/4 = 0.5, (1,2) gets (4−1)/4 = 0.75.
    const d = crowdingDistance([
      [0, 4],
      [1, 2],
      [3, 1],
      [4, 0],
    ]);
    expect(d[0]).toBe(Number.POSITIVE_INFINITY);
    expect(d[1]).toBeCloseTo(1.5, 12);
    expect(d[2]).toBeCloseTo(1.25, 12);
    expect(d[3]).toBe(Number.POSITIVE_INFINITY);
  });

  it('a flat objective adds nothing; empty and single fronts work', () => {
    // f2 constant: only f1 counts, (1,5) gets (2−0)/2 = 1.
    expect(
      crowdingDistance([
        [0, 5],
        [1, 5],
        [2, 5],
      ])[1],
    ).toBe(1);
    expect(crowdingDistance([])).toEqual([]);
    expect(crowdingDistance([[1, 1]])).toEqual([Number.POSITIVE_INFINITY]);
  });
});

describe('paretoFront', () => {
  it('keeps non-dominated points and their duplicates', () => {
    expect(
      paretoFront([
        [1, 3],
        [2, 2],
        [3, 3],
        [2, 2],
        [3, 1],
      ]),
    ).toEqual([0, 1, 3, 4]);
    expect(paretoFront([])).toEqual([]);
  });
});

describe('hypervolume2d', () => {
  const staircase = [
    [1, 3],
    [2, 2],
    [3, 1],
  ];
  const ref = [4, 4];

  it('matches the hand-computed staircase', () => {
    // Strips by f1: (4−1)(4−3) = 3, (4−2)(3−2) = 2, (4−3)(2−1) = 1 → 6; inclusion–exclusion over the three
    // boxes gives the same: 3 + 4 + 3 − (2 + 1 + 2) + 1 = 6.
    expect(hypervolume2d(staircase, ref)).toBe(6);
    // (1,2) and (3,1): 3·2 + 1·1 = 7.
    expect(
      hypervolume2d(
        [
          [3, 1],
          [1, 2],
        ],
        ref,
      ),
    ).toBe(7);
  });

  it('ignores dominated points, duplicates and points not dominating the reference', () => {
    const extra = [
      [3, 3],
      [2, 2],
      [5, 0],
      [4, 0],
      [0.5, 5],
      [0, 4],
    ];
    expect(hypervolume2d([...staircase, ...extra], ref)).toBe(6);
    expect(hypervolume2d([], ref)).toBe(0);
    expect(hypervolume2d([[5, 5]], ref)).toBe(0);
  });

  it('contributions: the exclusive boxes, zero for duplicates and dominated points', () => {
    // (1,3) alone covers [1,2]×[3,4], (2,2) covers [2,3]×[2,3], (3,1) covers [3,4]×[1,2]: 1 each.
    expect(hypervolumeContributions2d(staircase, ref)).toEqual([1, 1, 1]);
    // (1,2): [1,3]×[2,4] = 4; (3,1): [3,4]×[1,2] = 1.
    expect(
      hypervolumeContributions2d(
        [
          [1, 2],
          [3, 1],
          [3, 3],
        ],
        ref,
      ),
    ).toEqual([4, 1, 0]);
    expect(hypervolumeContributions2d([...staircase, [2, 2]], ref)).toEqual([1, 0, 1, 0]);
  });

  it('never decreases when a point is added, and equals the front’s volume', () => {
    const point = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }));
    fc.assert(
      fc.property(fc.array(point, { maxLength: 12 }), point, (pts, extra) => {
        const r = [10, 10];
        const hv = hypervolume2d(pts, r);
        expect(hypervolume2d([...pts, extra], r)).toBeGreaterThanOrEqual(hv);
        expect(
          hypervolume2d(
            paretoFront(pts).map((i) => pts[i]!),
            r,
          ),
        ).toBe(hv);
        // Unit grid: the volume is the count of covered cells.
        let cells = 0;
        for (let x = 0; x < 10; x++)
          for (let y = 0; y < 10; y++) if (pts.some(([a, b]) => a <= x && b <= y)) cells++;
        expect(hv).toBe(cells);
      }),
    );
  });
});

describe('paretoSet', () => {
  it('returns the feasible non-dominated entries for mixed goals', () => {
    // HOTA (max) and latency (min): 0 and 1 trade off, 2 is dominated by 0, 3 would dominate all but is
    // infeasible, 4 duplicates 1, 5 has a NaN.
    const entries = [
      { values: [0.6, 30] },
      { values: [0.7, 40] },
      { values: [0.5, 35] },
      { values: [0.8, 20], violation: 0.3 },
      { values: [0.7, 40], violation: 0 },
      { values: [Number.NaN, 10] },
    ];
    expect(paretoSet(['max', 'min'], entries)).toEqual([0, 1, 4]);
    // Both minimised, the order flips for the first objective: 2 (0.5, 35) is now non-dominated.
    expect(paretoSet(['min', 'min'], entries)).toEqual([0, 2]);
    expect(paretoSet(['max', 'max'], [])).toEqual([]);
    expect(paretoSet(['max', 'max'], [{ values: [1, 1], violation: 1 }])).toEqual([]);
  });
});
