/**
 * `deterministic: true`: the same config and seed give the same trials and best whatever the timing.
 * Two runs of a staged, pruned study with 2 optimizers in batches of 2 on 2 GPU workers, with every
 * control activity held up at random, must record identical trials (times excluded).
 */
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addSequence } from '../../bench/chaos/chaos.js';
import { createControlActivities } from '../../src/activities/control.js';
import type { TrialRecord } from '../../src/study/records.js';
import { CONTROL_QUEUE, WORKFLOW_TYPE } from '../../src/study/types.js';
import { workflowBundle } from '../../src/worker/bundle.js';
import { fixtureRoot, heldUp, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, runCli, startTestServer } from '../helpers/temporal.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
const gpus: CliRun[] = [];

beforeAll(async () => {
  server = await startTestServer();
  for (const gpu of ['0', '1']) {
    const worker = runCli(['worker', '--gpu', gpu, ...ALLOW_NODE], {
      TEMPORAL_ADDRESS: server.address,
      FAKE_SLEEP_MS: '50',
    });
    await worker.waitFor(/polling on/);
    gpus.push(worker);
  }
});

afterAll(async () => {
  for (const w of gpus) w.child.kill('SIGTERM');
  await Promise.all(gpus.map((w) => w.exit));
  await server.stop();
});

/** What must not depend on timing: everything but the clocks. */
function timeless(records: TrialRecord[]) {
  return records
    .sort((a, b) => a.trial - b.trial)
    .map(({ startedAt, finishedAt, execMs, evalMs, savedMs, ...rest }) => rest);
}

async function runStudy(name: string, deterministic: boolean): Promise<TrialRecord[]> {
  const { config, root } = await fixtureRoot(
    (y) =>
      y
        .replace('seed: 1', `seed: 1\n      deterministic: ${deterministic}`)
        .replace(/max_iteration: 5/g, 'max_iteration: 6') +
      'pruning:\n  pruner: asha\n  stages: 2\n  reduction_factor: 2\n  min_scores: 2\n',
  );
  await addSequence(root, 'Cam03');
  const outputDir = path.join(root, 'output', name);
  const connection = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({
    connection,
    taskQueue: CONTROL_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: heldUp(createControlActivities(), 400),
  });
  await worker.runUntil(
    server.client.workflow.execute(WORKFLOW_TYPE, {
      taskQueue: CONTROL_QUEUE,
      workflowId: name,
      args: [{ study: { name, configPath: config, rootDir: root, outputDir } }],
    }),
  );
  await connection.close();
  return readRecords(outputDir);
}

it('gives identical trials on two runs whose activities finish in different orders', {
  timeout: 300_000,
}, async () => {
  const first = await runStudy('same-a', true);
  const second = await runStudy('same-b', true);
  expect(first).toHaveLength(13);
  expect(first.some((r) => r.status === 'pruned')).toBe(true);
  expect(timeless(second)).toEqual(timeless(first));
});
