/**
 * NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002) as a stateless optimizer. The parent population is the
 * elite of every evaluated point: ranked by constrained non-dominated sorting (Deb's feasibility rules),
 * the last front that fits cut by crowding distance. That is NSGA-II's (μ+λ) survival applied to the whole
 * history, so any mix of optimizers, batches and resumes gives the same parents. Offspring come from binary
 * tournaments on (rank, crowding), SBX crossover and polynomial mutation on numeric coordinates, uniform
 * crossover and resampling on choice coordinates.
 */

import { constrainedDominates, crowdingDistance, nonDominatedSort } from '../objectives/pareto.js';
import { decodeValue, encodeValue } from '../space/encoding.js';
import { Rng } from '../space/sampling.js';
import type { Dimension } from '../space/types.js';
import { designPoints } from './design.js';
import { type Problem, pointKey } from './problem.js';

/**
 * Deb et al. (2002): crossover probability 0.9, mutation probability 1/d, distribution indices η_c = η_m = 20;
 * each coordinate of a crossed pair is recombined with probability 0.5 (Optuna's swapping_prob as well).
 */
const CROSSOVER_PROB = 0.9;
const COORDINATE_PROB = 0.5;
const ETA_CROSSOVER = 20;
const ETA_MUTATION = 20;
/** Offspring drawn per wanted candidate before the registry tops the batch up with random points. */
const TRIES_PER_CANDIDATE = 20;

/**
 * Population size: a quarter of the budget, within [8, 50]. Optuna's 50 would leave an 80-trial study with
 * 30 trials past the initial population (less than one generation); 20 gives the 80-trial study a 20-point
 * space-filling start and three generations' worth of offspring, while 200+ trials get Optuna's 50.
 */
export function nsga2PopulationSize(budget: number): number {
  return Math.min(50, Math.max(8, Math.round(budget / 4)));
}

interface Parent {
  x: number[];
  rank: number;
  crowding: number;
}

/** The elite `size` complete points: front by front, the last front by decreasing crowding distance. */
function parents(p: Problem, size: number): Parent[] {
  // Single-objective studies have no `values`: the scalar loss is a 1-objective vector.
  const pool = p.obs
    .filter((o) => !o.failed)
    .map((o) => ({ x: o.x, values: o.values ?? [o.loss], violation: o.violation ?? 0 }));
  const out: Parent[] = [];
  for (const [rank, front] of nonDominatedSort(pool, constrainedDominates).entries()) {
    if (out.length >= size) break;
    const crowding = crowdingDistance(front.map((i) => pool[i]!.values));
    const members = front
      .map((i, k) => ({ x: pool[i]!.x, rank, crowding: crowding[k]! }))
      .sort((a, b) => b.crowding - a.crowding);
    out.push(...members.slice(0, size - out.length));
  }
  return out;
}

/** Binary tournament: lower rank wins, then larger crowding distance, then a coin. */
function tournament(pop: readonly Parent[], rng: Rng): Parent {
  const a = pop[rng.int(pop.length)]!;
  const b = pop[rng.int(pop.length)]!;
  if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
  if (a.crowding !== b.crowding) return a.crowding > b.crowding ? a : b;
  return rng.uniform() < 0.5 ? a : b;
}

/** Bounded SBX on [0, 1] (Deb & Agrawal 1995): two children spread around the parents by the index η_c. */
function sbx(y1: number, y2: number, rng: Rng): [number, number] {
  const lo = Math.min(y1, y2);
  const hi = Math.max(y1, y2);
  if (hi - lo < 1e-12) return [y1, y2];
  const u = rng.uniform();
  const spread = (beta: number) => {
    const alpha = 2 - beta ** -(ETA_CROSSOVER + 1);
    const q =
      u <= 1 / alpha
        ? (u * alpha) ** (1 / (ETA_CROSSOVER + 1))
        : (1 / (2 - u * alpha)) ** (1 / (ETA_CROSSOVER + 1));
    return q;
  };
  // β grows with the distance to the bound on each side, so children never leave [0, 1].
  const c1 = 0.5 * (lo + hi - spread(1 + (2 * lo) / (hi - lo)) * (hi - lo));
  const c2 = 0.5 * (lo + hi + spread(1 + (2 * (1 - hi)) / (hi - lo)) * (hi - lo));
  const children: [number, number] = [clamp01(c1), clamp01(c2)];
  return rng.uniform() < 0.5 ? children : [children[1], children[0]];
}

/** Bounded polynomial mutation on [0, 1] (Deb & Goyal 1996): a step whose spread shrinks with η_m. */
function polynomialMutation(y: number, rng: Rng): number {
  const u = rng.uniform();
  const e = ETA_MUTATION + 1;
  const delta =
    u < 0.5
      ? (2 * u + (1 - 2 * u) * (1 - y) ** e) ** (1 / e) - 1
      : 1 - (2 * (1 - u) + 2 * (u - 0.5) * y ** e) ** (1 / e);
  return clamp01(y + delta);
}

/** Mutate coordinate value y of `dim`: integers move at least one step (η_m = 20 steps are below one cell). */
function mutate(dim: Dimension, y: number, rng: Rng): number {
  if (dim.kind === 'choice') {
    // Another choice, uniformly: resampling to the same choice would waste the mutation.
    const count = dim.choices.length;
    if (count < 2) return y;
    const current = Math.min(count - 1, Math.floor(y * count));
    return (((current + 1 + rng.int(count - 1)) % count) + 0.5) / count;
  }
  const z = polynomialMutation(y, rng);
  if (dim.kind === 'real') return z;
  const before = decodeValue(dim, y) as number;
  if ((decodeValue(dim, z) as number) !== before) return z;
  const step = z > y || (z === y && rng.uniform() < 0.5) ? 1 : -1;
  const next = Math.min(dim.high, Math.max(dim.low, before + step));
  return encodeValue(dim, next === before ? before - step : next);
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/** Two children of parents a and b: crossover with probability 0.9, then per-coordinate mutation at 1/d. */
function offspring(
  dims: readonly Dimension[],
  a: readonly number[],
  b: readonly number[],
  rng: Rng,
): number[][] {
  const c1 = a.slice();
  const c2 = b.slice();
  if (rng.uniform() < CROSSOVER_PROB) {
    dims.forEach((dim, j) => {
      if (rng.uniform() >= COORDINATE_PROB) return;
      // Choice coordinates have no order: uniform crossover swaps them.
      [c1[j], c2[j]] = dim.kind === 'choice' ? [c2[j]!, c1[j]!] : sbx(c1[j]!, c2[j]!, rng);
    });
  }
  for (const child of [c1, c2]) {
    dims.forEach((dim, j) => {
      if (rng.uniform() < 1 / dims.length) child[j] = mutate(dim, child[j]!, rng);
    });
  }
  return [c1, c2];
}

export function proposeNsga2(p: Problem, seed: number): number[][] {
  const size = nsga2PopulationSize(p.budget);
  // The shared space-filling design until a population's worth of points is spent.
  const chosen = designPoints({ ...p, designSize: Math.max(p.designSize, size) }, seed);
  const pop = parents(p, size);
  if (chosen.length >= p.n || pop.length < 2) return chosen;
  const seen = new Set([...p.obs.map((o) => o.x), ...p.pending, ...chosen].map((x) => pointKey(p.space, x)));
  const rng = new Rng(seed, p.obs.length, p.pending.length);
  for (let t = 0; t < TRIES_PER_CANDIDATE * p.n && chosen.length < p.n; t++) {
    for (const child of offspring(p.dims, tournament(pop, rng).x, tournament(pop, rng).x, rng)) {
      const key = pointKey(p.space, child);
      if (chosen.length >= p.n || seen.has(key)) continue;
      seen.add(key);
      chosen.push(child);
    }
  }
  return chosen;
}
