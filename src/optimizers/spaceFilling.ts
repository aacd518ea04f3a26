/** Model-free baselines: seeded uniform random points and the scrambled Sobol sequence. */
import { Rng, sobolPoints } from '../space/sampling.js';
import { spent } from './design.js';
import type { Problem } from './problem.js';

/** Uniform points; the stream depends on how many points the study has spent, so each call draws new ones. */
export function proposeRandom(p: Problem, seed: number): number[][] {
  const rng = new Rng(seed, spent(p));
  return Array.from({ length: p.n }, () => Array.from({ length: p.d }, () => rng.uniform()));
}

/** The next points of one scrambled Sobol sequence per seed, continuing after the points already spent. */
export function proposeSobol(p: Problem, seed: number): number[][] {
  return sobolPoints(p.d, p.n, seed, spent(p));
}
