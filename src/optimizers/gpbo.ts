/**
 * GP Bayesian optimisation: Sobol initial design, then a Matérn-5/2 ARD GP with learned noise on half-rank
 * warped losses, log-EI against the best posterior mean (not the noisy best draw), maximised over the mixed
 * space. Pending points and earlier picks of the same batch enter as kriging believers (their posterior mean is
 * taken as observed), which shrinks the variance around them so a batch spreads out.
 */
import { snap } from '../space/encoding.js';
import { Rng, sobolPoints } from '../space/sampling.js';
import { dycorsCandidates, perturbations } from './candidates.js';
import { designPoints } from './design.js';
import { logEi, logEiWithGradient, maximizeAcquisition } from './gp/acquisition.js';
import { condition, fitGp, type GpModel, predict } from './gp/model.js';
import { fitBestScale } from './outputScale.js';
import { type Problem, scored } from './problem.js';
import { standardize } from './warp.js';

export function isChoiceMask(p: Problem): boolean[] {
  return p.dims.map((dim) => dim.kind === 'choice');
}

/**
 * Hyperparameters are fitted on at most this many points (the best third plus an even spread of the rest):
 * the fit costs O(n³) per likelihood evaluation, and 120 points pin the lengthscales down as well as 200.
 */
const FIT_POINTS = 120;

function fitSubset(losses: readonly number[]): number[] {
  const all = losses.map((_, i) => i);
  if (all.length <= FIT_POINTS) return all;
  const byLoss = [...all].sort((a, b) => (losses[a] as number) - (losses[b] as number) || a - b);
  const best = byLoss.slice(0, FIT_POINTS / 3);
  const taken = new Set(best);
  const rest = all.filter((i) => !taken.has(i));
  const step = rest.length / (FIT_POINTS - best.length);
  const spread = Array.from(
    { length: FIT_POINTS - best.length },
    (_, k) => rest[Math.floor(k * step)] as number,
  );
  return [...best, ...spread].sort((a, b) => a - b);
}

/**
 * GP on the losses of every evaluated point (failures count as the worst loss), on the output scale (half-rank
 * warp or plain standardised) whose GP predicts the points' order better (outputScale.ts).
 */
function fitLossModel(p: Problem): GpModel {
  const X = p.obs.map((o) => o.x);
  const isChoice = isChoiceMask(p);
  const chosen = fitBestScale(
    p.obs.map((o) => o.loss),
    (y) => {
      const subset = fitSubset(y);
      const fitted = fitGp(
        subset.map((i) => X[i] as number[]),
        subset.map((i) => y[i] as number),
        isChoice,
      );
      return subset.length === X.length ? fitted : condition(X, y, isChoice, fitted.hyper);
    },
  );
  return chosen.model;
}

/**
 * Kriging believer: condition on extra points with their current posterior mean as if observed without noise
 * (they stand for the latent function), keeping the hyperparameters. Evaluated points enter with their
 * posterior means too, so the mean surface stays the current model's. The variance at the extra points
 * collapses, so the next pick of a batch goes elsewhere even when the learned noise is large.
 */
function believe(model: GpModel, points: readonly number[][]): GpModel {
  const known = new Set(model.X.map((x) => JSON.stringify(x)));
  const extra = points.filter((x) => !known.has(JSON.stringify(x)));
  if (extra.length === 0) return model;
  const X = [...model.X, ...extra];
  const y = X.map((x) => predict(model, x).mean);
  const noise = X.map((_, i) => (i < model.X.length ? model.hyper.noise : 1e-6 * model.hyper.scale));
  return condition(X, y, model.isChoice, model.hyper, model.mean, noise);
}

/** Global acquisition pool: space-filling Sobol points plus perturbations of the three best points. */
function globalPool(p: Problem, model: GpModel, rng: Rng, seed: number): number[][] {
  const global = sobolPoints(p.d, Math.min(1024, 256 + 64 * p.d), seed);
  const ranked = [...p.obs]
    .filter((o) => !o.failed)
    .sort((a, b) => predict(model, a.x).mean - predict(model, b.x).mean);
  const prob = Math.min(1, 20 / p.d);
  const local = ranked
    .slice(0, 3)
    .flatMap((o) => [0.01, 0.05, 0.15].flatMap((sigma) => perturbations(o.x, 100, sigma, prob, rng)));
  return [...global, ...local];
}

export type GpSearch =
  /** Maximise log EI over the whole space (Sobol pool, then L-BFGS and discrete sweeps from the best starts). */
  | 'global'
  /** Pick the log-EI maximiser among DYCORS candidates around the incumbent (local, few coordinates move). */
  | 'dycors';

export function proposeGp(p: Problem, seed: number, search: GpSearch = 'global'): number[][] {
  const chosen = designPoints(p, seed);
  if (chosen.length >= p.n || scored(p).length < 2) return chosen;
  const model = fitLossModel(p);
  // Incumbent: the evaluated point with the best posterior mean (robust to a lucky noisy draw); its mean is
  // the log-EI threshold and DYCORS perturbs it.
  const best = scored(p)
    .map((o) => ({ x: o.x, mean: predict(model, o.x).mean }))
    .reduce((a, b) => (b.mean < a.mean ? b : a));
  for (let slot = chosen.length; slot < p.n; slot++) {
    const rng = new Rng(seed, p.obs.length, slot);
    const believed = [...p.pending, ...chosen];
    const current = believe(model, believed);
    // Believed values count as observations: the threshold is the best of them too, else a batch keeps
    // "improving" on the same predicted-good spot.
    const f0 = Math.min(best.mean, ...believed.map((x) => predict(model, x).mean));
    const pool = (
      search === 'dycors'
        ? dycorsCandidates(p, best.x, rng)
        : globalPool(p, current, rng, seed + 7919 * (slot + 1))
    ).map((x) => snap(p.space, x));
    const pick = maximizeAcquisition(
      {
        space: p.space,
        value: (x) => logEi(current, f0, x),
        valueAndGradient: (x) => logEiWithGradient(current, f0, x),
      },
      pool,
      search === 'dycors' ? 0 : 5,
    );
    chosen.push(pick.x);
  }
  return chosen;
}

/**
 * `auto`: GP-BO with global log-EI while the study has spent less than 40% of the budget (find the right
 * basin), then log-EI over DYCORS candidates around the incumbent (refine it in 10–40 dimensions, where a
 * global EI maximiser keeps probing corners). The split was chosen on the benchmark (docs/optimizers.md).
 */
export function proposeAuto(p: Problem, seed: number): number[][] {
  const global = p.obs.length + p.pending.length < 0.4 * p.budget;
  return proposeGp(p, seed, global ? 'global' : 'dycors');
}

/**
 * Posterior mean of the loss at `points` from a GP on the standardised (unwarped) losses of the successful
 * evaluations, in loss units; undefined with fewer than two successful points.
 */
export function gpLossMean(p: Problem, points: readonly number[][]): number[] | undefined {
  const ok = scored(p);
  if (ok.length < 2) return undefined;
  const losses = ok.map((o) => o.loss);
  const mean = losses.reduce((s, v) => s + v, 0) / losses.length;
  const sd = Math.sqrt(losses.reduce((s, v) => s + (v - mean) ** 2, 0) / losses.length);
  const model = fitGp(
    ok.map((o) => o.x),
    standardize(losses),
    isChoiceMask(p),
  );
  return points.map((x) => mean + (sd > 0 ? sd : 1) * predict(model, x).mean);
}
