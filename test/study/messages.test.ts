/**
 * The study workflow as other systems see it, through clients that are not pipetune's CLI: the `temporal`
 * CLI and the SDK client. Handlers answer from the first instant, a missing input fails the workflow at
 * once with every problem listed, bad update arguments are refused before they reach history, and the
 * signals of the same names work.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlActivities } from '../../src/activities/control.js';
import type { StudyStatus } from '../../src/study/types.js';
import { CONTROL_QUEUE, WORKFLOW_TYPE } from '../../src/study/types.js';
import { ensureTemporalCli } from '../../src/temporal/install.js';
import { workflowBundle } from '../../src/worker/bundle.js';
import { eventually, fixtureRoot } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, runCli, startTestServer } from '../helpers/temporal.js';

const run = promisify(execFile);
let server: Awaited<ReturnType<typeof startTestServer>>;
let gpu: CliRun;
let worker: Worker;
let workerDone: Promise<void>;
let connection: NativeConnection;
let temporalCli: string;

/** `temporal …` against the test server; JSON output parsed. */
async function temporal(args: string[]): Promise<unknown> {
  const { stdout } = await run(temporalCli, [...args, '--address', server.address, '--output', 'json']);
  return stdout.trim() ? JSON.parse(stdout) : undefined;
}

beforeAll(async () => {
  temporalCli = await ensureTemporalCli();
  server = await startTestServer();
  gpu = runCli(['worker', '--gpu', '0', ...ALLOW_NODE], {
    TEMPORAL_ADDRESS: server.address,
    FAKE_SLEEP_MS: '300',
  });
  await gpu.waitFor(/polling on/);
  connection = await NativeConnection.connect({ address: server.address });
  const activities = createControlActivities();
  worker = await Worker.create({
    connection,
    taskQueue: CONTROL_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: {
      ...activities,
      // A slow start: the study stays in `starting` long enough to be asked.
      prepareStudy: async (...args: Parameters<typeof activities.prepareStudy>) => {
        await new Promise((r) => setTimeout(r, 2_000));
        return activities.prepareStudy(...args);
      },
    },
  });
  workerDone = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await workerDone;
  await connection.close();
  gpu.child.kill('SIGTERM');
  await gpu.exit;
  await server.stop();
});

async function studyInput(name: string) {
  const { config, root } = await fixtureRoot((y) => y.replace(/max_iteration: 5/g, 'max_iteration: 2'));
  return { study: { name, configPath: config, rootDir: root, outputDir: path.join(root, 'output', name) } };
}

describe('a study started by another system', () => {
  it('answers status and takes pause from the first instant, then runs on when resumed by signal', {
    timeout: 120_000,
  }, async () => {
    const input = await studyInput('early');
    await temporal([
      'workflow',
      'start',
      '--type',
      WORKFLOW_TYPE,
      '--task-queue',
      CONTROL_QUEUE,
      '--workflow-id',
      'early',
      '--input',
      JSON.stringify(input),
    ]);
    const status = (await temporal(['workflow', 'query', '--workflow-id', 'early', '--name', 'status'])) as {
      queryResult: StudyStatus[];
    };
    expect(status.queryResult[0]!.state).toBe('starting');
    const paused = (await temporal([
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      'early',
      '--name',
      'pause',
    ])) as {
      result: StudyStatus;
    };
    expect(paused.result.state).toBe('paused');
    const handle = server.client.workflow.getHandle('early');
    await new Promise((r) => setTimeout(r, 3_000));
    // Paused: prepared, but no trial started.
    expect((await handle.query<StudyStatus>('status')).trialsDone).toBe(0);
    await temporal(['workflow', 'signal', '--workflow-id', 'early', '--name', 'resume']);
    const result = (await handle.result()) as { state: string; trialsDone: number };
    expect(result).toMatchObject({ state: 'completed', trialsDone: 5 });
  });

  it('fails at once, listing every problem, when started with no input or null', {
    timeout: 60_000,
  }, async () => {
    for (const [id, input] of [
      ['no-input', undefined],
      ['null-input', 'null'],
      ['bad-input', '{"study":{"name":"a b"}}'],
    ] as const) {
      await temporal([
        'workflow',
        'start',
        '--type',
        WORKFLOW_TYPE,
        '--task-queue',
        CONTROL_QUEUE,
        '--workflow-id',
        id,
        ...(input === undefined ? [] : ['--input', input]),
      ]);
      const handle = server.client.workflow.getHandle(id);
      const failure = await handle.result().then(
        () => undefined,
        (err: Error & { cause?: Error }) => err.cause?.message ?? err.message,
      );
      expect(failure).toMatch(/^the workflow input is not valid:/);
      if (id === 'bad-input') {
        expect(failure).toContain('study.name: expected letters, digits');
        expect(failure).toContain('study.configPath: expected an absolute path');
        expect(failure).toContain('study.outputDir: expected an absolute path');
      }
      const description = await handle.describe();
      expect(description.status.name).toBe('FAILED');
      // Failed at once: one workflow task, not retried forever.
      const history = await handle.fetchHistory();
      const failedTasks = history.events!.filter((e) => e.workflowTaskFailedEventAttributes).length;
      expect(failedTasks).toBe(0);
      await eventually(
        async () => (await handle.describe()).searchAttributes.PipetuneStatus?.[0] === 'failed',
        10_000,
        'PipetuneStatus=failed',
      );
    }
  });

  it('refuses a malformed stop before history; stop without an argument is graceful', {
    timeout: 120_000,
  }, async () => {
    const input = await studyInput('stops');
    const handle = await server.client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: CONTROL_QUEUE,
      workflowId: 'stops',
      args: [input],
    });
    const refused = await run(temporalCli, [
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      'stops',
      '--name',
      'stop',
      '--input',
      '{"now":"yes"}',
      '--address',
      server.address,
    ]).then(
      () => '',
      (err: Error & { stderr?: string }) => err.stderr ?? err.message,
    );
    expect(refused).toContain('stop: now must be true or false');
    const history = await handle.fetchHistory();
    expect(history.events!.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);

    const stopped = (await temporal([
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      'stops',
      '--name',
      'stop',
    ])) as {
      result: StudyStatus;
    };
    expect(stopped.result.state).toBe('stopping');
    const result = (await handle.result()) as { state: string };
    expect(result.state).toBe('stopped');
  });
});
