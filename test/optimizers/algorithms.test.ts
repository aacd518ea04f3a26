import { describe, expect, it } from 'vitest';
import { applyMargin, type CmaState } from '../../src/optimizers/cmaes.js';
import { allocate, type Member, memberOf } from '../../src/optimizers/ensemble.js';
import { normalCdf } from '../../src/optimizers/gp/normal.js';
import { predictMean, suggest } from '../../src/optimizers/index.js';
import { buildProblem } from '../../src/optimizers/problem.js';
import { cellBounds } from '../../src/space/encoding.js';
import { Rng } from '../../src/space/sampling.js';
import type { Dimension, Params, Space, Trial } from '../../src/space/types.js';
import { BRANIN, branin, runLoop } from './helpers.js';

describe('CMA-ES with integer margin', () => {
  it('moves a collapsed integer mean towards a cell edge so leaving the cell keeps probability α', () => {
    const space: Space = {
      dimensions: [
        { kind: 'int', name: 'k', low: 0, high: 9, log: false },
        { kind: 'real', name: 'x', low: 0, high: 1, log: false },
      ],
    };
    const p = buildProblem({ space, trials: [], pending: [], n: 1, seed: 0 });
    const c = new Float64Array([1, 0, 0, 1]);
    const state: CmaState = { mean: [0.45, 0.3], sigma: 1e-3, c, ps: [0, 0], pc: [0, 0], generation: 3 };
    const alpha = 0.05;
    const out = applyMargin(state, p, alpha);
    const [lo, hi] = cellBounds(space.dimensions[0] as Dimension, 0.45);
    const m = out.mean[0] as number;
    expect(m).toBeGreaterThanOrEqual(lo);
    expect(m).toBeLessThanOrEqual(hi);
    const sd = out.sigma;
    const leave = normalCdf((lo - m) / sd) + 1 - normalCdf((hi - m) / sd);
    expect(leave).toBeGreaterThanOrEqual(alpha * 0.999);
    expect(out.mean[1]).toBe(0.3);
  });

  it('keeps moving integer coordinates and reaches the integer optimum', () => {
    const space: Space = {
      dimensions: Array.from({ length: 4 }, (_, i) => ({
        kind: 'int' as const,
        name: `k${i}`,
        low: 0,
        high: 20,
        log: false,
      })),
    };
    const f = (p: Params) => Object.values(p).reduce((s: number, v) => s + ((v as number) - 13) ** 2, 0);
    const results = [0, 1, 2].map((seed) => {
      const trials = runLoop(
        (t, n) => suggest('cmaes', { space, trials: t, pending: [], n, seed, minimize: true, budget: 150 }),
        f,
        150,
      );
      return Math.min(...trials.map((t) => t.score as number));
    });
    // Random search over 21⁴ points would need ~2 000 evaluations to hit the optimum once.
    expect(results.filter((v) => v === 0).length).toBeGreaterThanOrEqual(2);
  });
});

describe('ensemble bandit', () => {
  const members: Member[] = ['a', 'b', 'c'].map((name) => ({ name, labels: [name], propose: () => [] }));

  it('reads member labels, with or without a study prefix', () => {
    expect(memberOf('b', members)).toBe(1);
    expect(memberOf('opentuner:c', members)).toBe(2);
    expect(memberOf('tpe', members)).toBe(-1);
    expect(memberOf(undefined, members)).toBe(-1);
  });

  it('gives most slots to the member whose recent proposals set new bests', () => {
    const trials: Trial[] = [];
    const rng = new Rng(3);
    let best = 0;
    for (let i = 0; i < 30; i++) {
      const member = ['a', 'b', 'c'][i % 3] as string;
      // b improves the best every time, a and c never do.
      if (member === 'b') best += 1;
      const score = member === 'b' ? best : -10 - rng.uniform();
      trials.push({ params: { x: i / 30 }, score, optimizer: `ensemble:${member}` });
    }
    const space: Space = { dimensions: [{ kind: 'real', name: 'x', low: 0, high: 1, log: false }] };
    const slots = allocate(buildProblem({ space, trials, pending: [], n: 6, seed: 0 }), members, 6, 0);
    expect(slots.filter((s) => s === 1).length).toBeGreaterThanOrEqual(4);
  });

  it('cycles through members when nothing is credited', () => {
    const space: Space = { dimensions: [{ kind: 'real', name: 'x', low: 0, high: 1, log: false }] };
    const trials: Trial[] = [{ params: { x: 0.5 }, score: 1 }];
    const slots = allocate(buildProblem({ space, trials, pending: [], n: 3, seed: 0 }), members, 3, 0);
    expect([...slots].sort()).toEqual([0, 1, 2]);
  });
});

describe('posterior mean under noise', () => {
  it('picks a truly better final config than the best noisy draw', () => {
    // 60 noisy evaluations of Branin (σ = 5, larger than the spread of good values); each seed compares the
    // true value of the config ranked best by the GP posterior mean with that of the best single observation.
    let gpTotal = 0;
    let rawTotal = 0;
    for (const seed of [1, 2, 3, 4]) {
      const rng = new Rng(seed, 99);
      const noisy = (p: Params) => branin(p) + 5 * rng.normal();
      const trials = runLoop(
        (t, n) => suggest('sobol', { space: BRANIN, trials: t, pending: [], n, seed, minimize: true }),
        noisy,
        60,
      );
      const points = trials.map((t) => t.params);
      const means = predictMean('gp', { space: BRANIN, trials, points, seed, minimize: true }) as number[];
      const byMean = points[means.indexOf(Math.min(...means))] as Params;
      const byDraw = (trials.reduce((a, b) => ((b.score as number) < (a.score as number) ? b : a)) as Trial)
        .params;
      gpTotal += branin(byMean);
      rawTotal += branin(byDraw);
    }
    expect(gpTotal).toBeLessThan(rawTotal);
  });

  it('is undefined for optimizers without a model', () => {
    expect(predictMean('tpe', { space: BRANIN, trials: [], points: [], seed: 0 })).toBeUndefined();
  });
});

describe('GP batches (kriging believer)', () => {
  it('spreads a batch instead of stacking it on one predicted-good spot', () => {
    const space: Space = {
      dimensions: Array.from({ length: 10 }, (_, i) => ({
        kind: 'real' as const,
        name: `x${i}`,
        low: -15,
        high: 20,
        log: false,
      })),
    };
    // Ackley: rugged, so the GP learns a sizeable noise term (the case where a naive believer fails).
    const ackley = (p: Params) => {
      const x = Object.values(p) as number[];
      const sq = x.reduce((s, v) => s + v * v, 0) / x.length;
      const cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / x.length;
      return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cs) + 20 + Math.E;
    };
    const trials: Trial[] = [];
    const closest: number[] = [];
    for (let round = 0; round < 8; round++) {
      const batch = suggest('gp', { space, trials, pending: [], n: 4, seed: 0, minimize: true, budget: 50 });
      const u = batch.map((p) => space.dimensions.map((d) => ((p[d.name] as number) + 15) / 35));
      let c = Number.POSITIVE_INFINITY;
      for (let i = 0; i < u.length; i++)
        for (let j = 0; j < i; j++)
          c = Math.min(
            c,
            Math.hypot(...(u[i] as number[]).map((v, k) => v - ((u[j] as number[])[k] as number))),
          );
      closest.push(c);
      for (const params of batch) trials.push({ params, score: ackley(params) });
    }
    // A believer that keeps the old threshold stacks batches within ~0.01 of each other here. With the output
    // scale chosen per study, one round (on the plain scale) sends three picks to one unexplored region, 0.145 to
    // 0.28 apart: spread, not stacked. So the bound is 0.1 (it was 0.2 when every fit used the warp; closest 0.36).
    expect(Math.min(...closest)).toBeGreaterThan(0.1);
  });
});
