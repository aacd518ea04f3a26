/**
 * Fidelity benchmark: what pruning saves, and what it costs in the final result. For each dataset and
 * seed, the unpruned study runs N trials (plus the baseline) on the tuning sequences; each pruner's study
 * runs in 3 stages until it has spent the same pipeline CPU time (at most 3N trials). Then:
 *   - pipeline CPU-seconds until the best-so-far (complete trials) is within 0.3 HOTA of the final best
 *     of the unpruned study with the same seed, as a ratio to the unpruned study's;
 *   - the final best's HOTA at that equal cost, on the tuning sequences and on held-out sequences never
 *     used in tuning.
 *
 *   npx tsc -p tsconfig.json && node bin/pipetune.js synth data/SDG_sample
 *   node dist/bench/fidelity/run.js [--datasets synthetic,mot15] [--seeds 5] [--trials 100]
 *     [--pruners none,median,asha,wilcoxon] [--optimizer tpe] [--mot15 ../shared/data/mot15/train]
 *     [--first-seed 1] [--json fidelity.json]      (or --table a.json,b.json: the table of earlier runs)
 *
 * Runs in process (no Temporal): the same stage schedule, prune context, pruners and optimizers as a
 * study. Pipeline runs are cached per (configs, sequence) under bench/.cache/fidelity and charged the
 * CPU time they took when they ran.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadStudyConfig, render, type StudyConfig } from '../../src/config/index.js';
import { readSeqinfo } from '../../src/eval/motFiles.js';
import { packageRoot } from '../../src/paths.js';
import { PRUNER_DEFAULTS, type PrunerSettings } from '../../src/pruners/index.js';
import { cutStages, orderSequences, stageShares } from '../../src/study/stages.js';
import { SequenceRunner } from './sequenceRuns.js';
import { runStudy, type StudyRun, score } from './study.js';

const WITHIN = 0.003;

interface Dataset {
  name: string;
  config: string;
  dataset: string;
  tuning: string[];
  heldOut: string[];
}

const { values: args } = parseArgs({
  options: {
    datasets: { type: 'string', default: 'synthetic,mot15' },
    seeds: { type: 'string', default: '5' },
    'first-seed': { type: 'string', default: '1' },
    table: { type: 'string' },
    trials: { type: 'string', default: '100' },
    pruners: { type: 'string', default: 'none,median,asha,wilcoxon' },
    optimizer: { type: 'string', default: 'tpe' },
    mot15: { type: 'string', default: path.join(packageRoot(), '..', 'shared', 'data', 'mot15', 'train') },
    json: { type: 'string' },
  },
});

const root = packageRoot();
const DATASETS: Record<string, Dataset> = {
  synthetic: {
    name: 'synthetic',
    config: path.join(root, 'bench', 'fidelity', 'synthetic.yml'),
    dataset: path.join(root, 'data', 'SDG_sample_videos'),
    tuning: [1, 2, 3, 4, 5, 6].map((c) => `Retail_Synthetic_Cam0${c}`),
    heldOut: ['Retail_Synthetic_Cam07', 'Retail_Synthetic_Cam08'],
  },
  mot15: {
    name: 'mot15',
    config: path.join(root, 'bench', 'fidelity', 'mot15.yml'),
    dataset: path.resolve(args.mot15!),
    tuning: ['ADL-Rundle-6', 'ETH-Bahnhof', 'KITTI-13', 'PETS09-S2L1'],
    heldOut: ['ETH-Sunnyday', 'TUD-Campus'],
  },
};

const PRUNERS: Record<string, PrunerSettings> = {
  none: { name: 'none' },
  median: { name: 'median', ...PRUNER_DEFAULTS.percentile },
  asha: { name: 'asha', ...PRUNER_DEFAULTS.asha },
  wilcoxon: { name: 'wilcoxon', ...PRUNER_DEFAULTS.wilcoxon },
};

interface Outcome {
  dataset: string;
  seed: number;
  pruner: string;
  cpuSeconds: number;
  secondsToTarget: number | null;
  trials: number;
  pruned: number;
  bestTuning: number;
  bestHeldOut: number;
}

async function main() {
  if (args.table) {
    // Only print the table of earlier runs' --json files (comma-separated).
    const files = args.table.split(',');
    process.stdout.write(table(files.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as Outcome[])));
    return;
  }
  const seeds = Number(args.seeds);
  const trials = Number(args.trials);
  const outcomes: Outcome[] = [];
  for (const name of args.datasets!.split(',')) {
    const data = DATASETS[name];
    if (!data) throw new Error(`unknown dataset ${name}; expected ${Object.keys(DATASETS).join(', ')}`);
    const { config } = await loadStudyConfig(data.config, { root });
    config.exec.datasetPath = data.dataset;
    const work = mkdtempSync(path.join(tmpdir(), `pipetune-fidelity-${name}-`));
    const runner = new SequenceRunner(
      data.dataset,
      path.join(root, 'bench', '.cache', 'fidelity', name),
      work,
    );
    const costs = data.tuning.map((s) => ({
      name: s,
      frames: readSeqinfo(path.join(data.dataset, s, 'seqinfo.ini')).seqLength,
    }));
    for (let seed = Number(args['first-seed']); seed <= seeds; seed++) {
      const stages = cutStages(orderSequences(costs, 'shuffled', seed), stageShares(3));
      const runs = new Map<string, StudyRun>();
      const common = { config, runner, stages, optimizer: args.optimizer!, budget: trials, seed };
      const unpruned = await runStudy({
        ...common,
        pruner: PRUNERS.none!,
        trials,
        workDir: path.join(work, `${seed}-none`),
      });
      runs.set('none', unpruned);
      const cpuBudgetMs = unpruned.trials.reduce((sum, t) => sum + t.cpuMs, 0);
      for (const pruner of args.pruners!.split(',').filter((p) => p !== 'none')) {
        const settings = PRUNERS[pruner];
        if (!settings) throw new Error(`unknown pruner ${pruner}`);
        const workDir = path.join(work, `${seed}-${pruner}`);
        runs.set(
          pruner,
          await runStudy({ ...common, pruner: settings, trials: 3 * trials, cpuBudgetMs, workDir }),
        );
      }
      const target = finalBest(runs.get('none') ?? [...runs.values()][0]!).score - WITHIN;
      for (const [pruner, study] of runs) {
        const best = finalBest(study);
        const outcome: Outcome = {
          dataset: name,
          seed,
          pruner,
          cpuSeconds: study.trials.reduce((s, t) => s + t.cpuMs, 0) / 1000,
          secondsToTarget: secondsTo(study, target),
          trials: study.trials.length - 1,
          pruned: study.trials.filter((t) => t.status === 'pruned').length,
          bestTuning: best.score,
          bestHeldOut: await heldOutScore(
            config,
            runner,
            best.params,
            data.heldOut,
            path.join(work, `held-${seed}-${pruner}`),
          ),
        };
        outcomes.push(outcome);
        process.stderr.write(`${JSON.stringify(outcome)}\n`);
      }
    }
  }
  process.stdout.write(table(outcomes));
  if (args.json) writeFileSync(args.json, `${JSON.stringify(outcomes, null, 2)}\n`);
}

const finalBest = (study: StudyRun) =>
  study.trials.filter((t) => t.status === 'ok').reduce((a, b) => (b.score > a.score ? b : a));

/** CPU-seconds spent when a complete trial first reached the target (null: never). */
function secondsTo(study: StudyRun, target: number): number | null {
  let spent = 0;
  for (const t of study.trials) {
    spent += t.cpuMs / 1000;
    if (t.status === 'ok' && t.score >= target) return spent;
  }
  return null;
}

async function heldOutScore(
  config: StudyConfig,
  runner: SequenceRunner,
  params: Record<string, number | string | boolean>,
  sequences: string[],
  dir: string,
): Promise<number> {
  const configs = await render(config, params, path.join(dir, 'configs'));
  for (const sequence of sequences)
    writeFileSync(path.join(dir, `${sequence}.txt`), (await runner.run(configs, sequence)).text);
  return score(config, dir, sequences).score;
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Per dataset and pruner, medians over seeds, each seed compared with its own unpruned study. */
function table(outcomes: Outcome[]): string {
  const lines = [
    '| dataset | pruner | trials | pruned | CPU-s (all trials) | CPU-s to within 0.3 of unpruned best | ratio to none | reached in | Δ best tuning | Δ best held-out |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const keyOf = (o: Outcome) => `${o.dataset}/${o.pruner}`;
  for (const key of [...new Set(outcomes.map(keyOf))]) {
    const rows = outcomes.filter((o) => keyOf(o) === key);
    const pairs = rows.map((o) => ({
      o,
      none: outcomes.find((n) => n.dataset === o.dataset && n.seed === o.seed && n.pruner === 'none')!,
    }));
    const reached = pairs.filter((p) => p.o.secondsToTarget !== null);
    const ratio = median(reached.map((p) => p.o.secondsToTarget! / p.none.secondsToTarget!));
    lines.push(
      `| ${rows[0]!.dataset} | ${rows[0]!.pruner} | ${median(rows.map((o) => o.trials))} | ${median(rows.map((o) => o.pruned))} | ${median(rows.map((o) => o.cpuSeconds)).toFixed(0)} | ${reached.length ? median(reached.map((p) => p.o.secondsToTarget!)).toFixed(0) : '—'} | ${reached.length === rows.length ? ratio.toFixed(2) : `${ratio.toFixed(2)} (${rows.length - reached.length} never)`} | ${reached.length}/${rows.length} seeds | ${signed(median(pairs.map((p) => p.o.bestTuning - p.none.bestTuning)))} | ${signed(median(pairs.map((p) => p.o.bestHeldOut - p.none.bestHeldOut)))} |`,
    );
  }
  return `${lines.join('\n')}\n\nmedians over seeds; Δ in HOTA points against the unpruned study of the same seed\n`;
}

const signed = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(2)}`;

main().catch((err) => {
  process.stderr.write(`fidelity: ${(err as Error).message}\n`);
  process.exit(1);
});
