/**
 * What a throughput constraint costs in accuracy on the built-in pipeline: one-objective `auto` studies of
 * HOTA over the space of pipeline.ts, with `fps ≥ the sample configs' fps` and without. The bound is the
 * median of a few runs of the sample configs, measured once and kept with the results.
 *
 *   npx tsc -p tsconfig.json && node bin/pipetune.js synth data/SDG_sample
 *   node dist/bench/objectives/constrained.js [--seeds 3] [--budget 80] [--optimizer auto] [--baseline-runs 5]
 *
 * Finished runs are appended to bench/.cache/constrained-runs.jsonl and skipped when asked again.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { quantile } from '../optimizers/report.js';
import { baselineKfps, evaluatePipeline, PIPELINE_SPACE } from './pipeline.js';
import { type Evaluation, pipetuneSampler, runStudy } from './study.js';

const RESULTS = path.join(process.cwd(), 'bench/.cache/constrained-runs.jsonl');

interface ConstrainedRun {
  optimizer: string;
  constrained: boolean;
  seed: number;
  budget: number;
  /** The bound, kfps of the sample configs. */
  bound: number;
  /** Each evaluation's HOTA and kfps, in order. */
  evaluations: { hota: number; kfps: number }[];
}

const load = (): ConstrainedRun[] =>
  existsSync(RESULTS)
    ? readFileSync(RESULTS, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ConstrainedRun)
    : [];

/** Relative shortfall under the bound, as src/study/objectives.ts violation() computes it for `min`. */
const violation = (kfps: number, bound: number) => Math.max(0, (bound - kfps) / bound);

async function runOne(
  optimizer: string,
  constrained: boolean,
  seed: number,
  budget: number,
  bound: number,
): Promise<ConstrainedRun> {
  const measured: ConstrainedRun['evaluations'] = [];
  const objective = {
    evaluate: async (params: Evaluation['params']) => {
      const v = await evaluatePipeline(params);
      measured.push(v);
      return { values: [v.hota], ...(constrained ? { violation: violation(v.kfps, bound) } : {}) };
    },
  };
  await runStudy(pipetuneSampler(optimizer, PIPELINE_SPACE, ['max'], budget, seed), objective, budget);
  return { optimizer, constrained, seed, budget, bound, evaluations: measured };
}

const best = (evaluations: ConstrainedRun['evaluations'], bound?: number) =>
  Math.max(...evaluations.filter((e) => bound === undefined || e.kfps >= bound).map((e) => e.hota));

const med = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

function table(runs: ConstrainedRun[], seeds: number): string {
  const bound = runs[0]!.bound;
  const of = (constrained: boolean, seed: number) =>
    runs.find((r) => r.constrained === constrained && r.seed === seed);
  const lines = [
    `fps ≥ ${(1000 * bound).toFixed(0)} (the sample configs' median); HOTA in points`,
    '',
    '| seed | unconstrained best HOTA (its fps) | unconstrained best feasible | constrained best feasible | ratio to unconstrained best |',
    '|---:|---:|---:|---:|---:|',
  ];
  const ratios: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const free = of(false, seed);
    const bound_ = of(true, seed);
    if (!free || !bound_) continue;
    const top = free.evaluations.reduce((a, b) => (b.hota > a.hota ? b : a));
    const constrainedBest = best(bound_.evaluations, bound);
    ratios.push(constrainedBest / top.hota);
    lines.push(
      `| ${seed} | ${top.hota.toFixed(2)} (${(1000 * top.kfps).toFixed(0)}) | ${best(free.evaluations, bound).toFixed(2)} | ${constrainedBest.toFixed(2)} | ${(constrainedBest / top.hota).toFixed(3)} |`,
    );
  }
  lines.push(`| median | | | | ${med(ratios).toFixed(3)} |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      seeds: { type: 'string', default: '3' },
      budget: { type: 'string', default: '80' },
      optimizer: { type: 'string', default: 'auto' },
      'baseline-runs': { type: 'string', default: '5' },
    },
  });
  const seeds = Number(flags.seeds);
  const budget = Number(flags.budget);
  const optimizer = flags.optimizer;
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const done = load();
  const bound = done[0]?.bound ?? (await baselineKfps(Number(flags['baseline-runs'])));
  for (let seed = 0; seed < seeds; seed++) {
    for (const constrained of [true, false]) {
      const same = (r: ConstrainedRun) =>
        r.optimizer === optimizer && r.constrained === constrained && r.seed === seed && r.budget === budget;
      if (done.some(same)) continue;
      const started = Date.now();
      const run = await runOne(optimizer, constrained, seed, budget, bound);
      appendFileSync(RESULTS, `${JSON.stringify(run)}\n`);
      done.push(run);
      const label = constrained ? 'constrained' : 'unconstrained';
      console.error(`${optimizer} ${label} seed ${seed}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  console.log(`${optimizer}, ${seeds} seeds × ${budget} trials, HOTA (max)\n`);
  console.log(
    table(
      done.filter((r) => r.optimizer === optimizer && r.budget === budget),
      seeds,
    ),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
