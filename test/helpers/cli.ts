import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import { CLI } from './temporal.js';

/** `node bin/pipetune.js …` to completion (the built CLI: `npm test` builds before running vitest). */
export function pipetuneSync(args: string[], cwd?: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The built CLI with a small heap, so that sizing arrays from a bad number fails the test instead of
 * taking the machine's memory; killed after 20 s.
 */
export function pipetuneSmallHeap(args: string[]) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

/** The message of the InputError `f` throws (fails the test when it throws something else or nothing). */
export function inputErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected an input error');
}
