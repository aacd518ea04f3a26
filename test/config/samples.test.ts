import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStudyConfig, originalParams, render } from '../../src/config/index.js';

const repo = resolve(import.meta.dirname, '../..');

describe('the sample study configs in configs/', () => {
  it.each([
    ['sdg-mot.yml', ['pgie', 'tracker'], ['PGIE', 'Tracker']],
    ['sdg-mtmc-frozen.yml', ['pgie', 'tracker', 'mtmc'], ['MTMC']],
    ['sdg-mtmc-e2e.yml', ['pgie', 'tracker', 'mtmc'], ['PGIE', 'Tracker', 'MTMC']],
    ['sdg-pareto.yml', ['pgie', 'tracker'], ['PGIE', 'Tracker']],
  ])(
    '%s loads against the built-in base configs and renders its baseline unchanged',
    async (name, roles, modules) => {
      const { config, warnings } = await loadStudyConfig(join(repo, 'configs', name), { root: repo });
      expect(config.exec.pipeline).toBe('builtin');
      expect(Object.keys(config.files).sort()).toEqual([...roles].sort());
      expect([...new Set(config.parameters.map((p) => p.module))]).toEqual(modules);
      expect(config.bbo.optimizers.reduce((sum, o) => sum + o.maxIteration, 0)).toBeLessThanOrEqual(40);
      expect(warnings.filter((w) => !w.endsWith('does not exist'))).toEqual([]);
      const out = await mkdtemp(join(tmpdir(), 'pipetune-sample-'));
      try {
        const rendered = await render(config, originalParams(config), out);
        for (const file of Object.values(config.files)) {
          expect(await readFile(rendered[file.role] as string)).toEqual(await readFile(file.path));
        }
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
  );
});
