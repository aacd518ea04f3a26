/**
 * Convergence with real margins on Branin (regret = best value − 0.397887 after 50 evaluations). CI runs 3
 * seeds per optimizer; the bounds hold the 10-seed medians of the benchmark with room for seed variance, and
 * every model-based bound is far below what random search reaches (median ≈ 1.0 at 50 evaluations).
 */
import { describe, expect, it } from 'vitest';
import { suggest } from '../../src/optimizers/index.js';
import { BRANIN, BRANIN_MIN, branin, runLoop } from './helpers.js';

const SEEDS = [0, 1, 2];

function medianRegret(name: string, budget: number, batch: number): number {
  const regrets = SEEDS.map((seed) => {
    const trials = runLoop(
      (t, n) => suggest(name, { space: BRANIN, trials: t, pending: [], n, seed, minimize: true, budget }),
      branin,
      budget,
      batch,
    );
    return Math.min(...trials.map((t) => t.score as number)) - BRANIN_MIN;
  }).sort((a, b) => a - b);
  return regrets[1] as number;
}

/** Upper bounds on the median regret after 50 evaluations. */
const BOUNDS: [string, number][] = [
  ['auto', 0.01],
  ['gp', 0.01],
  ['rbf', 0.02],
  ['ensemble', 0.02],
  ['cmaes', 0.6],
  ['tpe', 1.0],
  ['hyper', 1.2],
  ['sobol', 3],
  ['random', 3],
];

describe('Branin, 50 evaluations', () => {
  it.each(BOUNDS)('%s: median regret below %s', (name, bound) => {
    expect(medianRegret(name, 50, 1)).toBeLessThan(bound);
  });

  it('GP-BO in batches of 4 still converges (kriging believer keeps the batch useful)', () => {
    expect(medianRegret('gp', 48, 4)).toBeLessThan(0.05);
  });
});
