import { describe, expect, it } from 'vitest';
import { accuracyTable } from '../../src/results/csv.js';
import { bestTrial, rankingFor } from '../../src/results/ranking.js';
import { summarizeStudy } from '../../src/results/summary.js';
import type { TrialRecord } from '../../src/study/records.js';
import { manifest, trial } from './fixtures.js';

const cost = (execMs: number, frames: number, reached: number) => ({
  execMs,
  frames,
  stages: { reached, of: 3 },
});

// A pruned trial whose partial score (stage 1 of 3) beats every complete trial.
const records: TrialRecord[] = [
  {
    ...trial({ trial: 0, optimizer: 'baseline', iteration: 0, params: { x: 0 }, score: 0.4 }),
    ...cost(3000, 300, 3),
  },
  { ...trial({ trial: 1, params: { x: 1 }, score: 0.5 }), ...cost(3000, 300, 3) },
  {
    ...trial({ trial: 2, params: { x: 2 }, score: 0.9 }),
    ...cost(1000, 100, 1),
    status: 'pruned',
    savedMs: 2000,
    pruneReason: '90.000 below the median',
  },
];

describe('pruned trials in the results', () => {
  it('never become best, whatever their partial score', () => {
    expect(bestTrial(records, { minimize: false })?.record.trial).toBe(1);
  });

  it('are counted apart, with the study’s pipeline time, frames and the time pruning saved', () => {
    const summary = summarizeStudy(manifest(), records, rankingFor(manifest()));
    expect(summary).toMatchObject({ trials: 3, ok: 2, pruned: 1, failed: 0 });
    expect(summary.cost).toEqual({ pipelineSeconds: 7, frames: 700, savedSeconds: 2 });
    expect(summary.best?.record.trial).toBe(1);
  });

  it('show their stage and the pruner’s reason in the CSV', () => {
    const table = accuracyTable(manifest(), records);
    const column = (name: string) => table.rows.map((row) => row[table.columns.indexOf(name)]);
    expect(column('status')).toEqual(['ok', 'ok', 'pruned']);
    expect(column('stage_reached')).toEqual([3, 3, 1]);
    expect(column('stages')).toEqual([3, 3, 3]);
    expect(column('frames')).toEqual([300, 300, 100]);
    expect(column('saved_s')).toEqual([null, null, 2]);
    expect(column('prune_reason')).toEqual([null, null, '90.000 below the median']);
  });
});
