/**
 * Speed of one tuning trial of the built-in pipeline, as a study runs it: the `pipetune run-pipeline`
 * child process (detector post-processing + tracker + MTMC over every camera, including Node's start
 * and all file reading and writing), then the metrics a study computes (single-camera HOTA/CLEAR/
 * Identity and the MTMC metrics, in process). Reports the median over several runs of wall time and of
 * CPU time (user + system): on a busy machine CPU time is the honest single-core figure.
 *
 *   npx tsc -p tsconfig.json && node bin/pipetune.js synth data/SDG_sample
 *   node dist/bench/pipeline/speed.js [--dataset data/SDG_sample_videos] [--runs 5]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateMot } from '../../src/eval/index.js';
import { evaluateMtmc, readMtmcFile } from '../../src/eval/mtmc.js';
import { cliEntry, packageRoot } from '../../src/paths.js';
import { defaultCalibration, SAMPLE_CONFIGS } from '../../src/pipelines/builtin/runner.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Sample {
  pipelineWall: number;
  pipelineCpu: number;
  metricsWall: number;
  metricsCpu: number;
}

function runOnce(dataset: string, gtMtmc: string): Sample {
  const out = mkdtempSync(join(tmpdir(), 'pipetune-speed-'));
  const t0 = performance.now();
  const args = [
    cliEntry(),
    'run-pipeline',
    '--dataset',
    dataset,
    '--out',
    out,
    '--mtmc',
    join(packageRoot(), SAMPLE_CONFIGS.mtmc),
  ];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const pipelineWall = (performance.now() - t0) / 1000;
  if (child.status !== 0) throw new Error(`run-pipeline failed: ${child.stderr}`);
  // run-pipeline reports its own CPU time on its last line: "done in X s (CPU Y s)".
  const cpu = /\(CPU ([\d.]+) s\)/.exec(child.stdout);
  if (!cpu) throw new Error(`no CPU figure in run-pipeline's output: ${child.stdout}`);
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  evaluateMot({ gtDir: dataset, trackerDir: out, onWarning: () => {} });
  evaluateMtmc(readMtmcFile(gtMtmc), readMtmcFile(join(out, 'mtmc.txt')));
  const used = process.cpuUsage(cpu0);
  return {
    pipelineWall,
    pipelineCpu: Number(cpu[1]),
    metricsWall: (performance.now() - t1) / 1000,
    metricsCpu: (used.user + used.system) / 1e6,
  };
}

function main(): void {
  const { values: flags } = parseArgs({ options: { dataset: { type: 'string' }, runs: { type: 'string' } } });
  const dataset = flags.dataset ?? join('data', 'SDG_sample_videos');
  const runs = Number(flags.runs ?? 5);
  const gtMtmc = join(defaultCalibration(dataset), '..', 'ground_truth.txt');
  const samples: Sample[] = [];
  for (let k = 0; k < runs; k++) {
    samples.push(runOnce(dataset, gtMtmc));
    const s = samples.at(-1)!;
    process.stderr.write(
      `speed: run ${k + 1}/${runs}: run-pipeline ${s.pipelineWall.toFixed(2)} s (CPU ${s.pipelineCpu.toFixed(2)}), metrics ${s.metricsWall.toFixed(2)} s (CPU ${s.metricsCpu.toFixed(2)})\n`,
    );
  }
  const m = (key: keyof Sample) => median(samples.map((s) => s[key]));
  const rows = [
    '| Step | Wall (s) | CPU (s) |',
    '|---|---|---|',
    `| run-pipeline child (post-processing + tracker + MTMC, 8 cameras × 60 s) | ${m('pipelineWall').toFixed(2)} | ${m('pipelineCpu').toFixed(2)} |`,
    `| metrics (MOT HOTA/CLEAR/Identity + MTMC HOTA/IDF1) | ${m('metricsWall').toFixed(2)} | ${m('metricsCpu').toFixed(2)} |`,
    `| trial | ${(m('pipelineWall') + m('metricsWall')).toFixed(2)} | ${(m('pipelineCpu') + m('metricsCpu')).toFixed(2)} |`,
  ];
  process.stdout.write(`${rows.join('\n')}\n(median of ${runs} runs)\n`);
}

main();
