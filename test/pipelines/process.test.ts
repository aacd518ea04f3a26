import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { runProcess } from '../../src/pipelines/process.js';

/** A process counts as gone once it no longer exists or is a zombie nobody reaped yet. */
function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    return readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(predicate: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return predicate();
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pipetune-process-'));
});

describe('runProcess', () => {
  it('streams stdout and stderr line by line into the log and onOutput, pinned to the GPU', async () => {
    const logFile = path.join(dir, 'logs', 'log.txt');
    const lines: string[] = [];
    const script = [
      'process.stdout.write("one\\ntw");',
      'setTimeout(() => { process.stdout.write("o\\r\\n"); process.stderr.write("err line\\n"); }, 50);',
      'setTimeout(() => { process.stdout.write("gpu=" + process.env.CUDA_VISIBLE_DEVICES + " x=" + process.env.X + "\\nno newline at end"); }, 100);',
    ].join('');
    const result = await runProcess({
      argv: [process.execPath, '-e', script],
      env: { X: 'y' },
      gpu: 3,
      logFile,
      onOutput: (line) => lines.push(line),
      signal: new AbortController().signal,
    });
    expect(result.exitCode).toBe(0);
    expect(result.signal).toBeUndefined();
    expect(result.durationMs).toBeGreaterThan(50);
    expect(lines).toEqual(['one', 'two', 'err line', 'gpu=3 x=y', 'no newline at end']);
    const log = (await readFile(logFile, 'utf8')).split('\n');
    expect(log[0]).toMatch(/^\[pipetune\] \$ .*node -e .*\(CUDA_VISIBLE_DEVICES=3\)$/);
    expect(log.slice(1, 6)).toEqual(lines);
    expect(log[6]).toMatch(/^\[pipetune\] exit code 0 after \d+\.\d s$/);
  });

  it('returns the exit code of a failing program and leaves CUDA_VISIBLE_DEVICES alone without a GPU', async () => {
    const lines: string[] = [];
    const result = await runProcess({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
      argv: ['sh', '-c', 'echo "cvd=${CUDA_VISIBLE_DEVICES-unset}"; exit 7'],
      env: { CUDA_VISIBLE_DEVICES: '' },
      logFile: path.join(dir, 'log.txt'),
      onOutput: (line) => lines.push(line),
      signal: new AbortController().signal,
    });
    expect(result.exitCode).toBe(7);
    expect(lines).toEqual(['cvd=']);
  });

  it('on abort kills the whole process group: the program and the grandchild it started', async () => {
    const controller = new AbortController();
    let grandchild = 0;
    let leader = 0;
    const run = runProcess({
      argv: ['sh', '-c', 'sleep 300 & echo "grandchild $!"; echo "leader $$"; wait'],
      logFile: path.join(dir, 'log.txt'),
      onOutput: (line) => {
        const [what, pid] = line.split(' ');
        if (what === 'grandchild') grandchild = Number(pid);
        if (what === 'leader') leader = Number(pid);
        if (grandchild && leader) controller.abort();
      },
      signal: controller.signal,
    });
    const result = await run;
    expect(result.signal).toBe('SIGTERM');
    expect(result.exitCode).toBe(143);
    expect(await until(() => !alive(grandchild) && !alive(leader))).toBe(true);
    expect(await readFile(path.join(dir, 'log.txt'), 'utf8')).toContain(
      '[pipetune] cancelled: SIGTERM to process group',
    );
  });

  it('escalates to SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const controller = new AbortController();
    let grandchild = 0;
    const started = Date.now();
    const result = await runProcess({
      argv: ['sh', '-c', `trap '' TERM; sleep 300 & echo "grandchild $!"; while :; do wait; done`],
      logFile: path.join(dir, 'log.txt'),
      onOutput: (line) => {
        grandchild = Number(line.split(' ')[1]);
        controller.abort();
      },
      signal: controller.signal,
      graceMs: 500,
    });
    expect(result.signal).toBe('SIGKILL');
    expect(result.exitCode).toBe(137);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(await until(() => !alive(grandchild))).toBe(true);
    expect(await readFile(path.join(dir, 'log.txt'), 'utf8')).toContain(
      'still running after 500 ms: SIGKILL',
    );
  });

  it('kills what a program left running in the background when it exits', async () => {
    let grandchild = 0;
    const result = await runProcess({
      argv: ['sh', '-c', 'sleep 300 >/dev/null 2>&1 & echo "grandchild $!"'],
      logFile: path.join(dir, 'log.txt'),
      onOutput: (line) => {
        grandchild = Number(line.split(' ')[1]);
      },
      signal: new AbortController().signal,
    });
    expect(result.exitCode).toBe(0);
    expect(grandchild).toBeGreaterThan(0);
    expect(await until(() => !alive(grandchild))).toBe(true);
  });

  it('reports a program that does not exist as an input error', async () => {
    const logFile = path.join(dir, 'log.txt');
    const run = runProcess({
      argv: ['no-such-program-xyz', '--flag'],
      logFile,
      signal: new AbortController().signal,
    });
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow('cannot run "no-such-program-xyz": not found');
    expect(await readFile(logFile, 'utf8')).toContain('not found');
  });

  it('does not start anything when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped before start'));
    const marker = path.join(dir, 'ran');
    await expect(
      runProcess({ argv: ['touch', marker], logFile: path.join(dir, 'log.txt'), signal: controller.signal }),
    ).rejects.toThrow('stopped before start');
    expect(existsSync(marker)).toBe(false);
  });
});
