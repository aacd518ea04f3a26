/** Candidate generators shared by the surrogate-based optimizers. */
import { cardinality } from '../space/encoding.js';
import type { Rng } from '../space/sampling.js';
import type { Problem } from './problem.js';
import { replayStepSize } from './stepSize.js';

/** pySOT's DYCORS radius bounds: 0.2 of the range, down to 0.2·2⁻⁶. */
const R_MAX = 0.2;
const R_MIN = 0.2 * 0.5 ** 6;

/**
 * DYCORS candidates around `center` (Regis & Shoemaker 2013, pySOT defaults): min(100·d, 5000) perturbations;
 * each coordinate moves with probability min(20/d, 1)·(1 − ln n_used / ln(budget − n_init)) (at least 1/d),
 * by a step of the replayed radius (at least one grid cell on integer coordinates).
 */
export function dycorsCandidates(p: Problem, center: readonly number[], rng: Rng): number[][] {
  const q = Math.max(1, p.n);
  const radius = replayStepSize(p, {
    initial: R_MAX,
    min: R_MIN,
    max: R_MAX,
    succTol: 3,
    failTol: Math.max(Math.ceil(p.d / q), Math.ceil(4 / q)),
  });
  const nInit = Math.min(p.designSize, p.obs.length);
  const used = p.obs.length + p.pending.length - nInit + 1;
  const span = Math.max(2, p.budget - nInit);
  const prob = Math.max(Math.min(1, 1 / p.d), Math.min(1, 20 / p.d) * (1 - Math.log(used) / Math.log(span)));
  const sigmas = p.dims.map((dim) => (dim.kind === 'real' ? radius : Math.max(radius, 1 / cardinality(dim))));
  return perturbations(center, Math.min(5000, 100 * p.d), sigmas, prob, rng);
}

/**
 * `count` Gaussian perturbations of `center` in the unit cube. Each coordinate moves with probability `prob`
 * (DYCORS: in high dimension moving only a few coordinates keeps candidates near a good point); at least one
 * coordinate always moves. `sigma` is one step size or one per coordinate. Steps are reflected into [0,1].
 */
export function perturbations(
  center: readonly number[],
  count: number,
  sigma: number | readonly number[],
  prob: number,
  rng: Rng,
): number[][] {
  const d = center.length;
  const step = (j: number) => (typeof sigma === 'number' ? sigma : (sigma[j] as number)) * rng.normal();
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    const x = center.slice();
    let moved = false;
    for (let j = 0; j < d; j++) {
      if (rng.uniform() < prob) {
        x[j] = reflect((x[j] as number) + step(j));
        moved = true;
      }
    }
    if (!moved) {
      const j = rng.int(d);
      x[j] = reflect((x[j] as number) + step(j));
    }
    out.push(x);
  }
  return out;
}

function reflect(v: number): number {
  let u = v;
  for (let k = 0; k < 4 && (u < 0 || u > 1); k++) u = u < 0 ? -u : 2 - u;
  return Math.min(1, Math.max(0, u));
}
