import { describe, expect, it } from 'vitest';
import { boundFlags, inferDimensions } from '../../src/results/analysis.js';
import { rankConfigs } from '../../src/results/ranking.js';
import type { Dimension } from '../../src/space/types.js';
import type { TrialRecord } from '../../src/study/records.js';
import { analysisOf, manifest, trial } from './fixtures.js';

const m = manifest();
const ranking = { minimize: false };

/** Trials whose params are given per trial, scored best-first by their order. */
function ranked(params: Array<Record<string, number>>) {
  const records = params.map((p, i) => trial({ trial: i + 1, params: { ...p, i }, score: 0.9 - i / 100 }));
  return rankConfigs(records, ranking);
}

describe('ranges to widen', () => {
  const age: Dimension = { kind: 'int', name: 'age', low: 0, high: 12, log: false };
  const noise: Dimension = { kind: 'real', name: 'noise', low: 1, high: 2048, log: true };
  const iou: Dimension = { kind: 'real', name: 'iou', low: 0, high: 1, log: false };

  it('flags a parameter whose best configs crowd the upper bound, suggesting a wider range', () => {
    const flags = boundFlags([age], ranked([{ age: 12 }, { age: 10 }, { age: 12 }, { age: 3 }, { age: 11 }]));
    expect(flags).toEqual([
      { name: 'age', bound: 'upper', low: 0, high: 12, best: 12, atBound: 4, of: 5, suggested: [0, 18] },
    ]);
  });

  it('halves a log range at its lower bound, and has no wider range below 0 for a range starting at 0', () => {
    expect(boundFlags([noise], ranked([{ noise: 1.2 }, { noise: 1 }, { noise: 3 }]))[0]).toMatchObject({
      bound: 'lower',
      suggested: [0.5, 2048],
    });
    const zero = boundFlags([iou], ranked([{ iou: 0.01 }, { iou: 0.05 }, { iou: 0.2 }]));
    expect(zero[0]).toMatchObject({ name: 'iou', bound: 'lower' });
    expect(zero[0]!.suggested).toBeUndefined();
  });

  it('leaves interior optima and a lone best at a bound alone', () => {
    expect(boundFlags([iou], ranked([{ iou: 0.5 }, { iou: 0.45 }, { iou: 0.55 }]))).toEqual([]);
    expect(boundFlags([iou], ranked([{ iou: 1 }, { iou: 0.4 }, { iou: 0.5 }, { iou: 0.3 }]))).toEqual([]);
  });

  it('are only looked for when the search space is known', () => {
    const records = [12, 12, 11, 12, 12].map((age, i) =>
      trial({ trial: i, params: { age }, score: 0.5 + i / 100 }),
    );
    expect(analysisOf(records, m).boundFlags).toEqual([]);
    expect(analysisOf(records, m, ranking, { dimensions: [age] }).boundFlags).toHaveLength(1);
  });
});

describe('the analysis', () => {
  it('infers a space from the values tried when the config is gone', () => {
    const records = [
      trial({ trial: 0, params: { k: 3, r: 0.5, mode: 'a' }, score: 0.1 }),
      trial({ trial: 1, params: { k: 7, r: 0.25, mode: 'b' }, score: 0.2 }),
    ];
    expect(inferDimensions(records)).toEqual([
      { kind: 'int', name: 'k', low: 3, high: 7, log: false },
      { kind: 'real', name: 'r', low: 0.25, high: 0.5, log: false },
      { kind: 'choice', name: 'mode', choices: ['a', 'b'] },
    ]);
  });

  it('marks pruned trials and names the worker that ran each trial', () => {
    const pruned: TrialRecord = {
      ...trial({ trial: 2, score: 0.3 }),
      status: 'pruned',
      stages: { reached: 1, of: 3 },
    };
    const a = analysisOf([trial({ trial: 1, score: 0.4 }), pruned], m, ranking, {
      workers: new Map([[1, 'hostA GPU 0']]),
    });
    expect(a.trials.map((t) => [t.trial, t.status, t.worker])).toEqual([
      [1, 'ok', 'hostA GPU 0'],
      [2, 'pruned', undefined],
    ]);
  });

  it('puts the best configs and the baseline beside each other per sequence', () => {
    const records = [
      trial({ trial: 0, optimizer: 'baseline', iteration: 0, params: { x: 0 }, score: 0.4 }),
      trial({ trial: 1, params: { x: 1 }, score: 0.6 }),
      trial({ trial: 2, params: { x: 2 }, score: 0.5 }),
    ];
    const sequences = new Map([
      [0, { CamB: { HOTA: 0.3 }, CamA: { HOTA: 0.5 } }],
      [1, { CamA: { HOTA: 0.7 }, CamB: { HOTA: 0.5 } }],
    ]);
    const a = analysisOf(records, m, ranking, { sequences });
    expect(a.perSequence).toEqual({
      metric: 'HOTA',
      sequences: ['CamA', 'CamB'],
      rows: [
        { label: '#1 trial 1', trial: 1, baseline: false, scores: [0.7, 0.5] },
        { label: '#3 baseline trial 0', trial: 0, baseline: true, scores: [0.5, 0.3] },
      ],
    });
    expect(analysisOf(records, m).perSequence).toBeUndefined();
  });
});
