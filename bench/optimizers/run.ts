/**
 * Optimizer benchmark: simple regret (best value found − optimum) of our optimizers and of Optuna's samplers
 * on the same functions, bounds and seeds, sequential or in batches.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/optimizers/run.js \
 *     --functions branin,hartmann6 --budgets 50,100 --seeds 10 --batch 1 \
 *     --optimizers auto,gp,tpe,optuna-tpe,optuna-tpe-mv,optuna-gp
 *
 * Finished runs are appended to bench/.cache/optimizer-runs.jsonl and skipped when asked again, so a grid can
 * be filled in several sittings (or by two processes at once, one per core); `--report` prints the tables
 * from that file without running anything (`--compact`: medians only). Optuna runs in a Python venv the benchmark creates under
 * bench/.cache/ (optuna pinned, plus torch and scipy for GPSampler).
 */

import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { suggestTagged } from '../../src/optimizers/index.js';
import type { Params, Trial } from '../../src/space/types.js';
import { readJsonl } from '../jsonl.js';
import { BENCH_FUNCTIONS, type BenchFunction, benchFunction, gaussian, seededRandom } from './functions.js';
import { ensureVenv, OptunaServer } from './optuna.js';
import { formatReport, type RunRecord } from './report.js';

/** Run from the repository root (where bench/optimizers/optuna_server.py lives). */
const RESULTS = path.join(process.cwd(), 'bench/.cache/optimizer-runs.jsonl');

interface Options {
  functions: string[];
  budgets: number[];
  seeds: number;
  optimizers: string[];
  batch: number[];
  report: boolean;
  compact: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    functions: BENCH_FUNCTIONS.map((f) => f.name),
    budgets: [25, 50, 100, 200],
    seeds: 20,
    optimizers: [
      'auto',
      'gp',
      'tpe',
      'rbf',
      'cmaes',
      'ensemble',
      'sobol',
      'random',
      'optuna-tpe',
      'optuna-tpe-mv',
      'optuna-gp',
    ],
    batch: [1, 4],
    report: false,
    compact: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const list = () => value().split(',').filter(Boolean);
    if (flag === '--functions') opts.functions = list();
    else if (flag === '--budgets') opts.budgets = list().map(Number);
    else if (flag === '--seeds') opts.seeds = Number(value());
    else if (flag === '--optimizers') opts.optimizers = list();
    else if (flag === '--batch') opts.batch = list().map(Number);
    else if (flag === '--report') opts.report = true;
    else if (flag === '--compact') opts.compact = true;
    else throw new Error(`unknown flag ${flag}`);
  }
  for (const f of opts.functions) benchFunction(f);
  return opts;
}

const loadRecords = () => readJsonl<RunRecord>(RESULTS);

function recordKey(r: Pick<RunRecord, 'optimizer' | 'fn' | 'budget' | 'batch' | 'seed'>): string {
  return `${r.optimizer}|${r.fn}|${r.budget}|${r.batch}|${r.seed}`;
}

/**
 * What an optimizer is told for a point: the function's value plus, on a noisy variant, a draw from the
 * run's own noise stream (seeded by the run's seed, so every optimizer faces the same noise law).
 */
function observer(fn: BenchFunction, seed: number): (params: Params) => { observed: number; truth: number } {
  const random = seededRandom(0x9e3779b9 ^ (seed * 7919));
  return (params) => {
    const truth = fn.evaluate(params);
    return { truth, observed: fn.noise > 0 ? truth + fn.noise * gaussian(random) : truth };
  };
}

/** One of our optimizers on one function: budget evaluations in rounds of `batch`. */
function runOurs(
  name: string,
  fn: BenchFunction,
  budget: number,
  batchSize: number,
  seed: number,
): RunRecord {
  const trials: Trial[] = [];
  const observe = observer(fn, seed);
  let best = Number.POSITIVE_INFINITY;
  let slowest = 0;
  const started = Date.now();
  while (trials.length < budget) {
    const n = Math.min(batchSize, budget - trials.length);
    const t0 = Date.now();
    const batch = suggestTagged(name, {
      space: fn.space,
      trials,
      pending: [],
      n,
      seed,
      minimize: true,
      budget,
    });
    slowest = Math.max(slowest, (Date.now() - t0) / 1000);
    for (const { params, by } of batch) {
      const { observed, truth } = observe(params);
      // Regret on the noise-free value of the best point evaluated, whatever the noise told the optimizer.
      best = Math.min(best, truth);
      // Labelled as the study would record it, so the ensemble's bandit can credit its members.
      trials.push({ params, score: observed, optimizer: `${name}:${by}` });
    }
  }
  return {
    optimizer: name,
    fn: fn.name,
    budget,
    batch: batchSize,
    seed,
    regret: best - fn.optimum,
    seconds: (Date.now() - started) / 1000,
    slowestSuggest: slowest,
  };
}

/** One Optuna sampler run to the largest budget; regret is read off at every requested budget. */
async function runOptuna(
  server: OptunaServer,
  sampler: string,
  fn: BenchFunction,
  budgets: number[],
  batch: number,
  seed: number,
): Promise<RunRecord[]> {
  await server.request({ op: 'new', sampler, seed, space: fn.space });
  const max = Math.max(...budgets);
  const observe = observer(fn, seed);
  const bestAt = new Map<number, number>();
  let best = Number.POSITIVE_INFINITY;
  let done = 0;
  let slowest = 0;
  const started = Date.now();
  while (done < max) {
    const n = Math.min(batch, max - done);
    const t0 = Date.now();
    const asked = await server.request<{ trials: { id: number; params: Params }[] }>({ op: 'ask', n });
    slowest = Math.max(slowest, (Date.now() - t0) / 1000);
    const observed = asked.trials.map((t) => ({ id: t.id, ...observe(t.params) }));
    const results = observed.map((t) => ({ id: t.id, value: t.observed }));
    await server.request({ op: 'tell', results });
    for (const r of observed) {
      best = Math.min(best, r.truth);
      done++;
      if (budgets.includes(done)) bestAt.set(done, best);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  return budgets.map((budget) => ({
    optimizer: sampler,
    fn: fn.name,
    budget,
    batch,
    seed,
    regret: (bestAt.get(budget) as number) - fn.optimum,
    seconds,
    slowestSuggest: slowest,
  }));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const done = new Set(loadRecords().map(recordKey));
  const save = (r: RunRecord) => {
    appendFileSync(RESULTS, `${JSON.stringify(r)}\n`);
    done.add(recordKey(r));
  };
  const ours = opts.optimizers.filter((o) => !o.startsWith('optuna-'));
  const theirs = opts.optimizers.filter((o) => o.startsWith('optuna-'));
  if (!opts.report) {
    const server = theirs.length > 0 ? new OptunaServer(ensureVenv(['scipy', 'torch'])) : undefined;
    for (const batch of opts.batch) {
      for (const fnName of opts.functions) {
        const fn = benchFunction(fnName);
        for (let seed = 0; seed < opts.seeds; seed++) {
          for (const name of theirs) {
            const missing = opts.budgets.filter(
              (budget) => !done.has(recordKey({ optimizer: name, fn: fnName, budget, batch, seed })),
            );
            if (missing.length === 0) continue;
            for (const r of await runOptuna(server as OptunaServer, name, fn, missing, batch, seed)) save(r);
            console.error(`${name} ${fnName} batch ${batch} seed ${seed} done`);
          }
          for (const name of ours) {
            for (const budget of opts.budgets) {
              if (done.has(recordKey({ optimizer: name, fn: fnName, budget, batch, seed }))) continue;
              save(runOurs(name, fn, budget, batch, seed));
            }
          }
        }
        console.error(`${fnName} batch ${batch}: done`);
      }
    }
    server?.close();
  }
  const wanted = (r: RunRecord) =>
    opts.functions.includes(r.fn) &&
    opts.budgets.includes(r.budget) &&
    opts.batch.includes(r.batch) &&
    r.seed < opts.seeds &&
    opts.optimizers.includes(r.optimizer);
  console.log(formatReport(loadRecords().filter(wanted), opts.optimizers, opts.compact));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
