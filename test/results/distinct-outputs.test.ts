import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distinctOutputs, outputHash } from '../../src/results/distinctOutputs.js';
import type { TrialRecord } from '../../src/study/records.js';
import { trial } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'pipetune-distinct-'));
const outputOf = (r: TrialRecord) => join(root, `trial-${r.trial}`, 'output');

/** A trial whose output folder holds `tracks` as Seq-01.txt (absent: no output folder). */
function withOutput(n: number, tracks?: string): TrialRecord {
  const record = trial({ trial: n, params: { x: n }, score: 0.5 - n / 100 });
  if (tracks !== undefined) {
    mkdirSync(outputOf(record), { recursive: true });
    writeFileSync(join(outputOf(record), 'Seq-01.txt'), tracks);
  }
  return record;
}

describe('validation slots go to configs whose outputs differ', () => {
  it('skips configs that wrote the same tracks as a better-ranked one or as the baseline', async () => {
    const baseline = withOutput(0, 'baseline tracks');
    const ranked = [
      withOutput(1, 'A'),
      withOutput(2, 'A'), // differs from trial 1 only in a dead key
      withOutput(3, 'baseline tracks'),
      withOutput(4, 'B'),
      withOutput(5), // no output to compare: counts as distinct
      withOutput(6, 'C'),
    ];
    const chosen = await distinctOutputs(ranked, [baseline], 3, outputOf);
    expect(chosen.map((r) => r.trial)).toEqual([1, 4, 5]);
  });

  it('hashes file names as well as contents', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, 'Seq-01.txt'), 'x');
    writeFileSync(join(b, 'Seq-02.txt'), 'x');
    expect(await outputHash(a)).not.toBe(await outputHash(b));
    expect(await outputHash(join(root, 'missing'))).toBeUndefined();
  });
});
