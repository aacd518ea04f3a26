/**
 * The optimizers' common view of a study: the shared trial history reduced to unique unit-cube points with a
 * loss to minimise, the pending points, and the budget. Built once per suggest call from the raw request.
 */
import { choiceIndex, encode, snap } from '../space/encoding.js';
import { projectParams } from '../space/projection.js';
import type { Dimension, Params, Space, Trial } from '../space/types.js';

export interface SuggestRequest {
  space: Space;
  /** All finished trials of the study, in order, whoever proposed them. */
  trials: readonly Trial[];
  /** Points currently being evaluated. */
  pending: readonly Params[];
  /** How many candidates to return. */
  n: number;
  seed: number;
  /** Minimise the score (PipeTuner `problem_type_is_min`); maximise by default. */
  minimize?: boolean;
  /** This optimizer's max_iteration; sizes the initial design. */
  budget?: number;
}

export interface Observation {
  /** Unit-cube coordinates, snapped to the grid. */
  x: number[];
  /** Loss to minimise: the mean over successful repeats (negated score when maximising); failures → worst. */
  loss: number;
  /** Every repeat of this point failed. */
  failed: boolean;
  repeats: number;
  /** Label of the optimizer that proposed the point first (`Trial.optimizer`), if any. */
  source?: string;
}

export interface Problem {
  space: Space;
  dims: readonly Dimension[];
  d: number;
  /** Unique evaluated points in first-seen order. */
  obs: Observation[];
  /** Pending points, snapped, in request order. */
  pending: number[][];
  n: number;
  seed: number;
  budget: number;
  /** Size of the space-filling initial design: min(2(d+1), 20% of the budget), at least 2. */
  designSize: number;
}

/** Budget assumed when the caller gives none (PipeTuner's configs commonly use 100 iterations). */
export const DEFAULT_BUDGET = 100;

export function designSize(d: number, budget: number): number {
  return Math.max(2, Math.min(2 * (d + 1), Math.floor(0.2 * budget)));
}

/** Identity of a point: equal params ⇔ equal key. */
export function pointKey(space: Space, u: readonly number[]): string {
  return JSON.stringify(snap(space, u));
}

/** Unit coordinates of params, or undefined when they do not belong to the space (missing, out of bounds). */
export function encodeInside(space: Space, params: Params): number[] | undefined {
  for (const dim of space.dimensions) {
    const v = params[dim.name];
    if (v === undefined) return undefined;
    if (dim.kind === 'choice') {
      if (!dim.choices.includes(v)) return undefined;
    } else if (typeof v !== 'number' || !(v >= dim.low && v <= dim.high)) {
      return undefined;
    }
  }
  return snap(space, encode(space, params));
}

/**
 * A baseline outside the tuned ranges stands for its projection (the nearest point of the space), so
 * the optimizers always know the user's config; other points outside the space are not used.
 */
function encodeProjectedBaseline(space: Space, trial: Trial): number[] | undefined {
  if (trial.optimizer !== 'baseline') return undefined;
  const projected = projectParams(space, trial.params);
  return projected && encodeInside(space, projected.params);
}

export function buildProblem(req: SuggestRequest): Problem {
  const { space } = req;
  const sign = req.minimize ? 1 : -1;
  const groups = new Map<
    string,
    { x: number[]; sum: number; ok: number; repeats: number; source?: string }
  >();
  for (const trial of req.trials) {
    const x = encodeInside(space, trial.params) ?? encodeProjectedBaseline(space, trial);
    if (!x) continue; // outside the tuned ranges: it says nothing about the space
    const key = JSON.stringify(x);
    let g = groups.get(key);
    if (!g) {
      g = {
        x,
        sum: 0,
        ok: 0,
        repeats: 0,
        ...(trial.optimizer !== undefined ? { source: trial.optimizer } : {}),
      };
      groups.set(key, g);
    }
    g.repeats++;
    if (trial.score !== null && Number.isFinite(trial.score)) {
      g.sum += sign * trial.score;
      g.ok++;
    }
  }
  const finite = [...groups.values()].filter((g) => g.ok > 0).map((g) => g.sum / g.ok);
  // A failed run is as bad as the worst run seen: models learn to avoid the region, and it is never re-proposed.
  const worst = finite.length > 0 ? Math.max(...finite) : 0;
  const obs = [...groups.values()].map((g) => ({
    x: g.x,
    loss: g.ok > 0 ? g.sum / g.ok : worst,
    failed: g.ok === 0,
    repeats: g.repeats,
    ...(g.source !== undefined ? { source: g.source } : {}),
  }));
  const pending: number[][] = [];
  for (const p of req.pending) {
    const x = encodeInside(space, p);
    if (x) pending.push(x);
  }
  const d = space.dimensions.length;
  const budget = req.budget !== undefined && req.budget > 0 ? req.budget : DEFAULT_BUDGET;
  return {
    space,
    dims: space.dimensions,
    d,
    obs,
    pending,
    n: req.n,
    seed: req.seed,
    budget,
    designSize: designSize(d, budget),
  };
}

/** Observations with a score (failures excluded). */
export function scored(p: Problem): Observation[] {
  return p.obs.filter((o) => !o.failed);
}

/** The observation with the lowest loss (failures excluded), if any. */
export function incumbent(p: Problem): Observation | undefined {
  let best: Observation | undefined;
  for (const o of p.obs) if (!o.failed && (!best || o.loss < best.loss)) best = o;
  return best;
}

/** Choice index of coordinate j of x (for choice dimensions). */
export function choiceOf(dim: Dimension, u: number): number {
  return dim.kind === 'choice' ? choiceIndex(dim.choices.length, u) : -1;
}

/** A copy of the problem that sees extra pending points (used when members of a batch are chosen in turn). */
export function withPending(p: Problem, extra: readonly number[][]): Problem {
  return { ...p, pending: [...p.pending, ...extra] };
}
