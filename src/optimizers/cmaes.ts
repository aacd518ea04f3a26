/**
 * CMA-ES (Hansen's (μ/μ_w, λ) with rank-one and rank-μ updates and negative weights) on the unit cube.
 *
 * The state is rebuilt by replaying the history: after the initial design, every consecutive block of λ
 * evaluated points is one generation. Points CMA-ES did not sample itself (other optimizers' trials, the
 * design) are "injected" with their Mahalanobis step length clipped (Hansen 2011), so foreign trials cannot
 * blow up the step size. Integer coordinates get a margin (after Hamano et al. 2022): when the chance of
 * leaving the mean's integer cell falls below α, the mean moves towards the nearer cell edge until it is α,
 * so integers never freeze.
 */
import { cellBounds } from '../space/encoding.js';
import { Rng } from '../space/sampling.js';
import { designPoints } from './design.js';
import { normalCdf, normalQuantile } from './gp/normal.js';
import { symmetricEigen } from './linalg.js';
import { incumbent, type Problem } from './problem.js';

export interface CmaState {
  mean: number[];
  sigma: number;
  /** Covariance, row-major d×d. */
  c: Float64Array;
  ps: number[];
  pc: number[];
  generation: number;
}

interface Constants {
  lambda: number;
  mu: number;
  weights: number[];
  muEff: number;
  c1: number;
  cmu: number;
  cs: number;
  ds: number;
  cc: number;
  chiN: number;
}

function constants(d: number): Constants {
  const lambda = 4 + Math.floor(3 * Math.log(d));
  const mu = Math.floor(lambda / 2);
  const raw = Array.from({ length: lambda }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
  const pos = raw.slice(0, mu);
  const neg = raw.slice(mu);
  const muEff = pos.reduce((s, w) => s + w, 0) ** 2 / pos.reduce((s, w) => s + w * w, 0);
  const muEffNeg =
    neg.reduce((s, w) => s + w, 0) ** 2 /
    Math.max(
      1e-300,
      neg.reduce((s, w) => s + w * w, 0),
    );
  const c1 = 2 / ((d + 1.3) ** 2 + muEff);
  const cmu = Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((d + 2) ** 2 + muEff));
  const cs = (muEff + 2) / (d + muEff + 5);
  const ds = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (d + 1)) - 1) + cs;
  const cc = (4 + muEff / d) / (d + 4 + (2 * muEff) / d);
  const alphaMin = Math.min(1 + c1 / cmu, 1 + (2 * muEffNeg) / (muEff + 2), (1 - c1 - cmu) / (d * cmu));
  const posSum = pos.reduce((s, w) => s + w, 0);
  const negSum = -neg.reduce((s, w) => s + w, 0);
  const weights = raw.map((w) => (w >= 0 ? w / posSum : (alphaMin * w) / negSum));
  const chiN = Math.sqrt(d) * (1 - 1 / (4 * d) + 1 / (21 * d * d));
  return { lambda, mu, weights, muEff, c1, cmu, cs, ds, cc, chiN };
}

/** B·D and C^(−1/2) from the eigen-decomposition of C. */
function decompose(c: Float64Array, d: number): { bd: Float64Array; invSqrt: Float64Array } {
  const { values, vectors } = symmetricEigen(c, d);
  const bd = new Float64Array(d * d);
  const invSqrt = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const sqrtEig = Math.sqrt(Math.max(1e-20, values[j] as number));
      bd[i * d + j] = (vectors[i * d + j] as number) * sqrtEig;
      let s = 0;
      for (let k = 0; k < d; k++)
        s +=
          ((vectors[i * d + k] as number) * (vectors[j * d + k] as number)) /
          Math.sqrt(Math.max(1e-20, values[k] as number));
      invSqrt[i * d + j] = s;
    }
  }
  return { bd, invSqrt };
}

function matVec(m: Float64Array, v: readonly number[]): number[] {
  const d = v.length;
  return Array.from({ length: d }, (_, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (m[i * d + j] as number) * (v[j] as number);
    return s;
  });
}

const norm = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** One generation's update from points sorted best first. */
function tell(state: CmaState, k: Constants, sorted: number[][]): CmaState {
  const d = state.mean.length;
  const { invSqrt } = decompose(state.c, d);
  const clip = Math.sqrt(d) + (2 * d) / (d + 2);
  const ys = sorted.map((x) => {
    const y = x.map((v, j) => (v - (state.mean[j] as number)) / state.sigma);
    // Injected points: clip the Mahalanobis length of the step.
    const len = norm(matVec(invSqrt, y));
    return len > clip ? y.map((v) => (v * clip) / len) : y;
  });
  const yw = new Array(d).fill(0);
  for (let i = 0; i < k.mu; i++)
    for (let j = 0; j < d; j++) yw[j] += (k.weights[i] as number) * ((ys[i] as number[])[j] as number);
  const mean = state.mean.map((m, j) => m + state.sigma * (yw[j] as number));
  const cy = matVec(invSqrt, yw);
  const ps = state.ps.map(
    (v, j) => (1 - k.cs) * v + Math.sqrt(k.cs * (2 - k.cs) * k.muEff) * (cy[j] as number),
  );
  const sigma = state.sigma * Math.exp(Math.min(1, (k.cs / k.ds) * (norm(ps) / k.chiN - 1)));
  const g = state.generation + 1;
  const hs = norm(ps) / Math.sqrt(1 - (1 - k.cs) ** (2 * g)) < (1.4 + 2 / (d + 1)) * k.chiN ? 1 : 0;
  const pc = state.pc.map(
    (v, j) => (1 - k.cc) * v + hs * Math.sqrt(k.cc * (2 - k.cc) * k.muEff) * (yw[j] as number),
  );
  const wSum = k.weights.reduce((s, w) => s + w, 0);
  const delta = (1 - hs) * k.cc * (2 - k.cc);
  const c = new Float64Array(d * d);
  const factor = 1 + k.c1 * delta - k.c1 - k.cmu * wSum;
  for (let a = 0; a < d * d; a++) c[a] = factor * (state.c[a] as number);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      c[i * d + j] = (c[i * d + j] as number) + k.c1 * (pc[i] as number) * (pc[j] as number);
  ys.forEach((y, r) => {
    let w = k.weights[r] as number;
    // Negative weights are rescaled so the covariance stays positive definite.
    if (w < 0) w *= d / Math.max(1e-20, norm(matVec(invSqrt, y)) ** 2);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++)
        c[i * d + j] = (c[i * d + j] as number) + k.cmu * w * (y[i] as number) * (y[j] as number);
  });
  return { mean, sigma: Math.min(1, Math.max(1e-8, sigma)), c, ps, pc, generation: g };
}

/** Integer margin: keep the chance of leaving the mean's cell at least α per integer coordinate. */
export function applyMargin(state: CmaState, p: Problem, alpha: number): CmaState {
  const d = p.d;
  const mean = state.mean.slice();
  p.dims.forEach((dim, j) => {
    if (dim.kind === 'real') return;
    const m = Math.min(1, Math.max(0, mean[j] as number));
    const sd = state.sigma * Math.sqrt(state.c[j * d + j] as number);
    const [lo, hi] = cellBounds(dim, m);
    const leave = (lo > 0 ? normalCdf((lo - m) / sd) : 0) + (hi < 1 ? 1 - normalCdf((hi - m) / sd) : 0);
    if (leave >= alpha) return;
    const z = -normalQuantile(alpha);
    // Move towards the nearer inner edge (an edge of the unit interval cannot be crossed).
    const towardsHi = hi < 1 && (lo <= 0 || hi - m <= m - lo);
    if (towardsHi) mean[j] = Math.max(lo, hi - z * sd);
    else if (lo > 0) mean[j] = Math.min(hi, lo + z * sd);
  });
  return { ...state, mean };
}

/** The distribution after replaying every complete generation of the history. */
function replay(p: Problem, k: Constants): { state: CmaState; inGeneration: number } {
  const d = p.d;
  const start = Math.min(p.designSize, p.obs.length);
  const first = incumbent({ ...p, obs: p.obs.slice(0, Math.max(1, start)) });
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) c[i * d + i] = 1;
  let state: CmaState = {
    mean: first ? first.x.slice() : new Array(d).fill(0.5),
    sigma: 1 / 6,
    c,
    ps: new Array(d).fill(0),
    pc: new Array(d).fill(0),
    generation: 0,
  };
  const alpha = 1 / (d * k.lambda);
  let at = start;
  for (; at + k.lambda <= p.obs.length; at += k.lambda) {
    const block = p.obs.slice(at, at + k.lambda).sort((a, b) => a.loss - b.loss);
    state = applyMargin(
      tell(
        state,
        k,
        block.map((o) => o.x),
      ),
      p,
      alpha,
    );
  }
  return { state, inGeneration: p.obs.length - at + p.pending.length };
}

export function proposeCmaes(p: Problem, seed: number): number[][] {
  const chosen = designPoints(p, seed);
  if (chosen.length >= p.n || p.obs.length === 0) return chosen;
  const k = constants(p.d);
  const { state, inGeneration } = replay(p, k);
  const { bd } = decompose(state.c, p.d);
  for (let slot = chosen.length; slot < p.n; slot++) {
    // One stream per generation slot: a resumed study draws the same samples.
    const rng = new Rng(seed, state.generation, inGeneration + slot);
    let x: number[] = [];
    // Resample a few times when out of the box, then clip (Optuna's repair).
    for (let tries = 0; tries < 10 * p.d; tries++) {
      const z = Array.from({ length: p.d }, () => rng.normal());
      const step = matVec(bd, z);
      x = state.mean.map((m, j) => m + state.sigma * (step[j] as number));
      if (x.every((v) => v >= 0 && v <= 1)) break;
    }
    chosen.push(x.map((v) => Math.min(1, Math.max(0, v))));
  }
  return chosen;
}
