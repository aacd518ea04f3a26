// Config files in the shapes found in public DeepStream samples (issue 18, items 14–16): a `%YAML:1.0`
// directive after a licence header or a byte order mark, INI values with trailing whitespace, YAML
// anchors and aliases, yaml-cpp booleans. The fixtures are written in those shapes, not copied.
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStudyConfig, StudyConfigError } from '../../src/config/index.js';
import { applyEdits, lookup } from '../../src/overlay/index.js';
import { sampleRoot, smallStudy, writeStudy } from '../config/helpers.js';
import { pipetuneSync } from '../helpers/cli.js';

const SHAPES = resolve(import.meta.dirname, '../fixtures/config/real-shapes');
const read = (name: string) => readFile(join(SHAPES, name), 'utf8');

/** Lines of `after` that differ from `before` (same line count). */
function changed(before: string, after: string): string[] {
  const lines = before.split('\n');
  expect(after.split('\n').length).toBe(lines.length);
  return after.split('\n').filter((line, i) => line !== lines[i]);
}

describe('item 14: %YAML directive and byte order mark before the first node', () => {
  it('reads and writes a tracker file whose %YAML:1.0 follows a licence comment', async () => {
    const text = await read('tracker_licence_header.yml');
    expect(lookup('yaml', text, 't.yml', ['TargetManagement', 'probationAge'])).toMatchObject({
      found: true,
      value: 3,
      line: 17,
    });
    const out = applyEdits('yaml', text, 't.yml', [
      { location: ['TargetManagement', 'probationAge'], value: 5 },
    ]);
    expect(changed(text, out)).toEqual(['  probationAge: 5']);
  });

  it('reads and writes after a UTF-8 byte order mark, with CRLF endings, the BOM kept', async () => {
    const text = await read('tracker_bom_crlf.yml');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const location = ['StateEstimator', 'processNoiseVar4Loc'];
    expect(lookup('yaml', text, 't.yml', location)).toMatchObject({ value: 2, line: 7 });
    const out = applyEdits('yaml', text, 't.yml', [{ location, value: 7.5 }]);
    expect(out).toBe(text.replace('processNoiseVar4Loc: 2.0', 'processNoiseVar4Loc: 7.5'));
    const commented = await read('tracker_bom_comment.yml');
    expect(lookup('yaml', commented, 't.yml', ['BaseConfig', 'minDetectorConfidence'])).toMatchObject({
      value: 0.1,
      line: 4,
    });
  });

  it('still rejects a %YAML line after the first node, with its line', () => {
    expect(() => lookup('yaml', 'A:\n  k: 1\n%YAML:1.0\n', 't.yml', ['A', 'k'])).toThrow(
      /^t\.yml:3: not valid YAML/,
    );
  });
});

describe('item 15: INI trailing whitespace', () => {
  it('keeps the whitespace after a number or boolean that is replaced', async () => {
    const text = await read('pgie_trailing_space.txt');
    const out = applyEdits('ini', text, 'pgie.txt', [
      { location: ['class-attrs-all', 'pre-cluster-threshold'], value: 0.45 },
      { location: ['property', 'maintain-aspect-ratio'], value: false },
      { location: ['property', 'cluster-mode'], value: 3 },
    ]);
    expect(changed(text, out)).toEqual([
      'maintain-aspect-ratio=0 ',
      'cluster-mode=3\t',
      'pre-cluster-threshold=0.45   ',
    ]);
  });

  it('keeps the file spelling of booleans (true/false stays true/false)', async () => {
    const text = await read('pgie_trailing_space.txt');
    const out = applyEdits('ini', text, 'pgie.txt', [
      { location: ['property', 'symmetric-padding'], value: 0 },
    ]);
    expect(changed(text, out)).toEqual(['symmetric-padding=false  ']);
  });

  it('ends a replaced string where the new value ends (GLib would read the spaces as part of it)', async () => {
    const text = await read('pgie_trailing_space.txt');
    const out = applyEdits('ini', text, 'pgie.txt', [
      { location: ['property', 'model-engine-file'], value: 'other.engine' },
    ]);
    expect(changed(text, out)).toEqual(['model-engine-file=other.engine']);
  });
});

describe('item 16: YAML booleans, aliases and anchors', () => {
  it('writes true/false where the file has true/false, also for a 0/1 from a numeric range', async () => {
    const text = await read('tracker_licence_header.yml');
    const out = applyEdits('yaml', text, 't.yml', [
      { location: ['TrajectoryManagement', 'useUniqueID'], value: true },
      { location: ['TrajectoryManagement', 'enableReAssoc'], value: 0 },
      { location: ['TargetManagement', 'enableBboxUnClipping'], value: false },
    ]);
    expect(changed(text, out)).toEqual([
      '  enableBboxUnClipping: 0',
      '  useUniqueID: true   # a yaml-cpp boolean: true/false, never 0/1',
      '  enableReAssoc: false',
    ]);
  });

  it('says where an alias is and that it cannot be written; the anchored value names its aliases', async () => {
    const text = await read('tracker_anchors.yml');
    expect(lookup('yaml', text, 't.yml', ['ShadowEstimator', 'processNoiseVar4Loc'])).toMatchObject({
      found: true,
      value: 6810.9,
      line: 8,
      notInPlace: expect.stringContaining('alias *locNoise'),
    });
    expect(lookup('yaml', text, 't.yml', ['ReAssocTracker', 'filterLr'])).toMatchObject({
      line: 13,
      notInPlace: expect.stringContaining('alias *visual'),
    });
    expect(lookup('yaml', text, 't.yml', ['StateEstimator', 'processNoiseVar4Loc'])).toMatchObject({
      line: 5,
      sharedWith: ['ShadowEstimator.processNoiseVar4Loc (line 8)'],
    });
    expect(lookup('yaml', text, 't.yml', ['VisualTracker', 'filterLr'])).toMatchObject({
      sharedWith: ['ReAssocTracker.filterLr (line 13)'],
    });
    // Writing the anchored value keeps the anchor, so every alias follows.
    const out = applyEdits('yaml', text, 't.yml', [
      { location: ['StateEstimator', 'processNoiseVar4Loc'], value: 500 },
    ]);
    expect(changed(text, out)).toEqual(['  processNoiseVar4Loc: &locNoise 500']);
    expect(lookup('yaml', out, 't.yml', ['ShadowEstimator', 'processNoiseVar4Loc'])).toMatchObject({
      value: 500,
    });
  });
});

describe('items 14–16 through the study config (check) and render --params', () => {
  let root: string;
  beforeEach(async () => {
    root = await sampleRoot();
    for (const name of ['tracker_anchors.yml', 'tracker_licence_header.yml'])
      await copyFile(join(SHAPES, name), join(root, name));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function trackerStudy(trackerPath: string, nvdcf: Record<string, unknown>) {
    const study = smallStudy();
    study.parameter_space.Init.Exec.trackerPath = trackerPath;
    study.parameter_space.NvDCF = nvdcf;
    return study;
  }

  it('refuses a tuned alias at check, with the file and line', async () => {
    const study = trackerStudy('tracker_anchors.yml', {
      ShadowEstimator: { processNoiseVar4Loc: [1, 10000, 'log', 'real'] },
    });
    const error = await loadStudyConfig(await writeStudy(root, study), { root }).catch((err) => err);
    expect(error).toBeInstanceOf(StudyConfigError);
    expect(error.problems).toEqual([
      'NvDCF.ShadowEstimator.processNoiseVar4Loc: tracker_anchors.yml line 8 is an alias *locNoise of &locNoise (StateEstimator.processNoiseVar4Loc, line 5), not a value of its own; tune the anchored value instead',
    ]);
  });

  it('warns that tuning an anchored value changes its aliases, naming them', async () => {
    const study = trackerStudy('tracker_anchors.yml', {
      StateEstimator: { processNoiseVar4Loc: [1, 10000, 'log', 'real'] },
    });
    const { warnings } = await loadStudyConfig(await writeStudy(root, study), { root });
    expect(warnings).toContain(
      'NvDCF.StateEstimator.processNoiseVar4Loc: tracker_anchors.yml:5 is anchored, so tuning it also changes ShadowEstimator.processNoiseVar4Loc (line 8)',
    );
  });

  it('render --params refuses a value outside its range and accepts the file value', async () => {
    const study = await writeStudy(
      root,
      trackerStudy('tracker_licence_header.yml', {
        TargetManagement: { probationAge: [4, 10, 'linear', 'int'] },
      }),
    );
    const params = join(root, 'params.json');
    await writeFile(params, JSON.stringify({ 'NvDCF.TargetManagement.probationAge': 11 }));
    const bad = pipetuneSync([
      'render',
      study,
      '--root',
      root,
      '--params',
      params,
      '--out',
      join(root, 'out'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `\npipetune: --params ${params}: NvDCF.TargetManagement.probationAge: 11 is outside its range [4, 10]\n`,
    );
    // 3 is the file's own value: a baseline outside the range renders.
    await writeFile(params, JSON.stringify({ 'NvDCF.TargetManagement.probationAge': 3 }));
    const ok = pipetuneSync([
      'render',
      study,
      '--root',
      root,
      '--params',
      params,
      '--out',
      join(root, 'out'),
    ]);
    expect(ok.stderr).not.toContain('outside');
    expect(ok.code).toBe(0);
  });
});
