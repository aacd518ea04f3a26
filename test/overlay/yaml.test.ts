import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { applyEdits, lookup } from '../../src/overlay/index.js';
import { readYaml, writeYaml } from '../../src/overlay/yaml.js';

const TRACKER = resolve(
  import.meta.dirname,
  '../fixtures/config/nvidia-sample/configs/config_Tracker/config_tracker_NvDCF_accuracy_ResNet50.yml',
);
const text = readFileSync(TRACKER, 'utf8');

/** The lines of `after` that differ from `text` (both must have the same number of lines). */
function changedLines(after: string): string[] {
  const before = text.split('\n');
  const lines = after.split('\n');
  expect(lines.length).toBe(before.length);
  return lines.filter((line, i) => line !== before[i]);
}

describe('tracker YAML read', () => {
  it('reads through the %YAML:1.0 line, by Section.key, with the line number', () => {
    expect(readYaml(text, 't.yml', ['StateEstimator', 'processNoiseVar4Loc'])).toEqual({
      found: true,
      value: 6810.866,
      line: 66,
    });
    expect(readYaml(text, 't.yml', ['ReID', 'inferDims'])).toMatchObject({
      found: true,
      value: [3, 256, 128],
    });
    expect(readYaml(text, 't.yml', ['ReID', 'onnxFile'])).toMatchObject({
      value: '/opt/models/reid/resnet50_market1501.onnx',
    });
  });

  it('keeps same-named keys of different sections apart', () => {
    expect(readYaml(text, 't.yml', ['TrajectoryManagement', 'minMatchingScore4Overall'])).toMatchObject({
      value: 0.6622,
    });
    expect(readYaml(text, 't.yml', ['DataAssociator', 'minMatchingScore4Overall'])).toMatchObject({
      value: 0.0222,
    });
  });

  it('names what is missing', () => {
    expect(readYaml(text, 't.yml', ['StateEstimator', 'processNoiseVar4Locc'])).toEqual({
      found: false,
      reason: '"StateEstimator" has no key "processNoiseVar4Locc"',
    });
    expect(readYaml(text, 't.yml', ['Estimator', 'x'])).toEqual({
      found: false,
      reason: 'there is no "Estimator"',
    });
    expect(readYaml(text, 't.yml', ['BaseConfig', 'minDetectorConfidence', 'x'])).toEqual({
      found: false,
      reason: '"BaseConfig.minDetectorConfidence" is not a mapping',
    });
  });

  it('reports invalid YAML with its line', () => {
    expect(() => readYaml('%YAML:1.0\nA:\n  k: 1\n  k: 2\n', 't.yml', ['A', 'k'])).toThrow(
      new InputError('t.yml:4: not valid YAML: duplicated mapping key'),
    );
  });
});

describe('tracker YAML write', () => {
  it('replaces only the value, keeping the comment after it', () => {
    const out = writeYaml(text, 't.yml', ['TargetManagement', 'enableBboxUnClipping'], 0);
    expect(changedLines(out)).toEqual([
      '  enableBboxUnClipping: 0   # extend boxes clipped by the frame border',
    ]);
    expect(out.startsWith('%YAML:1.0\n####')).toBe(true);
  });

  it('edits the key of the named section only', () => {
    const out = writeYaml(text, 't.yml', ['DataAssociator', 'minMatchingScore4Overall'], 0.5);
    expect(changedLines(out)).toEqual(['  minMatchingScore4Overall: 0.5']);
    expect(readYaml(out, 't.yml', ['TrajectoryManagement', 'minMatchingScore4Overall'])).toMatchObject({
      value: 0.6622,
    });
  });

  it('writes booleans as 1/0, integers as integers, reals without exponent', () => {
    expect(changedLines(writeYaml(text, 't.yml', ['TrajectoryManagement', 'enableReAssoc'], false))).toEqual([
      '  enableReAssoc: 0',
    ]);
    expect(changedLines(writeYaml(text, 't.yml', ['TargetManagement', 'probationAge'], 7))).toEqual([
      '  probationAge: 7',
    ]);
    expect(changedLines(writeYaml(text, 't.yml', ['StateEstimator', 'processNoiseVar4Vel'], 2.5e-8))).toEqual(
      ['  processNoiseVar4Vel: 0.000000025'],
    );
  });

  it('quotes strings only when YAML would read them as something else', () => {
    const path = ['ReID', 'onnxFile'];
    expect(changedLines(writeYaml(text, 't.yml', path, '/m/x.onnx'))).toEqual(['  onnxFile: /m/x.onnx']);
    expect(changedLines(writeYaml(text, 't.yml', path, 'true'))).toEqual(['  onnxFile: "true"']);
    expect(changedLines(writeYaml(text, 't.yml', path, 'a: b # c'))).toEqual(['  onnxFile: "a: b # c"']);
  });

  it('works without the %YAML line and with CRLF endings', () => {
    const doc = 'A:\r\n  k: 1   # c\r\n  j: 2\r\n';
    expect(writeYaml(doc, 't.yml', ['A', 'k'], 3)).toBe('A:\r\n  k: 3   # c\r\n  j: 2\r\n');
  });

  it('refuses to edit lists and block scalars', () => {
    expect(() => applyEdits('yaml', text, 't.yml', [{ location: ['ReID', 'inferDims'], value: 3 }])).toThrow(
      new InputError('t.yml: ReID.inferDims: holds a list, not a single value'),
    );
    expect(() => writeYaml('A:\n  k: |\n    text\n', 't.yml', ['A', 'k'], 'x')).toThrow(
      'A.k: not a one-line value that can be replaced in place',
    );
  });

  it('round-trips any finite number written over any numeric key; nothing else changes (property)', () => {
    const numeric = [
      ['BaseConfig', 'minDetectorConfidence'],
      ['StateEstimator', 'measurementNoiseVar4Detector'],
      ['TrajectoryManagement', 'trajectoryProjectionMeasurementNoiseScale'],
      ['VisualTracker', 'featureFocusOffsetFactor_y'],
      ['TargetManagement', 'maxShadowTrackingAge'],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...numeric),
        fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()),
        (location, value) => {
          const out = applyEdits('yaml', text, TRACKER, [{ location, value }]);
          expect(lookup('yaml', out, TRACKER, location)).toMatchObject({
            value: Object.is(value, -0) ? 0 : value,
          });
          const changed = changedLines(out);
          expect(changed.length).toBeLessThanOrEqual(1);
          for (const line of changed) expect(line.trimStart().startsWith(`${location[1]}: `)).toBe(true);
        },
      ),
    );
  });

  it('round-trips any string (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const out = applyEdits('yaml', text, TRACKER, [{ location: ['ReID', 'modelEngineFile'], value }]);
        expect(lookup('yaml', out, TRACKER, ['ReID', 'modelEngineFile'])).toMatchObject({ value });
      }),
    );
  });
});
