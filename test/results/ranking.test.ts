import { describe, expect, it } from 'vitest';
import { bestTrial, rankConfigs, rankingFor, scoreOf } from '../../src/results/ranking.js';
import { summarizeStudy } from '../../src/results/summary.js';
import { manifest, trial } from './fixtures.js';

const A = { x: 1, y: 'a' };
const B = { y: 'a', x: 2 };
const C = { x: 3, y: 'a' };

describe('bestTrial', () => {
  it('ranks a configuration by the mean over its repeats, not by its luckiest run', () => {
    const records = [
      trial({ trial: 1, params: A, score: 0.9 }),
      trial({ trial: 2, params: A, repeat: 1, score: 0.3 }),
      trial({ trial: 3, params: B, score: 0.7 }),
      trial({ trial: 4, params: B, repeat: 1, score: 0.65 }),
    ];
    const best = bestTrial(records, { minimize: false })!;
    expect(best.record.trial).toBe(3);
    expect(best.mean).toBeCloseTo(0.675, 12);
    expect(best.count).toBe(2);
    expect(best.trials).toEqual([3, 4]);
  });

  it('merges re-evaluations of identical params (key order ignored) and returns the first checkpoint', () => {
    const records = [
      trial({ trial: 7, optimizer: 'reeval', iteration: 1, params: { y: 'a', x: 1 }, score: 0.8 }),
      trial({ trial: 2, params: A, score: 0.6 }),
      trial({ trial: 3, params: C, score: 0.69 }),
    ];
    const best = bestTrial(records, { minimize: false })!;
    expect(best.record.trial).toBe(2);
    expect(best.record.checkpoint).toBe(trial({ trial: 2, score: 0 }).checkpoint);
    expect(best.mean).toBeCloseTo(0.7, 12);
    expect(best.count).toBe(2);
  });

  it('ignores failed runs, in the mean and in the choice', () => {
    const records = [
      trial({ trial: 1, params: A, score: 0.5 }),
      trial({ trial: 2, params: A, repeat: 1, score: null }),
      trial({ trial: 3, params: B, score: null }),
    ];
    const best = bestTrial(records, { minimize: false })!;
    expect(best).toMatchObject({ mean: 0.5, count: 1, trials: [1] });
    expect(bestTrial([records[2]!], { minimize: false })).toBeUndefined();
  });

  it('picks the lowest mean when minimising', () => {
    const records = [
      trial({ trial: 1, params: A, score: 0.5 }),
      trial({ trial: 2, params: B, score: 0.2 }),
      trial({ trial: 3, params: C, score: 0.9 }),
    ];
    expect(bestTrial(records, { minimize: true })!.record.trial).toBe(2);
    expect(bestTrial(records, { minimize: false })!.record.trial).toBe(3);
  });

  it('breaks ties by the earliest trial, whatever the store order', () => {
    const records = [trial({ trial: 5, params: B, score: 0.5 }), trial({ trial: 4, params: A, score: 0.5 })];
    expect(bestTrial(records, { minimize: false })!.record.trial).toBe(4);
    expect(bestTrial(records, { minimize: true })!.record.trial).toBe(4);
  });

  it('re-ranks by another recorded metric', () => {
    const records = [
      trial({ trial: 1, params: A, score: 0.5, metrics: { HOTA: 0.5, IDF1: 0.4 } }),
      trial({ trial: 2, params: B, score: 0.4, metrics: { HOTA: 0.4, IDF1: 0.7 } }),
    ];
    const m = manifest();
    expect(bestTrial(records, rankingFor(m))!.record.trial).toBe(1);
    expect(bestTrial(records, rankingFor(m, 'IDF1'))!.record.trial).toBe(2);
    expect(rankingFor(m, 'HOTA')).toEqual({ minimize: false });
    expect(rankingFor(manifest({ minimize: true }), 'IDF1')).toEqual({ minimize: false, metric: 'IDF1' });
    expect(scoreOf(records[0]!, { minimize: false, metric: 'MOTA' })).toBeNull();
  });

  it('orders every distinct configuration best first', () => {
    const records = [
      trial({ trial: 1, params: A, score: 0.5 }),
      trial({ trial: 2, params: B, score: 0.2 }),
      trial({ trial: 3, params: C, score: 0.9 }),
    ];
    expect(rankConfigs(records, { minimize: false }).map((c) => c.record.trial)).toEqual([3, 1, 2]);
  });
});

describe('summarizeStudy', () => {
  it('reports baseline, best, improvement and each optimizer', () => {
    const records = [
      trial({ trial: 0, optimizer: 'baseline', iteration: 0, params: A, score: 0.4 }),
      trial({ trial: 1, optimizer: 'tpe', params: B, score: 0.5 }),
      trial({ trial: 2, optimizer: 'pysot', params: C, score: 0.45 }),
      trial({ trial: 3, optimizer: 'pysot', iteration: 2, params: { x: 4 }, score: null }),
    ];
    const s = summarizeStudy(manifest(), records, { minimize: false });
    expect(s).toMatchObject({ metric: 'HOTA', trials: 4, ok: 3, failed: 1 });
    expect(s.best!.record.trial).toBe(1);
    expect(s.baseline!.mean).toBe(0.4);
    expect(s.improvement).toBeCloseTo(0.1, 12);
    expect(s.relativeImprovement).toBeCloseTo(0.25, 12);
    expect(s.optimizers.map((o) => [o.optimizer, o.trials, o.failed, o.best?.record.trial])).toEqual([
      ['baseline', 1, 0, 0],
      ['tpe', 1, 0, 1],
      ['pysot', 2, 1, 2],
    ]);
  });

  it('counts improvement as a decrease when minimising', () => {
    const records = [
      trial({ trial: 0, optimizer: 'baseline', params: A, score: 0.4 }),
      trial({ trial: 1, params: B, score: 0.3 }),
    ];
    const s = summarizeStudy(manifest({ minimize: true }), records, { minimize: true });
    expect(s.best!.record.trial).toBe(1);
    expect(s.improvement).toBeCloseTo(0.1, 12);
  });
});
