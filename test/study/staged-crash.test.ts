/**
 * Crashes in a staged study, with real processes: kill -9 of the GPU worker while a trial's second stage
 * runs, and of the control worker right after a stage was scored. The study completes, every stage of
 * every trial is scored exactly once, and the interrupted trial's finished first stage is never run again.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { addSequence } from '../../bench/chaos/chaos.js';
import { readStageRecords } from '../../src/study/stageStore.js';
import { duplicates, eventually, fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, runCli, startTestServer } from '../helpers/temporal.js';

/** A checkpoint whose stage 2 is running: its stage 1 is scored and its stage-2 folder exists. */
async function secondStageRunning(output: string): Promise<string | undefined> {
  const scored = new Set((await readStageRecords(output)).filter((s) => s.stage === 1).map((s) => s.trial));
  for (const name of await readdir(path.join(output, 'checkpoints')).catch(() => [] as string[])) {
    const trial = Number(/^trial-(\d+)-/.exec(name)?.[1]);
    if (scored.has(trial) && existsSync(path.join(output, 'checkpoints', name, 'output', '.stage-2')))
      return name;
  }
  return undefined;
}

it('kill -9 of the GPU worker mid-stage and of the control worker between stages', {
  timeout: 240_000,
}, async () => {
  const server = await startTestServer();
  const env = {
    TEMPORAL_ADDRESS: server.address,
    PIPETUNE_HEARTBEAT_TIMEOUT_MS: '3000',
    FAKE_SLEEP_MS: '1500',
  };
  const procs: CliRun[] = [
    runCli(['worker', '--control'], env),
    runCli(['worker', '--gpu', '0', ...ALLOW_NODE], env),
  ];
  try {
    await Promise.all(procs.map((p) => p.waitFor(/polling on/)));
    const { config, root, output } = await fixtureRoot(
      (y) =>
        y.replace(/max_iteration: 5/g, 'max_iteration: 3').replace(/batch_size: 2/g, 'batch_size: 1') +
        'pruning:\n  pruner: none\n  stages: 2\n  order: seqmap\n',
      'stagecrash',
    );
    await addSequence(root, 'Cam03');
    const tune = runCli(['tune', config, '--root', root, '--name', 'stagecrash'], env);

    let victim: string | undefined;
    await eventually(
      async () => {
        victim = await secondStageRunning(output);
        return victim !== undefined;
      },
      90_000,
      'a second stage',
    );
    const stageOneLog = path.join(output, 'checkpoints', victim!, 'log-stage-1.txt');
    const stageOneRun = (await stat(stageOneLog)).mtimeMs;
    procs[1]!.child.kill('SIGKILL');
    procs.push(runCli(['worker', '--gpu', '1', ...ALLOW_NODE], env));

    const before = (await readStageRecords(output)).length;
    await eventually(async () => (await readStageRecords(output)).length > before, 90_000, 'a stage scored');
    procs[0]!.child.kill('SIGKILL');
    procs.push(runCli(['worker', '--control'], env));

    expect((await tune.exit).code, tune.output()).toBe(0);
    const records = await readRecords(output);
    expect(records).toHaveLength(7);
    expect(duplicates(records)).toEqual([]);
    const stages = await readStageRecords(output);
    expect(new Set(stages.map((s) => s.key)).size).toBe(stages.length);
    expect(stages).toHaveLength(14);
    // The interrupted trial's first stage (1 sequence) never ran again; its second (2 sequences) did.
    expect((await stat(stageOneLog)).mtimeMs).toBe(stageOneRun);
    expect(await readFile(stageOneLog, 'utf8')).toContain('wrote 1 sequences');
    const stageTwoLog = await readFile(path.join(output, 'checkpoints', victim!, 'log-stage-2.txt'), 'utf8');
    expect(stageTwoLog).toContain('wrote 2 sequences');
    expect(records.find((r) => r.checkpoint.endsWith(victim!))).toMatchObject({
      status: 'ok',
      stages: { reached: 2, of: 2 },
    });
  } finally {
    for (const p of procs) p.child.kill('SIGKILL');
    await server.stop();
  }
});
