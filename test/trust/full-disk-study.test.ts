/**
 * A study whose output folder fills up, against a real Temporal server and worker processes: the study
 * holds (paused, saying why) instead of failing or losing a trial, and goes on once space is back.
 * Needs root for a small tmpfs under the output folder, like test/trust/storage.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, expect, it } from 'vitest';
import { workflowBundle } from '../../src/worker/bundle.js';
import { duplicates, eventually, fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, REPO, runCli, serverWithWorkers } from '../helpers/temporal.js';

const root = process.getuid?.() === 0 ? await fixtureRoot(undefined, 'fulldisk') : undefined;
const mounted = root !== undefined && tryMount(path.join(root.root, 'output'));

function tryMount(dir: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', path.join(root!.root, 'output')]);
});

/** Fills the file system under `dir` until it refuses more; returns the filler file. */
function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  const chunk = Buffer.alloc(16 * 1024, 'x');
  for (let i = 0; i < 1000; i++) {
    try {
      writeFileSync(filler, chunk, { flag: 'a' });
    } catch {
      return filler;
    }
  }
  throw new Error('the tmpfs did not fill up');
}

const rig = serverWithWorkers([['--control'], ['--gpu', '0', ...ALLOW_NODE]], {
  PIPETUNE_HEARTBEAT_TIMEOUT_MS: '5000',
  FAKE_SLEEP_MS: '300',
});

it.skipIf(!mounted)(
  'holds the study, saying why, while its disk is full, and goes on once space is back',
  {
    timeout: 240_000,
  },
  async () => {
    const { config, output } = root!;
    const tune = runCli(['tune', config, '--root', root!.root, '--name', 'fulldisk'], rig.env);
    await eventually(async () => (await readRecords(output)).length >= 2, 120_000, 'two recorded trials');
    const filler = fill(path.join(root!.root, 'output'));

    await tune.waitFor(/\[paused: held: .*cannot write: no space left on its device \(ENOSPC\)/, 120_000);
    const status = runCli(['status', 'fulldisk', '--root', root!.root], rig.env);
    expect((await status.exit).code).toBe(0);
    expect(status.output()).toMatch(/study fulldisk: paused/);

    rmSync(filler);
    const resume = runCli(['resume', 'fulldisk', '--root', root!.root], rig.env);
    expect((await tune.exit).code, tune.output()).toBe(0);
    await resume.exit;
    const records = await readRecords(output);
    expect(duplicates(records)).toEqual([]);
    expect(records).toHaveLength(11);
    expect(tune.output()).toMatch(/\[completed\]/);

    // The held study's history: a failed activity, a timer, the same activity again. It must replay;
    // with `PIPETUNE_RECORD_HISTORIES=1` it is written for the replay test to keep replaying.
    const history = await rig.server.client.workflow.getHandle('pipetune-fulldisk').fetchHistory();
    const source = [{ workflowId: 'replay-held', history }] as unknown as Parameters<
      typeof Worker.runReplayHistories
    >[1];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, source))
      expect(result.error?.message).toBeUndefined();
    if (process.env.PIPETUNE_RECORD_HISTORIES)
      await writeFile(
        path.join(REPO, 'test', 'fixtures', 'histories', 'replay-held.binpb'),
        temporal.api.history.v1.History.encode(history).finish(),
      );
  },
);
