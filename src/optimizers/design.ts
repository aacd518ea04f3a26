/**
 * The space-filling start shared by the model-based optimizers, and the final guard that every batch is made
 * of new, distinct points.
 */
import { snap } from '../space/encoding.js';
import { Rng, sobolPoints } from '../space/sampling.js';
import { type Problem, pointKey } from './problem.js';

/** Points already spent on the study: evaluated (incl. failed) and pending. */
export function spent(p: Problem): number {
  return p.obs.length + p.pending.length;
}

/**
 * The next points of the scrambled-Sobol initial design, or [] once the study (all optimizers together) holds
 * `designSize` points. The sequence continues where the spent points leave off, so repeated calls tile it.
 */
export function designPoints(p: Problem, seed: number): number[][] {
  const used = spent(p);
  const count = Math.min(p.n, p.designSize - used);
  return count > 0 ? sobolPoints(p.d, count, seed, used) : [];
}

/**
 * The first `p.n` distinct candidates that are neither evaluated nor pending, in order of preference; when
 * too few remain (an optimizer proposed duplicates), top up with seeded random points. In a finite space that
 * is exhausted, the best evaluated points are repeated (they then act as re-evaluations).
 */
export interface Proposal {
  x: number[];
  /** What made the point: the algorithm, an ensemble member, `design` or `random` (a top-up). */
  by: string;
}

export function uniqueBatch(p: Problem, candidates: readonly Proposal[], seed: number): Proposal[] {
  const seen = new Set<string>();
  for (const o of p.obs) seen.add(pointKey(p.space, o.x));
  for (const x of p.pending) seen.add(pointKey(p.space, x));
  const out: Proposal[] = [];
  const take = (u: readonly number[], by: string) => {
    const x = snap(p.space, u);
    const key = JSON.stringify(x);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ x, by });
  };
  for (const c of candidates) {
    if (out.length >= p.n) break;
    take(c.x, c.by);
  }
  const rng = new Rng(seed, 0x746f70);
  for (let tries = 0; out.length < p.n && tries < 200 * p.n; tries++)
    take(
      Array.from({ length: p.d }, () => rng.uniform()),
      'random',
    );
  const byLoss = [...p.obs].sort((a, b) => a.loss - b.loss);
  for (let i = 0; out.length < p.n; i++)
    out.push({ x: (byLoss[i % Math.max(1, byLoss.length)]?.x ?? snap(p.space, [])).slice(), by: 'repeat' });
  return out;
}
