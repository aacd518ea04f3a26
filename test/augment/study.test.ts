/**
 * A study on augmented data, against a real Temporal dev server with separate worker processes: the
 * `augmentation:` block makes the copy before the first trial (and again after a crash in the middle),
 * and the trials score on it.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateMot } from '../../src/eval/index.js';
import { pipetuneSync } from '../helpers/cli.js';
import { readRecords } from '../helpers/study.js';
import { ALLOW_NODE, REPO, runCli, serverWithWorkers } from '../helpers/temporal.js';

const rig = serverWithWorkers([['--control'], ['--gpu', '0', ...ALLOW_NODE]], {
  PIPETUNE_HEARTBEAT_TIMEOUT_MS: '5000',
});

/** The sample study on a small synthetic dataset with videos, 2 random trials, and an augmentation block. */
async function studyRoot(): Promise<{ root: string; config: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'pipetune-augment-study-'));
  const synth = pipetuneSync([
    'synth',
    path.join(root, 'data', 'SDG'),
    '--cameras',
    '2',
    '--seconds',
    '6',
    '--fps',
    '10',
    '--people',
    '6',
    '--video',
  ]);
  expect(synth.code, synth.stderr).toBe(0);
  const yaml = readFileSync(path.join(REPO, 'configs', 'sdg-mot.yml'), 'utf8')
    .replace('datasetPath: data/SDG_sample_videos', 'datasetPath: data/SDG_videos')
    .replace('seqmapPath: data/SDG_sample_utils/SDG_sample_all.txt', 'seqmapPath: data/SDG_utils/SDG_all.txt')
    .replace(
      '      reevaluateTop: 0',
      '      reevaluateTop: 0\n      augmentation:\n        poleAt: [0.5]\n        poleWidth: 0.2\n        labelPolicy: ignore',
    )
    .replace(/optimizers:[\s\S]*$/, 'optimizers:\n    type1:\n      name: random\n      max_iteration: 2\n');
  const config = path.join(root, 'study.yml');
  writeFileSync(config, yaml);
  // Config paths must stay inside the study root (docs/trust.md): the study gets its own copy.
  cpSync(path.join(REPO, 'configs'), path.join(root, 'configs'), { recursive: true });
  return { root, config };
}

describe('a study with an augmentation block', () => {
  it('augments before the first trial, survives a crash while augmenting, and scores on the augmented data', {
    timeout: 300_000,
  }, async () => {
    const { root, config } = await studyRoot();
    const output = path.join(root, 'output', 'aug_output');
    const augmented = path.join(output, 'augmented');

    // Killed in the middle of augmenting: no folder a trial could use is left, only a hidden partial one.
    const crashed = runCli(['tune', config, '--root', root, '--name', 'aug'], rig.env);
    await crashed.waitFor(/augment \[/, 60_000);
    crashed.child.kill('SIGKILL');
    await crashed.exit;
    expect(readdirSync(augmented).every((name) => name.startsWith('.'))).toBe(true);

    const tune = runCli(['tune', config, '--root', root, '--name', 'aug'], rig.env);
    const { code } = await tune.exit;
    expect(code, tune.output()).toBe(0);
    const keys = readdirSync(augmented);
    expect(keys).toHaveLength(1); // the crashed start's leftover is gone
    const dataset = path.join(augmented, keys[0]!, 'SDG_videos');
    const manifest = JSON.parse(readFileSync(path.join(dataset, 'augment.json'), 'utf8'));
    expect(manifest.options).toMatchObject({ poleAt: [0.5], poleWidth: 0.2, labelPolicy: 'ignore' });
    expect(existsSync(path.join(dataset, 'Retail_Synthetic_Cam01.mp4'))).toBe(true);

    // The baseline trial scored the base configs on the augmented data, not on the plain data.
    const records = await readRecords(output);
    expect(records).toHaveLength(3);
    const baseline = records.find((r) => r.optimizer === 'baseline')!;
    const scoreOn = (data: string) => {
      const out = path.join(root, `run-${path.basename(path.dirname(data))}`);
      expect(pipetuneSync(['run-pipeline', '--dataset', data, '--out', out]).code).toBe(0);
      return evaluateMot({ gtDir: data, trackerDir: out }).combined.summary.HOTA!;
    };
    const onAugmented = scoreOn(dataset);
    const onPlain = scoreOn(path.join(root, 'data', 'SDG_videos'));
    expect(baseline.score).toBeCloseTo(onAugmented, 9);
    expect(Math.abs(onAugmented - onPlain)).toBeGreaterThan(0.01);

    // Started again with nothing changed, the study reuses the copy; a changed option makes another.
    const before = readFileSync(path.join(dataset, 'augment.json'));
    const again = runCli(['tune', config, '--root', root, '--name', 'aug'], rig.env);
    expect((await again.exit).code, again.output()).toBe(0);
    expect(again.output()).not.toContain('augment [');
    expect(readFileSync(path.join(dataset, 'augment.json'))).toEqual(before);
    writeFileSync(config, readFileSync(config, 'utf8').replace('poleWidth: 0.2', 'poleWidth: 0.1'));
    const changed = runCli(['tune', config, '--root', root, '--name', 'aug2'], rig.env);
    expect((await changed.exit).code, changed.output()).toBe(0);
    expect(readdirSync(path.join(root, 'output', 'aug2_output', 'augmented'))[0]).not.toBe(keys[0]);
  });
});
