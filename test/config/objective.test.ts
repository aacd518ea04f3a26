import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStudy } from '../../src/activities/studyContext.js';
import { loadStudyConfig, StudyConfigError } from '../../src/config/index.js';
import { evaluateMot } from '../../src/eval/index.js';
import { packageRoot } from '../../src/paths.js';
import { writeStudy } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'pipetune-objective-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const GT = '1,1,10,10,20,40,1,-1,-1,-1\n2,1,12,10,20,40,1,-1,-1,-1\n3,1,14,10,20,40,1,-1,-1,-1\n';
// Seq-A is tracked perfectly; Seq-B only on its first frame.
for (const [name, tracks] of [
  ['Seq-A', GT],
  ['Seq-B', GT.split('\n')[0]!],
]) {
  mkdirSync(join(root, 'data', name!, 'gt'), { recursive: true });
  writeFileSync(join(root, 'data', name!, 'seqinfo.ini'), `[Sequence]\nname=${name}\nseqLength=3\n`);
  writeFileSync(join(root, 'data', name!, 'gt', 'gt.txt'), GT);
  mkdirSync(join(root, 'out'), { recursive: true });
  writeFileSync(join(root, 'out', `${name}.txt`), tracks!);
}
writeFileSync(join(root, 'data', 'seqmap.txt'), 'name\nSeq-A\nSeq-B\n');
copyFileSync(
  join(packageRoot(), 'configs/config_Tracker/config_tracker_detfile.yml'),
  join(root, 'tracker.yml'),
);
copyFileSync(
  join(packageRoot(), 'configs/config_PGIE/config_infer_primary_detfile.txt'),
  join(root, 'pgie.txt'),
);

async function studyWith(objective?: string): Promise<string> {
  return writeStudy(
    root,
    {
      parameter_space: {
        Init: {
          Exec: {
            pipeline: 'builtin',
            benchmark: 'MOT15',
            datasetPath: 'data',
            seqmapPath: 'data/seqmap.txt',
            trackerPath: 'tracker.yml',
            pgiePath: 'pgie.txt',
          },
          Eval: objective ? { metric: 'HOTA', objective } : { metric: 'HOTA' },
        },
        Tracker: { TargetManagement: { probationAge: [0, 5, 'linear', 'int'] } },
      },
      bbo: { optimizers: { type1: { name: 'random', max_iteration: 5 } } },
    },
    `study-${objective ?? 'default'}.yml`,
  );
}

async function scored(objective?: string): Promise<Record<string, number>> {
  const configPath = await studyWith(objective);
  const { config } = await loadStudy({
    name: 's',
    configPath,
    rootDir: root,
    outputDir: join(root, 'output'),
  });
  return (await config.evaluate(join(root, 'out'), join(root, 'data', 'seqmap.txt'))).metrics;
}

describe('Eval.objective: the study metric over sequences', () => {
  const report = evaluateMot({
    gtDir: join(root, 'data'),
    trackerDir: join(root, 'out'),
    benchmark: 'MOT15',
  });
  const a = report.sequences['Seq-A']!.summary.HOTA!;
  const b = report.sequences['Seq-B']!.summary.HOTA!;
  const combined = report.combined.summary.HOTA!;

  it('is the combined value by default, and the mean or worst sequence when asked', async () => {
    expect(a).toBeGreaterThan(b);
    expect((await scored()).HOTA).toBe(combined);
    const mean = await scored('sequence-mean');
    expect(mean.HOTA).toBeCloseTo((a + b) / 2, 12);
    expect(mean.HOTA_combined).toBe(combined);
    expect((await scored('sequence-min')).HOTA).toBe(b);
  });

  it('rejects an unknown objective in one line naming the key', async () => {
    const error = await loadStudyConfig(await studyWith('median'), { root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudyConfigError);
    expect((error as StudyConfigError).problems).toEqual([
      'parameter_space.Init.Eval.objective: "median" is not one of combined, sequence-mean, sequence-min',
    ]);
  });
});
