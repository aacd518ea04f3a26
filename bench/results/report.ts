/**
 * Time to write every result of a large study: a synthetic 2,000-trial study of configs/sdg-mot.yml's
 * space (2 optimizers, 2 GPU workers, 2 % failed runs, per-sequence scores for every trial) goes
 * through `writeStudyResults`: read the store, analyse, render 7 charts to SVG and PNG, write the CSV,
 * the report and best/. Prints wall and CPU time per run.
 *
 *   npm run build && taskset -c 0 node dist/bench/results/report.js [--trials 2000] [--runs 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStudyResults } from '../../src/results/refresh.js';
import { makeSyntheticStudy } from './syntheticStudy.js';

function arg(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const trials = arg('--trials', 2000);
const runs = arg('--runs', 3);

const dir = await mkdtemp(join(tmpdir(), 'pipetune-bench-results-'));
try {
  await makeSyntheticStudy(dir, trials);
  console.log(`results of a ${trials}-trial study (7 charts as SVG + PNG, CSV, report, best/)`);
  for (let run = 1; run <= runs; run++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await writeStudyResults(dir);
    const wall = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(
      `run ${run}: ${wall.toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
