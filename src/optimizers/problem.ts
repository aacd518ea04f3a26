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
  /**
   * Loss to minimise: the mean over complete repeats (negated score when maximising). Points without a
   * complete repeat rank below every complete one: pruned points by the stage they reached, then their
   * partial loss; failed points last.
   */
  loss: number;
  /** No repeat of this point completed (every one failed or was pruned): models fit complete points only. */
  failed: boolean;
  /** Set when a repeat was pruned (and none completed): the furthest stage reached. */
  pruned?: { reached: number; of: number };
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
  const groups = new Map<string, Group>();
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
    if (trial.score === null || !Number.isFinite(trial.score)) continue;
    if (trial.pruned) {
      const partial = { loss: sign * trial.score, ...trial.pruned };
      if (!g.pruned || furtherOrBetter(partial, g.pruned)) g.pruned = partial;
    } else {
      g.sum += sign * trial.score;
      g.ok++;
    }
  }
  const obs = orderIncomplete([...groups.values()]);
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

interface Group {
  x: number[];
  sum: number;
  ok: number;
  repeats: number;
  source?: string;
  pruned?: { loss: number; reached: number; of: number };
}

const furtherOrBetter = (a: { loss: number; reached: number }, b: { loss: number; reached: number }) =>
  a.reached > b.reached || (a.reached === b.reached && a.loss < b.loss);

/**
 * Losses for points without a complete score, placed past the worst complete loss (as Optuna's TPE puts
 * pruned trials in the bad group): a pruned point within a tenth of the complete losses' spread, earlier
 * stages and worse partial losses further; a failed point at a fifth. The order is what rank-based
 * optimizers (TPE, CMA-ES) use; models (GP, RBF) fit complete points only.
 */
function orderIncomplete(groups: readonly Group[]): Observation[] {
  const complete = groups.filter((g) => g.ok > 0).map((g) => g.sum / g.ok);
  const worst = complete.length > 0 ? Math.max(...complete) : 0;
  const bestLoss = complete.length > 0 ? Math.min(...complete) : 0;
  const spread = worst - bestLoss > 0 ? worst - bestLoss : 1e-3 * Math.max(1, Math.abs(worst));
  return groups.map((g) => {
    const common = { x: g.x, repeats: g.repeats, ...(g.source !== undefined ? { source: g.source } : {}) };
    if (g.ok > 0) return { ...common, loss: g.sum / g.ok, failed: false };
    if (!g.pruned) return { ...common, loss: worst + 0.2 * spread, failed: true };
    const { loss, reached, of } = g.pruned;
    const partialRank = 0.99 * Math.min(1, Math.max(0, (loss - bestLoss) / spread));
    return {
      ...common,
      loss: worst + 0.1 * spread * ((of - reached + partialRank) / of),
      failed: true,
      pruned: { reached, of },
    };
  });
}

/** Observations with a complete score (failed and pruned points excluded). */
export function scored(p: Problem): Observation[] {
  return p.obs.filter((o) => !o.failed);
}

/** The observation with the lowest loss (failed and pruned points excluded), if any. */
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
