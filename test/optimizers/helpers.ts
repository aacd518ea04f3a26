/** Shared fixtures for the optimizer tests. */
import type { Params, Space, Trial } from '../../src/space/types.js';

/** A mixed space: linear real, log real, linear int, log int, choice. */
export const MIXED: Space = {
  dimensions: [
    { kind: 'real', name: 'a', low: -2, high: 3, log: false },
    { kind: 'real', name: 'lr', low: 1e-5, high: 1e-1, log: true },
    { kind: 'int', name: 'k', low: 1, high: 9, log: false },
    { kind: 'int', name: 'n', low: 4, high: 4096, log: true },
    { kind: 'choice', name: 'mode', choices: ['iou', 'giou', 'diou'] },
  ],
};

/** A smooth score on MIXED, best near a = 1, lr = 1e-3, k = 7, n ≈ 64, mode = 'giou' (maximised). */
export function mixedScore(p: Params): number {
  const a = p.a as number;
  const lr = Math.log10(p.lr as number);
  const k = p.k as number;
  const n = Math.log2(p.n as number);
  return (
    -((a - 1) ** 2) -
    0.5 * (lr + 3) ** 2 -
    0.1 * (k - 7) ** 2 -
    0.05 * (n - 6) ** 2 -
    (p.mode === 'giou' ? 0 : 1)
  );
}

export function isInside(space: Space, p: Params): boolean {
  return space.dimensions.every((dim) => {
    const v = p[dim.name];
    if (dim.kind === 'choice') return dim.choices.includes(v as never);
    if (typeof v !== 'number' || !(v >= dim.low && v <= dim.high)) return false;
    return dim.kind === 'real' || Number.isInteger(v);
  });
}

export const BRANIN: Space = {
  dimensions: [
    { kind: 'real', name: 'x1', low: -5, high: 10, log: false },
    { kind: 'real', name: 'x2', low: 0, high: 15, log: false },
  ],
};
export const BRANIN_MIN = 0.397887357729739;

export function branin(p: Params): number {
  const a = p.x1 as number;
  const b = p.x2 as number;
  return (
    (b - (5.1 / (4 * Math.PI ** 2)) * a * a + (5 / Math.PI) * a - 6) ** 2 +
    10 * (1 - 1 / (8 * Math.PI)) * Math.cos(a) +
    10
  );
}

export const key = (p: Params) => JSON.stringify(Object.entries(p).sort(([x], [y]) => x.localeCompare(y)));

/** Evaluate `f` on `count` points proposed by `propose`, in rounds of `batch`. */
export function runLoop(
  propose: (trials: Trial[], n: number) => Params[],
  f: (p: Params) => number,
  count: number,
  batch = 1,
): Trial[] {
  const trials: Trial[] = [];
  while (trials.length < count) {
    for (const params of propose(trials, Math.min(batch, count - trials.length)))
      trials.push({ params, score: f(params) });
  }
  return trials;
}
