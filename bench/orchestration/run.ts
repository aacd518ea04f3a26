/**
 * Orchestration benchmark: what Temporal + pipetune add around each pipeline run.
 *   npm run build && node dist/bench/orchestration/run.js [--trials 200] [--sleep-ms 1000] [--long 2000]
 * 1. Overhead: a pipeline that only copies a result file, 1 GPU worker, batch 1, `--trials` trials:
 *    median per-trial wall time minus the pipeline's own time and the evaluation (target ≤ 50 ms),
 *    beside Temporal's floor on the same server (one workflow task + one no-op activity).
 * 2. Throughput with 1, 2 and 4 GPU workers and a pipeline that sleeps `--sleep-ms` (target ≥ 0.9·K×).
 * 3. A `--long` trial study (continue-as-new several times): the control worker's memory over time.
 * Everything runs for real: a Temporal dev server on a temporary database, workers in this process.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { numberFlag, parseCommandArgs } from '../../src/cli/args.js';
import { startWorkersInProcess } from '../../src/cli/session.js';
import { embeddedTarget } from '../../src/temporal/connection.js';
import { freePort, startDevServer } from '../../src/temporal/devServer.js';
import { formatBreakdown } from './breakdown.js';
import { measureFloor, measureOverhead, records, runStudy, SH_ONLY, studyRoot } from './overhead.js';

const { values } = parseCommandArgs(
  'bench/orchestration',
  process.argv.slice(2),
  {
    trials: { type: 'string' },
    'sleep-ms': { type: 'string' },
    long: { type: 'string' },
    workers: { type: 'string' },
  },
  false,
);
const TRIALS = numberFlag('trials', values.trials, 200, { integer: true, min: 10 });
const SLEEP_MS = numberFlag('sleep-ms', values['sleep-ms'], 1000, { integer: true, min: 0 });
const LONG = numberFlag('long', values.long, 2000, { integer: true, min: 0 });
const WORKER_COUNTS = (values.workers ?? '1,2,4').split(',').map(Number);

const port = await freePort();
const stateDir = await mkdtemp(path.join(tmpdir(), 'pipetune-bench-temporal-'));
const server = await startDevServer({
  dbFile: path.join(stateDir, 'temporal.db'),
  port,
  uiPort: port + 1,
  headless: true,
  logFile: path.join(stateDir, 'server.log'),
  detached: true,
});
const connection = await Connection.connect({ address: server.address });
const client = new Client({ connection });
try {
  // 1. Overhead per trial, where it goes (from the study's history), and Temporal's floor beside it.
  {
    const floor = await measureFloor(server.address, TRIALS);
    const o = await measureOverhead(client, server.address, TRIALS);
    console.log(
      `overhead: ${o.trials} trials in ${(o.wallMs / 1000).toFixed(1)} s; median per trial ${o.perTrialMs} ms = pipeline ${o.execMs.toFixed(0)} ms + eval ${o.evalMs} ms + orchestration ${o.orchestrationMs.toFixed(0)} ms (target ≤ 50 ms)`,
    );
    const workflowTasks = o.phases.find((p) => p.name === 'workflow task')?.count ?? 0;
    console.log(
      `floor: one workflow task + one no-op activity on this server: ${floor.toFixed(1)} ms per round trip; a trial took ${(workflowTasks / o.trials).toFixed(1)} round trips, and orchestration is ${(o.orchestrationMs / floor).toFixed(1)}× the floor`,
    );
    console.log(formatBreakdown(o.phases));
  }

  // 2. Throughput with K GPU workers.
  const perWorker = 6;
  let single = 0;
  for (const k of WORKER_COUNTS) {
    const workers = await startWorkersInProcess(
      embeddedTarget(server.address),
      Array.from({ length: k }, (_, i) => i),
      SH_ONLY,
    );
    const name = `throughput-${k}`;
    const { config, root, output } = await studyRoot(
      name,
      `{ name: random, max_iteration: ${perWorker * k}, batch_size: ${k} }`,
      SLEEP_MS,
    );
    const { wallMs, records: rs } = await runStudy(client, name, config, root, output);
    await workers.shutdown();
    const rate = rs.length / (wallMs / 1000);
    if (k === WORKER_COUNTS[0]) single = rate / k;
    console.log(
      `throughput: ${k} GPU worker(s), ${rs.length} trials of ${SLEEP_MS} ms in ${(wallMs / 1000).toFixed(1)} s = ${rate.toFixed(3)} trials/s, ${(rate / single).toFixed(2)}× one worker (target ≥ ${(0.9 * k).toFixed(1)}×)`,
    );
  }

  // 3. A long study: memory stays flat across continue-as-new.
  if (LONG > 0) {
    const workers = await startWorkersInProcess(embeddedTarget(server.address), [0, 1, 2, 3], SH_ONLY);
    const { config, root, output } = await studyRoot(
      'long',
      `{ name: random, max_iteration: ${LONG}, batch_size: 4 }`,
      0,
    );
    const samples: string[] = [];
    const sampler = setInterval(async () => {
      const done = await records(output).then(
        (r) => r.length,
        () => 0,
      );
      const { rss, heapUsed } = process.memoryUsage();
      samples.push(
        `${done} trials: RSS ${(rss / 2 ** 20).toFixed(0)} MiB, JS heap ${(heapUsed / 2 ** 20).toFixed(0)} MiB`,
      );
    }, 10_000);
    const { wallMs, records: rs } = await runStudy(client, 'long', config, root, output);
    clearInterval(sampler);
    await workers.shutdown();
    const runs = [];
    for await (const e of client.workflow.list({ query: `WorkflowId = 'pipetune-long'` })) runs.push(e);
    console.log(
      `long study: ${rs.length} trials in ${(wallMs / 1000).toFixed(0)} s over ${runs.length} workflow runs (continue-as-new); RSS of the worker process:`,
    );
    for (const s of samples) console.log(`  ${s}`);
  }
} finally {
  await connection.close();
  process.kill(server.pid, 'SIGTERM');
}
