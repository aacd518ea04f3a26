/**
 * Determinism: the history of a study must replay against the workflow code, or a restarted worker
 * fails every workflow task of the study and it never finishes.
 *
 * The stress run gives the timing of a loaded machine: the control worker runs here with the real
 * activities, each held up to 1.5 s, and the studies start with a 1 s workflow-task timeout, so
 * searches and evaluations of three optimizer loops outlast workflow-task heartbeats and finish in every
 * order. Histories committed under test/fixtures/histories are replayed too: a change of the workflow
 * code must keep the studies already running replayable.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSequence } from '../../bench/chaos/chaos.js';
import { createControlActivities } from '../../src/activities/control.js';
import type { StudyRef } from '../../src/study/types.js';
import { CONTROL_QUEUE, studyWorkflowId, WORKFLOW_TYPE } from '../../src/study/types.js';
import { workflowBundle } from '../../src/worker/bundle.js';
import { fixtureRoot, heldUp, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, REPO, runCli, startTestServer } from '../helpers/temporal.js';

/** Binary protobuf: the SDK's JSON reader trips over the two protobufjs copies this install holds. */
const HISTORIES = path.join(REPO, 'test', 'fixtures', 'histories');
const History = temporal.api.history.v1.History;

type Replayable = Parameters<typeof Worker.runReplayHistories>[1];

async function replayErrors(histories: { workflowId: string; history: unknown }[]) {
  const errors: Record<string, string | undefined> = {};
  const source = histories as unknown as Replayable;
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, source))
    errors[result.workflowId] = result.error?.message;
  return errors;
}

/** Three optimizers side by side, batches of 3 and 2, on three GPUs. */
const sideBySide = (y: string) =>
  y
    .replace('name: random', 'name: gp')
    .replace('name: tpe', 'name: random')
    .replace(/max_iteration: 5/g, 'max_iteration: 6')
    .replace(/batch_size: 2/g, 'batch_size: 3')
    .replace(
      'servers:',
      '    type3:\n      name: sobol\n      max_iteration: 6\n      batch_size: 2\nservers:',
    );

const STAGED = 'pruning:\n  pruner: asha\n  stages: 2\n  reduction_factor: 2\n  min_scores: 2\n';

/** HOTA × fps (the fixture pipeline's perf.json) under fps ≥ 30. */
const PARETO = (y: string) =>
  y.replace(
    '    Eval:\n      metric: HOTA\n',
    '    Eval:\n      objectives: [{metric: HOTA}, {metric: fps}]\n      constraints: [{metric: fps, min: 30}]\n',
  );

describe('replay', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let gpuWorker: CliRun;

  beforeAll(async () => {
    server = await startTestServer();
    gpuWorker = runCli(['worker', '--gpu', '0,1,2', ...ALLOW_NODE], {
      TEMPORAL_ADDRESS: server.address,
      FAKE_SLEEP_MS: '100',
    });
    await gpuWorker.waitFor(/polling on/);
  });

  afterAll(async () => {
    gpuWorker.child.kill('SIGTERM');
    await gpuWorker.exit;
    await server.stop();
  });

  it('replays studies whose activities finish in every order on a loaded machine', {
    timeout: 300_000,
  }, async () => {
    const connection = await NativeConnection.connect({ address: server.address });
    const worker = await Worker.create({
      connection,
      taskQueue: CONTROL_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: heldUp(createControlActivities(), 1_500),
    });
    // replay-staged: 3 sequences in 2 stages, ASHA pruning between them; replay-pareto: two objectives
    // and a constraint.
    const names = ['replay-a', 'replay-b', 'replay-staged', 'replay-pareto'];
    const studies = await Promise.all(
      names.map(async (name): Promise<StudyRef> => {
        const staged = name === 'replay-staged';
        const edit = (y: string) =>
          staged ? sideBySide(y) + STAGED : name === 'replay-pareto' ? PARETO(sideBySide(y)) : sideBySide(y);
        const { config, root } = await fixtureRoot(edit);
        if (staged) await addSequence(root, 'Cam03');
        return { name, configPath: config, rootDir: root, outputDir: path.join(root, 'output', name) };
      }),
    );
    const runStudies = Promise.all(
      studies.map((study) =>
        server.client.workflow.execute(WORKFLOW_TYPE, {
          taskQueue: CONTROL_QUEUE,
          workflowId: studyWorkflowId(study.name),
          args: [{ study }],
          workflowTaskTimeout: '1s',
        }),
      ),
    );
    const results = (await worker.runUntil(runStudies)) as { state: string; trialsDone: number }[];
    await connection.close();
    expect(results.map((r) => [r.state, r.trialsDone])).toEqual(names.map(() => ['completed', 19]));
    const staged = await readRecords(studies[2]!.outputDir);
    expect(staged.some((r) => r.status === 'pruned')).toBe(true);
    expect(staged.every((r) => r.stages?.of === 2)).toBe(true);
    const pareto = await readRecords(studies[3]!.outputDir);
    expect(pareto.every((r) => r.fps !== undefined && r.violation !== undefined)).toBe(true);

    const histories = await Promise.all(
      names.map(async (workflowId) => ({
        workflowId,
        history: await server.client.workflow.getHandle(studyWorkflowId(workflowId)).fetchHistory(),
      })),
    );
    // `PIPETUNE_RECORD_HISTORIES=1 npx vitest run test/study/replay.test.ts` writes them to commit (keep
    // the earlier ones as they are: they stand for studies started by earlier versions).
    if (process.env.PIPETUNE_RECORD_HISTORIES)
      for (const { workflowId, history } of histories)
        await writeFile(path.join(HISTORIES, `${workflowId}.binpb`), History.encode(history).finish());
    expect(await replayErrors(histories)).toEqual(Object.fromEntries(names.map((n) => [n, undefined])));
  });

  it('replays the committed histories of earlier studies', { timeout: 60_000 }, async () => {
    const files = (await readdir(HISTORIES)).filter((f) => f.endsWith('.binpb'));
    expect(files.length).toBeGreaterThan(0);
    const histories = await Promise.all(
      files.map(async (file) => ({
        workflowId: file,
        history: History.decode(await readFile(path.join(HISTORIES, file))),
      })),
    );
    expect(await replayErrors(histories)).toEqual(Object.fromEntries(files.map((f) => [f, undefined])));
  });
});
