/**
 * The optimizers' common view of a study: the shared trial history reduced to unique unit-cube points with a
 * loss to minimise, the pending points, and the budget. Built once per suggest call from the raw request.
 */
import type { Goal } from '../objectives/pareto.js';
import { choiceIndex, encode, snap } from '../space/encoding.js';
import { projectParams } from '../space/projection.js';
import { deriveSeed, Rng } from '../space/sampling.js';
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
  /**
   * Two-objective studies: the goal of each objective (trials carry `values` in this order). The scalar
   * loss is then a ParEGO scalarisation with a weight drawn from `seed` (see `scalarise`).
   */
  objectives?: readonly Goal[];
}

export type { Goal };

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
  /** Two-objective studies: the mean loss per objective over complete repeats (negated when maximised). */
  values?: number[];
  /** Constrained studies: the mean violation over complete repeats; > 0 ranks the point past every feasible one. */
  violation?: number;
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
  const signs = req.objectives?.map((goal) => (goal === 'min' ? 1 : -1));
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
        violation: 0,
        ...(signs ? { values: signs.map(() => 0) } : {}),
        ...(trial.optimizer !== undefined ? { source: trial.optimizer } : {}),
      };
      groups.set(key, g);
    }
    g.repeats++;
    if (trial.score === null || !Number.isFinite(trial.score)) continue;
    if (signs && !(trial.values?.length === signs.length && trial.values.every(Number.isFinite))) continue;
    if (trial.pruned) {
      const partial = { loss: sign * trial.score, ...trial.pruned };
      if (!g.pruned || furtherOrBetter(partial, g.pruned)) g.pruned = partial;
    } else {
      g.sum += sign * trial.score;
      g.ok++;
      g.violation += trial.violation ?? 0;
      if (signs && g.values) for (const [i, v] of trial.values!.entries()) g.values[i]! += signs[i]! * v;
    }
  }
  const means = [...groups.values()].map(groupMeans);
  const obs = orderIncomplete(signs ? scalarise(means, req.seed) : means);
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
  violation: number;
  values?: number[];
  source?: string;
  pruned?: { loss: number; reached: number; of: number };
}

/** A point before ordering: mean loss (and objective losses, violation) over its complete repeats. */
interface Mean {
  x: number[];
  repeats: number;
  source?: string;
  complete?: { loss: number; violation: number; values?: number[] };
  pruned?: { loss: number; reached: number; of: number };
}

function groupMeans(g: Group): Mean {
  const common = { x: g.x, repeats: g.repeats, ...(g.source !== undefined ? { source: g.source } : {}) };
  const pruned = g.pruned ? { pruned: g.pruned } : {};
  if (g.ok === 0) return { ...common, ...pruned };
  const values = g.values?.map((v) => v / g.ok);
  const complete = { loss: g.sum / g.ok, violation: g.violation / g.ok, ...(values ? { values } : {}) };
  return { ...common, ...pruned, complete };
}

const furtherOrBetter = (a: { loss: number; reached: number }, b: { loss: number; reached: number }) =>
  a.reached > b.reached || (a.reached === b.reached && a.loss < b.loss);

/** ParEGO's weights for two objectives: s + 1 evenly spaced vectors with s = 10 (Knowles 2006). */
const PAREGO_STEPS = 10;
/** ParEGO's augmentation ρ: a small linear term keeps weakly dominated points below the ones they dominate. */
const PAREGO_RHO = 0.05;

/**
 * ParEGO's augmented Chebyshev scalarisation: each objective loss normalised to [0, 1] over the complete
 * feasible points, one weight vector drawn from the call's seed, loss = max_i(w_i f_i) + ρ Σ w_i f_i. Every
 * single-objective optimizer then searches one direction of the Pareto front per call; successive calls
 * (other seeds) cover the front.
 */
export function scalarise(means: readonly Mean[], seed: number): Mean[] {
  const reference = means.filter((m) => m.complete?.values && m.complete.violation <= 0);
  const pool = reference.length > 0 ? reference : means.filter((m) => m.complete?.values);
  if (pool.length === 0) return [...means];
  const k = pool[0]!.complete!.values!.length;
  const low = Array.from({ length: k }, (_, i) => Math.min(...pool.map((m) => m.complete!.values![i]!)));
  const high = Array.from({ length: k }, (_, i) => Math.max(...pool.map((m) => m.complete!.values![i]!)));
  const step = new Rng(deriveSeed(seed, 0x9a7e60)).int(PAREGO_STEPS + 1) / PAREGO_STEPS;
  const weights = k === 2 ? [step, 1 - step] : Array.from({ length: k }, () => 1 / k);
  return means.map((m) => {
    if (!m.complete?.values) return m;
    const f = m.complete.values.map((v, i) =>
      high[i]! > low[i]! ? (v - low[i]!) / (high[i]! - low[i]!) : 0,
    );
    const weighted = f.map((v, i) => weights[i]! * v);
    const loss = Math.max(...weighted) + PAREGO_RHO * weighted.reduce((a, b) => a + b, 0);
    return { ...m, complete: { ...m.complete, loss } };
  });
}

/**
 * Losses for points without a complete feasible score, placed past the worst complete feasible loss (as
 * Optuna's TPE puts pruned trials in the bad group): an infeasible point within a tenth of the feasible
 * losses' spread, ordered by its violation alone (Deb's feasibility rules); a pruned point in the next tenth,
 * earlier stages and worse partial losses further; a failed point at three tenths. The order is what
 * rank-based optimizers (TPE, CMA-ES) use; models (GP, RBF) fit complete points, infeasible ones included,
 * so they learn to stay away from them.
 */
function orderIncomplete(means: readonly Mean[]): Observation[] {
  const feasible = means.flatMap((m) => (m.complete && m.complete.violation <= 0 ? [m.complete.loss] : []));
  const worst = feasible.length > 0 ? Math.max(...feasible) : 0;
  const bestLoss = feasible.length > 0 ? Math.min(...feasible) : 0;
  const spread = worst - bestLoss > 0 ? worst - bestLoss : 1e-3 * Math.max(1, Math.abs(worst));
  return means.map((m) => {
    const common = { x: m.x, repeats: m.repeats, ...(m.source !== undefined ? { source: m.source } : {}) };
    if (m.complete) {
      const { loss, violation, values } = m.complete;
      const objectives = values ? { values } : {};
      if (violation <= 0) return { ...common, ...objectives, loss, failed: false };
      const past = worst + 0.1 * spread * (violation / (1 + violation));
      return { ...common, ...objectives, loss: past, failed: false, violation };
    }
    if (!m.pruned) return { ...common, loss: worst + 0.3 * spread, failed: true };
    const { loss, reached, of } = m.pruned;
    const partialRank = 0.99 * Math.min(1, Math.max(0, (loss - bestLoss) / spread));
    return {
      ...common,
      loss: worst + 0.1 * spread * (1 + (of - reached + partialRank) / of),
      failed: true,
      pruned: { reached, of },
    };
  });
}

/** Observations with a complete score (failed and pruned points excluded; infeasible ones included). */
export function scored(p: Problem): Observation[] {
  return p.obs.filter((o) => !o.failed);
}

/** The observation with the lowest loss (failed, pruned and infeasible points excluded), if any. */
export function incumbent(p: Problem): Observation | undefined {
  let best: Observation | undefined;
  for (const o of p.obs) if (!o.failed && !o.violation && (!best || o.loss < best.loss)) best = o;
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
