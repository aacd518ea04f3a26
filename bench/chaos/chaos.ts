/**
 * Chaos run of one study: a real Temporal dev server, a control worker, two GPU workers and the `tune`
 * CLI, each a separate process, killed with SIGKILL at random moments and restarted (the server on the
 * same SQLite database). Afterwards the study must have completed with every trial recorded once.
 * With `dockerImage` the trials run in containers of that local image, and no container of the study
 * may be left (in any state) nor any trial have had two running at once.
 * Used by `bench/chaos/run.ts` (many runs, figures) and `test/study/chaos.test.ts` (CI's short form).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { cliEntry, packageRoot } from '../../src/paths.js';
import { dockerClient } from '../../src/pipelines/docker.js';
import { accuracyCsv, accuracyTable, readStudyManifest, readTrialStore } from '../../src/results/index.js';
import { studyLayout } from '../../src/study/layout.js';
import type { TrialRecord } from '../../src/study/records.js';
import { readStageRecords } from '../../src/study/stageStore.js';
import { studyWorkflowId } from '../../src/study/types.js';
import { Random } from '../../src/synth/random.js';
import { freePort, startDevServer } from '../../src/temporal/devServer.js';
import { workflowBundle } from '../../src/worker/bundle.js';
import { containersLeft, watchContainers } from './containers.js';

export interface ChaosOptions {
  /** Kills in the run (fewer when the study ends first). */
  kills: number;
  /** Iterations per optimizer (two optimizers, batches of 2, plus the baseline). */
  iterations: number;
  /** Random pause before each kill, in ms. */
  gapMs: [number, number];
  /** A study not done this long after the last kill is stuck. */
  stuckAfterMs: number;
  /** Seed of the kill schedule, for a run that can be repeated. */
  seed: number;
  /** Trials run their 3 sequences in 2 stages and ASHA prunes between them. */
  staged?: boolean;
  /**
   * Trials run in containers of this local image (one with node, e.g. pipetune-test/node:1 from
   * scripts/setup-docker.sh); afterwards none may be left and no trial may have had two at once.
   */
  dockerImage?: string;
  log?: (line: string) => void;
}

export interface ChaosReport {
  root: string;
  kills: Record<Component, number>;
  trialsExpected: number;
  trialsRecorded: number;
  /** Containers started (dockerImage runs only). */
  containers?: number;
  completed: boolean;
  /** Everything the checks found wrong; empty when the run passed. */
  problems: string[];
  wallMs: number;
}

const COMPONENTS = ['server', 'control', 'gpu0', 'gpu1', 'cli'] as const;
type Component = (typeof COMPONENTS)[number];

/** How long the fixture's pipeline works per trial; containers longer, so kills land while they run. */
const fakeSleepMs = (docker: boolean) => (docker ? 2_000 : 400);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function studyRoot(
  iterations: number,
  staged: boolean,
  dockerImage: string | undefined,
): Promise<{ root: string; config: string; output: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'pipetune-chaos-'));
  await cp(path.join(packageRoot(), 'test', 'fixtures', 'study'), root, { recursive: true });
  const config = path.join(root, 'study.yml');
  let yaml = (await readFile(config, 'utf8')).replace(/max_iteration: 5/g, `max_iteration: ${iterations}`);
  if (staged) {
    await addSequence(root, 'Cam03');
    yaml += 'pruning:\n  pruner: asha\n  stages: 2\n  reduction_factor: 2\n  min_scores: 2\n';
  }
  if (dockerImage) yaml = inContainers(yaml, dockerImage, fakeSleepMs(true));
  await writeFile(config, yaml);
  return { root, config, output: path.join(root, 'output', 'chaos_output') };
}

/**
 * The fixture study with its pipeline run by the node of a local image (test/fixtures/study/study.yml
 * edited), working `sleepMs` per trial; no GPU runtime on test hosts.
 */
export function inContainers(yaml: string, image: string, sleepMs: number): string {
  return yaml.replace(
    /^( +)command: .*$/m,
    (line, indent: string) =>
      `${line}\n${indent}docker:\n${indent}  image: ${image}\n${indent}  gpus: false\n` +
      `${indent}  env:\n${indent}    FAKE_SLEEP_MS: "${sleepMs}"`,
  );
}

/** A third camera for staged studies: a copy of Cam01 under a new name, listed in the seqmap. */
export async function addSequence(root: string, name: string): Promise<void> {
  const videos = path.join(root, 'data', 'videos');
  await cp(path.join(videos, 'Cam01'), path.join(videos, name), { recursive: true });
  const seqinfo = path.join(videos, name, 'seqinfo.ini');
  await writeFile(seqinfo, (await readFile(seqinfo, 'utf8')).replace(/name=Cam01/, `name=${name}`));
  const seqmap = path.join(root, 'data', 'utils', 'seqmap.txt');
  await writeFile(seqmap, `${(await readFile(seqmap, 'utf8')).trimEnd()}\n${name}\n`);
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const rand = new Random(options.seed);
  const started = Date.now();
  const { root, config, output } = await studyRoot(
    options.iterations,
    options.staged ?? false,
    options.dockerImage,
  );
  const port = await freePort();
  const dbFile = path.join(root, 'temporal.db');
  const address = `127.0.0.1:${port}`;
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: address,
    PIPETUNE_HEARTBEAT_TIMEOUT_MS: '4000',
    FAKE_SLEEP_MS: String(fakeSleepMs(false)),
  };
  const problems: string[] = [];
  const kills = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
  const processes = new Map<Component, ChildProcess>();
  let serverPid = 0;
  let cliDone: { code: number | null } | undefined;

  const startServer = async () => {
    const server = await startDevServer({
      dbFile,
      port,
      uiPort: port + 1,
      headless: true,
      logFile: path.join(root, 'server.log'),
      detached: true,
      // Continue-as-new under fire too.
      dynamicConfig: ['limit.historyCount.suggestContinueAsNew=150'],
    });
    serverPid = server.pid;
  };
  // The fixture study runs `node fake-pipeline.mjs` (in the image); GPU workers run only what they allow.
  const allow = [
    '--allow-program',
    'node',
    ...(options.dockerImage ? ['--allow-image', options.dockerImage] : []),
  ];
  const args: Record<Exclude<Component, 'server'>, string[]> = {
    control: ['worker', '--control'],
    gpu0: ['worker', '--gpu', '0', ...allow],
    gpu1: ['worker', '--gpu', '1', ...allow],
    cli: ['tune', config, '--root', root, '--name', 'chaos'],
  };
  const startProcess = async (name: Exclude<Component, 'server'>) => {
    const logFile = await open(path.join(root, `${name}.log`), 'a');
    const child = spawn(process.execPath, [cliEntry(), ...args[name]], {
      cwd: root,
      env,
      stdio: ['ignore', logFile.fd, logFile.fd],
    });
    await logFile.close();
    processes.set(name, child);
    if (name === 'cli')
      child.once('exit', (code, signal) => {
        if (signal !== 'SIGKILL') cliDone = { code };
      });
  };
  const kill = (name: Component) => {
    kills[name]++;
    if (name === 'server') process.kill(serverPid, 'SIGKILL');
    else processes.get(name)?.kill('SIGKILL');
  };
  const restart = (name: Component) => (name === 'server' ? startServer() : startProcess(name));

  let completed = false;
  const docker = options.dockerImage ? dockerClient() : undefined;
  const watch = docker && (await watchContainers(docker, root));
  let containers: number | undefined;
  try {
    await startServer();
    for (const name of ['control', 'gpu0', 'gpu1', 'cli'] as const) await startProcess(name);
    for (let done = 0; done < options.kills && !cliDone; done++) {
      const [lo, hi] = options.gapMs;
      await sleep(rand.uniform(lo, hi));
      if (cliDone) break;
      const victim = COMPONENTS[rand.int(COMPONENTS.length)]!;
      log(`kill -9 ${victim}`);
      kill(victim);
      await sleep(rand.uniform(0, 1000));
      await restart(victim);
    }
    // The CLI follows the study to its end and reports it.
    const deadline = Date.now() + options.stuckAfterMs;
    while (!cliDone && Date.now() < deadline) await sleep(250);
    if (!cliDone) problems.push(`stuck: not done ${options.stuckAfterMs / 1000} s after the last kill`);
    else if (cliDone.code !== 0) problems.push(`tune exited with code ${cliDone.code} (see cli.log)`);
    else completed = true;
    problems.push(...(await checkStudy(address, output, options.iterations)));
    if (options.staged) problems.push(...(await checkStages(output)));
  } catch (err) {
    problems.push(`harness: ${(err as Error).message}`);
  } finally {
    problems.push(...(await shutDown(processes, serverPid, root)));
    if (docker && watch) {
      const seen = await watch.stop();
      containers = seen.started;
      problems.push(...seen.overlaps.map((o) => `two containers of one trial: ${o}`));
      const left = await containersLeft(docker, root);
      if (left.length) problems.push(`containers left: ${left.join('; ')}`);
    }
  }
  const records = await readTrialStore(output).catch(() => [] as TrialRecord[]);
  return {
    root,
    kills,
    trialsExpected: 1 + 2 * options.iterations,
    trialsRecorded: records.length,
    ...(containers === undefined ? {} : { containers }),
    completed,
    problems,
    wallMs: Date.now() - started,
  };
}

/** Every trial once, iterations contiguous, CSV = trial store, best = top score, histories replay. */
async function checkStudy(address: string, output: string, iterations: number): Promise<string[]> {
  const problems: string[] = [];
  const records = await readTrialStore(output);
  const expected = 1 + 2 * iterations;
  if (records.length !== expected) problems.push(`${records.length} trials recorded, ${expected} expected`);
  for (const field of ['key', 'trial'] as const) {
    const values = records.map((r) => r[field]);
    const repeated = values.filter((v, i) => values.indexOf(v) !== i);
    if (repeated.length) problems.push(`${field}s recorded twice: ${repeated.join(', ')}`);
  }
  for (const [optimizer, count] of [
    ['baseline', 0],
    ['random', iterations],
    ['tpe', iterations],
  ] as const) {
    const got = records
      .filter((r) => r.optimizer === optimizer)
      .map((r) => r.iteration)
      .sort((a, b) => a - b);
    const want = optimizer === 'baseline' ? [0] : Array.from({ length: count }, (_, i) => i + 1);
    if (got.join() !== want.join())
      problems.push(`${optimizer} iterations ${got.join(',')}, not ${want.join(',')}`);
  }
  const results = path.join(output, 'results');
  const csvName = existsSync(results) && (await readdir(results)).find((f) => f.endsWith('_accuracy.csv'));
  const expectedCsv = accuracyCsv(accuracyTable(await readStudyManifest(output), records));
  if (!csvName) problems.push('no accuracy CSV');
  else if ((await readFile(path.join(results, csvName), 'utf8')) !== expectedCsv)
    problems.push(`${csvName} differs from trials.jsonl`);

  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const workflowId = studyWorkflowId('chaos');
    const result = (await client.workflow.getHandle(workflowId).result()) as {
      best: { score: number } | null;
    };
    // Pruned trials' partial scores never compete for best.
    const top = Math.max(...records.filter((r) => r.status === 'ok').map((r) => r.score!));
    if (result.best?.score !== top) problems.push(`best ${result.best?.score} is not the top score ${top}`);
    const histories = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      histories.push({
        workflowId: run.runId,
        history: await client.workflow.getHandle(workflowId, run.runId).fetchHistory(),
      });
    for await (const replay of Worker.runReplayHistories(
      { workflowBundle: await workflowBundle() },
      histories,
    ))
      if (replay.error) problems.push(`run ${replay.workflowId} does not replay: ${replay.error.message}`);
  } finally {
    await connection.close();
  }
  return problems;
}

/**
 * Every stage of every trial scored exactly once: a complete trial has stages 1..of, a pruned one
 * 1..reached with a prune verdict last, and no stage record belongs to no trial.
 */
async function checkStages(output: string): Promise<string[]> {
  const problems: string[] = [];
  const records = await readTrialStore(output);
  const stages = await readStageRecords(output);
  const keys = stages.map((s) => s.key);
  const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (twice.length) problems.push(`stages scored twice: ${twice.join(', ')}`);
  const text = await readFile(studyLayout(output).stageRecords, 'utf8').catch(() => '');
  if (text.split('\n').filter(Boolean).length !== stages.length)
    problems.push('stages.jsonl holds unreadable or repeated lines');
  for (const r of records) {
    if (!r.stages) {
      problems.push(`trial ${r.trial} has no stages`);
      continue;
    }
    const own = stages.filter((s) => s.trial === r.trial).sort((a, b) => a.stage - b.stage);
    const want = Array.from({ length: r.stages.reached }, (_, k) => k + 1);
    if (own.map((s) => s.stage).join() !== want.join())
      problems.push(
        `trial ${r.trial}: stages ${own.map((s) => s.stage).join(',')} scored, ${want.join(',')} expected`,
      );
    if ((r.status === 'pruned') !== (own.at(-1)?.verdict.prune === true))
      problems.push(
        `trial ${r.trial}: status ${r.status} but its last stage verdict says ${own.at(-1)?.verdict.reason}`,
      );
  }
  const trials = new Set(records.map((r) => r.trial));
  const orphans = stages.filter((s) => !trials.has(s.trial) && s.verdict.prune);
  if (orphans.length)
    problems.push(`pruned stages of trials never recorded: ${orphans.map((s) => s.key).join(', ')}`);
  if (!records.some((r) => r.status === 'pruned'))
    problems.push('no trial was pruned: the staged path was not exercised');
  return problems;
}

/** SIGTERM every process (each must end), stop the server, then look for processes left behind. */
async function shutDown(processes: Map<Component, ChildProcess>, serverPid: number, root: string) {
  const problems: string[] = [];
  await Promise.all(
    [...processes].map(async ([name, child]) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const ended = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
      if (!ended) {
        problems.push(`${name} did not end within 20 s of SIGTERM`);
        child.kill('SIGKILL');
      }
    }),
  );
  const serverAlive = () => {
    try {
      process.kill(serverPid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (serverAlive()) process.kill(serverPid, 'SIGTERM');
  for (let waited = 0; serverAlive() && waited < 10_000; waited += 200) await sleep(200);
  await sleep(500);
  const left = await processesUnder(root);
  if (left.length) problems.push(`processes left running: ${left.join('; ')}`);
  for (const pid of left.map((l) => Number(l.split(' ')[0]))) process.kill(pid, 'SIGKILL');
  return problems;
}

/** `pid cmdline` of every process whose command line names a path under `root`. */
async function processesUnder(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(root)) found.push(`${entry} ${cmdline.replaceAll('\0', ' ').trim()}`);
  }
  return found;
}
