import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pipetuneSync } from '../helpers/cli.js';
import { MOT15_GT, motStudy, synthSample, writeDataset } from './dataFixture.js';
import { FIXTURE_ROOT, NVIDIA_STUDY, PGIE, sampleRoot, smallStudy, TRACKER, writeStudy } from './helpers.js';

const pipetune = (args: string[], cwd: string) => pipetuneSync([...args], cwd);

/** smallStudy with the MTMC ground truth of `pipetune synth data/SDG_sample` (its default data). */
function mtmcSmallStudy() {
  const study = smallStudy();
  study.parameter_space.Init.Exec.mtmcGroundTruthPath = 'data/SDG_sample_utils/ground_truth.txt';
  return study;
}

let root: string;
beforeEach(async () => {
  root = await sampleRoot();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('pipetune check', () => {
  it('prints the search space of a valid config and exits 0', async () => {
    // The NVIDIA sample's data, one sequence: ground truth and a video for the deepstream pipeline.
    await writeDataset(
      root,
      { Retail_Synthetic_Cam01: { files: { 'Retail_Synthetic_Cam01.mp4': '' } } },
      { dataset: 'data/SDG_1min_videos', seqmap: 'data/SDG_1min_utils/SDG_1min_all.txt' },
    );
    const { code, stdout, stderr } = pipetune(['check', NVIDIA_STUDY], root);
    expect(code).toBe(0);
    expect(stdout).toContain('pipeline        deepstream; metric MOTA (maximised)');
    expect(stdout).toContain('search space: 39 dimension(s)');
    expect(stdout).toMatch(/^parameter +file +range +scale +type +original$/m);
    expect(stdout).toMatch(
      /^PGIE\.class-attrs-all\.minBoxes +config_infer_primary_PeopleNet_ResNet34\.txt:29 +\[2, 6\] +linear +int +3$/m,
    );
    expect(stdout).toMatch(
      /^NvDCF\.StateEstimator\.processNoiseVar4Loc +config_tracker_NvDCF_accuracy_ResNet50\.yml:66 +\[1, 10000\] +linear +real +6810\.866$/m,
    );
    expect(stderr).toContain(
      'pipetune: warning: processing.parameter_space.Init.Exec.dsAppPath: configs/config_GuiTool/config_GuiTool_template_trackeval.yml does not exist',
    );
  });

  it('without its data: prints the summary, then every data problem, and exits 2', () => {
    const { code, stdout, stderr } = pipetune(['check', NVIDIA_STUDY], FIXTURE_ROOT);
    const file = join(FIXTURE_ROOT, NVIDIA_STUDY);
    expect(code).toBe(2);
    expect(stdout).toContain('search space: 39 dimension(s)');
    const exec = 'processing.parameter_space.Init.Exec';
    // The loader's warnings that datasetPath and seqmapPath do not exist give way to the problems.
    const lines = stderr.split('\n').filter((line) => !line.includes('warning:') || line.includes('exist'));
    expect(lines).toEqual([
      `pipetune: warning: ${exec}.dsAppPath: configs/config_GuiTool/config_GuiTool_template_trackeval.yml does not exist`,
      `pipetune: ${file}: ${exec}.datasetPath: data/SDG_1min_videos does not exist; expected a folder of sequences (<seq>/seqinfo.ini, <seq>/gt/gt.txt)`,
      `pipetune: ${file}: ${exec}.seqmapPath: data/SDG_1min_utils/SDG_1min_all.txt does not exist; expected a seqmap: the line "name", then one sequence name per line`,
      'pipetune: 2 problem(s); the config is not valid',
      '',
    ]);
  });

  it('exits 2 when the benchmark does not fit the ground truth or a seqmap is missing', async () => {
    await writeDataset(root, { Cam01: { gt: MOT15_GT } });
    const file = await writeStudy(root, motStudy({ validationSeqmapPath: 'data/utils/val.txt' }));
    const { code, stdout, stderr } = pipetune(['check', 'study.yml'], root);
    expect(code).toBe(2);
    expect(stdout).toContain('search space: 1 dimension(s)');
    const exec = 'parameter_space.Init.Exec';
    expect(stderr.split('\n')).toEqual([
      `pipetune: ${file}: ${exec}.validationSeqmapPath: data/utils/val.txt does not exist; expected a seqmap: the line "name", then one sequence name per line`,
      `pipetune: ${file}: ${exec}.benchmark: MOT17 does not fit data/videos/Cam01/gt/gt.txt:1: class -1 (column 8) is not a MOTChallenge class 1..13, and MOT17 preprocessing rejects it in every frame with tracker boxes; the file has MOT15's 10 columns (column 8 is a world coordinate, not a class): set ${exec}.benchmark: MOT15`,
      'pipetune: 2 problem(s); the config is not valid',
      '',
    ]);
  });

  it('passes on the orchestration test study', () => {
    const fixture = join(import.meta.dirname, '../fixtures/study');
    expect(pipetune(['check', 'study.yml'], fixture)).toMatchObject({ code: 0, stderr: '' });
  });

  it('lists choices and fixed settings', async () => {
    synthSample(root);
    const study = mtmcSmallStudy();
    study.parameter_space.PGIE['[property]'] = { 'cluster-mode': 2 };
    await writeStudy(root, study);
    const { code, stdout } = pipetune(['check', 'study.yml'], root);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^MTMC\.clustering\.clusteringAlgo +config_mtmc_app\.json:\d+ +\{"HDBSCAN", "AgglomerativeClustering"\} +- +choice +"AgglomerativeClustering"$/m,
    );
    expect(stdout).toMatch(/^NvDCF\.StateEstimator\.processNoiseVar4Loc .* log +real +6810\.866$/m);
    expect(stdout).toContain('fixed settings: 1 (written into every trial)');
    expect(stdout).toMatch(
      /^PGIE\.property\.cluster-mode +config_infer_primary_PeopleNet_ResNet34\.txt:\d+ +2 +3$/m,
    );
  });

  it('prints every problem and exits 2 for an invalid config', async () => {
    const study = smallStudy();
    study.bbo.optimizers.type2.name = 'tpx';
    study.parameter_space.NvDCF.StateEstimator.processNoiseVar4Loc = [0, 1, 'log', 'real'];
    const file = await writeStudy(root, study);
    const { code, stdout, stderr } = pipetune(['check', file, '--root', root], '/');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      `pipetune: ${file}: bbo.optimizers.type2.name: "tpx" is not one of pysot, tpe, hyper, opentuner, scikit, random, sobol, gp, cmaes, rbf, ensemble, auto, nsga2, nsgaii`,
      `pipetune: ${file}: parameter_space.NvDCF.StateEstimator.processNoiseVar4Loc: log scale needs a lower bound above 0, found 0`,
      'pipetune: 2 problem(s); the config is not valid',
      '',
    ]);
  });

  it('resolves paths against --root', async () => {
    synthSample(root);
    await writeStudy(root, mtmcSmallStudy());
    expect(pipetune(['check', join(root, 'study.yml')], '/').code).toBe(2);
    expect(pipetune(['check', join(root, 'study.yml'), '--root', root], '/').code).toBe(0);
  });

  it('exits 2 on usage errors', () => {
    expect(pipetune(['check'], root)).toMatchObject({
      code: 2,
      stderr: 'pipetune check: expected one study config, got 0 (see pipetune check --help)\n',
    });
    expect(pipetune(['check', '--help'], root)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('usage: pipetune check <config.yml> [--root DIR]'),
    });
  });
});

describe('pipetune render', () => {
  it('--baseline writes files byte-identical to the originals', async () => {
    await writeStudy(root, smallStudy());
    const { code, stdout } = pipetune(['render', 'study.yml', '--baseline', '--out', 'out'], root);
    expect(code).toBe(0);
    expect(stdout).toContain(`pgie     ${join(root, 'out/config_infer_primary_PeopleNet_ResNet34.txt')}\n`);
    expect(await readFile(join(root, 'out/config_infer_primary_PeopleNet_ResNet34.txt'))).toEqual(
      await readFile(join(root, PGIE)),
    );
    expect(await readFile(join(root, 'out/config_tracker_NvDCF_accuracy_ResNet50.yml'))).toEqual(
      await readFile(join(root, TRACKER)),
    );
  });

  it('--params writes the given values', async () => {
    await writeStudy(root, smallStudy());
    await writeFile(join(root, 'params.json'), JSON.stringify({ 'PGIE.class-attrs-all.minBoxes': 6 }));
    expect(pipetune(['render', 'study.yml', '--params', 'params.json', '--out', 'out'], root).code).toBe(0);
    expect(await readFile(join(root, 'out/config_infer_primary_PeopleNet_ResNet34.txt'), 'utf8')).toContain(
      '\nminBoxes=6\n',
    );
  });

  it('exits 2 with one line for bad flags and bad parameter files', async () => {
    await writeStudy(root, smallStudy());
    await writeFile(join(root, 'params.json'), JSON.stringify({ nope: 1 }));
    expect(pipetune(['render', 'study.yml', '--out', 'out'], root)).toMatchObject({
      code: 2,
      stderr: 'pipetune render: give exactly one of --baseline and --params FILE.json\n',
    });
    expect(pipetune(['render', 'study.yml', '--baseline'], root)).toMatchObject({
      code: 2,
      stderr: 'pipetune render: --out DIR is required\n',
    });
    expect(pipetune(['render', 'study.yml', '--params', 'params.json', '--out', 'o'], root)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('pipetune: parameters: unknown parameter "nope"\n'),
    });
    expect(pipetune(['render', 'study.yml', '--params', 'none.json', '--out', 'o'], root)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('pipetune: --params none.json: cannot read a JSON object'),
    });
  });
});
