/**
 * Multi-objective optimizer benchmark: hypervolume of the feasible Pareto front reached by pipetune's
 * optimizers (nsga2; auto, gp, tpe through the ParEGO scalarisation; random) and Optuna's NSGAIISampler and
 * multi-objective TPESampler, on the same two-objective functions, reference points and seeds.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/objectives/run.js --seeds 3 --budget 80 \
 *     --functions zdt1-3d,zdt2-6d,mixed-5d --optimizers nsga2,auto,optuna-nsga2
 *
 * `--functions sdg-pipeline` is the built-in pipeline on the synthetic sample (HOTA against fps, pipeline.ts;
 * run `pipetune synth data/SDG_sample` first); it is not in the default list, as it takes minutes per run.
 *
 * Finished runs (their final fronts) are appended to bench/.cache/objective-runs.jsonl and skipped when asked
 * again; `--report` prints the tables from that file. Optuna runs in the venv of bench/optimizers (optuna
 * only: NSGA-II and TPE need neither scipy nor torch).
 */

import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { readJsonl } from '../jsonl.js';
import { ensureVenv, OptunaServer } from '../optimizers/optuna.js';
import { quantile } from '../optimizers/report.js';
import { MO_FUNCTIONS, type MoObjective, moFunction } from './functions.js';
import { sdgPipeline } from './pipeline.js';
import { frontOf, hypervolume, optunaSampler, pipetuneSampler, runStudy, type Sampler } from './study.js';

const RESULTS = path.join(process.cwd(), 'bench/.cache/objective-runs.jsonl');

const objectiveOf = (name: string): MoObjective =>
  name === sdgPipeline.name ? sdgPipeline : moFunction(name);

interface MoRun {
  optimizer: string;
  fn: string;
  budget: number;
  seed: number;
  /** Proposals asked at a time (absent in runs recorded before batches: 1). */
  batch?: number;
  /** Raw objective values of the final feasible Pareto front (the hypervolume is computed when reporting). */
  front: number[][];
  seconds: number;
}

interface Options {
  functions: string[];
  optimizers: string[];
  seeds: number;
  budget: number;
  batch: number;
  report: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    functions: MO_FUNCTIONS.map((f) => f.name),
    optimizers: ['nsga2', 'auto', 'gp', 'tpe', 'random', 'optuna-nsga2', 'optuna-tpe'],
    seeds: 3,
    budget: 80,
    batch: 1,
    report: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--functions') opts.functions = value().split(',').filter(Boolean);
    else if (flag === '--optimizers') opts.optimizers = value().split(',').filter(Boolean);
    else if (flag === '--seeds') opts.seeds = Number(value());
    else if (flag === '--budget') opts.budget = Number(value());
    else if (flag === '--batch') opts.batch = Number(value());
    else if (flag === '--report') opts.report = true;
    else throw new Error(`unknown flag ${flag}`);
  }
  for (const f of opts.functions) objectiveOf(f);
  return opts;
}

const loadRecords = () => readJsonl<MoRun>(RESULTS);

const recordKey = (r: Pick<MoRun, 'optimizer' | 'fn' | 'budget' | 'seed' | 'batch'>) =>
  `${r.optimizer}|${r.fn}|${r.budget}|${r.seed}|${r.batch ?? 1}`;

async function runOne(
  sampler: Sampler,
  fn: MoObjective,
  budget: number,
  batch: number,
): Promise<Omit<MoRun, 'optimizer' | 'seed' | 'batch'>> {
  const started = Date.now();
  const evaluations = await runStudy(sampler, fn, budget, batch);
  return {
    fn: fn.name,
    budget,
    front: frontOf(fn.goals, evaluations),
    seconds: (Date.now() - started) / 1000,
  };
}

function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '–';
}

/** Median hypervolume per function and optimizer, and its ratio to the best Optuna sampler's median. */
function formatTable(records: readonly MoRun[], functions: string[], optimizers: string[]): string {
  const lines = [
    `| function | ${optimizers.join(' | ')} |`,
    `|---|${optimizers.map(() => '---:').join('|')}|`,
  ];
  for (const name of functions) {
    const fn = objectiveOf(name);
    const median = (opt: string) => {
      const hv = records
        .filter((r) => r.fn === name && r.optimizer === opt)
        .map((r) => hypervolume(fn, r.front));
      return quantile(
        hv.sort((a, b) => a - b),
        0.5,
      );
    };
    const medians = optimizers.map(median);
    const optuna = medians.filter(
      (_, i) => optimizers[i]!.startsWith('optuna-') && Number.isFinite(medians[i]),
    );
    const best = optuna.length > 0 ? Math.max(...optuna) : Number.NaN;
    const cells = medians.map((m) => (best > 0 ? `${fmt(m)} (${fmt(m / best, 2)})` : fmt(m)));
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const done = new Set(loadRecords().map(recordKey));
  if (!opts.report) {
    const theirs = opts.optimizers.some((o) => o.startsWith('optuna-'));
    const server = theirs ? new OptunaServer(ensureVenv()) : undefined;
    for (const name of opts.functions) {
      const fn = objectiveOf(name);
      for (let seed = 0; seed < opts.seeds; seed++) {
        for (const optimizer of opts.optimizers) {
          const key = { optimizer, fn: name, budget: opts.budget, seed, batch: opts.batch };
          if (done.has(recordKey(key))) continue;
          const sampler = optimizer.startsWith('optuna-')
            ? await optunaSampler(server as OptunaServer, optimizer, fn.space, fn.goals, seed)
            : pipetuneSampler(optimizer, fn.space, fn.goals, opts.budget, seed);
          const record = { ...key, ...(await runOne(sampler, fn, opts.budget, opts.batch)) };
          appendFileSync(RESULTS, `${JSON.stringify(record)}\n`);
          done.add(recordKey(record));
          console.error(`${optimizer} ${name} seed ${seed}: ${record.seconds.toFixed(1)} s`);
        }
      }
    }
    server?.close();
  }
  const wanted = loadRecords().filter(
    (r) => r.budget === opts.budget && r.seed < opts.seeds && (r.batch ?? 1) === opts.batch,
  );
  const batches = opts.batch > 1 ? `, in batches of ${opts.batch}` : '';
  console.log(
    `Median hypervolume over ${opts.seeds} seeds × ${opts.budget} evaluations${batches} (ratio to the best Optuna sampler):\n`,
  );
  console.log(formatTable(wanted, opts.functions, opts.optimizers));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
