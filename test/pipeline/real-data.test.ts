import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateMot } from '../../src/eval/index.js';
import { runPipeline } from '../../src/pipelines/builtin/runner.js';

const SLICE = join(__dirname, '..', 'fixtures', 'pipeline', 'mot17-slice');

describe('the default tracker on real detections (MOT17-09-FRCNN, 60 frames)', () => {
  it('tracks without the detector stage and scores like a SORT-class tracker', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pipetune-real-'));
    const lines: string[] = [];
    await runPipeline({ dataset: SLICE, out, log: (l) => lines.push(l) });
    // det/det.txt rows go to the tracker as they are: no post-processing.
    expect(lines[0]).toBe(
      'run-pipeline: MOT17-09-FRCNN (1/1): 273 detections → 273 detections → 267 track rows, 6 ids',
    );
    const { summary } = evaluateMot({ gtDir: SLICE, trackerDir: out }).combined;
    expect(summary.HOTA).toBeGreaterThan(0.55);
    expect(summary.IDSW).toBeLessThanOrEqual(2);
  });
});
