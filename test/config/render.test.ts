import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStudyConfig, originalParams, paramsProblems, render } from '../../src/config/index.js';
import { InputError } from '../../src/errors.js';
import { lookup } from '../../src/overlay/index.js';
import { MTMC, PGIE, sampleRoot, smallStudy, TRACKER, writeStudy } from './helpers.js';

let root: string;
beforeEach(async () => {
  root = await sampleRoot();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function load(study = smallStudy()) {
  return (await loadStudyConfig(await writeStudy(root, study), { root })).config;
}

/** Lines of `after` that differ from `before`. */
function changed(before: string, after: string): string[] {
  const lines = before.split('\n');
  return after.split('\n').filter((line, i) => line !== lines[i]);
}

describe('render', () => {
  it('writes the baseline byte-identical to the originals', async () => {
    const config = await load();
    const out = join(root, 'trial-0000');
    const rendered = await render(config, originalParams(config), out);
    expect(rendered).toEqual({
      pgie: join(out, 'config_infer_primary_PeopleNet_ResNet34.txt'),
      tracker: join(out, 'config_tracker_NvDCF_accuracy_ResNet50.yml'),
      mtmc: join(out, 'config_mtmc_app.json'),
    });
    for (const [role, original] of [
      ['pgie', PGIE],
      ['tracker', TRACKER],
      ['mtmc', MTMC],
    ] as const) {
      expect(await readFile(rendered[role] as string)).toEqual(await readFile(join(root, original)));
    }
  });

  it("writes a trial's values and nothing else", async () => {
    const config = await load();
    const params = {
      'PGIE.class-attrs-all.nms-iou-threshold': 0.65,
      'PGIE.class-attrs-all.minBoxes': 5,
      'NvDCF.TargetManagement.probationAge': 4,
      'NvDCF.StateEstimator.processNoiseVar4Loc': 12.5,
      'MTMC.clustering.clusteringAlgo': 'HDBSCAN',
    };
    const rendered = await render(config, params, join(root, 'trial-0001'));
    const text = async (path: string | undefined) => readFile(path as string, 'utf8');
    expect(changed(await text(join(root, PGIE)), await text(rendered.pgie))).toEqual([
      'nms-iou-threshold=0.65',
      'minBoxes=5',
    ]);
    expect(changed(await text(join(root, TRACKER)), await text(rendered.tracker))).toEqual([
      '  probationAge: 4',
      '  processNoiseVar4Loc: 12.5',
    ]);
    expect(changed(await text(join(root, MTMC)), await text(rendered.mtmc))).toEqual([
      '        "clusteringAlgo": "HDBSCAN",',
    ]);
    for (const p of config.parameters) {
      const file = rendered[p.role] as string;
      expect(lookup(p.format, await text(file), file, p.location)).toMatchObject({
        found: true,
        value: params[p.name as keyof typeof params],
      });
    }
  });

  it('keeps the original value of parameters a partial set leaves out', async () => {
    const config = await load();
    const rendered = await render(
      config,
      { 'NvDCF.TargetManagement.probationAge': 9 },
      join(root, 'partial'),
    );
    expect(await readFile(rendered.pgie as string, 'utf8')).toBe(await readFile(join(root, PGIE), 'utf8'));
    expect(
      changed(
        await readFile(join(root, TRACKER), 'utf8'),
        await readFile(rendered.tracker as string, 'utf8'),
      ),
    ).toEqual(['  probationAge: 9']);
  });

  it('writes fixed settings into every trial, the baseline included', async () => {
    const study = smallStudy();
    study.parameter_space.PGIE['[property]'] = { 'cluster-mode': 2, interval: 0 };
    const config = await load(study);
    const rendered = await render(config, originalParams(config), join(root, 'fixed'));
    expect(
      changed(await readFile(join(root, PGIE), 'utf8'), await readFile(rendered.pgie as string, 'utf8')),
    ).toEqual(['cluster-mode=2']);
  });

  it('rejects unknown parameters and values of the wrong type, but not values outside the range', async () => {
    const config = await load();
    expect(
      paramsProblems(config, {
        'PGIE.class-attrs-all.nms-iou-threshold': 0.95,
        'MTMC.clustering.clusteringAlgo': 'AgglomerativeClustering',
      }),
    ).toEqual([]);
    const bad = {
      'PGIE.class-attrs-all.minBoxes': 2.5,
      'NvDCF.TargetManagement.probationAge': '3',
      'MTMC.clustering.clusteringAlgo': 'kmeans',
      'PGIE.x.y': 1,
    };
    expect(paramsProblems(config, bad)).toEqual([
      'PGIE.class-attrs-all.minBoxes: 2.5 is not an integer',
      'NvDCF.TargetManagement.probationAge: "3" is not a number',
      'MTMC.clustering.clusteringAlgo: "kmeans" is not one of its choices',
      'unknown parameter "PGIE.x.y"',
    ]);
    await expect(render(config, { 'PGIE.x.y': 1 }, join(root, 'bad'))).rejects.toThrow(
      new InputError('parameters: unknown parameter "PGIE.x.y"'),
    );
  });

  it('prefixes output names with the role only when two files share a name', async () => {
    // nvinfer also reads YAML configs, so a PGIE and a tracker file can both be called settings.yml.
    await mkdir(join(root, 'a'));
    await mkdir(join(root, 'b'));
    await writeFile(join(root, 'a/settings.yml'), 'property:\n  gpu-id: 0\nclass-attrs-all:\n  eps: 0.2\n');
    await copyFile(join(root, TRACKER), join(root, 'b/settings.yml'));
    const study = smallStudy();
    Object.assign(study.parameter_space.Init.Exec, {
      pgiePath: 'a/settings.yml',
      trackerPath: 'b/settings.yml',
    });
    study.parameter_space.PGIE = { 'class-attrs-all': { eps: [0.1, 0.5, 'linear', 'real'] } };
    const config = await load(study);
    expect(config.files.pgie?.format).toBe('yaml');
    const out = join(root, 'names');
    const rendered = await render(config, { 'PGIE.class-attrs-all.eps': 0.3 }, out);
    expect(rendered).toEqual({
      pgie: join(out, 'pgie_settings.yml'),
      tracker: join(out, 'tracker_settings.yml'),
      mtmc: join(out, 'config_mtmc_app.json'),
    });
    expect(await readFile(rendered.pgie as string, 'utf8')).toBe(
      'property:\n  gpu-id: 0\nclass-attrs-all:\n  eps: 0.3\n',
    );
  });
});
