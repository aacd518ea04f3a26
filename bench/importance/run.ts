/**
 * Does parameter importance find the parameters that matter? 10 parameters, the score depends on 2 of
 * them; for each seed, 100 trials (uniform random points, or the points a TPE study chooses) are
 * scored and PED-ANOVA must rank the 2 first and second. Prints the rate over the seeds per function.
 *
 *   npm run build && node dist/bench/importance/run.js [--seeds 20] [--trials 100] [--tpe]
 */
import { suggest } from '../../src/optimizers/index.js';
import { parameterImportance } from '../../src/results/importance.js';
import { Rng } from '../../src/space/sampling.js';
import type { Dimension, Params, Trial } from '../../src/space/types.js';

function arg(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const seeds = arg('--seeds', 20);
const trials = arg('--trials', 100);

const dims: Dimension[] = Array.from(
  { length: 10 },
  (_, i): Dimension => ({
    kind: 'real',
    name: `x${i}`,
    low: 0,
    high: 1,
    log: false,
  }),
);
const x = (p: Params, i: number) => Number(p[`x${i}`]);

/** Each depends on x2 and x7 only; the names say how. */
const functions: Record<string, (p: Params) => number> = {
  'bowl (interior optimum)': (p) => -((x(p, 2) - 0.3) ** 2) - (x(p, 7) - 0.7) ** 2,
  'monotone (optimum at a bound)': (p) => x(p, 2) + 0.5 * x(p, 7),
  'interaction (product)': (p) => Math.sin(3 * x(p, 2)) * Math.cos(2 * x(p, 7) - 1),
};
const truth = new Set(['x2', 'x7']);

function randomPoints(seed: number, f: (p: Params) => number) {
  const rng = new Rng(seed);
  return Array.from({ length: trials }, () => {
    const params: Params = {};
    for (const d of dims) params[d.name] = rng.uniform();
    return { params, score: f(params) };
  });
}

function tpePoints(seed: number, f: (p: Params) => number) {
  const history: Trial[] = [];
  while (history.length < trials) {
    const [params] = suggest('tpe', {
      space: { dimensions: dims },
      trials: history,
      pending: [],
      n: 1,
      seed,
      minimize: false,
      budget: trials,
    });
    history.push({ params: params!, score: f(params!) });
  }
  return history.map((t) => ({ params: t.params, score: t.score as number }));
}

const samplers: Record<
  string,
  (seed: number, f: (p: Params) => number) => { params: Params; score: number }[]
> = {
  random: randomPoints,
};
if (process.argv.includes('--tpe')) samplers.tpe = tpePoints;

console.log(`importance: 10 parameters, score depends on x2 and x7, ${trials} trials, ${seeds} seeds`);
console.log('| function | points | top-2 = {x2, x7} | mean share of x2 + x7 | ms per importance |');
console.log('|---|---|---|---|---|');
for (const [fname, f] of Object.entries(functions)) {
  for (const [sname, sampler] of Object.entries(samplers)) {
    let hits = 0;
    let share = 0;
    let ms = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const points = sampler(seed, f);
      const start = performance.now();
      const result = parameterImportance(dims, points);
      ms += performance.now() - start;
      if (truth.has(result[0]!.name) && truth.has(result[1]!.name)) hits++;
      share += result.filter((r) => truth.has(r.name)).reduce((s, r) => s + r.importance, 0);
    }
    console.log(
      `| ${fname} | ${sname} | ${hits}/${seeds} (${((100 * hits) / seeds).toFixed(0)} %) | ${(share / seeds).toFixed(2)} | ${(ms / seeds).toFixed(1)} |`,
    );
  }
}
