// `pipetune render --out DIR` where DIR cannot be created fails at once, naming DIR (issue 9, item 7).
import { spawnSync } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStudyConfig, originalParams, render } from '../../src/config/index.js';
import { InputError } from '../../src/errors.js';
import { CLI } from '../helpers/temporal.js';
import { sampleRoot, smallStudy, writeStudy } from './helpers.js';

let root: string;
beforeEach(async () => {
  root = await sampleRoot();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The built CLI, killed after 20 s (a hang fails the test instead of blocking the run). */
function pipetune(args: string[]) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  return { code: result.status, stderr: result.stderr, ms: Date.now() - started };
}

describe('render --out that cannot be created', () => {
  it('under /proc: exit 2 within seconds, one line naming the folder', async () => {
    const study = await writeStudy(root, smallStudy());
    for (const out of ['/proc/pipetune-x', '/proc/pipetune-x/y/z']) {
      const run = pipetune(['render', study, '--root', root, '--baseline', '--out', out]);
      expect(run.code).toBe(2);
      // The study's dataset paths do not exist here: warnings come first.
      const errors = run.stderr.split('\n').filter((line) => line && !line.startsWith('pipetune: warning:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^pipetune: \/proc\/pipetune-x: cannot create the output folder: /);
      expect(run.ms).toBeLessThan(5000);
    }
  });

  it('through a dangling symlink or a file: an InputError from render()', async () => {
    const config = (await loadStudyConfig(await writeStudy(root, smallStudy()), { root })).config;
    await symlink(join(root, 'missing'), join(root, 'dangling'));
    await expect(render(config, originalParams(config), join(root, 'dangling', 'out'))).rejects.toThrow(
      new InputError(
        `${join(root, 'dangling')}: cannot create the output folder: it exists and is not a folder`,
      ),
    );
    await writeFile(join(root, 'file'), '');
    await expect(render(config, originalParams(config), join(root, 'file', 'out'))).rejects.toThrow(
      InputError,
    );
    // A folder that exists already is fine.
    await mkdir(join(root, 'ready'));
    await expect(render(config, originalParams(config), join(root, 'ready'))).resolves.toHaveProperty('pgie');
  });
});
