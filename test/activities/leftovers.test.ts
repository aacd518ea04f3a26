import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { killLeftoverProcesses } from '../../src/activities/leftovers.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('kills the processes whose command line names the trial folder, and only those', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'pipetune-leftovers-'));
  const trialDir = path.join(root, 'checkpoints', 'trial-0003-tpe');
  const otherDir = path.join(root, 'checkpoints', 'trial-0030-tpe');
  // Detached, like a pipeline whose worker died: nothing else will end them.
  const sleeper = (dir: string) =>
    spawn('sh', ['-c', 'sleep 30', 'pipeline', path.join(dir, 'configs', 'tracker.yml')], {
      detached: true,
      stdio: 'ignore',
    });
  const leftover = sleeper(trialDir);
  const unrelated = sleeper(otherDir);
  const exited = new Promise((resolve) => leftover.on('exit', resolve));
  try {
    const killed = await killLeftoverProcesses(trialDir);
    expect(killed).toContain(leftover.pid);
    expect(killed).not.toContain(unrelated.pid);
    await exited;
    expect(alive(unrelated.pid!)).toBe(true);
  } finally {
    unrelated.kill('SIGKILL');
    leftover.kill('SIGKILL');
  }
});
