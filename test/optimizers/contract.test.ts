import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  optimizerNames,
  predictMean,
  resolveOptimizer,
  suggest,
  suggestTagged,
} from '../../src/optimizers/index.js';
import { decode } from '../../src/space/encoding.js';
import { Rng } from '../../src/space/sampling.js';
import type { Params, Trial } from '../../src/space/types.js';
import { isInside, key, MIXED, mixedScore } from './helpers.js';

const CANONICAL = ['random', 'sobol', 'tpe', 'hyper', 'gp', 'rbf', 'cmaes', 'ensemble', 'auto', 'nsga2'];

/** A history of `count` random points of MIXED with their scores (some failed). */
function history(count: number, seed: number, failEvery = 0): Trial[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const params = decode(
      MIXED,
      MIXED.dimensions.map(() => rng.uniform()),
    );
    return {
      params,
      score: failEvery > 0 && i % failEvery === 0 ? null : mixedScore(params),
      optimizer: 'foreign',
    };
  });
}

describe('optimizer registry', () => {
  it('accepts every PipeTuner name and alias', () => {
    for (const name of [...CANONICAL, 'pysot', 'scikit', 'opentuner', 'rbf', 'ensemble'])
      expect(optimizerNames).toContain(name);
    expect(resolveOptimizer('pysot')).toBe('rbf');
    expect(resolveOptimizer('scikit')).toBe('gp');
    expect(resolveOptimizer('opentuner')).toBe('ensemble');
    expect(resolveOptimizer('TPE')).toBe('tpe');
    expect(resolveOptimizer('NSGAII')).toBe('nsga2');
  });

  it('rejects an unknown name with an InputError that lists the valid ones', () => {
    const call = () => suggest('smac', { space: MIXED, trials: [], pending: [], n: 1, seed: 0 });
    expect(call).toThrow(InputError);
    expect(call).toThrow(/valid names: .*pysot.*tpe/);
  });

  it('rejects a negative or fractional n', () => {
    expect(() => suggest('random', { space: MIXED, trials: [], pending: [], n: -1, seed: 0 })).toThrow(
      InputError,
    );
    expect(() => suggest('random', { space: MIXED, trials: [], pending: [], n: 1.5, seed: 0 })).toThrow(
      InputError,
    );
  });
});

describe.each(CANONICAL)('%s', (name) => {
  // Past the initial design (min(2(d+1), 20% of 100) = 12 points), so the model-based path runs.
  const trials = history(20, 11, 7);
  const pending = history(3, 12).map((t) => t.params);
  const request = { space: MIXED, trials, pending, n: 4, seed: 5, budget: 100 };

  it('is deterministic: equal inputs give equal candidates, another seed others', () => {
    const a = suggest(name, request);
    expect(suggest(name, request)).toEqual(a);
    expect(suggest(name, { ...request, seed: 6 })).not.toEqual(a);
  });

  it('returns n distinct points inside the space (bounds, integers, log ranges, choices)', () => {
    const out = suggest(name, request);
    expect(out).toHaveLength(4);
    for (const p of out) expect(isInside(MIXED, p)).toBe(true);
    expect(new Set(out.map(key)).size).toBe(4);
  });

  it('never re-suggests an evaluated (even failed) or pending point', () => {
    const taken = new Set([...trials.map((t) => key(t.params)), ...pending.map(key)]);
    for (const p of suggest(name, { ...request, n: 8 })) expect(taken.has(key(p))).toBe(false);
  });

  it('works from an empty history and when every trial failed', () => {
    expect(suggest(name, { space: MIXED, trials: [], pending: [], n: 3, seed: 1 })).toHaveLength(3);
    const failed = history(15, 3).map((t) => ({ ...t, score: null }));
    const out = suggest(name, { space: MIXED, trials: failed, pending: [], n: 2, seed: 1 });
    expect(out).toHaveLength(2);
    for (const p of out) expect(isInside(MIXED, p)).toBe(true);
  });

  it('takes the pending points into account', () => {
    const without = suggest(name, { ...request, pending: [] });
    const extra = [...pending, ...without.slice(0, 2)];
    const withPending = suggest(name, { ...request, pending: extra });
    expect(withPending).not.toEqual(without);
    const taken = new Set(extra.map(key));
    for (const p of withPending) expect(taken.has(key(p))).toBe(false);
  });
});

describe('shared history', () => {
  it('model-based optimizers move towards the best region of foreign trials; minimize flips the goal', () => {
    const trials = history(40, 21);
    for (const name of ['gp', 'rbf', 'tpe']) {
      const up = suggest(name, { space: MIXED, trials, pending: [], n: 4, seed: 2, budget: 100 });
      const down = suggest(name, {
        space: MIXED,
        trials,
        pending: [],
        n: 4,
        seed: 2,
        budget: 100,
        minimize: true,
      });
      const meanScore = (ps: Params[]) => ps.reduce((s, p) => s + mixedScore(p), 0) / ps.length;
      // Maximising proposes points that score higher than those proposed when minimising the same data.
      expect(meanScore(up), name).toBeGreaterThan(meanScore(down));
    }
  });

  it('averages redundant repeats: a config that is good on average beats one lucky repeat', () => {
    // Two configs; A scores 1.0 twice; B scores 1.5 once and −2 twice (mean −0.83).
    const A = { a: 1, lr: 1e-3, k: 7, n: 64, mode: 'giou' };
    const B = { a: -1.5, lr: 1e-2, k: 2, n: 8, mode: 'iou' };
    const trials: Trial[] = [
      { params: A, score: 1 },
      { params: B, score: 1.5 },
      { params: A, score: 1 },
      { params: B, score: -2 },
      { params: B, score: -2 },
      ...history(10, 4),
    ];
    const means = predictMean('gp', { space: MIXED, trials, points: [A, B], seed: 0 }) as number[];
    expect(means[0]).toBeGreaterThan(means[1] as number);
  });
});

describe('suggestTagged', () => {
  it('says which ensemble member made each point', () => {
    const trials = history(20, 8);
    const out = suggestTagged('opentuner', { space: MIXED, trials, pending: [], n: 3, seed: 3, budget: 100 });
    expect(out).toHaveLength(3);
    for (const c of out) expect(['gp', 'rbf', 'tpe', 'random']).toContain(c.by);
  });
});
