import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkStudyData, loadStudyConfig } from '../../src/config/index.js';
import { probeDeadKeys } from '../../src/config/probe.js';
import { packageRoot } from '../../src/paths.js';
import { writeStudy } from './helpers.js';

let root: string;
const PGIE = 'pgie.txt';
const TRACKER = 'tracker.yml';

/** One sequence of real-looking detections with confidences 0.5..0.95, optionally with embeddings. */
function writeData(embeddings = false): void {
  const seq = join(root, 'data', 'Seq-01');
  mkdirSync(join(seq, 'det'), { recursive: true });
  mkdirSync(join(seq, 'gt'), { recursive: true });
  writeFileSync(join(seq, 'seqinfo.ini'), '[Sequence]\nname=Seq-01\nseqLength=3\n');
  writeFileSync(join(seq, 'gt', 'gt.txt'), '1,1,10,10,20,40,1,-1,-1,-1\n2,1,12,10,20,40,1,-1,-1,-1\n');
  writeFileSync(
    join(seq, 'det', 'det.txt'),
    '1,-1,10,10,20,40,0.5,-1,-1,-1\n2,-1,12,10,20,40,0.95,-1,-1,-1\n3,-1,14,10,20,40,0.7,-1,-1,-1\n',
  );
  if (embeddings) writeFileSync(join(seq, 'det', 'emb.f32'), Buffer.alloc(3 * 128 * 4));
  writeFileSync(join(root, 'data', 'seqmap.txt'), 'name\nSeq-01\n');
}

function study(sections: Record<string, unknown>): Record<string, unknown> {
  return {
    parameter_space: {
      Init: {
        Exec: {
          pipeline: 'builtin',
          benchmark: 'MOT15',
          datasetPath: 'data',
          seqmapPath: 'data/seqmap.txt',
          pgiePath: PGIE,
          trackerPath: TRACKER,
        },
      },
      ...sections,
    },
    bbo: { optimizers: { type1: { name: 'random', max_iteration: 5 } } },
  };
}

async function warnings(sections: Record<string, unknown>): Promise<string[]> {
  const { config } = await loadStudyConfig(await writeStudy(root, study(sections)), { root });
  const report = await checkStudyData(config);
  expect(report.problems).toEqual([]);
  return report.warnings;
}

const at = (path: string) => (w: string) => w.startsWith(`parameter_space.${path}:`);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pipetune-deadkeys-'));
  copyFileSync(join(packageRoot(), 'configs/config_PGIE/config_infer_primary_detfile.txt'), join(root, PGIE));
  copyFileSync(join(packageRoot(), 'configs/config_Tracker/config_tracker_builtin.yml'), join(root, TRACKER));
  writeData();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('check warns per key that cannot change the output', () => {
  it('ReID keys without embeddings, and not once the sequences have them', async () => {
    const sections = {
      Tracker: {
        ReID: { reidHistorySize: [5, 50, 'linear', 'int'] },
        DataAssociator: { matchingScoreWeight4ReidSimilarity: [0, 1, 'linear', 'real'] },
        TrajectoryManagement: { maxTrackletMatchingTimeSearchRange: [10, 90, 'linear', 'int'] },
      },
    };
    const found = await warnings(sections);
    for (const key of [
      'Tracker.ReID.reidHistorySize',
      'Tracker.DataAssociator.matchingScoreWeight4ReidSimilarity',
      'Tracker.TrajectoryManagement.maxTrackletMatchingTimeSearchRange',
    ])
      expect(found.filter(at(key))).toEqual([
        `parameter_space.${key}: cannot change the output: no sequence has embeddings (det/emb.f32 or proposals/embeddings.f32), so ReID is off`,
      ]);
    writeData(true);
    expect(await warnings(sections)).toEqual([]);
  });

  it('a confidence threshold whose range lies below the lowest confidence, and the tentative gate it kills', async () => {
    const found = await warnings({
      PGIE: { '[class-attrs-all]': { 'pre-cluster-threshold': [0, 0.4, 'linear', 'real'] } },
      Tracker: {
        BaseConfig: { minDetectorConfidence: [0, 0.5, 'linear', 'real'] },
        DataAssociator: {
          tentativeDetectorConfidence: [0.1, 0.45, 'linear', 'real'],
          minMatchingScore4TentativeIou: [0.1, 0.7, 'linear', 'real'],
        },
      },
    });
    const below = (key: string, range: string) =>
      `parameter_space.${key}: cannot change the output: its range ${range} lies at or below the lowest detection confidence of the study's sequences (0.5), so every value passes every detection`;
    expect(found).toContain(below('PGIE."[class-attrs-all]".pre-cluster-threshold', '[0, 0.4]'));
    expect(found).toContain(below('Tracker.BaseConfig.minDetectorConfidence', '[0, 0.5]'));
    expect(found).toContain(below('Tracker.DataAssociator.tentativeDetectorConfidence', '[0.1, 0.45]'));
    expect(found.filter(at('Tracker.DataAssociator.minMatchingScore4TentativeIou'))).toHaveLength(1);
    expect(found.filter(at('PGIE."[class-attrs-all]".pre-cluster-threshold'))).toHaveLength(1);
  });

  it('a range reaching above the highest confidence: exact-0 scores (no target born)', async () => {
    const found = await warnings({
      Tracker: { DataAssociator: { tentativeDetectorConfidence: [0.5, 0.99, 'linear', 'real'] } },
    });
    expect(found.filter(at('Tracker.DataAssociator.tentativeDetectorConfidence'))).toEqual([
      'parameter_space.Tracker.DataAssociator.tentativeDetectorConfidence: values above the highest detection confidence (0.95) of its range [0.5, 0.99] give exact-0 scores (every detection is tentative, so no target is born); narrow it to at most 0.95',
    ]);
  });

  it('clustering keys the fixed cluster-mode does not run, and Kalman keys without a motion model', async () => {
    copyFileSync(
      join(packageRoot(), 'configs/config_PGIE/config_infer_primary_builtin.txt'),
      join(root, PGIE),
    );
    const found = await warnings({
      PGIE: {
        '[property]': { 'cluster-mode': 2 },
        '[class-attrs-all]': {
          eps: [0.1, 0.5, 'linear', 'real'],
          'dbscan-min-score': [0.1, 1, 'linear', 'real'],
        },
      },
      Tracker: {
        StateEstimator: { stateEstimatorType: 0, processNoiseVar4Loc: [0.1, 10, 'log', 'real'] },
      },
    });
    expect(found.filter(at('PGIE."[class-attrs-all]".eps'))).toEqual([
      'parameter_space.PGIE."[class-attrs-all]".eps: cannot change the output: cluster-mode is 2 (NMS), which runs no DBSCAN',
    ]);
    expect(found.filter(at('PGIE."[class-attrs-all]".dbscan-min-score'))).toHaveLength(1);
    expect(found.filter(at('Tracker.StateEstimator.processNoiseVar4Loc'))).toEqual([
      'parameter_space.Tracker.StateEstimator.processNoiseVar4Loc: cannot change the output: the state estimator is DUMMY (no motion model)',
    ]);
  });

  it('says where the optimizers see a baseline outside its tuned range', async () => {
    expect(
      await warnings({ Tracker: { TargetManagement: { maxShadowTrackingAge: [40, 90, 'linear', 'int'] } } }),
    ).toEqual([
      "parameter_space.Tracker.TargetManagement.maxShadowTrackingAge: the baseline value 30 lies outside the tuned range; the optimizers learn the baseline's score as if at 40 (projected), which may not score the same: widen the range to include 30 to be exact",
    ]);
  });
});

describe('check --probe', () => {
  it('runs each key at its range ends on the shortest sequence and warns when the tracks do not change', async () => {
    const file = await writeStudy(
      root,
      study({
        Tracker: {
          TargetManagement: { probationAge: [0, 3, 'linear', 'int'] },
          // The sequence's lowest confidence is 0.5: this range passes every detection.
          BaseConfig: { minDetectorConfidence: [0, 0.3, 'linear', 'real'] },
        },
      }),
    );
    const { config } = await loadStudyConfig(file, { root });
    expect(await probeDeadKeys(config)).toEqual([
      'parameter_space.Tracker.BaseConfig.minDetectorConfidence: cannot change the output on Seq-01 (probe: 0 and 0.3, every other key at the baseline, gave the same tracks)',
    ]);
  });
});
