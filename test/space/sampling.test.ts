import { describe, expect, it } from 'vitest';
import { Rng, SOBOL_MAX_DIM, sobolPoints, uniformPoints } from '../../src/space/sampling.js';

describe('Rng', () => {
  it('is deterministic per seed and labels, and differs across them', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.uniform()
      )(new Rng(7, 1)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.uniform()
      )(new Rng(7, 1)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.uniform()
      )(new Rng(7, 2)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('draws uniforms in [0,1) with the right mean and normals with unit variance', () => {
    const r = new Rng(123);
    const u = Array.from({ length: 20000 }, () => r.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 1);
    const z = Array.from({ length: 20000 }, () => r.normal());
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('permutes every index exactly once', () => {
    expect(new Rng(5).permutation(50).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('scrambled Sobol', () => {
  it('puts exactly one of the first 2^m points in every 1-D cell of width 2^-m, in every dimension', () => {
    const m = 7;
    const pts = sobolPoints(SOBOL_MAX_DIM, 2 ** m, 42);
    for (let j = 0; j < SOBOL_MAX_DIM; j++) {
      const cells = new Set(pts.map((p) => Math.floor((p[j] as number) * 2 ** m)));
      expect(cells.size).toBe(2 ** m);
    }
  });

  it('is a (0,m,2)-net in its first two dimensions (one point per 2^-a × 2^-b box, a + b = m)', () => {
    const m = 6;
    const pts = sobolPoints(2, 2 ** m, 9);
    for (let a = 0; a <= m; a++) {
      const b = m - a;
      const boxes = new Set(
        pts.map((p) => `${Math.floor((p[0] as number) * 2 ** a)},${Math.floor((p[1] as number) * 2 ** b)}`),
      );
      expect(boxes.size).toBe(2 ** m);
    }
  });

  it('continues the same sequence from any start and changes with the seed', () => {
    const all = sobolPoints(5, 16, 3);
    expect(sobolPoints(5, 6, 3, 10)).toEqual(all.slice(10, 16));
    expect(sobolPoints(5, 16, 4)).not.toEqual(all);
    expect(all.flat().every((v) => v > 0 && v < 1)).toBe(true);
  });

  it('covers the cube more evenly than uniform random points (lower max gap on a 1-D projection)', () => {
    const gap = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      return Math.max(
        s[0] as number,
        1 - (s[s.length - 1] as number),
        ...s.slice(1).map((x, i) => x - (s[i] as number)),
      );
    };
    const sob = sobolPoints(3, 64, 1).map((p) => p[2] as number);
    const uni = uniformPoints(3, 64, 1).map((p) => p[2] as number);
    expect(gap(sob)).toBeLessThan(gap(uni));
  });

  it('rejects more dimensions than it has direction numbers for', () => {
    expect(() => sobolPoints(SOBOL_MAX_DIM + 1, 1, 0)).toThrow(/at most/);
  });
});
