// The assignment solver against brute force (every assignment enumerated) and against scipy's own
// choices among tied optima; and the matched-pairs shortcut against the full solver.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssignmentError, linearSumAssignment } from '../../src/eval/lsap.js';
import { matchedPairs, positivePairs } from '../../src/eval/matching.js';

/** A seeded generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Best total over all matchings of min(nr, nc) pairs. */
function bruteForce(cost: Float64Array, nr: number, nc: number, maximize: boolean): number {
  const wide = nr > nc;
  const n = wide ? nc : nr;
  const m = wide ? nr : nc;
  const at = (i: number, j: number) => (wide ? cost[j * nc + i]! : cost[i * nc + j]!);
  let best = maximize ? -Infinity : Infinity;
  const used = new Array<boolean>(m).fill(false);
  const walk = (i: number, total: number) => {
    if (i === n) {
      best = maximize ? Math.max(best, total) : Math.min(best, total);
      return;
    }
    for (let j = 0; j < m; j++) {
      if (used[j]) continue;
      used[j] = true;
      walk(i + 1, total + at(i, j));
      used[j] = false;
    }
  };
  walk(0, 0);
  return best;
}

function expectFullMatching(rows: Int32Array, cols: Int32Array, nr: number, nc: number): void {
  expect(rows.length).toBe(Math.min(nr, nc));
  expect(cols.length).toBe(rows.length);
  expect(new Set(rows).size).toBe(rows.length);
  expect(new Set(cols).size).toBe(cols.length);
  for (let p = 0; p < rows.length; p++) {
    expect(rows[p]).toBeGreaterThanOrEqual(0);
    expect(rows[p]).toBeLessThan(nr);
    expect(cols[p]).toBeGreaterThanOrEqual(0);
    expect(cols[p]).toBeLessThan(nc);
    if (p > 0) expect(rows[p]).toBeGreaterThan(rows[p - 1]!); // sorted by row, as scipy returns
  }
}

const total = (cost: Float64Array, nc: number, rows: Int32Array, cols: Int32Array) =>
  rows.reduce((sum, r, p) => sum + cost[r * nc + cols[p]!]!, 0);

describe('linearSumAssignment', () => {
  const kinds: [string, (rnd: () => number) => number][] = [
    ['random reals', (rnd) => rnd() * 10 - 3],
    ['tie-heavy integers', (rnd) => Math.floor(rnd() * 3)],
    ['sparse IoU-like', (rnd) => (rnd() < 0.3 ? Math.round(rnd() * 8) / 8 : 0)],
  ];
  it.each(kinds)('finds the brute-force optimum on square and rectangular %s', (_, draw) => {
    const rnd = random(7);
    for (let trial = 0; trial < 400; trial++) {
      const nr = 1 + Math.floor(rnd() * 6);
      const nc = 1 + Math.floor(rnd() * 6);
      const cost = Float64Array.from({ length: nr * nc }, () => draw(rnd));
      const maximize = trial % 2 === 1;
      const { rows, cols } = linearSumAssignment(cost, nr, nc, maximize);
      expectFullMatching(rows, cols, nr, nc);
      expect(total(cost, nc, rows, cols)).toBeCloseTo(bruteForce(cost, nr, nc, maximize), 9);
    }
  });

  it('breaks ties exactly as scipy 1.17 does (400 tie-heavy matrices solved by scipy)', () => {
    const cases = JSON.parse(
      readFileSync(resolve(import.meta.dirname, 'fixtures/scipy-lsap-cases.json'), 'utf8'),
    ) as {
      nr: number;
      nc: number;
      maximize: boolean;
      cost: number[];
      rows: number[];
      cols: number[];
    }[];
    for (const c of cases) {
      const { rows, cols } = linearSumAssignment(c.cost, c.nr, c.nc, c.maximize);
      expect({ rows: [...rows], cols: [...cols] }).toEqual({ rows: c.rows, cols: c.cols });
    }
  });

  it('handles empty matrices', () => {
    expect(linearSumAssignment([], 0, 3).rows.length).toBe(0);
    expect(linearSumAssignment([], 4, 0).cols.length).toBe(0);
  });

  it('rejects NaN and -Infinity (scipy raises ValueError) and infeasible problems', () => {
    expect(() => linearSumAssignment([1, Number.NaN, 2, 3], 2, 2)).toThrow(AssignmentError);
    expect(() => linearSumAssignment([1, -Infinity, 2, 3], 2, 2)).toThrow(AssignmentError);
    expect(() => linearSumAssignment([1, Infinity, 2, 3], 2, 2, true)).toThrow(AssignmentError);
    expect(() => linearSumAssignment([Infinity, Infinity, 1, 2], 2, 2)).toThrow(/infeasible/);
  });
});

describe('positivePairs', () => {
  it('equals the full solver filtered to score > eps, shortcut or not', () => {
    const rnd = random(11);
    let shortcuts = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const nr = 1 + Math.floor(rnd() * 7);
      const nc = 1 + Math.floor(rnd() * 7);
      const density = rnd() * 0.5;
      // Sparse positive scores, half of them tied at 0.5.
      const draw = () => [0.5, rnd()][Math.floor(rnd() * 2)]!;
      const score = Float64Array.from({ length: nr * nc }, () => (rnd() < density ? draw() : 0));
      const full = linearSumAssignment(score, nr, nc, true);
      const keep = [...full.rows.keys()].filter(
        (p) => score[full.rows[p]! * nc + full.cols[p]!]! > 2.220446049250313e-16,
      );
      const count = positivePairs(score, nr, nc);
      expect([...matchedPairs.rows.subarray(0, count)]).toEqual(keep.map((p) => full.rows[p]));
      expect([...matchedPairs.cols.subarray(0, count)]).toEqual(keep.map((p) => full.cols[p]));
      const perRow = new Array<number>(nr).fill(0);
      const perCol = new Array<number>(nc).fill(0);
      score.forEach((s, k) => {
        if (s > 0) {
          perRow[Math.floor(k / nc)]!++;
          perCol[k % nc]!++;
        }
      });
      if (Math.max(0, ...perRow, ...perCol) <= 1) shortcuts++;
    }
    expect(shortcuts).toBeGreaterThan(300); // the shortcut path is exercised
  });
});
