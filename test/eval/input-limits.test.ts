import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printable, quoted } from '../../src/errors.js';
import { evaluateMot, parseSeqinfo, parseSeqmap } from '../../src/eval/index.js';
import { evaluateMtmc, parseMtmcRows } from '../../src/eval/mtmc.js';
import { parseRows } from '../../src/eval/table.js';
import { inputErrorOf, pipetuneSmallHeap } from '../helpers/cli.js';

/** A gt folder with sequence S (boxes on frames 1..3) and a tracker folder; returns both. */
function motLayout(seqinfo: string, gtText = '1,1,0,0,10,10,1,1,1\n3,1,0,0,10,10,1,1,1\n') {
  const dir = mkdtempSync(join(tmpdir(), 'pipetune-limits-'));
  mkdirSync(join(dir, 'gt', 'S', 'gt'), { recursive: true });
  mkdirSync(join(dir, 'trackers'));
  writeFileSync(join(dir, 'gt', 'S', 'seqinfo.ini'), seqinfo);
  writeFileSync(join(dir, 'gt', 'S', 'gt', 'gt.txt'), gtText);
  writeFileSync(join(dir, 'trackers', 'S.txt'), '2,1,0,0,10,10,1,-1,-1,-1\n');
  return {
    dir,
    gtDir: join(dir, 'gt'),
    trackerDir: join(dir, 'trackers'),
    ini: join(dir, 'gt', 'S', 'seqinfo.ini'),
  };
}

/** Any C0 control but the final newline, DEL or C1 control. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

describe('seqLength is bounded by the data', () => {
  it('rejects seqLength=1e8 on a 3-frame sequence with seqinfo.ini:line, the value and the limit, fast', () => {
    const { gtDir, trackerDir, ini } = motLayout('[Sequence]\nname=S\nseqLength=100000000\n');
    const run = pipetuneSmallHeap(['eval', '--gt', gtDir, '--tracker', trackerDir]);
    expect(run.stderr).toBe(
      `pipetune: ${ini}:3: seqLength=100000000 is implausibly large: the last frame with a box in gt/gt.txt or S.txt is 3; expected at most 100006 (2 × 3 + 100000)\n`,
    );
    expect(run.code).toBe(2);
    expect(run.ms).toBeLessThan(5000);
  });

  it('rejects seqLength=1e12 as out of range instead of an internal error', () => {
    const { gtDir, trackerDir, ini } = motLayout('[Sequence]\nseqLength=1e12\n');
    const run = pipetuneSmallHeap(['eval', '--gt', gtDir, '--tracker', trackerDir]);
    expect(run.stderr).toBe(
      `pipetune: ${ini}:2: seqLength must be an integer within 1..2147483647, got "1000000000000"\n`,
    );
    expect(run.code).toBe(2);
  });

  it('errors in evaluateMot (the study PipeEval path) just above the limit, before allocating', () => {
    const { gtDir, trackerDir, ini } = motLayout('[Sequence]\nseqLength=100007\n');
    expect(inputErrorOf(() => evaluateMot({ gtDir, trackerDir }))).toBe(
      `${ini}:2: seqLength=100007 is implausibly large: the last frame with a box in gt/gt.txt or S.txt is 3; expected at most 100006 (2 × 3 + 100000)`,
    );
    // At the limit, and with empty files, the sequence is evaluated.
    expect(evaluateMot({ gtDir: motLayout('[Sequence]\nseqLength=100006\n').gtDir, trackerDir }).status).toBe(
      'ok',
    );
    const empty = motLayout('[Sequence]\nseqLength=100000\n', '');
    writeFileSync(join(empty.trackerDir, 'S.txt'), '');
    expect(evaluateMot(empty).sequences.S!.Count.Frames).toBe(100000);
  });

  it('wants a positive integer', () => {
    for (const value of ['0', '-5', '2.5']) {
      expect(inputErrorOf(() => parseSeqinfo(`[Sequence]\nseqLength=${value}\n`, 's.ini'))).toBe(
        `s.ini:2: seqLength must be an integer within 1..2147483647, got "${value}"`,
      );
    }
  });
});

describe('MTMC rows: sizes come from the rows, not from frame numbers', () => {
  const row = (camera: number, id: number, frame: number) => `${camera} ${id} ${frame} 10 10 40 100 1 2`;

  it('scores a frame number near 2^31 without per-frame arrays of that length, fast', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipetune-limits-'));
    const text = `${[row(1, 1, 0), row(1, 1, 2_000_000_000)].join('\n')}\n`;
    writeFileSync(join(dir, 'gt.txt'), text);
    writeFileSync(join(dir, 'mtmc.txt'), text);
    const run = pipetuneSmallHeap([
      'eval',
      '--mtmc',
      '--gt',
      join(dir, 'gt.txt'),
      '--tracker',
      join(dir, 'mtmc.txt'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/MTMC ground plane {4}HOTA 100\.000/);
    expect(run.ms).toBeLessThan(5000);
  });

  it('rejects camera, id and frame numbers that do not fit 32 bits, naming file and line', () => {
    const parse = (line: string) => parseMtmcRows(Buffer.from(`${row(1, 1, 0)}\n${line}\n`), 'mtmc.txt');
    expect(inputErrorOf(() => parse(row(1, 1, 3e9)))).toBe(
      'mtmc.txt:2: frame 3000000000 is too large (at most 2147483647)',
    );
    expect(inputErrorOf(() => parse(row(1, 2 ** 31, 0)))).toBe(
      'mtmc.txt:2: id 2147483648 is too large (at most 2147483647)',
    );
    expect(inputErrorOf(() => parse(row(1e10, 1, 0)))).toBe(
      'mtmc.txt:2: camera 10000000000 is too large (at most 2147483647)',
    );
  });

  it('keeps the scores of sparse frames equal to those of dense ones', () => {
    const lines = (shift: number) =>
      Buffer.from(
        [row(1, 1, 0), row(1, 1, 1 + shift), row(2, 1, shift), row(2, 5, 2 + 2 * shift)].join('\n'),
      );
    const dense = evaluateMtmc(parseMtmcRows(lines(0), 'g'), parseMtmcRows(lines(0), 'p'));
    const sparse = evaluateMtmc(parseMtmcRows(lines(10 ** 9), 'g'), parseMtmcRows(lines(10 ** 9), 'p'));
    expect(sparse).toEqual(dense);
  });
});

describe('control bytes from input are escaped in errors', () => {
  it('printable and quoted escape C0, DEL, C1 and line separators', () => {
    expect(printable('a\x00b\rc\x1b[2Jd\x7fe\x9bf\u2028g\th\ni')).toBe(
      'a\\x00b\\rc\\x1b[2Jd\\x7fe\\x9bf\\u2028g\\th\\ni',
    );
    expect(printable('plain ümlaut / path')).toBe('plain ümlaut / path');
    expect(quoted('x\x00y')).toBe('"x\\x00y"');
    expect(quoted('z'.repeat(200))).toBe(`"${'z'.repeat(80)}…"`);
  });

  it('in a malformed MOT field, seqLength value, seqmap header and sequence name', () => {
    expect(inputErrorOf(() => parseRows(Buffer.from('1,1,\x1b[31mX\r\x00,4\n', 'latin1'), 'gt.txt', 8))).toBe(
      'gt.txt:1: column 3 "\\x1b[31mX\\r\\x00" is not a number',
    );
    expect(inputErrorOf(() => parseSeqinfo('[Sequence]\nseqLength=12\x1b[2J\n', 's.ini'))).toBe(
      's.ini:2: seqLength must be an integer within 1..2147483647, got "12\\x1b[2J"',
    );
    expect(inputErrorOf(() => parseSeqmap('\x1b]0;pwned\x07\n', 'map.txt'))).toBe(
      'map.txt:1: expected the header line "name", found "\\x1b]0;pwned\\x07"',
    );
    expect(inputErrorOf(() => parseSeqmap('name\nA\x00\nA\x00\n', 'map.txt'))).toBe(
      'map.txt:3: sequence "A\\x00" is already listed on line 2',
    );
  });

  it('by the CLI, whatever reader quoted them (last line of defence)', () => {
    // The INI reader quotes a line that is not key=value; ESC [2J would clear the terminal.
    const { gtDir, trackerDir, ini } = motLayout('[Sequence]\n\x1b[2J\x00\x7f\x9b\rbad\n');
    const run = pipetuneSmallHeap(['eval', '--gt', gtDir, '--tracker', trackerDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stderr).toBe(
      `pipetune: ${ini}:2: "\\x1b[2J\\x00\\x7f\\x9b\\rbad" is not a key=value pair, a [group] or a # comment\n`,
    );
  });
});

describe('output paths fail fast', () => {
  it('eval --json under /proc is an input error naming the path, not a hang', () => {
    const { gtDir, trackerDir } = motLayout('[Sequence]\nseqLength=3\n');
    for (const json of ['/proc/pipetune-x/report.json', '/proc/pipetune-x.json']) {
      const run = pipetuneSmallHeap(['eval', '--gt', gtDir, '--tracker', trackerDir, '--json', json]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^pipetune: \/proc\/pipetune-x(\.json)?: cannot (create|write)/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.ms).toBeLessThan(5000);
    }
  });

  it('eval --mtmc --json under /proc too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipetune-limits-'));
    writeFileSync(join(dir, 'rows.txt'), '1 1 0 10 10 40 100 1 2\n');
    const run = pipetuneSmallHeap([
      'eval',
      '--mtmc',
      '--gt',
      join(dir, 'rows.txt'),
      '--tracker',
      join(dir, 'rows.txt'),
      '--json',
      '/proc/pipetune-x/mtmc.json',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^pipetune: \/proc\/pipetune-x: cannot create/);
    expect(run.ms).toBeLessThan(5000);
  });
});
