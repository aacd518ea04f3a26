import { spawnSync } from 'node:child_process';
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
