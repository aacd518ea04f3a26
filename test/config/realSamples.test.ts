import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStudyConfig, originalParams, render } from '../../src/config/index.js';

const repo = resolve(import.meta.dirname, '../..');

describe('the real-detection sample studies (configs/mot15-*.yml, configs/mot17-*.yml)', () => {
  it.each(['mot15-builtin.yml', 'mot17-builtin.yml'])(
    '%s loads against the detection-file base configs, holds out its own seqmap and renders its baseline unchanged but for fixed settings',
    async (name) => {
      const { config, warnings } = await loadStudyConfig(join(repo, 'configs', name), { root: repo });
      expect(warnings.filter((w) => !w.includes('does not exist'))).toEqual([]);
      expect(config.exec.pipeline).toBe('builtin');
      expect(config.exec.validationSeqmapPath).toBeDefined();
      const tuned = await readFile(config.exec.seqmapPath, 'utf8');
      const heldOut = await readFile(config.exec.validationSeqmapPath!, 'utf8');
      const names = (text: string) => text.trim().split('\n').slice(1);
      expect(names(heldOut).filter((n) => names(tuned).includes(n))).toEqual([]);
      expect(config.fixed.map((f) => f.name)).toEqual(['Tracker.TimeScale.referenceFrameRate']);
      const out = await mkdtemp(join(tmpdir(), 'pipetune-real-sample-'));
      try {
        const rendered = await render(config, originalParams(config), out);
        expect(await readFile(rendered.pgie!)).toEqual(await readFile(config.files.pgie!.path));
        const tracker = await readFile(rendered.tracker!, 'utf8');
        expect(tracker).toContain('referenceFrameRate: 30');
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
  );
});
