import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Alternative, signedRankPValue } from '../../src/pruners/signedRank.js';
import { REPO } from '../helpers/temporal.js';

// One-sided p-values computed once by SciPy (the script beside the fixture says how).
const fixture = JSON.parse(
  readFileSync(path.join(REPO, 'test', 'fixtures', 'pruners', 'wilcoxon-scipy.json'), 'utf8'),
) as { scipy: string; cases: { d: number[]; alternative: Alternative; p: number }[] };

describe('signed-rank p-values equal SciPy', () => {
  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    expect(signedRankPValue(c.d, c.alternative)).toBeCloseTo(c.p, 12);
  });

  it('covers each of SciPy’s three methods', () => {
    const sizes = fixture.cases.map((c) => c.d.length);
    expect(sizes.some((n) => n <= 13)).toBe(true);
    expect(sizes.some((n) => n > 13 && n <= 50)).toBe(true);
    expect(sizes.some((n) => n > 50)).toBe(true);
  });
});

describe('signed-rank p-values by hand', () => {
  it('every difference negative: p = 2^-n', () => {
    for (const n of [2, 3, 4, 5, 8]) {
      const d = Array.from({ length: n }, (_, i) => -(i + 1));
      expect(signedRankPValue(d, 'less')).toBeCloseTo(2 ** -n, 15);
      expect(signedRankPValue(d, 'greater')).toBe(1);
    }
  });

  it('W+ = 3 of n = 3 (ranks 1, 2 negative, 3 positive): P(W+ <= 3) = 5/8', () => {
    // subsets of {1,2,3} with sum <= 3: {}, {1}, {2}, {3}, {1,2}
    expect(signedRankPValue([-1, -2, 3], 'less')).toBeCloseTo(5 / 8, 15);
  });
});
