/**
 * Benchmark functions (minimisation) with their search spaces and known optima. Domains follow pySOT's
 * shifted ranges so that no optimum sits at the centre of the box (the centre is where several methods start).
 */
import type { Dimension, Params, Space } from '../../src/space/types.js';

export interface BenchFunction {
  name: string;
  space: Space;
  /** Global minimum value. */
  optimum: number;
  /** The noise-free value; regret is always measured on it. */
  evaluate(params: Params): number;
  /** Standard deviation of the Gaussian noise added to each observation (0: exact observations). */
  noise: number;
  /** Not used while tuning the optimizers: a check that gains carry over to unseen functions. */
  heldOut: boolean;
}

function box(d: number, low: number, high: number, intDims = 0): Space {
  const dimensions: Dimension[] = Array.from({ length: d }, (_, i) =>
    i < intDims
      ? { kind: 'int', name: `x${i}`, low, high, log: false }
      : { kind: 'real', name: `x${i}`, low, high, log: false },
  );
  return { dimensions };
}

function vec(params: Params, d: number): number[] {
  return Array.from({ length: d }, (_, i) => params[`x${i}`] as number);
}

function branin([x1, x2]: number[]): number {
  const a = x1 as number;
  const b = x2 as number;
  return (
    (b - (5.1 / (4 * Math.PI ** 2)) * a * a + (5 / Math.PI) * a - 6) ** 2 +
    10 * (1 - 1 / (8 * Math.PI)) * Math.cos(a) +
    10
  );
}

const H6_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
];
function hartmann6(x: number[]): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++)
      inner += (H6_A[i]?.[j] as number) * ((x[j] as number) - (H6_P[i]?.[j] as number) * 1e-4) ** 2;
    s += (H6_ALPHA[i] as number) * Math.exp(-inner);
  }
  return -s;
}

function ackley(x: number[]): number {
  const d = x.length;
  const sq = x.reduce((s, v) => s + v * v, 0) / d;
  const cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / d;
  return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cs) + 20 + Math.E;
}

function rosenbrock(x: number[]): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++)
    s += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
  return s;
}

function levy(x: number[]): number {
  const w = x.map((v) => 1 + (v - 1) / 4);
  const d = w.length;
  let s = Math.sin(Math.PI * (w[0] as number)) ** 2;
  for (let i = 0; i + 1 < d; i++) {
    const wi = w[i] as number;
    s += (wi - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * wi + 1) ** 2);
  }
  const wd = w[d - 1] as number;
  return s + (wd - 1) ** 2 * (1 + Math.sin(2 * Math.PI * wd) ** 2);
}

function styblinskiTang(x: number[]): number {
  return 0.5 * x.reduce((s, v) => s + v ** 4 - 16 * v * v + 5 * v, 0);
}

/** Michalewicz (m = 10): d ridges that narrow with m; the global minimum for d = 5 is −4.687658. */
function michalewicz(x: number[]): number {
  return -x.reduce((s, v, i) => s + Math.sin(v) * Math.sin(((i + 1) * v * v) / Math.PI) ** 20, 0);
}

function griewank(x: number[]): number {
  const sum = x.reduce((s, v) => s + (v * v) / 4000, 0);
  const product = x.reduce((p, v, i) => p * Math.cos(v / Math.sqrt(i + 1)), 1);
  return sum - product + 1;
}

function make(
  name: string,
  space: Space,
  optimum: number,
  f: (x: number[]) => number,
  heldOut = false,
): BenchFunction {
  const d = space.dimensions.length;
  return { name, space, optimum, evaluate: (params) => f(vec(params, d)), noise: 0, heldOut };
}

/** A small deterministic generator (mulberry32) for the noise streams and the range estimate. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * The same function observed with homoscedastic Gaussian noise of `share` × its range over the box
 * (the 5–95 % quantile spread of 2,000 uniform points, fixed by a constant seed).
 */
function noisy(base: BenchFunction, share: number): BenchFunction {
  const random = seededRandom(12345);
  const values = Array.from({ length: 2000 }, () => {
    const params: Params = {};
    for (const dim of base.space.dimensions)
      if (dim.kind !== 'choice') params[dim.name] = dim.low + random() * (dim.high - dim.low);
    return base.evaluate(params);
  }).sort((a, b) => a - b);
  const range = (values[1899] as number) - (values[99] as number);
  return { ...base, name: `${base.name}-noisy`, noise: share * range };
}

const BRANIN_SPACE: Space = {
  dimensions: [
    { kind: 'real', name: 'x0', low: -5, high: 10, log: false },
    { kind: 'real', name: 'x1', low: 0, high: 15, log: false },
  ],
};

const BRANIN = make('branin', BRANIN_SPACE, 0.397887357729739, branin);
const HARTMANN6 = make('hartmann6', box(6, 0, 1), -3.32236801141551, hartmann6);
const ACKLEY10 = make('ackley10', box(10, -15, 20), 0, ackley);

export const BENCH_FUNCTIONS: readonly BenchFunction[] = [
  BRANIN,
  HARTMANN6,
  ACKLEY10,
  make('rosenbrock10', box(10, -5, 10), 0, rosenbrock),
  make('levy10', box(10, -5, 5), 0, levy),
  make('styblinski20', box(20, -5, 5), -39.1661657037714 * 20, styblinskiTang),
  // Mixed variants: the first half of the coordinates are integers (the optimum stays reachable).
  make('ackley10-mixed', box(10, -15, 20, 5), 0, ackley),
  make('levy10-mixed', box(10, -5, 5, 5), 0, levy),
  // Noisy variants: noise of 3 % of the function's range on every observation.
  noisy(BRANIN, 0.03),
  noisy(HARTMANN6, 0.03),
  noisy(ACKLEY10, 0.03),
  // Held out: added with issue 17 and never used to choose or tune the optimizers' settings.
  make('michalewicz5', box(5, 0, Math.PI), -4.687658179, michalewicz, true),
  make('griewank8', box(8, -300, 600), 0, griewank, true),
  noisy(make('michalewicz5', box(5, 0, Math.PI), -4.687658179, michalewicz, true), 0.03),
];

export function benchFunction(name: string): BenchFunction {
  const f = BENCH_FUNCTIONS.find((b) => b.name === name);
  if (!f)
    throw new Error(`unknown function "${name}"; known: ${BENCH_FUNCTIONS.map((b) => b.name).join(', ')}`);
  return f;
}
