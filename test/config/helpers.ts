import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dump } from 'js-yaml';
import { expect } from 'vitest';
import { loadStudyConfig, StudyConfigError } from '../../src/config/index.js';

export const FIXTURE_ROOT = resolve(import.meta.dirname, '../fixtures/config/nvidia-sample');
export const NVIDIA_STUDY = 'configs/config_PipeTuner/SDG_sample_PeopleNet-ResNet34_NvDCF-ResNet50_MOT.yml';
export const PGIE = 'configs/config_PGIE/config_infer_primary_PeopleNet_ResNet34.txt';
export const TRACKER = 'configs/config_Tracker/config_tracker_NvDCF_accuracy_ResNet50.yml';
export const MTMC = 'configs/config_MTMC/config_mtmc_app.json';

/** A fresh study root holding copies of the fixture config files. */
export async function sampleRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'pipetune-config-'));
  await cp(join(FIXTURE_ROOT, 'configs'), join(root, 'configs'), { recursive: true });
  return root;
}

/** A small valid study over the fixture files; tests change parts of it. */
// biome-ignore lint/suspicious/noExplicitAny: tests rewrite arbitrary parts of the study tree, valid or not
export function smallStudy(): Record<string, any> {
  return {
    parameter_space: {
      Init: {
        Exec: { pgiePath: PGIE, trackerPath: TRACKER, mtmcPath: MTMC, pipeline: 'builtin' },
        Eval: { metric: 'HOTA' },
      },
      PGIE: {
        '[class-attrs-all]': {
          'nms-iou-threshold': [0.3, 0.8, 'linear', 'real'],
          minBoxes: [2, 6, 'linear', 'int'],
        },
      },
      NvDCF: {
        TargetManagement: { probationAge: [1, 10, 'linear', 'int'] },
        StateEstimator: { processNoiseVar4Loc: [1, 10000, 'log', 'real'] },
      },
      MTMC: { clustering: { clusteringAlgo: ['choice', 'HDBSCAN', 'AgglomerativeClustering'] } },
    },
    bbo: {
      optimizers: { type1: { name: 'tpe', max_iteration: 15 }, type2: { name: 'gp', max_iteration: 15 } },
    },
  };
}

export async function writeStudy(root: string, study: unknown, name = 'study.yml'): Promise<string> {
  const file = join(root, name);
  await writeFile(file, typeof study === 'string' ? study : dump(study));
  return file;
}

/** A study written into `root` and loaded there. */
export async function loadStudyIn(root: string, study: unknown) {
  return loadStudyConfig(await writeStudy(root, study), { root });
}

/** The problems a study written into `root` is refused with (the test fails when it loads). */
export async function configProblems(root: string, study: unknown): Promise<string[]> {
  const error = await loadStudyIn(root, study).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(StudyConfigError);
  return (error as StudyConfigError).problems;
}
