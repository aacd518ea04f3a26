/**
 * Tree-structured Parzen estimator (after Optuna's TPESampler) on the unit cube. Observations are split by
 * loss into a good set (best γ(n)) and a bad set; a Parzen mixture is built on each (one truncated-normal
 * kernel per observation and coordinate, a categorical kernel on choice coordinates, plus a prior kernel), and
 * the candidate maximising log l(x) − log g(x) among draws from l wins. Pending points and the earlier picks of
 * a batch join the bad set (constant liar), so parallel suggestions spread out.
 *
 * Multivariate mode draws and scores whole points from one kernel (captures interactions); the independent
 * mode (hyperopt-like) picks each coordinate on its own 1-D ratio.
 */
import { cardinality, choiceIndex } from '../space/encoding.js';
import { Rng } from '../space/sampling.js';
import type { Dimension } from '../space/types.js';
import { designPoints } from './design.js';
import { normalCdf } from './gp/normal.js';
import type { Problem } from './problem.js';

export interface TpeOptions {
  multivariate: boolean;
  /** Size of the good set for n observations. */
  gamma: (n: number) => number;
  candidates: number;
  priorWeight: number;
}

export const TPE_DEFAULTS: TpeOptions = {
  multivariate: true,
  gamma: (n) => Math.min(Math.ceil(0.1 * n), 25),
  candidates: 24,
  priorWeight: 1,
};

/** hyperopt's settings: independent coordinates and a √n good set. */
export const HYPEROPT_TPE: TpeOptions = {
  multivariate: false,
  gamma: (n) => Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25),
  candidates: 24,
  priorWeight: 1,
};

interface Mixture {
  /** Kernel centres (one row per kernel, the last is the prior kernel). */
  mus: number[][];
  /** Per kernel and coordinate bandwidth (numeric coordinates). */
  sigmas: number[][];
  logWeights: number[];
}

/** Optuna's weight ramp: the oldest observations fade linearly once there are more than 25. */
function ageWeights(count: number): number[] {
  if (count < 25) return new Array(count).fill(1);
  const ramp = count - 25;
  return Array.from({ length: count }, (_, i) =>
    i < ramp ? 1 / count + ((1 - 1 / count) * i) / Math.max(1, ramp - 1) : 1,
  );
}

function buildMixture(
  points: number[][],
  ages: number[],
  dims: readonly Dimension[],
  priorWeight: number,
): Mixture {
  const n = points.length;
  const d = dims.length;
  const mus = [...points.map((p) => p.slice()), dims.map(() => 0.5)];
  const sigmas: number[][] = mus.map(() => new Array(d).fill(1));
  for (let j = 0; j < d; j++) {
    const dim = dims[j] as Dimension;
    if (dim.kind === 'choice') continue;
    // Neighbour-gap bandwidth: the larger gap to the sorted neighbours (bounds included), clipped (magic clip).
    const order = points.map((p, i) => ({ v: p[j] as number, i })).sort((a, b) => a.v - b.v);
    const minSigma = Math.max(1 / Math.min(100, n + 2), dim.kind === 'int' ? 0.5 / cardinality(dim) : 0);
    order.forEach(({ v, i }, k) => {
      const left = k === 0 ? v : v - (order[k - 1] as { v: number }).v;
      const right = k === order.length - 1 ? 1 - v : (order[k + 1] as { v: number }).v - v;
      // The outermost kernels only use their inner gap (no endpoint gap).
      const gap =
        k === 0 && order.length > 1
          ? right
          : k === order.length - 1 && order.length > 1
            ? left
            : Math.max(left, right);
      (sigmas[i] as number[])[j] = Math.min(1, Math.max(minSigma, gap));
    });
  }
  const weights = [...ages, priorWeight];
  const total = weights.reduce((s, w) => s + w, 0);
  return { mus, sigmas, logWeights: weights.map((w) => Math.log(w / total)) };
}

/** Log density of a normal truncated to [0,1]. */
function logTruncNormal(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma;
  const mass = normalCdf((1 - mu) / sigma) - normalCdf(-mu / sigma);
  return -0.5 * z * z - Math.log(sigma * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-300));
}

/** Log probability of choice c under the categorical kernel centred on choice `centre` (uniform if prior). */
function logCategorical(c: number, centre: number | undefined, count: number, priorShare: number): number {
  if (centre === undefined) return -Math.log(count);
  return Math.log(((c === centre ? 1 : 0) + priorShare) / (1 + count * priorShare));
}

/** Per-kernel, per-coordinate log densities of x; summed over coordinates for the joint kernel density. */
function kernelLogDensities(
  m: Mixture,
  dims: readonly Dimension[],
  x: readonly number[],
  priorShare: number,
): number[][] {
  const prior = m.mus.length - 1;
  return m.mus.map((mu, k) =>
    dims.map((dim, j) => {
      if (dim.kind === 'choice') {
        const count = dim.choices.length;
        return logCategorical(
          choiceIndex(count, x[j] as number),
          k === prior ? undefined : choiceIndex(count, mu[j] as number),
          count,
          priorShare,
        );
      }
      return logTruncNormal(x[j] as number, mu[j] as number, (m.sigmas[k] as number[])[j] as number);
    }),
  );
}

function logSumExp(v: readonly number[]): number {
  const max = Math.max(...v);
  if (!Number.isFinite(max)) return max;
  return max + Math.log(v.reduce((s, x) => s + Math.exp(x - max), 0));
}

/** Joint log density (multivariate) or per-coordinate log densities (independent). */
function logDensity(
  m: Mixture,
  dims: readonly Dimension[],
  x: readonly number[],
  priorShare: number,
): { joint: number; perDim: number[] } {
  const per = kernelLogDensities(m, dims, x, priorShare);
  const joint = logSumExp(per.map((row, k) => (m.logWeights[k] as number) + row.reduce((s, v) => s + v, 0)));
  const perDim = dims.map((_, j) =>
    logSumExp(per.map((row, k) => (m.logWeights[k] as number) + (row[j] as number))),
  );
  return { joint, perDim };
}

/** One draw from the mixture: one kernel for the whole point (joint) or one per coordinate (independent). */
function sampleFrom(
  m: Mixture,
  dims: readonly Dimension[],
  rng: Rng,
  priorShare: number,
  joint: boolean,
): number[] {
  const pick = () => {
    let u = rng.uniform();
    for (let k = 0; k < m.logWeights.length; k++) {
      u -= Math.exp(m.logWeights[k] as number);
      if (u <= 0) return k;
    }
    return m.logWeights.length - 1;
  };
  const k0 = pick();
  const prior = m.mus.length - 1;
  return dims.map((dim, j) => {
    const k = joint ? k0 : pick();
    const mu = (m.mus[k] as number[])[j] as number;
    if (dim.kind === 'choice') {
      const count = dim.choices.length;
      const centre = k === prior ? undefined : choiceIndex(count, mu);
      let u = rng.uniform();
      for (let c = 0; c < count; c++) {
        u -= Math.exp(logCategorical(c, centre, count, priorShare));
        if (u <= 0) return (c + 0.5) / count;
      }
      return (count - 0.5) / count;
    }
    const sigma = (m.sigmas[k] as number[])[j] as number;
    for (let tries = 0; tries < 100; tries++) {
      const v = mu + sigma * rng.normal();
      if (v >= 0 && v <= 1) return v;
    }
    return Math.min(1, Math.max(0, mu));
  });
}

export function proposeTpe(p: Problem, seed: number, options: TpeOptions = TPE_DEFAULTS): number[][] {
  const chosen = designPoints(p, seed);
  if (chosen.length >= p.n || p.obs.length === 0) return chosen;
  const order = p.obs.map((o, i) => ({ o, i })).sort((a, b) => a.o.loss - b.o.loss || a.i - b.i);
  const nGood = Math.max(1, options.gamma(p.obs.length));
  const goodIdx = new Set(order.slice(0, nGood).map((e) => e.i));
  const ages = ageWeights(p.obs.length);
  const good = p.obs.flatMap((o, i) => (goodIdx.has(i) ? [{ x: o.x, w: ages[i] as number }] : []));
  const badObs = p.obs.flatMap((o, i) => (goodIdx.has(i) ? [] : [{ x: o.x, w: ages[i] as number }]));
  const lMix = buildMixture(
    good.map((g) => g.x),
    good.map((g) => g.w),
    p.dims,
    options.priorWeight,
  );
  const priorShare = options.priorWeight / (p.obs.length + 1);
  for (let slot = chosen.length; slot < p.n; slot++) {
    // Constant liar: pending points and this batch's earlier picks count as bad observations.
    const liars = [...p.pending, ...chosen].map((x) => ({ x, w: 1 }));
    const bad = [...badObs, ...liars];
    const gMix = buildMixture(
      bad.map((b) => b.x),
      bad.map((b) => b.w),
      p.dims,
      options.priorWeight,
    );
    const rng = new Rng(seed, p.obs.length, slot);
    const draws = Array.from({ length: options.candidates }, () =>
      sampleFrom(lMix, p.dims, rng, priorShare, options.multivariate),
    );
    chosen.push(
      options.multivariate
        ? bestJoint(draws, lMix, gMix, p.dims, priorShare)
        : bestPerDim(draws, lMix, gMix, p.dims, priorShare),
    );
  }
  return chosen;
}

function bestJoint(
  draws: number[][],
  l: Mixture,
  g: Mixture,
  dims: readonly Dimension[],
  priorShare: number,
): number[] {
  let best = draws[0] as number[];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const x of draws) {
    const score = logDensity(l, dims, x, priorShare).joint - logDensity(g, dims, x, priorShare).joint;
    if (score > bestScore) {
      bestScore = score;
      best = x;
    }
  }
  return best;
}

function bestPerDim(
  draws: number[][],
  l: Mixture,
  g: Mixture,
  dims: readonly Dimension[],
  priorShare: number,
): number[] {
  const scores = draws.map((x) => {
    const a = logDensity(l, dims, x, priorShare).perDim;
    const b = logDensity(g, dims, x, priorShare).perDim;
    return a.map((v, j) => v - (b[j] as number));
  });
  return dims.map((_, j) => {
    let best = 0;
    for (let i = 1; i < draws.length; i++)
      if (((scores[i] as number[])[j] as number) > ((scores[best] as number[])[j] as number)) best = i;
    return (draws[best] as number[])[j] as number;
  });
}
