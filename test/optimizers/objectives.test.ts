import { describe, expect, it } from 'vitest';
import { suggest } from '../../src/optimizers/index.js';
import { buildProblem, incumbent } from '../../src/optimizers/problem.js';
import type { Space, Trial } from '../../src/space/types.js';

const space: Space = { dimensions: [{ name: 'x', kind: 'real', low: 0, high: 1, log: false }] };
const at = (x: number, score: number, extra: Partial<Trial> = {}): Trial => ({
  params: { x },
  score,
  ...extra,
});

describe('constraints in the optimizers’ history', () => {
  it('ranks every infeasible point past every feasible one, by its violation alone', () => {
    const p = buildProblem({
      space,
      trials: [
        at(0.1, 0.5),
        at(0.2, 0.9, { violation: 0.5 }), // the top score, but it misses a constraint
        at(0.3, 0.6),
        at(0.4, 0.95, { violation: 2 }),
        at(0.5, 0.2, { violation: 0.1 }),
      ],
      pending: [],
      n: 1,
      seed: 1,
    });
    const loss = (x: number) => p.obs.find((o) => Math.abs(o.x[0]! - x) < 1e-9)!.loss;
    expect(loss(0.3)).toBeLessThan(loss(0.1)); // feasible: by score (maximised)
    expect(loss(0.1)).toBeLessThan(loss(0.5)); // the worst feasible beats the best infeasible
    expect(loss(0.5)).toBeLessThan(loss(0.2)); // infeasible: by violation, whatever they scored
    expect(loss(0.2)).toBeLessThan(loss(0.4));
    expect(incumbent(p)?.x[0]).toBeCloseTo(0.3, 9);
    expect(p.obs.filter((o) => o.violation).map((o) => o.failed)).toEqual([false, false, false]);
  });
});

describe('two objectives in the optimizers’ history', () => {
  const trials = [
    at(0.1, 0.5, { values: [50, 10] }),
    at(0.2, 0.6, { values: [60, 5] }),
    at(0.3, 0.4, { values: [40, 20] }),
    at(0.4, 0.3, { values: [30, 4] }), // dominated by every other point
  ];
  const problem = (seed: number) =>
    buildProblem({ space, trials, pending: [], n: 1, seed, objectives: ['max', 'max'] });

  it('keeps each point’s objective losses, negated when maximised', () => {
    expect(problem(1).obs.map((o) => o.values)).toEqual([
      [-50, -10],
      [-60, -5],
      [-40, -20],
      [-30, -4],
    ]);
  });

  it('scalarises by a weight drawn from the seed: the dominated point is never the best, and the best changes with the weight', () => {
    const bests = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const best = incumbent(problem(seed))!;
      expect(best.x[0]).not.toBeCloseTo(0.4, 9);
      bests.add(Math.round(best.x[0]! * 10));
    }
    expect([...bests].sort()).toEqual([1, 2, 3]);
  });

  it('counts a trial without its objective values as failed', () => {
    const p = buildProblem({
      space,
      trials: [...trials, at(0.6, 0.9)],
      pending: [],
      n: 1,
      seed: 1,
      objectives: ['max', 'max'],
    });
    expect(p.obs.at(-1)).toMatchObject({ failed: true });
  });

  it('lets every registered optimizer propose for two objectives', () => {
    for (const name of ['auto', 'gp', 'tpe', 'cmaes', 'rbf', 'random']) {
      const [candidate] = suggest(name, {
        space,
        trials,
        pending: [],
        n: 1,
        seed: 3,
        objectives: ['max', 'max'],
      });
      expect(candidate!.x).toBeGreaterThanOrEqual(0);
    }
  });
});
