/**
 * Gaussian-process regression on the unit cube: Matérn-5/2 ARD kernel (Hamming distance on choice
 * coordinates), a learned Gaussian noise, a constant mean profiled out by generalised least squares, and MAP
 * hyperparameters under a dimension-scaled lengthscale prior (Hvarfner et al. 2024), fitted by L-BFGS.
 */

import { minimizeBox } from '../lbfgs.js';
import { cholesky, cholInverse, cholSolve, solveLower, solveUpperT } from '../linalg.js';

const SQRT5 = Math.sqrt(5);

/** Matérn-5/2 as a function of r²: returns k/s and dk/d(r²) divided by s. */
function matern52(r2: number): { k: number; dk: number } {
  const r = Math.sqrt(r2);
  const e = Math.exp(-SQRT5 * r);
  return { k: (1 + SQRT5 * r + (5 / 3) * r2) * e, dk: (-5 / 6) * (1 + SQRT5 * r) * e };
}

export interface GpHyper {
  /** Inverse squared lengthscale per coordinate. */
  lam: Float64Array;
  /** Signal variance. */
  scale: number;
  /** Noise variance. */
  noise: number;
}

export interface GpModel {
  X: number[][];
  isChoice: readonly boolean[];
  hyper: GpHyper;
  mean: number;
  /** Cholesky factor of K + noise·I. */
  L: Float64Array;
  /** (K + noise·I)⁻¹ (y − mean). */
  alpha: Float64Array;
}

/** Squared per-coordinate distance: numeric difference², or 0/1 for choice coordinates (by cell). */
function delta2(a: number, b: number, choice: boolean): number {
  if (choice) return Math.abs(a - b) < 1e-12 ? 0 : 1;
  const t = a - b;
  return t * t;
}

function r2Of(
  x: readonly number[],
  z: readonly number[],
  lam: Float64Array,
  isChoice: readonly boolean[],
): number {
  let s = 0;
  for (let j = 0; j < x.length; j++)
    s += (lam[j] as number) * delta2(x[j] as number, z[j] as number, isChoice[j] as boolean);
  return s;
}

/** Cholesky of K + diag(noise) with growing jitter when it is numerically indefinite. */
function factor(
  X: number[][],
  hyper: GpHyper,
  isChoice: readonly boolean[],
  noise: readonly number[],
): Float64Array {
  const n = X.length;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = hyper.scale * matern52(r2Of(X[i] as number[], X[j] as number[], hyper.lam, isChoice)).k;
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
  }
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-8 * hyper.scale : jitter * 10) {
    const a = Float64Array.from(k);
    for (let i = 0; i < n; i++) a[i * n + i] = (a[i * n + i] as number) + (noise[i] as number) + jitter;
    const l = cholesky(a, n);
    if (l) return l;
    if (jitter > hyper.scale) throw new Error('gp: covariance matrix is not positive definite');
  }
}

/** GLS constant mean m = 1ᵀK⁻¹y / 1ᵀK⁻¹1 and α = K⁻¹(y − m). */
function meanAndAlpha(
  l: Float64Array,
  n: number,
  y: ArrayLike<number>,
): { mean: number; alpha: Float64Array } {
  const a = cholSolve(l, n, new Float64Array(n).fill(1));
  const b = cholSolve(l, n, y);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += b[i] as number;
    den += a[i] as number;
  }
  const mean = den > 0 ? num / den : 0;
  return { mean, alpha: Float64Array.from(b, (v, i) => v - mean * (a[i] as number)) };
}

export interface FitOptions {
  /** Fix the noise variance (e.g. when conditioning on believed values); learned otherwise. */
  fixedNoise?: number;
  maxIter?: number;
}

/** Lengthscale prior LogNormal(√2 + ½ ln d, √3) on ℓ: long lengthscales in high dimension. */
function lengthscalePrior(d: number): { mu: number; sigma: number } {
  return { mu: Math.SQRT2 + 0.5 * Math.log(d), sigma: Math.sqrt(3) };
}
const LOG_SCALE_PRIOR = { mu: 0, sigma: 1 };
const LOG_NOISE_PRIOR = { mu: -6, sigma: 2 };
const LOG_LENGTH_BOUNDS: [number, number] = [Math.log(0.01), Math.log(1e3)];
const LOG_SCALE_BOUNDS: [number, number] = [Math.log(1e-3), Math.log(1e2)];
const LOG_NOISE_BOUNDS: [number, number] = [Math.log(1e-6), Math.log(1)];

/**
 * Fit hyperparameters by maximising log marginal likelihood + log prior over θ = (log ℓ₁..ℓ_d, log s, log ν).
 * y should be standardised. Starts from the prior medians (or `start`), so equal data give an equal fit.
 */
export function fitGp(
  X: number[][],
  y: readonly number[],
  isChoice: readonly boolean[],
  options: FitOptions = {},
): GpModel {
  const n = X.length;
  const d = isChoice.length;
  const prior = lengthscalePrior(d);
  // Pairwise squared coordinate distances, computed once: the objective only reweights them.
  const pairs = (n * (n - 1)) / 2;
  const d2 = new Float64Array(pairs * d);
  for (let i = 1, p = 0; i < n; i++) {
    for (let j = 0; j < i; j++, p++) {
      for (let c = 0; c < d; c++)
        d2[p * d + c] = delta2(
          (X[i] as number[])[c] as number,
          (X[j] as number[])[c] as number,
          isChoice[c] as boolean,
        );
    }
  }
  const learnNoise = options.fixedNoise === undefined;
  const dimTheta = d + (learnNoise ? 2 : 1);
  const unpack = (theta: ArrayLike<number>): GpHyper => ({
    lam: Float64Array.from({ length: d }, (_, c) => Math.exp(-2 * (theta[c] as number))),
    scale: Math.exp(theta[d] as number),
    noise: learnNoise ? Math.exp(theta[d + 1] as number) : (options.fixedNoise as number),
  });

  const objective = (theta: Float64Array) => {
    const h = unpack(theta);
    const k = new Float64Array(n * n);
    const dk = new Float64Array(pairs);
    for (let i = 0; i < n; i++) k[i * n + i] = h.scale + h.noise;
    for (let i = 1, p = 0; i < n; i++) {
      for (let j = 0; j < i; j++, p++) {
        let r2 = 0;
        for (let c = 0; c < d; c++) r2 += (h.lam[c] as number) * (d2[p * d + c] as number);
        const m = matern52(r2);
        k[i * n + j] = h.scale * m.k;
        k[j * n + i] = h.scale * m.k;
        dk[p] = h.scale * m.dk;
      }
    }
    const grad = new Float64Array(dimTheta);
    const l = cholesky(k, n);
    if (!l) return { value: Number.POSITIVE_INFINITY, grad };
    const { mean, alpha } = meanAndAlpha(l, n, y);
    let value = 0;
    for (let i = 0; i < n; i++)
      value += 0.5 * ((y[i] as number) - mean) * (alpha[i] as number) + Math.log(l[i * n + i] as number);
    // d(−LML)/dθ = −½ tr(W ∂K/∂θ), W = ααᵀ − K⁻¹.
    const inv = cholInverse(l, n);
    let trW = 0;
    let wKf = 0;
    for (let i = 0; i < n; i++) {
      const w = (alpha[i] as number) ** 2 - (inv[i * n + i] as number);
      trW += w;
      wKf += w * h.scale;
    }
    for (let i = 1, p = 0; i < n; i++) {
      for (let j = 0; j < i; j++, p++) {
        const w = 2 * ((alpha[i] as number) * (alpha[j] as number) - (inv[i * n + j] as number));
        wKf += w * (k[i * n + j] as number);
        // ∂k/∂log ℓ_c = dk · (−2 λ_c δ_c²)
        const coef = w * (dk[p] as number);
        if (coef === 0) continue;
        for (let c = 0; c < d; c++)
          grad[c] = (grad[c] as number) + coef * (h.lam[c] as number) * (d2[p * d + c] as number);
      }
    }
    // grad[c] so far holds Σ w·dk·λ δ², and ∂(−LML)/∂log ℓ_c = −½·Σ w·dk·(−2λδ²) = +Σ w·dk·λδ².
    grad[d] = -0.5 * wKf;
    if (learnNoise) grad[d + 1] = -0.5 * h.noise * trW;
    // Priors (negative log densities of the log-parameters).
    for (let c = 0; c < d; c++) {
      const z = ((theta[c] as number) - prior.mu) / prior.sigma;
      value += 0.5 * z * z;
      grad[c] = (grad[c] as number) + z / prior.sigma;
    }
    const zs = ((theta[d] as number) - LOG_SCALE_PRIOR.mu) / LOG_SCALE_PRIOR.sigma;
    value += 0.5 * zs * zs;
    grad[d] = (grad[d] as number) + zs / LOG_SCALE_PRIOR.sigma;
    if (learnNoise) {
      const zn = ((theta[d + 1] as number) - LOG_NOISE_PRIOR.mu) / LOG_NOISE_PRIOR.sigma;
      value += 0.5 * zn * zn;
      grad[d + 1] = (grad[d + 1] as number) + zn / LOG_NOISE_PRIOR.sigma;
    }
    return { value, grad };
  };

  const lower: number[] = [];
  const upper: number[] = [];
  const start: number[] = [];
  for (let c = 0; c < d; c++) {
    lower.push(LOG_LENGTH_BOUNDS[0]);
    upper.push(LOG_LENGTH_BOUNDS[1]);
    // Start shorter than the prior median: with few points the likelihood is flat and a long start stalls.
    start.push(Math.min(prior.mu, Math.log(0.5 * Math.sqrt(d))));
  }
  lower.push(LOG_SCALE_BOUNDS[0]);
  upper.push(LOG_SCALE_BOUNDS[1]);
  start.push(0);
  if (learnNoise) {
    lower.push(LOG_NOISE_BOUNDS[0]);
    upper.push(LOG_NOISE_BOUNDS[1]);
    start.push(Math.log(1e-3));
  }
  const best = minimizeBox(objective, start, lower, upper, {
    maxIter: options.maxIter ?? 40,
    gtol: 1e-3,
    ftol: 1e-7,
  });
  return condition(X, y, isChoice, unpack(best.x));
}

/**
 * The posterior of a GP with fixed hyperparameters on data (X, y). `noise` overrides the noise variance per
 * point (e.g. ~0 for believed values of pending points, which stand for the latent function, not a draw).
 */
export function condition(
  X: number[][],
  y: readonly number[],
  isChoice: readonly boolean[],
  hyper: GpHyper,
  mean?: number,
  noise: readonly number[] = X.map(() => hyper.noise),
): GpModel {
  const n = X.length;
  const L = factor(X, hyper, isChoice, noise);
  if (mean === undefined) {
    const fit = meanAndAlpha(L, n, y);
    return { X, isChoice, hyper, mean: fit.mean, L, alpha: fit.alpha };
  }
  const alpha = cholSolve(
    L,
    n,
    y.map((v) => v - mean),
  );
  return { X, isChoice, hyper, mean, L, alpha };
}

/** Posterior mean and latent variance at x. */
export function predict(model: GpModel, x: readonly number[]): { mean: number; variance: number } {
  const n = model.X.length;
  const ks = new Float64Array(n);
  let mu = model.mean;
  for (let i = 0; i < n; i++) {
    const v =
      model.hyper.scale * matern52(r2Of(x, model.X[i] as number[], model.hyper.lam, model.isChoice)).k;
    ks[i] = v;
    mu += v * (model.alpha[i] as number);
  }
  const v = solveLower(model.L, n, ks);
  let q = 0;
  for (let i = 0; i < n; i++) q += (v[i] as number) ** 2;
  return { mean: mu, variance: Math.max(1e-12 * model.hyper.scale, model.hyper.scale - q) };
}

/** Posterior mean and variance at x with their gradients over the numeric coordinates (0 on choice ones). */
export function predictWithGradient(
  model: GpModel,
  x: readonly number[],
): { mean: number; variance: number; dMean: Float64Array; dVariance: Float64Array } {
  const n = model.X.length;
  const d = x.length;
  const { lam, scale } = model.hyper;
  const ks = new Float64Array(n);
  const dks = new Float64Array(n); // dk/d(r²)
  let mu = model.mean;
  for (let i = 0; i < n; i++) {
    const m = matern52(r2Of(x, model.X[i] as number[], lam, model.isChoice));
    ks[i] = scale * m.k;
    dks[i] = scale * m.dk;
    mu += (ks[i] as number) * (model.alpha[i] as number);
  }
  const v = solveLower(model.L, n, ks);
  let q = 0;
  for (let i = 0; i < n; i++) q += (v[i] as number) ** 2;
  const w = solveUpperT(model.L, n, v); // K⁻¹ k*
  const dMean = new Float64Array(d);
  const dVariance = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const xi = model.X[i] as number[];
    const a = (dks[i] as number) * (model.alpha[i] as number);
    const b = (dks[i] as number) * (w[i] as number);
    for (let c = 0; c < d; c++) {
      if (model.isChoice[c]) continue;
      // ∂r²/∂x_c = 2 λ_c (x_c − x_ic)
      const dr = 2 * (lam[c] as number) * ((x[c] as number) - (xi[c] as number));
      dMean[c] = (dMean[c] as number) + a * dr;
      dVariance[c] = (dVariance[c] as number) - 2 * b * dr;
    }
  }
  const variance = scale - q;
  if (variance < 1e-12 * scale) dVariance.fill(0);
  return { mean: mu, variance: Math.max(1e-12 * scale, variance), dMean, dVariance };
}
