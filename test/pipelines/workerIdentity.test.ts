import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { workerAlive, workerIdentity } from '../../src/pipelines/workerIdentity.js';

it('tells a live worker from a gone one, and from a reused pid', () => {
  expect(workerIdentity()).toMatch(new RegExp(`^${process.pid}:\\d+$`));
  expect(workerAlive(workerIdentity())).toBe(true);
  // The same pid with another start time: a new process that got the old worker's pid.
  expect(workerAlive(`${process.pid}:1`)).toBe(false);
  expect(workerAlive('999999999:1')).toBe(false);
  expect(workerAlive('not-a-pid')).toBe(false);
});

it('takes a worker that died but was not reaped yet (a zombie) for gone', async () => {
  // Linux only: elsewhere there is no /proc to tell a zombie by.
  if (process.platform !== 'linux') return;
  // A parent that never waits for its child: after `kill -9` the child stays a zombie until the parent ends.
  const parent = spawn('sh', ['-c', 'sleep 300 & echo $!; exec sleep 300'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const [line] = (await once(parent.stdout, 'data')) as [Buffer];
    const pid = Number(line.toString().trim());
    const ticks = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19];
    expect(workerAlive(`${pid}:${ticks}`)).toBe(true);
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(readFileSync(`/proc/${pid}/stat`, 'utf8')).toContain(') Z ');
    expect(workerAlive(`${pid}:${ticks}`)).toBe(false);
  } finally {
    parent.kill('SIGKILL');
  }
});
