import { describe, expect, it } from 'vitest';
import { type ImportanceTrial, parameterImportance, unitOf } from '../../src/results/importance.js';
import { Rng } from '../../src/space/sampling.js';
import type { Dimension } from '../../src/space/types.js';

const real = (name: string, low = 0, high = 1, log = false): Dimension => ({
  kind: 'real',
  name,
  low,
  high,
  log,
});

/** n uniform random trials over the dimensions, scored by f. */
function sample(
  dims: Dimension[],
  n: number,
  seed: number,
  f: (p: Record<string, number | string>) => number,
) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (): ImportanceTrial => {
    const params: Record<string, number | string> = {};
    for (const d of dims) {
      if (d.kind === 'choice')
        params[d.name] = d.choices[Math.floor(rng.uniform() * d.choices.length)] as string;
      else if (d.kind === 'int') params[d.name] = d.low + Math.floor(rng.uniform() * (d.high - d.low + 1));
      else params[d.name] = d.low + rng.uniform() * (d.high - d.low);
    }
    return { params, score: f(params) };
  });
}

describe('parameterImportance (PED-ANOVA)', () => {
  const dims = [real('a'), real('b'), real('c'), real('d')];

  it('ranks the parameter the score depends on first, with the direction of its effect', () => {
    const up = parameterImportance(
      dims,
      sample(dims, 200, 1, (p) => Number(p.b)),
    );
    expect(up[0]).toMatchObject({ name: 'b', direction: 'higher' });
    expect(up[0]!.importance).toBeGreaterThan(0.5);
    const down = parameterImportance(
      dims,
      sample(dims, 200, 2, (p) => -Number(p.c)),
    );
    expect(down[0]).toMatchObject({ name: 'c', direction: 'lower' });
    const middle = parameterImportance(
      dims,
      sample(dims, 200, 3, (p) => -((Number(p.a) - 0.5) ** 2)),
    );
    expect(middle[0]).toMatchObject({ name: 'a', direction: 'middle' });
    const [lo, hi] = middle[0]!.topRange!;
    expect(lo).toBeGreaterThan(0.3);
    expect(hi).toBeLessThan(0.7);
  });

  it('gives shares that sum to 1, most important first', () => {
    const result = parameterImportance(
      dims,
      sample(dims, 100, 4, (p) => Number(p.a) + 0.3 * Number(p.d)),
    );
    expect(result.map((r) => r.name).slice(0, 2)).toEqual(['a', 'd']);
    expect(result.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1, 12);
    for (let i = 1; i < result.length; i++)
      expect(result[i - 1]!.importance).toBeGreaterThanOrEqual(result[i]!.importance);
  });

  it('finds the choice the top trials favour, and reads log ranges in log space', () => {
    const mixed: Dimension[] = [
      { kind: 'choice', name: 'mode', choices: ['x', 'y', 'z'] },
      real('noise'),
      real('rate', 1e-4, 1, true),
    ];
    const result = parameterImportance(
      mixed,
      sample(mixed, 300, 5, (p) => (p.mode === 'y' ? 1 : 0) + 0.01 * Number(p.noise)),
      { topQuantile: 0.3 },
    );
    expect(result[0]).toMatchObject({ name: 'mode', direction: 'choice', bestChoice: 'y' });
    expect(unitOf({ kind: 'real', name: 'rate', low: 1e-4, high: 1, log: true }, 1e-2)).toBeCloseTo(0.5, 12);
  });

  it('integers on a coarse range still rank', () => {
    const ints: Dimension[] = [
      { kind: 'int', name: 'age', low: 0, high: 6, log: false },
      { kind: 'int', name: 'other', low: 0, high: 6, log: false },
    ];
    const result = parameterImportance(
      ints,
      sample(ints, 120, 6, (p) => -Math.abs(Number(p.age) - 6)),
    );
    expect(result[0]).toMatchObject({ name: 'age', direction: 'higher' });
  });

  it('has nothing to say about fewer than 4 trials or no parameters', () => {
    expect(
      parameterImportance(
        dims,
        sample(dims, 3, 7, (p) => Number(p.a)),
      ),
    ).toEqual([]);
    expect(
      parameterImportance(
        [],
        sample(dims, 50, 7, (p) => Number(p.a)),
      ),
    ).toEqual([]);
  });

  it('is zero when the top trials are all the trials', () => {
    const trials = [0, 0.25, 0.5, 0.75, 1].map((a) => ({ params: { a }, score: a }));
    const result = parameterImportance([real('a')], trials, { topQuantile: 1 });
    expect(result[0]!.importance).toBe(0);
  });
});
