import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  applyEdits,
  type FileFormat,
  formatNumber,
  formatOf,
  isScalar,
  lookup,
} from '../../src/overlay/index.js';

const configs = resolve(import.meta.dirname, '../fixtures/config/nvidia-sample/configs');
const files: [FileFormat, string, string[][]][] = [
  [
    'ini',
    resolve(configs, 'config_PGIE/config_infer_primary_PeopleNet_ResNet34.txt'),
    [
      ['property', 'net-scale-factor'],
      ['property', 'cluster-mode'],
      ['property', 'infer-dims'],
      ['class-attrs-all', 'pre-cluster-threshold'],
      ['class-attrs-all', 'dbscan-min-score'],
      ['class-attrs-2', 'pre-cluster-threshold'],
    ],
  ],
  [
    'yaml',
    resolve(configs, 'config_Tracker/config_tracker_NvDCF_accuracy_ResNet50.yml'),
    [
      ['TrajectoryManagement', 'minTrackletMatchingScore'],
      ['TrajectoryManagement', 'trackletSpacialSearchRegionScale'],
      ['StateEstimator', 'processNoiseVar4Vel'],
      ['StateEstimator', 'measurementNoiseVar4Detector'],
      ['ReID', 'netScaleFactor'],
      ['ReID', 'onnxFile'],
    ],
  ],
  [
    'json',
    resolve(configs, 'config_MTMC/config_mtmc_app.json'),
    [
      ['io', 'enableDebug'],
      ['io', 'batchId'],
      ['preprocessing', 'behaviorLengthThreshSec'],
      ['clustering', 'reassignmentDistLooseThresh'],
      ['clustering', 'spatioTemporalDistType'],
    ],
  ],
];

describe('applyEdits', () => {
  it('picks the format from the file name', () => {
    expect([
      formatOf('a/pgie.txt'),
      formatOf('t.YML'),
      formatOf('t.yaml'),
      formatOf('m.json'),
      formatOf('app.ini'),
    ]).toEqual(['ini', 'yaml', 'yaml', 'json', 'ini']);
  });

  it.each(files)(
    'writing the original values back gives a byte-identical %s file',
    (format, file, locations) => {
      const text = readFileSync(file, 'utf8');
      // Spellings like 100.000, 0.0100, 0.0 and 1.0 differ from what we would write: they must survive.
      const edits = locations.map((location) => {
        const found = lookup(format, text, file, location);
        if (!found.found || !isScalar(found.value)) throw new Error(`fixture lacks ${location.join('.')}`);
        return { location, value: found.value };
      });
      expect(applyEdits(format, text, file, edits)).toBe(text);
    },
  );

  it('overlays every leaf type: real, int, and choice of number, string and boolean', () => {
    const [, pgie] = files[0];
    const [, tracker] = files[1];
    const [, mtmc] = files[2];
    const ini = applyEdits('ini', readFileSync(pgie, 'utf8'), pgie, [
      { location: ['class-attrs-all', 'eps'], value: 0.2 },
      { location: ['class-attrs-all', 'minBoxes'], value: 4 },
      { location: ['property', 'cluster-mode'], value: 2 },
      { location: ['property', 'uff-input-blob-name'], value: 'input_2' },
      { location: ['property', 'gie-unique-id'], value: true },
    ]);
    expect(ini).toContain('\neps=0.2\n');
    expect(ini).toContain('\nminBoxes=4\n');
    expect(ini).toContain('\ncluster-mode=2\n');
    expect(ini).toContain('\nuff-input-blob-name=input_2\n');
    expect(ini).toContain('\ngie-unique-id=1\n');

    const yaml = applyEdits('yaml', readFileSync(tracker, 'utf8'), tracker, [
      { location: ['VisualTracker', 'filterLr'], value: 0.125 },
      { location: ['VisualTracker', 'featureImgSizeLevel'], value: 5 },
      { location: ['DataAssociator', 'associationMatcherType'], value: 0 },
      { location: ['VisualTracker', 'useHog'], value: false },
      { location: ['ReID', 'onnxFile'], value: 'other.onnx' },
    ]);
    expect(yaml).toContain('\n  filterLr: 0.125\n');
    expect(yaml).toContain('\n  featureImgSizeLevel: 5\n');
    expect(yaml).toContain('\n  associationMatcherType: 0   # 0 GREEDY, 1 CASCADED\n');
    expect(yaml).toContain('\n  useHog: 0\n');
    expect(yaml).toContain('\n  onnxFile: other.onnx\n');

    const json = applyEdits('json', readFileSync(mtmc, 'utf8'), mtmc, [
      { location: ['clustering', 'hdbscanMinClusterSize'], value: 8 },
      { location: ['clustering', 'clusteringAlgo'], value: 'HDBSCAN' },
      { location: ['io', 'enableDebug'], value: true },
    ]);
    expect(json).toContain('"hdbscanMinClusterSize": 8,');
    expect(json).toContain('"clusteringAlgo": "HDBSCAN",');
    expect(json).toContain('"enableDebug": true,');
  });

  it('leaves a value alone when the file already holds it in another spelling', () => {
    const text = '[g]\nx=1.50\nb=true\n';
    expect(
      applyEdits('ini', text, 'a.txt', [
        { location: ['g', 'x'], value: 1.5 },
        { location: ['g', 'b'], value: 1 },
      ]),
    ).toBe(text);
    const yaml = 'A:\n  x: 2.0e+3\n  f: yes\n';
    expect(applyEdits('yaml', yaml, 'a.yml', [{ location: ['A', 'x'], value: 2000 }])).toBe(yaml);
  });

  it('applies later edits of one location last', () => {
    const out = applyEdits('ini', '[g]\nx=1\n', 'a.txt', [
      { location: ['g', 'x'], value: 2 },
      { location: ['g', 'x'], value: 3 },
    ]);
    expect(out).toBe('[g]\nx=3\n');
  });

  it('fails on a location that is not in the file, naming parameter and file', () => {
    expect(() =>
      applyEdits('yaml', 'A:\n  k: 1\n', 'configs/tracker.yml', [
        { location: ['A', 'j'], value: 1, label: 'NvDCF.A.j' },
      ]),
    ).toThrow(new InputError('configs/tracker.yml: NvDCF.A.j: not in the file ("A" has no key "j")'));
  });
});

describe('formatNumber', () => {
  it('never uses exponent form and reads back exactly (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = formatNumber(x);
        expect(text).not.toMatch(/[eE]/);
        expect(Number(text)).toBe(Object.is(x, -0) ? 0 : x);
      }),
    );
    expect([formatNumber(1e-7), formatNumber(-2.5e-9), formatNumber(1e21), formatNumber(3)]).toEqual([
      '0.0000001',
      '-0.0000000025',
      '1000000000000000000000',
      '3',
    ]);
  });

  it('rejects non-finite numbers', () => {
    expect(() => formatNumber(Number.NaN)).toThrow(RangeError);
  });
});
