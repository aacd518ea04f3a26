import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { applyEdits, lookup } from '../../src/overlay/index.js';
import { readIni, writeIni } from '../../src/overlay/ini.js';

const PGIE = resolve(
  import.meta.dirname,
  '../fixtures/config/nvidia-sample/configs/config_PGIE/config_infer_primary_PeopleNet_ResNet34.txt',
);
const text = readFileSync(PGIE, 'utf8');

describe('INI read', () => {
  it('reads typed values by group and key', () => {
    expect(readIni(text, 'pgie.txt', ['class-attrs-all', 'pre-cluster-threshold'])).toEqual({
      found: true,
      value: 0.3,
      line: 27,
    });
    expect(readIni(text, 'pgie.txt', ['class-attrs-all', 'minBoxes'])).toMatchObject({ value: 3 });
    expect(readIni(text, 'pgie.txt', ['property', 'infer-dims'])).toMatchObject({ value: '3;544;960' });
    expect(readIni(text, 'pgie.txt', ['class-attrs-1', 'pre-cluster-threshold'])).toMatchObject({
      value: 999,
    });
  });

  it('is case-sensitive and names what is missing', () => {
    expect(readIni(text, 'pgie.txt', ['class-attrs-all', 'minboxes'])).toEqual({
      found: false,
      reason: 'group [class-attrs-all] has no key "minboxes"',
    });
    expect(readIni(text, 'pgie.txt', ['Class-Attrs-All', 'minBoxes'])).toEqual({
      found: false,
      reason: 'there is no group [Class-Attrs-All]',
    });
  });

  it('has no inline comments: everything after = is the value', () => {
    const found = readIni('[g]\nx=0.3 # not a comment\n', 'a.txt', ['g', 'x']);
    expect(found).toMatchObject({ value: '0.3 # not a comment' });
  });

  it('trims around = and reads the last of duplicate keys, as GLib does', () => {
    const doc = '[g]\n  k = 1\nk=2\n[h]\nk=3\n[g]\nk = 4\n';
    expect(readIni(doc, 'a.txt', ['g', 'k'])).toEqual({ found: true, value: 4, line: 7 });
    expect(writeIni(doc, 'a.txt', ['g', 'k'], 5)).toBe('[g]\n  k = 1\nk=2\n[h]\nk=3\n[g]\nk = 5\n');
  });

  it('reports syntax errors with the line', () => {
    expect(() => readIni('# c\nk=1\n[g]\n', 'a.txt', ['g', 'k'])).toThrow(
      new InputError('a.txt:2: key "k" comes before the first [group]'),
    );
    expect(() => readIni('[g]\nk=1\njunk\n', 'a.txt', ['g', 'k'])).toThrow(
      new InputError('a.txt:3: "junk" is not a key=value pair, a [group] or a # comment'),
    );
    expect(() => readIni('[g]\n=1\n', 'a.txt', ['g', 'k'])).toThrow(
      new InputError('a.txt:2: a key=value line has no key'),
    );
  });

  it('addresses values as group.key only', () => {
    expect(() => readIni(text, 'pgie.txt', ['class-attrs-all'])).toThrow(
      'an INI value is addressed as group.key, not "class-attrs-all"',
    );
  });
});

describe('INI write', () => {
  it('writes integers as integers, reals as plain decimals, booleans as 1/0', () => {
    const doc = '[g]\na=1\nb=0.5\nc=0\n';
    expect(writeIni(doc, 'a.txt', ['g', 'a'], 4)).toBe('[g]\na=4\nb=0.5\nc=0\n');
    expect(writeIni(doc, 'a.txt', ['g', 'b'], 1e-7)).toBe('[g]\na=1\nb=0.0000001\nc=0\n');
    expect(writeIni(doc, 'a.txt', ['g', 'c'], true)).toBe('[g]\na=1\nb=0.5\nc=1\n');
    expect(writeIni(doc, 'a.txt', ['g', 'c'], 'x;y')).toBe('[g]\na=1\nb=0.5\nc=x;y\n');
  });

  it('keeps CRLF line endings, spacing and the trailing line without newline', () => {
    const doc = '# c\r\n[g]\r\nk = 0.3\r\nother=1';
    expect(writeIni(doc, 'a.txt', ['g', 'k'], 0.45)).toBe('# c\r\n[g]\r\nk = 0.45\r\nother=1');
    expect(writeIni(doc, 'a.txt', ['g', 'other'], 2)).toBe('# c\r\n[g]\r\nk = 0.3\r\nother=2');
  });

  it('refuses values GLib cannot hold', () => {
    expect(() => writeIni('[g]\nk=a\n', 'a.txt', ['g', 'k'], 'two\nlines')).toThrow(
      'k: "two\\nlines" cannot be written as a key-file value',
    );
    expect(() => writeIni('[g]\nk=a\n', 'a.txt', ['g', 'k'], ' lead')).toThrow(InputError);
  });

  it('writes a number over any real key and reads it back exactly; other lines stay byte for byte (property)', () => {
    const keys = ['pre-cluster-threshold', 'nms-iou-threshold', 'dbscan-min-score', 'eps'];
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (key, value) => {
          const out = applyEdits('ini', text, PGIE, [{ location: ['class-attrs-all', key], value }]);
          expect(lookup('ini', out, PGIE, ['class-attrs-all', key])).toMatchObject({
            value: Object.is(value, -0) ? 0 : value,
          });
          const before = text.split('\n');
          const after = out.split('\n');
          expect(after.length).toBe(before.length);
          const changed = after.flatMap((line, i) => (line === before[i] ? [] : [line]));
          expect(changed.every((line) => line.startsWith(`${key}=`))).toBe(true);
        },
      ),
    );
  });

  it('writes any integer as an integer and any single-line string verbatim (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), (value) => {
        const out = writeIni(text, PGIE, ['class-attrs-all', 'minBoxes'], value);
        expect(out).toContain(`\nminBoxes=${value}\n`);
      }),
    );
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[\r\n]/.test(s) && s === s.trimStart()),
        (value) => {
          const out = applyEdits('ini', text, PGIE, [{ location: ['property', 'labelfile-path'], value }]);
          expect(out).toBe(
            text.replace('labelfile-path=/opt/models/peoplenet/labels.txt', () => `labelfile-path=${value}`),
          );
        },
      ),
    );
  });
});
