/**
 * A synthetic study of configs/sdg-mot.yml's space, as the workflow leaves it: study.json, a trial store
 * of `trials` trials (2 optimizers, 2 GPU workers, 2 % failed runs) and a checkpoint per trial with
 * per-sequence scores. Shared by the results and orchestration benchmarks.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Rng } from '../../src/space/sampling.js';
import { checkpointName } from '../../src/study/layout.js';
import type { StudyManifest, TrialRecord } from '../../src/study/records.js';

const root = resolve(import.meta.dirname, '../../..');

const ranges: Record<string, [number, number, 'int' | 'real' | 'log']> = {
  'PGIE.class-attrs-all.dbscan-min-score': [0.2, 1.2, 'real'],
  'PGIE.class-attrs-all.nms-iou-threshold': [0.3, 0.7, 'real'],
  'Tracker.TargetManagement.probationAge': [0, 12, 'int'],
  'Tracker.TargetManagement.maxShadowTrackingAge': [5, 120, 'int'],
  'Tracker.DataAssociator.tentativeDetectorConfidence': [0.2, 0.8, 'real'],
  'Tracker.StateEstimator.measurementNoiseVar4Detector': [1, 2048, 'log'],
};

export async function makeSyntheticStudy(dir: string, trials: number): Promise<void> {
  const rng = new Rng(7);
  const manifest: StudyManifest = {
    name: 'bench-2000',
    configPath: join(root, 'configs/sdg-mot.yml'),
    rootDir: root,
    metric: 'HOTA',
    minimize: false,
    createdAt: '2026-12-01T00:00:00.000Z',
    stamp: '20261201-000000',
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'study.json'), JSON.stringify(manifest));
  const lines: string[] = [];
  let clock = Date.parse(manifest.createdAt);
  for (let trial = 0; trial < trials; trial++) {
    const optimizer = trial === 0 ? 'baseline' : trial % 2 ? 'tpe' : 'gp';
    const params: Record<string, number> = {};
    for (const [name, [lo, hi, kind]] of Object.entries(ranges)) {
      const u = rng.uniform();
      params[name] =
        kind === 'int'
          ? lo + Math.floor(u * (hi - lo + 1))
          : kind === 'log'
            ? lo * (hi / lo) ** u
            : lo + u * (hi - lo);
    }
    const failed = trial > 0 && rng.uniform() < 0.02;
    const score = failed
      ? null
      : 0.3 +
        0.2 * (params['Tracker.TargetManagement.probationAge']! / 12) -
        0.1 * Math.abs(params['PGIE.class-attrs-all.nms-iou-threshold']! - 0.5) +
        0.02 * rng.uniform();
    const startedAt = new Date(clock).toISOString();
    clock += 20_000 + Math.floor(rng.uniform() * 10_000);
    const checkpoint = checkpointName({ trial, optimizer });
    const record: TrialRecord = {
      key: `${optimizer}/${trial}/0`,
      trial,
      optimizer,
      iteration: trial,
      repeat: 0,
      params,
      status: failed ? 'failed' : 'ok',
      score,
      metrics: score === null ? {} : { HOTA: score, MOTA: score + 0.1, IDF1: score + 0.05 },
      exitCode: failed ? 1 : 0,
      execMs: 20_000,
      evalMs: 500,
      startedAt,
      finishedAt: new Date(clock).toISOString(),
      checkpoint,
      ...(failed
        ? { error: { message: 'exit code 1', lines: ['ERROR: x'], logFile: `${checkpoint}/log.txt` } }
        : {}),
    };
    lines.push(JSON.stringify(record));
    const cp = join(dir, checkpoint);
    await mkdir(join(cp, 'configs'), { recursive: true });
    await writeFile(join(cp, 'params.json'), JSON.stringify(params));
    await writeFile(
      join(cp, 'exec.json'),
      JSON.stringify({ exitCode: 0, execMs: 20_000, startedAt, host: 'bench', gpu: trial % 2 }),
    );
    const sequences = Object.fromEntries(
      Array.from({ length: 8 }, (_, c) => [
        `Cam0${c + 1}`,
        { HOTA: (score ?? 0) + 0.05 * (rng.uniform() - 0.5) },
      ]),
    );
    await writeFile(
      join(cp, 'scores.json'),
      JSON.stringify({ status: record.status, score, metrics: record.metrics, sequences }),
    );
  }
  await writeFile(join(dir, 'trials.jsonl'), `${lines.join('\n')}\n`);
}
