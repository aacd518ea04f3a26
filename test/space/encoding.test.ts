import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellBounds, decode, decodeValue, encode, snap } from '../../src/space/encoding.js';
import type { Dimension, Params, Space } from '../../src/space/types.js';

/** Arbitrary dimensions: reals and ints on linear or log scales (positive bounds for log), and choices. */
const dimension = (name: string): fc.Arbitrary<Dimension> =>
  fc.oneof(
    fc
      .tuple(
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.boolean(),
      )
      .filter(([a, b]) => Math.abs(a - b) > 1e-6)
      .map(
        ([a, b, log]): Dimension => ({ kind: 'real', name, low: Math.min(a, b), high: Math.max(a, b), log }),
      ),
    fc
      .tuple(fc.integer({ min: -50, max: 200 }), fc.integer({ min: 0, max: 300 }), fc.boolean())
      .map(([low, span, log]): Dimension => {
        const lo = log ? Math.max(1, Math.abs(low)) : low;
        return { kind: 'int', name, low: lo, high: lo + span, log };
      }),
    fc
      .uniqueArray(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean()), {
        minLength: 1,
        maxLength: 6,
      })
      .map((choices): Dimension => ({ kind: 'choice', name, choices })),
  );

const space: fc.Arbitrary<Space> = fc
  .integer({ min: 1, max: 6 })
  .chain((d) =>
    fc
      .tuple(...Array.from({ length: d }, (_, i) => dimension(`p${i}`)))
      .map((dimensions) => ({ dimensions })),
  );

/** A valid point of the space. */
function pointOf(s: Space): fc.Arbitrary<Params> {
  return fc
    .tuple(
      ...s.dimensions.map((dim): fc.Arbitrary<string | number | boolean> => {
        if (dim.kind === 'choice') return fc.constantFrom(...dim.choices);
        if (dim.kind === 'int') return fc.integer({ min: dim.low, max: dim.high });
        return fc.double({ min: dim.low, max: dim.high, noNaN: true });
      }),
    )
    .map((values) =>
      Object.fromEntries(s.dimensions.map((dim, i) => [dim.name, values[i] as string | number | boolean])),
    );
}

function inside(s: Space, p: Params): boolean {
  return s.dimensions.every((dim) => {
    const v = p[dim.name];
    if (dim.kind === 'choice') return dim.choices.includes(v as never);
    if (typeof v !== 'number' || v < dim.low || v > dim.high) return false;
    return dim.kind === 'real' || Number.isInteger(v);
  });
}

describe('unit-cube encoding', () => {
  it('decode(encode(p)) == p for valid points (reals to 1e-9 relative)', () => {
    fc.assert(
      fc.property(
        space.chain((s) => fc.tuple(fc.constant(s), pointOf(s))),
        ([s, p]) => {
          const u = encode(s, p);
          expect(u.every((v) => v >= 0 && v <= 1)).toBe(true);
          const back = decode(s, u);
          for (const dim of s.dimensions) {
            const a = p[dim.name];
            const b = back[dim.name];
            if (dim.kind === 'real')
              expect(Math.abs((b as number) - (a as number))).toBeLessThanOrEqual(
                1e-9 * Math.max(1, Math.abs(a as number)),
              );
            else expect(b).toBe(a);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decode always lands inside the bounds, integers integral, choices valid, even for out-of-cube input', () => {
    fc.assert(
      fc.property(
        space.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.array(fc.double({ min: -2, max: 3 }), {
              minLength: s.dimensions.length,
              maxLength: s.dimensions.length,
            }),
          ),
        ),
        ([s, u]) => {
          expect(inside(s, decode(s, u))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('snap is idempotent and lands in the cell of the input', () => {
    fc.assert(
      fc.property(
        space.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
              minLength: s.dimensions.length,
              maxLength: s.dimensions.length,
            }),
          ),
        ),
        ([s, u]) => {
          const once = snap(s, u);
          expect(snap(s, once)).toEqual(once);
          expect(decode(s, once)).toEqual(decode(s, u));
          s.dimensions.forEach((dim, j) => {
            const [lo, hi] = cellBounds(dim, u[j] as number);
            expect(once[j]).toBeGreaterThanOrEqual(lo - 1e-12);
            expect(once[j]).toBeLessThanOrEqual(hi + 1e-12);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives every integer an equal share of a linear unit interval (±½ widening)', () => {
    const s: Space = { dimensions: [{ kind: 'int', name: 'k', low: 0, high: 3, log: false }] };
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[decode(s, [(i + 0.5) / 4000]).k as number]++;
    expect(counts).toEqual([1000, 1000, 1000, 1000]);
  });

  it('maps log-scaled values by their logarithm', () => {
    const s: Space = { dimensions: [{ kind: 'real', name: 'lr', low: 1e-4, high: 1, log: true }] };
    expect(encode(s, { lr: 1e-2 })[0]).toBeCloseTo(0.5, 12);
    expect(decode(s, [0.25]).lr).toBeCloseTo(1e-3, 12);
  });

  it('rejects values that are not part of the space', () => {
    const s: Space = { dimensions: [{ kind: 'choice', name: 'c', choices: ['a', 'b'] }] };
    expect(() => encode(s, { c: 'z' })).toThrow(/not one of/);
    expect(() => encode(s, {})).toThrow(/missing/);
  });
});

describe('integer decoding', () => {
  it('gives +0, not -0, for an integer range that spans zero', () => {
    const dim: Dimension = { kind: 'int', name: 'p', low: -3, high: 189, log: false };
    // Every unit coordinate of the cell of 0, including its lower half where rounding yields -0.
    const zeros = Array.from({ length: 101 }, (_, k) => decodeValue(dim, (2.5 + k / 100) / 193)).filter(
      (value) => value === 0,
    );
    expect(zeros.length).toBeGreaterThan(50);
    expect(zeros.every((value) => Object.is(value, 0))).toBe(true);
  });
});
