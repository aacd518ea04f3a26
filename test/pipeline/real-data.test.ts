import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateMot } from '../../src/eval/index.js';
import { runPipeline } from '../../src/pipelines/builtin/runner.js';

const SLICE = join(__dirname, '..', 'fixtures', 'pipeline', 'mot17-slice');

describe('the default tracker on real detections (MOT17-09-FRCNN, 60 frames)', () => {
  it('post-processes the detection file as nvinfer would, and scores like a SORT-class tracker', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pipetune-real-'));
    const lines: string[] = [];
    await runPipeline({ dataset: SLICE, out, log: (l) => lines.push(l) });
    // The sample PGIE config (DBSCAN+NMS, size limits) drops 10 of the file's rows.
    expect(lines[0]).toBe(
      'run-pipeline: MOT17-09-FRCNN (1/1): 273 detections → 263 detections → 261 track rows, 6 ids',
    );
    const { summary } = evaluateMot({ gtDir: SLICE, trackerDir: out }).combined;
    expect(summary.HOTA).toBeGreaterThan(0.55);
    expect(summary.IDSW).toBeLessThanOrEqual(2);
  });
});

describe('PGIE keys on a detection file', () => {
  const pgie = (keys: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'pipetune-pgie-'));
    const file = join(dir, 'pgie.txt');
    writeFileSync(
      file,
      `[property]\ncluster-mode=${keys.includes('nms') ? 2 : 4}\n[class-attrs-all]\n${keys}\n`,
    );
    return file;
  };
  const count = async (keys: string) => {
    const lines: string[] = [];
    const out = mkdtempSync(join(tmpdir(), 'pipetune-real-'));
    await runPipeline({ dataset: SLICE, out, pgie: pgie(keys), log: (l) => lines.push(l) });
    return Number(/→ (\d+) detections/.exec(lines[0]!)![1]);
  };
  const size = 'topk=-1\ndetected-min-w=0\ndetected-min-h=0';

  it('passes every row through when every key is off, and each key removes rows', async () => {
    expect(await count(`pre-cluster-threshold=0\n${size}`)).toBe(273);
    expect(await count(`pre-cluster-threshold=0.9\n${size}`)).toBeLessThan(273);
    expect(await count(`pre-cluster-threshold=0\n${size.replace('topk=-1', 'topk=3')}`)).toBeLessThan(273);
    expect(await count(`pre-cluster-threshold=0\n${size}\ndetected-max-h=150`)).toBeLessThan(273);
    expect(await count(`pre-cluster-threshold=0\n${size}\nnms-iou-threshold=0.1`)).toBeLessThan(273);
  });
});
