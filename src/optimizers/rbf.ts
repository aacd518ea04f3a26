/**
 * RBF surrogate with DYCORS candidates (after pySOT's DYCORSStrategy): a cubic radial basis function with a
 * linear tail interpolates the (median-capped) losses; candidates perturb the best point in a coordinate
 * subset that shrinks as the budget is used; the pick minimises a weighted sum of scaled surrogate value and
 * scaled closeness to evaluated and pending points. The step radius adapts to successes and failures
 * (`replayStepSize`).
 */
import { Rng } from '../space/sampling.js';
import { dycorsCandidates } from './candidates.js';
import { designPoints } from './design.js';
import { luSolve } from './linalg.js';
import { incumbent, type Problem } from './problem.js';

const WEIGHTS = [0.3, 0.5, 0.8, 0.95];

export interface RbfModel {
  X: number[][];
  coef: Float64Array;
  /** Tail coefficients: constant, then one per coordinate (linear tail only when enough points). */
  tail: Float64Array;
  linear: boolean;
  scale: { mean: number; sd: number };
}

function dist(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += ((a[j] as number) - (b[j] as number)) ** 2;
  return Math.sqrt(s);
}

/** Fit s(x) = Σ c_i‖x − x_i‖³ + a₀ + aᵀx to (X, y) with a small ridge η. */
export function fitRbf(X: number[][], y: readonly number[], eta = 1e-6): RbfModel {
  const n = X.length;
  const d = X[0]?.length ?? 0;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / n) || 1;
  // The linear tail needs more points than coordinates; below that a constant tail keeps the system solvable.
  const linear = n > d + 1;
  const m = linear ? d + 1 : 1;
  const size = n + m;
  const a = new Float64Array(size * size);
  const rhs = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      a[i * size + j] = dist(X[i] as number[], X[j] as number[]) ** 3 + (i === j ? eta : 0);
    const row = [1, ...(linear ? (X[i] as number[]) : [])];
    row.forEach((v, k) => {
      a[i * size + n + k] = v;
      a[(n + k) * size + i] = v;
    });
    rhs[i] = ((y[i] as number) - mean) / sd;
  }
  const sol = luSolve(a, size, rhs) ?? new Float64Array(size);
  return { X, coef: sol.slice(0, n), tail: sol.slice(n), linear, scale: { mean, sd } };
}

export function evalRbf(model: RbfModel, x: readonly number[]): number {
  let s = model.tail[0] as number;
  if (model.linear) for (let j = 0; j < x.length; j++) s += (model.tail[j + 1] as number) * (x[j] as number);
  for (let i = 0; i < model.X.length; i++)
    s += (model.coef[i] as number) * dist(x, model.X[i] as number[]) ** 3;
  return model.scale.mean + model.scale.sd * s;
}

/** pySOT's optional "median capping": losses worse than the median become the median (robust to failures). */
function medianCapped(losses: readonly number[]): number[] {
  const sorted = [...losses].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as number;
  return losses.map((v) => Math.min(v, median));
}

export function proposeRbf(p: Problem, seed: number): number[][] {
  const chosen = designPoints(p, seed);
  const best = incumbent(p);
  if (chosen.length >= p.n || !best || p.obs.length < 2) return chosen;
  const model = fitRbf(
    p.obs.map((o) => o.x),
    medianCapped(p.obs.map((o) => o.loss)),
  );
  for (let slot = chosen.length; slot < p.n; slot++) {
    const rng = new Rng(seed, p.obs.length, slot);
    const cands = dycorsCandidates(p, best.x, rng);
    const others = [...p.obs.map((o) => o.x), ...p.pending, ...chosen];
    const values = cands.map((x) => evalRbf(model, x));
    const gaps = cands.map((x) => Math.min(...others.map((o) => dist(x, o))));
    const w = WEIGHTS[(p.obs.length + p.pending.length + slot) % WEIGHTS.length] as number;
    chosen.push(cands[pickByMerit(values, gaps, w, 1e-3 * Math.sqrt(p.d))] as number[]);
  }
  return chosen;
}

/** Index minimising w·scaled value + (1 − w)·(1 − scaled distance), skipping points too close to others. */
function pickByMerit(values: readonly number[], gaps: readonly number[], w: number, minGap: number): number {
  const scale = (v: readonly number[]) => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return v.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 1));
  };
  const sv = scale(values);
  const sg = scale(gaps);
  let best = 0;
  let bestMerit = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const merit =
      (gaps[i] as number) < minGap
        ? Number.POSITIVE_INFINITY
        : w * (sv[i] as number) + (1 - w) * (1 - (sg[i] as number));
    if (merit < bestMerit) {
      bestMerit = merit;
      best = i;
    }
  }
  return best;
}

/** Surrogate value (loss units) at points, from an RBF on the unmodified mean losses of successful points. */
export function rbfLossMean(p: Problem, points: readonly number[][]): number[] | undefined {
  const ok = p.obs.filter((o) => !o.failed);
  if (ok.length < 2) return undefined;
  const model = fitRbf(
    ok.map((o) => o.x),
    ok.map((o) => o.loss),
  );
  return points.map((x) => evalRbf(model, x));
}
