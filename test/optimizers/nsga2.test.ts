import { describe, expect, it } from 'vitest';
import { hypervolume2d, paretoSet, toLosses } from '../../src/objectives/pareto.js';
import { suggest } from '../../src/optimizers/index.js';
import { nsga2PopulationSize, proposeNsga2 } from '../../src/optimizers/nsga2.js';
import { buildProblem, type Goal } from '../../src/optimizers/problem.js';
import { Rng, sobolPoints } from '../../src/space/sampling.js';
import type { Params, Space, Trial } from '../../src/space/types.js';

const LINE: Space = {
  dimensions: [
    { kind: 'real', name: 'x', low: 0, high: 1, log: false },
    { kind: 'real', name: 'y', low: 0, high: 1, log: false },
  ],
};

/** Two clusters of 8 points: x in [0.1, 0.2] and x in [0.8, 0.9]. */
function clusters(): Params[] {
  const rng = new Rng(3);
  return Array.from({ length: 16 }, (_, i) => ({
    x: (i < 8 ? 0.1 : 0.8) + 0.1 * rng.uniform(),
    y: rng.uniform(),
  }));
}

/** ZDT1 on [0,1]^d (both minimised): f₁ = x₀, f₂ = g(1 − √(f₁/g)), g = 1 + 9·mean(x₁…). */
function zdt1(p: Params, d: number): number[] {
  const x = Array.from({ length: d }, (_, i) => p[`x${i}`] as number);
  const g = 1 + (9 * x.slice(1).reduce((s, v) => s + v, 0)) / (d - 1);
  return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
}

function cube(d: number): Space {
  return {
    dimensions: Array.from({ length: d }, (_, i) => ({
      kind: 'real',
      name: `x${i}`,
      low: 0,
      high: 1,
      log: false,
    })),
  };
}

/** Hypervolume reached by `name` after `count` sequential evaluations of ZDT1. */
function zdt1Hypervolume(name: string, d: number, count: number, seed: number): number {
  const space = cube(d);
  const goals: Goal[] = ['min', 'min'];
  const trials: Trial[] = [];
  while (trials.length < count) {
    const [params] = suggest(name, {
      space,
      trials,
      pending: [],
      n: 1,
      seed: seed * 1000 + trials.length,
      budget: count,
      objectives: goals,
      minimize: true,
    });
    const values = zdt1(params!, d);
    trials.push({ params: params!, score: values[0]!, values });
  }
  const front = paretoSet(goals, trials as { values: number[] }[]).map((i) =>
    toLosses(goals, trials[i]!.values!),
  );
  return hypervolume2d(front, [1.1, 1.1]);
}

describe('nsga2', () => {
  it('sizes the population from the budget', () => {
    expect(nsga2PopulationSize(80)).toBe(20);
    expect(nsga2PopulationSize(10)).toBe(8);
    expect(nsga2PopulationSize(1000)).toBe(50);
  });

  it('starts with the shared Sobol design until a population is spent', () => {
    const p = buildProblem({ space: LINE, trials: [], pending: [], n: 3, seed: 4, budget: 80 });
    expect(proposeNsga2(p, 9)).toEqual(sobolPoints(2, 3, 9, 0));
  });

  it('breeds from feasible points even when infeasible ones score better', () => {
    // Budget 32 → population 8: exactly the feasible cluster at x ≈ 0.15; the infeasible cluster at x ≈ 0.85
    // dominates it on both objectives. Children of the feasible parents stay near x ≈ 0.15.
    const trials: Trial[] = clusters().map((params, i) => {
      const feasible = i < 8;
      const values = feasible ? [1, 1] : [2, 2];
      return { params, score: values[0]!, values, violation: feasible ? 0 : 0.5 };
    });
    const out = suggest('nsga2', {
      space: LINE,
      trials,
      pending: [],
      n: 6,
      seed: 1,
      budget: 32,
      objectives: ['max', 'max'],
    });
    expect(out).toHaveLength(6);
    for (const p of out) expect(p.x as number).toBeLessThan(0.5);
    // Without the constraint the other cluster wins.
    const free = suggest('nsga2', {
      space: LINE,
      trials: trials.map(({ violation: _, ...t }) => t),
      pending: [],
      n: 6,
      seed: 1,
      budget: 32,
      objectives: ['max', 'max'],
    });
    for (const p of free) expect(p.x as number).toBeGreaterThan(0.5);
  });

  it('uses the scalar score when the study has one objective', () => {
    const trials: Trial[] = clusters().map((params) => ({
      params,
      score: -(((params.x as number) - 0.85) ** 2),
    }));
    const out = suggest('nsga2', { space: LINE, trials, pending: [], n: 6, seed: 2, budget: 32 });
    for (const p of out) expect(p.x as number).toBeGreaterThan(0.5);
  });

  it('approaches the ZDT1 front better than random search in 120 evaluations', () => {
    // Sum over three seeds of the volume under reference (1.1, 1.1). The true front's is
    // ∫₀¹ (0.1 + √f₁) df₁ + 0.1·1.1 = 0.1 + 2/3 + 0.11 ≈ 0.877; random search reaches about half of it.
    const total = (name: string) => [0, 1, 2].reduce((s, seed) => s + zdt1Hypervolume(name, 3, 120, seed), 0);
    expect(total('nsga2')).toBeGreaterThan(1.5 * total('random'));
  });
});
