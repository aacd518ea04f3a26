import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStudyData, loadStudyConfig } from '../../src/config/index.js';
import { pipetuneSync } from '../helpers/cli.js';
import { synthSample } from './dataFixture.js';

const repo = resolve(import.meta.dirname, '../..');

// The sample configs read data/SDG_sample_*, which `pipetune synth data/SDG_sample` makes: a small one
// (3 cameras) in a root holding a copy of configs/.
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pipetune-samples-'));
  await cp(join(repo, 'configs'), join(root, 'configs'), { recursive: true });
  synthSample(root, 3);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the sample study configs on the data pipetune synth makes', () => {
  it.each(['sdg-mot.yml', 'sdg-mtmc-frozen.yml', 'sdg-mtmc-e2e.yml'])(
    '%s passes the data checks and pipetune check',
    async (name) => {
      const { config, warnings } = await loadStudyConfig(join(root, 'configs', name), { root });
      expect(warnings).toEqual([]);
      expect(await checkStudyData(config)).toEqual({ problems: [], warnings: [] });
      expect(pipetuneSync(['check', join('configs', name)], root)).toMatchObject({ code: 0, stderr: '' });
    },
  );
});
