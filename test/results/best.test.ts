import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { copyBestCheckpoint } from '../../src/results/best.js';
import { resultsLayout } from '../../src/results/paths.js';
import { bestTrial } from '../../src/results/ranking.js';
import { makeStudy, manifest, tempDir, trial } from './fixtures.js';

const records = [
  trial({ trial: 0, optimizer: 'baseline', iteration: 0, params: { x: 1 }, score: 0.4 }),
  trial({ trial: 1, optimizer: 'tpe', iteration: 1, params: { x: 2 }, score: 0.5 }),
  trial({ trial: 2, optimizer: 'tpe', iteration: 1, repeat: 1, params: { x: 2 }, score: 0.54 }),
  trial({ trial: 3, optimizer: 'pysot', iteration: 1, params: { x: 3 }, score: 0.51 }),
];

/** A study root with a valid study config pointing at the originals of the rendered configs. */
async function studyRoot() {
  const root = await tempDir();
  await mkdir(join(root, 'configs', 'config_PGIE'), { recursive: true });
  await mkdir(join(root, 'configs', 'config_Tracker'), { recursive: true });
  await writeFile(
    join(root, 'configs', 'config_PGIE', 'config_infer_primary.txt'),
    '[class-attrs-all]\npre-cluster-threshold=0.2\n',
  );
  await writeFile(
    join(root, 'configs', 'config_Tracker', 'tracker.yml'),
    '%YAML:1.0\nBaseConfig:\n  minDetectorConfidence: 0.1\n',
  );
  const configPath = join(root, 'configs', 'sdg-mot.yml');
  await writeFile(
    configPath,
    [
      'parameter_space:',
      '  Init:',
      '    Exec:',
      '      pgiePath: "configs/config_PGIE/config_infer_primary.txt"',
      '      trackerPath: "configs/config_Tracker/tracker.yml"',
      '    Eval:',
      '      metric: HOTA',
      '  PGIE:',
      '    "[class-attrs-all]":',
      '      pre-cluster-threshold: [0, 0.5, linear, real]',
      '  NvDCF:',
      '    BaseConfig:',
      '      minDetectorConfidence: [0, 0.4, linear, real]',
      'bbo:',
      '  optimizers:',
      '    type1: { name: tpe, max_iteration: 3 }',
    ].join('\n'),
  );
  const m = manifest({ configPath, rootDir: root });
  const outputDir = join(root, 'output', 'sdg-mot.yml_output');
  await makeStudy(outputDir, m, records);
  return { root, m, outputDir };
}

describe('copyBestCheckpoint', () => {
  it("copies the best config's first checkpoint: rendered configs, params and scores", async () => {
    const { m, outputDir } = await studyRoot();
    const best = bestTrial(records, { minimize: false })!;
    const dir = await copyBestCheckpoint(outputDir, m, best);
    expect(dir).toBe(resultsLayout(outputDir, m).best);
    expect((await readdir(dir)).sort()).toEqual(['README.txt', 'configs', 'params.json', 'scores.json']);
    expect(await readFile(join(dir, 'configs', 'tracker.yml'), 'utf8')).toContain('# trial 1');
    expect(JSON.parse(await readFile(join(dir, 'params.json'), 'utf8'))).toEqual({ x: 2 });
    expect(JSON.parse(await readFile(join(dir, 'scores.json'), 'utf8'))).toMatchObject({
      trial: 1,
      HOTA: 0.5,
    });
  });

  it('says in README.txt which trial, score and metric, and which original files the configs replace', async () => {
    const { root, m, outputDir } = await studyRoot();
    const readme = await readFile(
      join(await copyBestCheckpoint(outputDir, m, bestTrial(records, { minimize: false })!), 'README.txt'),
      'utf8',
    );
    expect(readme).toContain('Metric        HOTA (higher is better)');
    expect(readme).toContain('Score         52.000 (mean of 2 runs: trials 1, 2)');
    expect(readme).toContain('Trial         1, proposed by tpe (iteration 1, repeat 0)');
    expect(readme).toContain(`replaces ${join(root, 'configs', 'config_PGIE', 'config_infer_primary.txt')}`);
    expect(readme).toContain(`replaces ${join(root, 'configs', 'config_Tracker', 'tracker.yml')}`);
    expect(readme).toMatch(/scores\.json\s+the evaluation scores of trial 1/);
  });

  it('marks configs no original matches when the study config cannot be read', async () => {
    const { m, outputDir } = await studyRoot();
    const moved = { ...m, configPath: join(m.rootDir, 'gone.yml') };
    const readme = await readFile(
      join(
        await copyBestCheckpoint(outputDir, moved, bestTrial(records, { minimize: false })!),
        'README.txt',
      ),
      'utf8',
    );
    expect(readme).toMatch(/configs\/tracker\.yml\s+no original found \(the study config no longer loads/);
  });

  it('replaces a previous best/ entirely, leaving no temp folders', async () => {
    const { m, outputDir } = await studyRoot();
    await copyBestCheckpoint(outputDir, m, bestTrial(records.slice(0, 2), { minimize: false })!);
    await writeFile(join(resultsLayout(outputDir, m).best, 'stale.txt'), 'old');
    const dir = await copyBestCheckpoint(outputDir, m, bestTrial(records, { minimize: true })!);
    expect(await readdir(dir)).not.toContain('stale.txt');
    expect(await readFile(join(dir, 'README.txt'), 'utf8')).toContain(
      'Trial         0, proposed by baseline',
    );
    expect(await readdir(resultsLayout(outputDir, m).results)).toEqual(['best']);
  });

  it('is an input error when the checkpoint folder is gone', async () => {
    const { m, outputDir } = await studyRoot();
    const best = bestTrial([{ ...records[1]!, checkpoint: 'checkpoints/trial-0099-tpe' }], {
      minimize: false,
    })!;
    await expect(copyBestCheckpoint(outputDir, m, best)).rejects.toThrow(InputError);
    await expect(copyBestCheckpoint(outputDir, m, best)).rejects.toThrow(
      /trial-0099-tpe: checkpoint folder of the best trial \(1\) not found/,
    );
  });
});
