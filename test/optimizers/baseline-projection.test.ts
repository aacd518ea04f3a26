import { describe, expect, it } from 'vitest';
import { buildProblem } from '../../src/optimizers/problem.js';
import { projectParams } from '../../src/space/projection.js';
import type { Space, Trial } from '../../src/space/types.js';

const space: Space = {
  dimensions: [
    { kind: 'real', name: 'threshold', low: 0.5, high: 0.9, log: false },
    { kind: 'int', name: 'age', low: 5, high: 90, log: false },
    { kind: 'choice', name: 'shadow', choices: [0, 1] },
  ],
};

describe('a baseline outside the tuned ranges', () => {
  it('is projected onto the nearest point of the space', () => {
    expect(projectParams(space, { threshold: 0, age: 120.4, shadow: 1 })).toEqual({
      params: { threshold: 0.5, age: 90, shadow: 1 },
      moved: [
        { name: 'threshold', from: 0, to: 0.5 },
        { name: 'age', from: 120.4, to: 90 },
      ],
    });
    expect(projectParams(space, { threshold: 0.7, age: 30, shadow: 0 })?.moved).toEqual([]);
    // A choice the space does not offer has no nearest point.
    expect(projectParams(space, { threshold: 0.7, age: 30, shadow: 2 })).toBeUndefined();
  });

  it('stays in the optimizers’ history at its projection; other points outside the space do not', () => {
    const outside = { threshold: 0, age: 30, shadow: 0 };
    const trials: Trial[] = [
      { params: outside, score: 0.4, optimizer: 'baseline' },
      { params: { ...outside, age: 31 }, score: 0.3, optimizer: 'tpe' },
    ];
    const { obs } = buildProblem({ space, trials, pending: [], n: 1, seed: 0 });
    expect(obs).toHaveLength(1);
    expect(obs[0]!.x[0]).toBe(0);
    expect(obs[0]!.loss).toBe(-0.4);
    expect(obs[0]!.source).toBe('baseline');
  });
});
