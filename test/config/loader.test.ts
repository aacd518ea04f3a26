import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStudyConfig, StudyConfigError } from '../../src/config/index.js';
import { InputError } from '../../src/errors.js';
import {
  FIXTURE_ROOT,
  MTMC,
  NVIDIA_STUDY,
  PGIE,
  sampleRoot,
  smallStudy,
  TRACKER,
  writeStudy,
} from './helpers.js';

let root: string;
beforeEach(async () => {
  root = await sampleRoot();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The problems a study config is rejected with. */
async function problems(study: unknown): Promise<string[]> {
  const file = await writeStudy(root, study);
  const error = await loadStudyConfig(file, { root }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(StudyConfigError);
  return (error as StudyConfigError).problems;
}

describe('an NVIDIA-shaped PipeTuner config', () => {
  it('loads unchanged as a DeepStream study', async () => {
    const { config, warnings } = await loadStudyConfig(join(FIXTURE_ROOT, NVIDIA_STUDY), {
      root: FIXTURE_ROOT,
    });
    expect(config.name).toBe('SDG_sample_PeopleNet-ResNet34_NvDCF-ResNet50_MOT.yml');
    expect(config.exec.pipeline).toBe('deepstream');
    expect(config.exec.rootPath).toBe(FIXTURE_ROOT);
    expect(config.exec.pgiePath).toBe(join(FIXTURE_ROOT, PGIE));
    expect(config.exec.datasetPath).toBe(join(FIXTURE_ROOT, 'data/SDG_1min_videos'));
    expect(config.exec.pipeTuner).toEqual({
      streamRes: '1080',
      containerImageID: 'container_deepstream',
      dsAppPath: join(FIXTURE_ROOT, 'configs/config_GuiTool/config_GuiTool_template_trackeval.yml'),
    });
    expect(config.metric).toBe('MOTA');
    expect(config.space.dimensions).toHaveLength(39);
    expect(config.parameters.map((p) => p.name)).toContain('NvDCF.StateEstimator.processNoiseVar4Loc');
    expect(config.files).toEqual({
      pgie: { role: 'pgie', path: join(FIXTURE_ROOT, PGIE), format: 'ini' },
      tracker: { role: 'tracker', path: join(FIXTURE_ROOT, TRACKER), format: 'yaml' },
    });
    expect(config.bbo).toEqual({
      problemTypeIsMin: false,
      jobBatchSize: 1,
      optimizers: [
        { id: 'type1', name: 'pysot', maxIteration: 100, redundancy: 1, batchSize: 1 },
        { id: 'type2', name: 'hyper', maxIteration: 100, redundancy: 1, batchSize: 1 },
      ],
    });
    expect(config.workers).toBe(2);
    expect(config.optimManager).toEqual({ thresholdZeroScores: 20, thresholdDsAppFails: 3 });
    // PipeTuner's own keys (folder_to_send, preprocessing, arg0, ip, port, streamRes, …) are not "unknown".
    expect(warnings.filter((w) => w.includes('unknown key'))).toEqual([]);
    expect(warnings).toContain(
      'PGIE.class-attrs-all.pre-cluster-threshold: [class-attrs-1] in configs/config_PGIE/config_infer_primary_PeopleNet_ResNet34.txt also sets pre-cluster-threshold, so the tuned value does not apply to that class',
    );
  });

  it('ties each dimension to its file, section, key, line and original value', async () => {
    const { config } = await loadStudyConfig(join(FIXTURE_ROOT, NVIDIA_STUDY), { root: FIXTURE_ROOT });
    const byName = new Map(config.parameters.map((p) => [p.name, p]));
    expect(byName.get('PGIE.class-attrs-all.minBoxes')).toEqual({
      name: 'PGIE.class-attrs-all.minBoxes',
      module: 'PGIE',
      role: 'pgie',
      file: join(FIXTURE_ROOT, PGIE),
      format: 'ini',
      location: ['class-attrs-all', 'minBoxes'],
      section: 'class-attrs-all',
      key: 'minBoxes',
      original: 3,
      line: 29,
      yamlPath: 'processing.parameter_space.PGIE."[class-attrs-all]".minBoxes',
      dimension: { kind: 'int', name: 'PGIE.class-attrs-all.minBoxes', low: 2, high: 6, log: false },
    });
    expect(byName.get('NvDCF.DataAssociator.minMatchingScore4Overall')).toMatchObject({
      section: 'DataAssociator',
      original: 0.0222,
      line: 51,
    });
    expect(config.space.dimensions.map((d) => d.name)).toEqual(config.parameters.map((p) => p.name));
  });
});

describe('loadStudyConfig', () => {
  it('reads parameter_space at the top level, with defaults for everything optional', async () => {
    const { config, warnings } = await loadStudyConfig(await writeStudy(root, smallStudy()), { root });
    expect(warnings).toEqual(
      expect.arrayContaining([
        `parameter_space.Init.Exec.datasetPath: data/SDG_sample_videos does not exist`,
      ]),
    );
    expect(config.exec).toMatchObject({
      pipeline: 'builtin',
      datasetPath: join(root, 'data/SDG_sample_videos'),
      seqmapPath: join(root, 'data/SDG_sample_utils/SDG_sample_all.txt'),
      benchmark: 'MOT17',
      seed: 1,
      baseline: true,
      trialTimeoutMs: 12 * 3600 * 1000,
      reevaluateTop: 3,
      deepstream: {},
    });
    expect(config.metric).toBe('HOTA');
    expect(config.workers).toBe(2);
    expect(config.optimManager).toEqual({ thresholdZeroScores: 20, thresholdDsAppFails: 3 });
    expect(config.parameters.map((p) => [p.name, p.original])).toEqual([
      ['PGIE.class-attrs-all.nms-iou-threshold', 0.5],
      ['PGIE.class-attrs-all.minBoxes', 3],
      ['NvDCF.TargetManagement.probationAge', 2],
      ['NvDCF.StateEstimator.processNoiseVar4Loc', 6810.866],
      ['MTMC.clustering.clusteringAlgo', 'AgglomerativeClustering'],
    ]);
    expect(config.files.mtmc).toEqual({ role: 'mtmc', path: join(root, MTMC), format: 'json' });
  });

  it('reads our Exec keys', async () => {
    const study = smallStudy();
    Object.assign(study.parameter_space.Init.Exec, {
      pipeline: 'command',
      command: ['python', 'run.py', '--pgie', '{pgie}', '--out={output}', '{gpu}'],
      docker: { image: 'me/pipe:1', binds: ['/data:/data:ro'], env: { A: 1 } },
      benchmark: 'MOT20',
      seed: 7,
      baseline: false,
      validationSeqmapPath: 'data/val.txt',
      trialTimeout: '90m',
      reevaluateTop: 0,
    });
    study.servers = { s1: { ip: '127.0.0.1', port: '5', worker_number: 3 } };
    study.optim_manager = { threshold_zero_scores: 4 };
    const { config } = await loadStudyConfig(await writeStudy(root, study), { root });
    expect(config.exec).toMatchObject({
      pipeline: 'command',
      command: ['python', 'run.py', '--pgie', '{pgie}', '--out={output}', '{gpu}'],
      docker: { image: 'me/pipe:1', binds: ['/data:/data:ro'], network: 'none', gpus: true, env: { A: '1' } },
      benchmark: 'MOT20',
      seed: 7,
      baseline: false,
      validationSeqmapPath: join(root, 'data/val.txt'),
      trialTimeoutMs: 90 * 60 * 1000,
      reevaluateTop: 0,
    });
    expect(config.servers).toEqual([{ name: 's1', workerNumber: 3 }]);
    expect(config.workers).toBe(3);
    expect(config.optimManager).toEqual({ thresholdZeroScores: 4, thresholdDsAppFails: 3 });
  });

  it('accepts trial timeouts in seconds, minutes and hours', async () => {
    for (const [value, ms] of [
      [3600, 3_600_000],
      ['45s', 45_000],
      ['12h', 43_200_000],
      ['1.5h', 5_400_000],
    ] as const) {
      const study = smallStudy();
      study.parameter_space.Init.Exec.trialTimeout = value;
      const { config } = await loadStudyConfig(await writeStudy(root, study), { root });
      expect(config.exec.trialTimeoutMs).toBe(ms);
    }
  });

  it('uses the built-in base configs when a builtin study names none', async () => {
    const study = smallStudy();
    study.parameter_space.Init.Exec = { pipeline: 'builtin' };
    study.parameter_space.PGIE = undefined;
    study.parameter_space.NvDCF = undefined;
    study.parameter_space.MTMC = undefined;
    study.parameter_space.Tracker = { BaseConfig: { minDetectorConfidence: [0, 0.5, 'linear', 'real'] } };
    const errors = await problems(JSON.parse(JSON.stringify(study)));
    expect(errors).toEqual([
      'parameter_space.Init.Exec.pgiePath: cannot read configs/config_PGIE/config_infer_primary_builtin.txt (no such file?)',
      'parameter_space.Init.Exec.trackerPath: cannot read configs/config_Tracker/config_tracker_builtin.yml (no such file?)',
    ]);
  });

  it('writes fixed settings (constant leaves) and checks them against the file', async () => {
    const study = smallStudy();
    study.parameter_space.PGIE['[property]'] = { 'cluster-mode': 2 };
    const { config } = await loadStudyConfig(await writeStudy(root, study), { root });
    expect(config.fixed).toEqual([
      expect.objectContaining({
        name: 'PGIE.property.cluster-mode',
        value: 2,
        original: 3,
        location: ['property', 'cluster-mode'],
      }),
    ]);
    study.parameter_space.PGIE['[property]'] = { 'cluster-mode': 7 };
    expect(await problems(study)).toEqual([
      'parameter_space.PGIE."[property]".cluster-mode: 7 is not accepted by cluster-mode (integers in [0, 4])',
    ]);
  });

  it('finds keys PipeTuner groups under MTMC.default in the one JSON object holding them', async () => {
    const study = smallStudy();
    study.parameter_space.MTMC = { default: { locationBboxBottomGapThresh: [0.01, 0.05, 'linear', 'real'] } };
    const { config } = await loadStudyConfig(await writeStudy(root, study), { root });
    expect(config.parameters.at(-1)).toMatchObject({
      name: 'MTMC.default.locationBboxBottomGapThresh',
      location: ['preprocessing', 'locationBboxBottomGapThresh'],
      original: 0.03655,
    });
  });

  it('warns about keys it does not read, and does not fail', async () => {
    const study = smallStudy();
    study.parameter_space.Init.Exec.colour = 'blue';
    study.bbo.optimizers.type1.learning_rate = 3;
    study.parameter_space.Extra = { a: 1 };
    study.extra_top = 1;
    const { warnings } = await loadStudyConfig(await writeStudy(root, study), { root });
    expect(warnings).toEqual(
      expect.arrayContaining([
        'extra_top: unknown key, ignored',
        'bbo.optimizers.type1.learning_rate: unknown key, ignored',
        'parameter_space.Init.Exec.colour: unknown key, ignored',
        'parameter_space.Extra: not a module section (PGIE, NvDCF, NvSORT, NvDeepSORT, IOU, Tracker, MTMC); ignored',
      ]),
    );
  });
  it('reads a space without Init with every Exec default, as a DeepStream study', async () => {
    const study = smallStudy();
    study.parameter_space = { NvDCF: study.parameter_space.NvDCF };
    study.parameter_space.NvDCF.TargetManagement.useless = null;
    const file = await writeStudy(root, study);
    const errors = await loadStudyConfig(file, { root }).catch((err: StudyConfigError) => err.problems);
    // Leaf problems are reported before any file is read.
    expect(errors).toEqual([
      'parameter_space.NvDCF.TargetManagement.useless: found no value; expected a constant, [lower, upper, linear|log, real|int] or [choice, a, b, …]',
    ]);
    study.parameter_space.NvDCF.TargetManagement.useless = undefined;
    study.parameter_space.Init = { Exec: { trackerPath: TRACKER } };
    const { config, warnings } = await loadStudyConfig(
      await writeStudy(root, JSON.parse(JSON.stringify(study))),
      { root },
    );
    expect(config.exec.pipeline).toBe('deepstream');
    expect(config.metric).toBe('HOTA');
    expect(warnings).toContain(
      'parameter_space.Init.Exec.deepstream.image: not set; the deepstream pipeline needs a DeepStream container image to run',
    );
  });

  it('warns about empty module sections and a command given to another pipeline', async () => {
    const study = smallStudy();
    study.parameter_space.MTMC = null;
    study.parameter_space.Init.Exec.command = ['run'];
    const { config, warnings } = await loadStudyConfig(await writeStudy(root, study), { root });
    expect(warnings).toEqual(
      expect.arrayContaining([
        'parameter_space.MTMC: empty section',
        'parameter_space.Init.Exec.command: only used by pipeline: command; ignored',
      ]),
    );
    expect(config.parameters.some((p) => p.module === 'MTMC')).toBe(false);
  });

  it('takes YAML booleans of the original file as the 1/0 DeepStream reads', async () => {
    await writeStudy(root, 'A:\n  flag: true   # c\n', 'configs/flags.yml');
    const study = smallStudy();
    study.parameter_space.Init.Exec.trackerPath = 'configs/flags.yml';
    study.parameter_space.NvDCF = { A: { flag: [0, 1, 'linear', 'int'] } };
    const { config } = await loadStudyConfig(await writeStudy(root, study), { root });
    expect(config.parameters.find((p) => p.name === 'NvDCF.A.flag')?.original).toBe(1);
  });
});

describe('study config errors name the YAML path, what was found and what was expected', () => {
  it('optimizer names', async () => {
    const study = smallStudy();
    study.bbo.optimizers.type2.name = 'tpx';
    expect(await problems(study)).toEqual([
      'bbo.optimizers.type2.name: "tpx" is not one of pysot, tpe, hyper, opentuner, scikit, random, sobol, gp, cmaes, rbf, ensemble, auto, nsga2, nsgaii',
    ]);
  });

  it('bbo, servers, optim_manager and Exec values', async () => {
    const study = smallStudy();
    study.bbo.optimizers.type1 = { name: 'tpe', redundancy: 0 };
    study.bbo.job_batch_size = 'two';
    study.servers = { s: { worker_number: 1.5 } };
    study.optim_manager = { threshold_ds_app_fails: -1 };
    Object.assign(study.parameter_space.Init.Exec, {
      pipeline: 'kubernetes',
      seed: 'x',
      trialTimeout: 'soon',
      docker: { binds: [] },
    });
    study.parameter_space.Init.Eval.metric = 'mAP';
    expect(await problems(study)).toEqual([
      'servers.s.worker_number: found 1.5, expected an integer',
      'optim_manager.threshold_ds_app_fails: found -1, expected >= 0',
      'bbo.job_batch_size: found "two", expected a number',
      'bbo.optimizers.type1.max_iteration: missing, expected a number',
      'bbo.optimizers.type1.redundancy: found 0, expected >= 1',
      'parameter_space.Init.Exec.pipeline: "kubernetes" is not one of builtin, command, deepstream',
      'parameter_space.Init.Exec.docker.image: missing, expected a string',
      'parameter_space.Init.Exec.seed: found "x", expected a number',
      'parameter_space.Init.Exec.trialTimeout: "soon" is not a duration; expected seconds or a number with ms, s, m, h or d (e.g. "90m", "12h")',
      'parameter_space.Init.Eval.metric: "mAP" is not one of HOTA, MOTA, IDF1',
    ]);
  });

  it('missing bbo and parameter_space', async () => {
    expect(await problems({ servers: {} })).toEqual([
      'bbo: missing, expected a mapping',
      'parameter_space: missing (it may also sit under processing.parameter_space)',
    ]);
    expect(await problems({ ...smallStudy(), bbo: { optimizers: {} } })).toEqual([
      'bbo.optimizers: no optimizer; add bbo.optimizers.type1: {name, max_iteration}',
    ]);
  });

  it('a study file or parameter_space that is not a mapping', async () => {
    const file = await writeStudy(root, '- a\n- b\n');
    await expect(loadStudyConfig(file, { root })).rejects.toThrow(
      new InputError(`${file}: found a list, expected a mapping (parameter_space, bbo, …)`),
    );
    expect(await problems({ ...smallStudy(), parameter_space: 3 })).toEqual([
      'parameter_space: found 3, expected a mapping',
    ]);
  });

  it('parameter_space in two places', async () => {
    const study = smallStudy();
    study.processing = { parameter_space: study.parameter_space };
    expect(await problems(study)).toEqual([
      'parameter_space and processing.parameter_space are both set; keep one',
    ]);
  });

  it('command pipelines', async () => {
    const study = smallStudy();
    study.parameter_space.Init.Exec.pipeline = 'command';
    expect(await problems(study)).toEqual([
      'parameter_space.Init.Exec.command: missing; pipeline: command needs [program, arg, …]',
    ]);
    study.parameter_space.Init.Exec.command = ['run', '{pgie}', '{detector}'];
    expect(await problems(study)).toEqual([
      'parameter_space.Init.Exec.command.2: unknown placeholder {detector}; expected one of {pgie} {tracker} {mtmc} {dataset} {seqmap} {output} {gpu} {trial}',
    ]);
  });

  it('leaves', async () => {
    const study = smallStudy();
    study.parameter_space.PGIE['[class-attrs-all]']['nms-iou-threshold'] = [0.8, 0.3, 'linear', 'real'];
    study.parameter_space.NvDCF.StateEstimator.processNoiseVar4Loc = [0, 100, 'log', 'real'];
    study.parameter_space.NvDCF.TargetManagement.probationAge = [1, 10, 'linear'];
    study.parameter_space.MTMC.clustering.clusteringAlgo = ['choice', 'HDBSCAN'];
    study.parameter_space.NvDCF.BaseConfig = { minDetectorConfidence: null };
    expect(await problems(study)).toEqual([
      'parameter_space.PGIE."[class-attrs-all]".nms-iou-threshold: lower bound 0.8 must be below upper bound 0.3',
      'parameter_space.NvDCF.TargetManagement.probationAge: found a list of 3 items [1, 10, "linear"]; expected a constant, [lower, upper, linear|log, real|int] or [choice, a, b, …]',
      'parameter_space.NvDCF.StateEstimator.processNoiseVar4Loc: log scale needs a lower bound above 0, found 0',
      'parameter_space.NvDCF.BaseConfig.minDetectorConfidence: found no value; expected a constant, [lower, upper, linear|log, real|int] or [choice, a, b, …]',
      'parameter_space.MTMC.clustering.clusteringAlgo: [choice, …] needs at least two options, found 1',
    ]);
  });

  it('the same parameter twice, two tracker sections, a module that is not a mapping', async () => {
    const study = smallStudy();
    study.parameter_space.PGIE['class-attrs-all'] = { minBoxes: [1, 3, 'linear', 'int'] };
    study.parameter_space.NvSORT = { BaseConfig: { minDetectorConfidence: 0.2 } };
    study.parameter_space.MTMC = [1, 2];
    expect(await problems(study)).toEqual([
      'parameter_space.MTMC: found a list, expected a mapping of sections and keys',
      'parameter_space.NvSORT: NvDCF already describes the tracker config; keep one section per file',
      'parameter_space.PGIE.class-attrs-all.minBoxes: PGIE.class-attrs-all.minBoxes is defined twice',
    ]);
  });

  it('ranges a key does not accept', async () => {
    const study = smallStudy();
    study.parameter_space.PGIE['[class-attrs-all]']['nms-iou-threshold'] = [0.3, 1.2, 'linear', 'real'];
    study.parameter_space.PGIE['[class-attrs-all]'].minBoxes = [2, 6, 'linear', 'real'];
    expect(await problems(study)).toEqual([
      'parameter_space.PGIE."[class-attrs-all]".nms-iou-threshold: [0.3, 1.2] is outside what nms-iou-threshold accepts (numbers in [0, 1])',
      'parameter_space.PGIE."[class-attrs-all]".minBoxes: minBoxes takes integers; declare the range as int',
    ]);
  });

  it('parameters that are not in the original file, naming section, key and file', async () => {
    const study = smallStudy();
    study.parameter_space.NvDCF.StateEstimator.processNoiseVar4Locc = [1, 10, 'linear', 'real'];
    study.parameter_space.NvDCF.Estimator = { x: [0, 1, 'linear', 'real'] };
    study.parameter_space.PGIE['[class-attrs-9]'] = { topk: [1, 30, 'linear', 'int'] };
    study.parameter_space.MTMC.clustering.lambda = [0, 1, 'linear', 'real'];
    expect(await problems(study)).toEqual([
      'PGIE.class-attrs-9.topk: not in configs/config_PGIE/config_infer_primary_PeopleNet_ResNet34.txt (there is no group [class-attrs-9])',
      'NvDCF.StateEstimator.processNoiseVar4Locc: not in configs/config_Tracker/config_tracker_NvDCF_accuracy_ResNet50.yml ("StateEstimator" has no key "processNoiseVar4Locc"; did you mean "processNoiseVar4Loc"?)',
      'NvDCF.Estimator.x: not in configs/config_Tracker/config_tracker_NvDCF_accuracy_ResNet50.yml (there is no "Estimator")',
      'MTMC.clustering.lambda: not in configs/config_MTMC/config_mtmc_app.json ("clustering" has no key "lambda")',
    ]);
  });

  it('targets that cannot take a tuned number', async () => {
    const study = smallStudy();
    study.parameter_space.NvDCF.ReID = {
      inferDims: [1, 3, 'linear', 'int'],
      onnxFile: [0, 1, 'linear', 'real'],
    };
    study.parameter_space.MTMC.clustering.overwrittenNumClusters = [2, 30, 'linear', 'int'];
    study.parameter_space.PGIE.deep = { a: { b: [0, 1, 'linear', 'real'] } };
    expect(await problems(study)).toEqual([
      'parameter_space.PGIE.deep.a.b: an INI parameter is written PGIE."[group]".key',
      'NvDCF.ReID.inferDims: configs/config_Tracker/config_tracker_NvDCF_accuracy_ResNet50.yml holds a list, not a single value',
      'NvDCF.ReID.onnxFile: the file holds "/opt/models/reid/resnet50_market1501.onnx", not a number, so it cannot take values in a real range',
      'MTMC.clustering.overwrittenNumClusters: configs/config_MTMC/config_mtmc_app.json:25 holds null, not a single value',
    ]);
  });

  it('module files that are missing, unnamed or broken', async () => {
    const study = smallStudy();
    study.parameter_space.Init.Exec = { trackerPath: 'configs/nope.yml', mtmcPath: 'configs/broken.json' };
    await writeStudy(root, '{ "io": { "a": 1, }\n}\n', 'configs/broken.json');
    expect(await problems(study)).toEqual([
      'parameter_space.PGIE: needs parameter_space.Init.Exec.pgiePath, the file it overlays',
      'parameter_space.Init.Exec.trackerPath: cannot read configs/nope.yml (no such file?)',
      expect.stringMatching(/^configs\/broken\.json:1: not valid JSON: /),
    ]);
  });

  it('a space without any range', async () => {
    const study = smallStudy();
    study.parameter_space = { Init: study.parameter_space.Init, PGIE: { '[class-attrs-all]': { eps: 0.2 } } };
    expect(await problems(study)).toEqual([
      'parameter_space: no search range ([lower, upper, linear|log, real|int] or [choice, …]) in any module section; nothing to tune',
    ]);
  });

  it('one-line summary in the error message, and file errors with their line', async () => {
    const study = smallStudy();
    study.bbo.optimizers.type1.name = 'x';
    study.bbo.optimizers.type2.name = 'y';
    const file = await writeStudy(root, study);
    await expect(loadStudyConfig(file, { root })).rejects.toThrow(
      `${file}: bbo.optimizers.type1.name: "x" is not one of pysot, tpe, hyper, opentuner, scikit, random, sobol, gp, cmaes, rbf, ensemble, auto, nsga2, nsgaii (and 1 more; \`pipetune check\` lists them all)`,
    );
    const broken = await writeStudy(root, 'bbo:\n  optimizers: [\n', 'broken.yml');
    await expect(loadStudyConfig(broken, { root })).rejects.toThrow(
      new InputError(
        `${broken}:2: not valid YAML: the "[" here is not closed (the parser stopped at line 3: deficient indentation)`,
      ),
    );
    await expect(loadStudyConfig(join(root, 'none.yml'), { root })).rejects.toThrow(
      new InputError(`${join(root, 'none.yml')}: cannot read the study config (no such file?)`),
    );
  });
});
