import { describe, expect, it } from 'vitest';
import { suggestTagged } from '../../src/optimizers/index.js';
import { buildProblem, incumbent, scored } from '../../src/optimizers/problem.js';
import type { Space, Trial } from '../../src/space/types.js';

const space: Space = { dimensions: [{ name: 'x', kind: 'real', low: 0, high: 1, scale: 'linear' }] };
const at = (x: number, score: number | null, pruned?: { reached: number; of: number }): Trial => ({
  params: { x },
  score,
  ...(pruned ? { pruned } : {}),
});

describe('pruned trials in the optimizers’ history', () => {
  const trials = [
    at(0.1, 0.5),
    at(0.2, 0.4),
    // a high partial score: it must still rank below every complete trial
    at(0.3, 0.9, { reached: 1, of: 3 }),
    at(0.4, 0.9, { reached: 2, of: 3 }),
    at(0.5, 0.3, { reached: 2, of: 3 }),
    at(0.6, null),
  ];
  const p = buildProblem({ space, trials, pending: [], n: 1, seed: 1 });
  const loss = (x: number) => p.obs.find((o) => Math.abs(o.x[0]! - x) < 1e-9)!.loss;

  it('orders complete < pruned (further stage first, then partial score) < failed', () => {
    expect(loss(0.1)).toBeLessThan(loss(0.2));
    expect(loss(0.2)).toBeLessThan(loss(0.4));
    expect(loss(0.4)).toBeLessThan(loss(0.5));
    expect(loss(0.5)).toBeLessThan(loss(0.3));
    expect(loss(0.3)).toBeLessThan(loss(0.6));
  });

  it('marks pruned points and keeps them out of the models and the incumbent', () => {
    expect(p.obs.filter((o) => o.pruned).map((o) => o.pruned)).toEqual([
      { reached: 1, of: 3 },
      { reached: 2, of: 3 },
      { reached: 2, of: 3 },
    ]);
    expect(scored(p).map((o) => o.x[0])).toEqual([0.1, 0.2]);
    expect(incumbent(p)?.x[0]).toBe(0.1);
  });

  it('a complete repeat of a point outweighs a pruned one', () => {
    const q = buildProblem({
      space,
      trials: [at(0.1, 0.5), at(0.7, 0.2, { reached: 1, of: 3 }), at(0.7, 0.6)],
      pending: [],
      n: 1,
      seed: 1,
    });
    const seven = q.obs.find((o) => Math.abs(o.x[0]! - 0.7) < 1e-9)!;
    expect(seven).toMatchObject({ failed: false, loss: -0.6 });
  });

  it('every optimizer proposes from a history with pruned trials, and never re-proposes them', () => {
    for (const name of ['tpe', 'gp', 'cmaes', 'rbf', 'ensemble', 'auto', 'random']) {
      const [candidate] = suggestTagged(name, { space, trials, pending: [], n: 1, seed: 3, budget: 20 });
      expect(candidate!.params.x).toBeGreaterThanOrEqual(0);
      expect(trials.some((t) => t.params.x === candidate!.params.x)).toBe(false);
    }
  });
});
