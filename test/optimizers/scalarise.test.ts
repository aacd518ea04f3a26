import { describe, expect, it } from 'vitest';
import { buildProblem } from '../../src/optimizers/problem.js';
import type { Space, Trial } from '../../src/space/types.js';

const SPACE: Space = { dimensions: [{ kind: 'real', name: 'x', low: 0, high: 1, log: false }] };

/** Both objectives maximised: A and B are the extremes, C the middle of the front, D dominated by all. */
const TRIALS: Trial[] = [
  { params: { x: 0.1 }, score: 1, values: [1, 0] },
  { params: { x: 0.2 }, score: 0, values: [0, 1] },
  { params: { x: 0.3 }, score: 0.5, values: [0.5, 0.5] },
  { params: { x: 0.4 }, score: 0, values: [0, 0] },
];

function losses(trials: Trial[], seed: number): number[] {
  return buildProblem({ space: SPACE, trials, pending: [], n: 1, seed, objectives: ['max', 'max'] }).obs.map(
    (o) => o.loss,
  );
}

describe('ParEGO scalarisation', () => {
  it('normalises each objective over the feasible points and applies one weight vector (s, 1 − s)', () => {
    // Loss vectors (−1, 0), (0, −1), (−½, −½), (0, 0) normalise to (0, 1), (1, 0), (½, ½), (1, 1). With
    // ρ = 0.05: A = 1.05(1 − s), B = 1.05 s, C = ½ max(s, 1 − s) + 0.025, D = max(s, 1 − s) + 0.05.
    const drawn = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const [a, b, c, d] = losses(TRIALS, seed) as [number, number, number, number];
      const s = b / 1.05;
      expect(Math.round(10 * s)).toBeCloseTo(10 * s, 9);
      expect(a).toBeCloseTo(1.05 * (1 - s), 12);
      expect(c).toBeCloseTo(0.5 * Math.max(s, 1 - s) + 0.025, 12);
      expect(d).toBeCloseTo(Math.max(s, 1 - s) + 0.05, 12);
      drawn.add(Math.round(10 * s));
    }
    // Successive calls (other seeds) search other directions of the front.
    expect(drawn.size).toBeGreaterThanOrEqual(8);
  });

  it('ranks an infeasible point past every feasible one, whatever its objectives', () => {
    const trials = [...TRIALS, { params: { x: 0.5 }, score: 9, values: [9, 9], violation: 0.2 }];
    for (let seed = 0; seed < 10; seed++) {
      const l = losses(trials, seed);
      expect(l[4]).toBeGreaterThan(Math.max(...l.slice(0, 4)));
    }
  });

  it('keeps the objective losses (negated when maximised) and treats trials without values as failed', () => {
    const trials = [...TRIALS, { params: { x: 0.6 }, score: 1 }];
    const p = buildProblem({ space: SPACE, trials, pending: [], n: 1, seed: 0, objectives: ['max', 'min'] });
    expect(p.obs[0]!.values).toEqual([-1, 0]);
    expect(p.obs[1]!.values).toEqual([0, 1]);
    expect(p.obs[4]!.failed).toBe(true);
  });
});
