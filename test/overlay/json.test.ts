import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { applyEdits, lookup } from '../../src/overlay/index.js';
import { readJson, writeJson } from '../../src/overlay/json.js';

const MTMC = resolve(
  import.meta.dirname,
  '../fixtures/config/nvidia-sample/configs/config_MTMC/config_mtmc_app.json',
);
const text = readFileSync(MTMC, 'utf8');

describe('JSON overlay', () => {
  it('reads nested keys with their line', () => {
    expect(readJson(text, 'm.json', ['clustering', 'spatioTemporalDistLambda'])).toEqual({
      found: true,
      value: 0.1827,
      line: 30,
    });
    expect(readJson(text, 'm.json', ['clustering', 'lambda'])).toEqual({
      found: false,
      reason: '"clustering" has no key "lambda"',
    });
  });

  it('replaces one value and keeps indentation and the spelling of other numbers', () => {
    const out = writeJson(text, 'm.json', ['clustering', 'agglomerativeClusteringDistThresh'], 2.75);
    expect(out).toBe(
      text.replace('"agglomerativeClusteringDistThresh": 3.5', '"agglomerativeClusteringDistThresh": 2.75'),
    );
    expect(out).toContain('"behaviorLengthThreshSec": 0.0,');
  });

  it('writes strings quoted and booleans as JSON booleans', () => {
    expect(writeJson(text, 'm.json', ['clustering', 'clusteringAlgo'], 'HDBSCAN')).toContain(
      '"clusteringAlgo": "HDBSCAN",',
    );
    expect(writeJson(text, 'm.json', ['clustering', 'skipAssignedBehaviors'], true)).toContain(
      '"skipAssignedBehaviors": true\n',
    );
    expect(writeJson(text, 'm.json', ['io', 'batchId'], 'a "b"')).toContain('"batchId": "a \\"b\\"",');
  });

  it('will not tune a null value, and names it', () => {
    expect(() =>
      applyEdits('json', text, 'm.json', [{ location: ['clustering', 'overwrittenNumClusters'], value: 3 }]),
    ).toThrow(new InputError('m.json:25: clustering.overwrittenNumClusters: holds null, not a single value'));
  });

  it('reports invalid JSON with its line', () => {
    expect(() => readJson('{\n  "a": 1,\n}\n', 'm.json', ['a'])).toThrow(/^m\.json:3: not valid JSON/);
  });

  it('round-trips any finite number; the rest of the file is unchanged (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const location = ['preprocessing', 'locationConfidenceThresh'];
        const out = applyEdits('json', text, MTMC, [{ location, value }]);
        expect(lookup('json', out, MTMC, location)).toMatchObject({
          value: Object.is(value, -0) ? 0 : value,
        });
        const [head, tail] = text.split('0.7694');
        expect(out.startsWith(head as string) && out.endsWith(tail as string)).toBe(true);
      }),
    );
  });
});
