/**
 * The two measurements of orchestration overhead, shared by bench/orchestration/run.ts and CI's
 * regression check: a no-op study's time per trial beyond its pipeline and evaluation, and the floor
 * (one workflow task + one activity) on the same server, so the two can be compared as a ratio.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { startWorkersInProcess } from '../../src/cli/session.js';
import { startOrAttach } from '../../src/cli/studyHandle.js';
import { packageRoot } from '../../src/paths.js';
import type { TrialRecord } from '../../src/study/records.js';
import { embeddedTarget } from '../../src/temporal/connection.js';
import { DENY_ALL, type WorkerPolicy } from '../../src/worker/policy.js';
import { historyBreakdown, type PhaseTimes } from './breakdown.js';

const fixture = path.join(packageRoot(), 'test', 'fixtures', 'study');

/** The studies below run `sh -c "… cp …"`. */
export const SH_ONLY: WorkerPolicy = { ...DENY_ALL, programs: ['sh'] };

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** A study root: the toy dataset, a pipeline that copies precomputed tracks (after an optional sleep). */
export async function studyRoot(
  name: string,
  optimizerLine: string,
  sleepMs: number,
): Promise<{ config: string; root: string; output: string }> {
  const root = await mkdtemp(path.join(tmpdir(), `pipetune-bench-${name}-`));
  await cp(fixture, root, { recursive: true });
  await cp(path.join(root, 'data', 'videos'), path.join(root, 'tracks-src'), { recursive: true });
  const tracks = path.join(root, 'tracks');
  await cp(path.join(root, 'tracks-src', 'Cam01', 'gt', 'gt.txt'), path.join(tracks, 'Cam01.txt'));
  await cp(path.join(root, 'tracks-src', 'Cam02', 'gt', 'gt.txt'), path.join(tracks, 'Cam02.txt'));
  const sleep = sleepMs > 0 ? `sleep ${sleepMs / 1000}; ` : '';
  const config = path.join(root, `${name}.yml`);
  const yaml = (await readFile(path.join(root, 'study.yml'), 'utf8'))
    .replace(/command: \[.*\]/, `command: [sh, -c, "${sleep}cp ${tracks}/*.txt {output}/"]`)
    .replace(/bbo:[\s\S]*?servers:/, `bbo:\n  optimizers:\n    type1: ${optimizerLine}\nservers:`)
    .replace('baseline: true', 'baseline: false');
  await writeFile(config, yaml);
  return { config, root, output: path.join(root, 'output', `${name}.yml_output`) };
}

export async function records(output: string): Promise<TrialRecord[]> {
  return (await readFile(path.join(output, 'trials.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TrialRecord)
    .sort((a, b) => a.trial - b.trial);
}

export async function runStudy(client: Client, name: string, config: string, root: string, output: string) {
  const start = Date.now();
  const handle = await startOrAttach(client, { name, configPath: config, rootDir: root, outputDir: output });
  await handle.result();
  return { wallMs: Date.now() - start, records: await records(output) };
}

export interface Overhead {
  trials: number;
  wallMs: number;
  /** Medians per trial, in ms: the gap between consecutive trials' ends, and its pipeline and eval. */
  perTrialMs: number;
  execMs: number;
  evalMs: number;
  orchestrationMs: number;
  phases: PhaseTimes[];
}

/** A no-op study of `trials` trials (batch 1, one GPU worker in this process) on the server at `address`. */
export async function measureOverhead(
  client: Client,
  address: string,
  trials: number,
  name = 'overhead',
): Promise<Overhead> {
  const workers = await startWorkersInProcess(embeddedTarget(address), [0], SH_ONLY);
  try {
    const { config, root, output } = await studyRoot(
      name,
      `{ name: random, max_iteration: ${trials}, batch_size: 1 }`,
      0,
    );
    const { wallMs, records: rs } = await runStudy(client, name, config, root, output);
    const gaps = rs.slice(1).map((r, i) => Date.parse(r.finishedAt) - Date.parse(rs[i]!.finishedAt));
    const perTrialMs = median(gaps);
    const execMs = median(rs.map((r) => r.execMs));
    const evalMs = median(rs.map((r) => r.evalMs));
    const history = await client.workflow.getHandle(`pipetune-${name}`).fetchHistory();
    return {
      trials: rs.length,
      wallMs,
      perTrialMs,
      execMs,
      evalMs,
      orchestrationMs: perTrialMs - execMs - evalMs,
      phases: historyBreakdown(history.events ?? []),
    };
  } finally {
    await workers.shutdown();
  }
}

/**
 * Temporal's floor on the server at `address`: the median ms per iteration of a workflow awaiting a
 * no-op activity `n` times (one workflow task and one activity each), with a worker in this process.
 */
export async function measureFloor(address: string, n: number): Promise<number> {
  const connection = await NativeConnection.connect({ address });
  const taskQueue = `floor-${process.pid}-${Date.now()}`;
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: path.join(packageRoot(), 'dist', 'bench', 'orchestration', 'floorWorkflow.js'),
      logger: silent,
    }),
    activities: { noop: async () => undefined },
  });
  const running = worker.run();
  try {
    const client = new Client({ connection: await Connection.connect({ address }) });
    const handle = await client.workflow.start('roundTrips', { taskQueue, workflowId: taskQueue, args: [n] });
    await handle.result();
    const ends = ((await handle.fetchHistory()).events ?? [])
      .filter((e) => e.activityTaskCompletedEventAttributes)
      .map((e) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6);
    await client.connection.close();
    return median(ends.slice(1).map((t, i) => t - ends[i]!));
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
