import { describe, expect, it } from 'vitest';
import { describeRange, parseLeaf } from '../../src/space/dimensions.js';
import { dimensionProblem, keyLimit, valueProblem } from '../../src/space/limits.js';

describe('parseLeaf', () => {
  it('reads PipeTuner ranges', () => {
    expect(parseLeaf('P.g.k', [0, 0.4, 'linear', 'real'])).toEqual({
      kind: 'dimension',
      dimension: { kind: 'real', name: 'P.g.k', low: 0, high: 0.4, log: false },
    });
    expect(parseLeaf('P.g.k', [2, 6, 'linear', 'int'])).toEqual({
      kind: 'dimension',
      dimension: { kind: 'int', name: 'P.g.k', low: 2, high: 6, log: false },
    });
    expect(parseLeaf('P.g.k', [1, 10000, 'log', 'real'])).toEqual({
      kind: 'dimension',
      dimension: { kind: 'real', name: 'P.g.k', low: 1, high: 10000, log: true },
    });
    expect(parseLeaf('P.g.k', [1, 64, 'LOG', 'Int'])).toMatchObject({
      dimension: { kind: 'int', log: true },
    });
  });

  it('reads our [choice, …] extension and constants', () => {
    expect(parseLeaf('P.g.k', ['choice', 2, 3, 4])).toEqual({
      kind: 'dimension',
      dimension: { kind: 'choice', name: 'P.g.k', choices: [2, 3, 4] },
    });
    expect(parseLeaf('P.g.k', ['choice', 'HDBSCAN', 'AgglomerativeClustering', true])).toMatchObject({
      dimension: { choices: ['HDBSCAN', 'AgglomerativeClustering', true] },
    });
    expect(parseLeaf('P.g.k', 0.5)).toEqual({ kind: 'constant', value: 0.5 });
    expect(parseLeaf('P.g.k', 'x')).toEqual({ kind: 'constant', value: 'x' });
  });

  it.each([
    [[0.8, 0.3, 'linear', 'real'], 'lower bound 0.8 must be below upper bound 0.3'],
    [[0.5, 0.5, 'linear', 'real'], 'lower bound 0.5 must be below upper bound 0.5'],
    [[0, 1, 'log', 'real'], 'log scale needs a lower bound above 0, found 0'],
    [[0.5, 6, 'linear', 'int'], 'int bounds must be integers, found [0.5, 6]'],
    [[0, 1, 'uniform', 'real'], 'scale "uniform" is not one of linear, log'],
    [[0, 1, 'linear', 'float'], 'type "float" is not one of real, int'],
    [
      ['a', 1, 'linear', 'real'],
      'lower bound "a" is not a number; expected [lower, upper, linear|log, real|int], found ["a", 1, "linear", "real"]',
    ],
    [
      [0, null, 'linear', 'real'],
      'upper bound null is not a number; expected [lower, upper, linear|log, real|int], found [0, null, "linear", "real"]',
    ],
    [
      [0, 1],
      'found a list of 2 items [0, 1]; expected a constant, [lower, upper, linear|log, real|int] or [choice, a, b, …]',
    ],
    [['choice', 1], '[choice, …] needs at least two options, found 1'],
    [['choice', 1, [2]], 'choice options must be numbers, strings or booleans, found [2]'],
    [['choice', 'a', 'b', 'a'], 'choice option "a" is listed twice'],
    [null, 'found no value; expected a constant, [lower, upper, linear|log, real|int] or [choice, a, b, …]'],
  ])('rejects %j: %s', (raw, reason) => {
    expect(parseLeaf('P.g.k', raw)).toEqual({ kind: 'invalid', reason });
  });

  it('describes ranges', () => {
    expect(describeRange({ kind: 'real', name: 'x', low: 0.3, high: 0.8, log: false })).toBe('[0.3, 0.8]');
    expect(describeRange({ kind: 'choice', name: 'x', choices: ['a', 2, false] })).toBe('{"a", 2, false}');
  });
});

describe('key limits', () => {
  const real = (low: number, high: number) => ({ kind: 'real' as const, name: 'x', low, high, log: false });
  const int = (low: number, high: number) => ({ kind: 'int' as const, name: 'x', low, high, log: false });

  it('knows what DeepStream and MTMC keys accept', () => {
    expect(keyLimit('pgie', 'nms-iou-threshold')).toEqual({ min: 0, max: 1 });
    expect(keyLimit('tracker', 'featureImgSizeLevel')).toEqual({ min: 1, max: 5, integer: true });
    expect(keyLimit('mtmc', 'spatioTemporalDistLambda')).toEqual({ min: 0, max: 1 });
    expect(keyLimit('pgie', 'some-custom-key')).toBeUndefined();
  });

  it('rejects ranges outside the key, and reals for integer keys', () => {
    expect(dimensionProblem('pgie', 'nms-iou-threshold', real(0.3, 1.2))).toBe(
      '[0.3, 1.2] is outside what nms-iou-threshold accepts (numbers in [0, 1])',
    );
    expect(dimensionProblem('pgie', 'pre-cluster-threshold', real(-0.1, 0.5))).toBe(
      '[-0.1, 0.5] is outside what pre-cluster-threshold accepts (numbers >= 0)',
    );
    expect(dimensionProblem('pgie', 'minBoxes', real(2, 6))).toBe(
      'minBoxes takes integers; declare the range as int',
    );
    expect(dimensionProblem('tracker', 'featureImgSizeLevel', int(1, 6))).toBe(
      '[1, 6] is outside what featureImgSizeLevel accepts (integers in [1, 5])',
    );
    expect(dimensionProblem('pgie', 'cluster-mode', { kind: 'choice', name: 'x', choices: [2, 5] })).toBe(
      '5 is not accepted by cluster-mode (integers in [0, 4])',
    );
  });

  it('accepts ranges inside the key, unknown keys, and booleans for 0/1 keys', () => {
    expect(dimensionProblem('pgie', 'nms-iou-threshold', real(0.3, 0.8))).toBeUndefined();
    expect(dimensionProblem('tracker', 'reidExtractionInterval', int(-1, 50))).toBeUndefined();
    expect(dimensionProblem('tracker', 'myOwnKey', real(-5, 5))).toBeUndefined();
    expect(
      dimensionProblem('tracker', 'enableReAssoc', { kind: 'choice', name: 'x', choices: [true, false] }),
    ).toBeUndefined();
    expect(valueProblem('tracker', 'useUniqueID', true)).toBeUndefined();
    expect(valueProblem('tracker', 'useUniqueID', 'yes')).toBe(
      '"yes" is not accepted by useUniqueID (integers in [0, 1])',
    );
  });
});
