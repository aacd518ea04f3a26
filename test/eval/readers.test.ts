// The MOT file readers: numbers bit-equal to Python's float(), TrackEval's csv dialect, and one-line
// errors that name the file, the line and the reason.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  evaluateMot,
  parseDetections,
  parseGroundTruth,
  parseSeqinfo,
  parseSeqmap,
  parseTrackerOutput,
  prepareSequence,
} from '../../src/eval/index.js';
import { parseRows } from '../../src/eval/table.js';
import { inputErrorOf } from '../helpers/cli.js';

describe('numbers', () => {
  /** Column 3 (left) of one-row files, one per text. */
  const lefts = (texts: string[]) => {
    const rows = parseTrackerOutput(
      texts.map((x) => `1,${texts.indexOf(x) + 1},${x},0,1,1,1`).join('\n'),
      'n.txt',
      1,
    );
    return [...rows.left];
  };

  it('are bit-equal to correctly rounded parsing (fast paths, 16-19 digits, near-ties)', () => {
    let state = 12345;
    const rnd = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const texts = new Set<string>();
    const view = new Float64Array(2);
    const bits = new BigUint64Array(view.buffer);
    while (texts.size < 20000) {
      const kind = texts.size % 4;
      if (kind === 0) {
        const digits = Array.from({ length: 1 + Math.floor(rnd() * 19) }, () => Math.floor(rnd() * 10)).join(
          '',
        );
        const point = Math.floor(rnd() * (digits.length + 1));
        texts.add(point === digits.length ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`);
      } else if (kind === 1) {
        texts.add(String(Math.fround(rnd() * 2000 - 100))); // float32 coordinates printed as doubles
      } else if (kind === 2) {
        texts.add(String(rnd() * 10 ** Math.floor(rnd() * 7)));
      } else {
        view[0] = 1 + rnd() * 1000; // a decimal next to the midpoint of two neighbouring doubles
        bits[1] = bits[0]! + 1n;
        texts.add((view[0] + (view[1]! - view[0]) / 2).toPrecision(17 + Math.floor(rnd() * 3)));
      }
    }
    for (let k = 0n; k < 200n; k++) texts.add(String(2n ** 53n + 2n * k + 1n)); // exact ties between doubles
    const list = [...texts].filter((x) => !x.includes('e'));
    const parsed = lefts(list);
    const wrong = list.filter((x, i) => !Object.is(parsed[i], Number(x)));
    expect(wrong).toEqual([]);
  });

  it('accept what Python float() accepts and keep unused NaN columns', () => {
    expect(lefts(['1e3', '-2.5E-1', '+.5', '7.', '16', '-0'])).toEqual([1000, -0.25, 0.5, 7, 16, -0]);
    const rows = parseTrackerOutput('1,1,0,0,1,1,nan,-1,-1,-1\n1,2,0,0,1,1,inf,-1,-1,-1', 't.txt', 1);
    expect(rows.confidence[0]).toBeNaN();
    expect(rows.confidence[1]).toBe(Infinity);
  });

  it('reject what Python float() rejects, naming file, line and column', () => {
    expect(inputErrorOf(() => parseTrackerOutput('1,1,0,0,1,1,1\n2,1,0,abc,1,1,1', 't.txt', 2))).toBe(
      't.txt:2: column 4 "abc" is not a number',
    );
    expect(inputErrorOf(() => parseTrackerOutput('1,1,0x1,0,1,1,1', 't.txt', 2))).toContain(
      't.txt:1: column 3 "0x1"',
    );
    expect(inputErrorOf(() => parseTrackerOutput('1,1,,0,1,1,1', 't.txt', 2))).toBe(
      't.txt:1: column 3 is empty',
    );
  });
});

describe('ground truth and tracker rows', () => {
  it('read CRLF, ", ", tabs, spaces, a trailing comma and float-formatted ids as TrackEval does', () => {
    const variants = [
      '1,1,10,20,30,40,1,1,1\r\n2,2.0,11,21,31,41,1,1,1\r\n',
      '1, 1, 10, 20, 30, 40, 1, 1, 1,\n2, 2.0, 11, 21, 31, 41, 1, 1, 1,\n',
      '1\t1\t10\t20\t30\t40\t1\t1\t1\n2\t2.0\t11\t21\t31\t41\t1\t1\t1',
      '1 1 10 20 30  40 1 1 1\n  2 2.0 11 21 31 41 1 1 1  \n',
    ];
    for (const text of variants) {
      const gt = parseGroundTruth(text, 'gt.txt', 2);
      expect([...gt.frame]).toEqual([1, 2]);
      expect([...gt.id]).toEqual([1, 2]);
      expect([...gt.left, ...gt.top, ...gt.width, ...gt.height]).toEqual([10, 11, 20, 21, 30, 31, 40, 41]);
      expect([...gt.fields]).toEqual([9, 9]);
    }
  });

  it('truncate frame, id, flag and class toward zero', () => {
    const gt = parseGroundTruth('3.9,7.8,0,0,1,1,0.5,1.9,1\n1,2,0,0,1,1,-1,7,1', 'gt.txt', 3);
    expect([...gt.frame, ...gt.id, ...gt.flag, ...gt.cls]).toEqual([3, 1, 7, 2, 0, -1, 1, 7]);
  });

  it('give 7-column tracker rows class 1 and read 10-column rows', () => {
    const rows = parseTrackerOutput('1,1,0,0,1,1,0.9\n1,2,0,0,1,1,0.8,-1,-1,-1', 't.txt', 1);
    expect([...rows.cls]).toEqual([1, -1]);
    expect([...rows.confidence]).toEqual([0.9, 0.8]);
  });

  it('keep every row when long lines at the start make the size estimate too small', () => {
    const long = `1${',0'.repeat(500)}`;
    const text = [
      ...new Array(150).fill(long),
      ...Array.from({ length: 20000 }, (_, i) => `${i},${i / 4}`),
    ].join('\n');
    const rows = parseRows(Buffer.from(text), 'x.txt', 2);
    expect(rows.count).toBe(20150);
    expect(rows.values.length).toBe(2 * 20150);
    expect([...rows.values.subarray(-4)]).toEqual([19998, 4999.5, 19999, 4999.75]);
    expect(rows.line[20149]).toBe(20150);
  });

  it('accept trailing blank lines but reject a blank line between rows', () => {
    expect(parseTrackerOutput('1,1,0,0,1,1,1\n\n \r\n', 't.txt', 1).count).toBe(1);
    expect(inputErrorOf(() => parseTrackerOutput('1,1,0,0,1,1,1\n\n1,2,0,0,1,1,1\n', 't.txt', 1))).toBe(
      't.txt:2: blank line between rows (only trailing blank lines are allowed)',
    );
    expect(parseTrackerOutput('', 't.txt', 1).count).toBe(0);
  });

  it('reject bad rows with the file, the line and the reason', () => {
    expect(inputErrorOf(() => parseTrackerOutput('1,-3,0,0,1,1,1', 't.txt', 1))).toBe(
      't.txt:1: id -3 is negative; ids must be >= 0',
    );
    expect(inputErrorOf(() => parseGroundTruth('1,1,0,0,1,1,1,1\n1,-1,0,0,1,1,1,1', 'g.txt', 1))).toBe(
      'g.txt:2: id -1 is negative; ids must be >= 0',
    );
    expect(inputErrorOf(() => parseTrackerOutput('1,1,nan,0,1,1,1', 't.txt', 1))).toBe(
      't.txt:1: left is NaN, expected a finite number',
    );
    expect(inputErrorOf(() => parseGroundTruth('1,1,0,0,inf,1,1,1', 'g.txt', 1))).toBe(
      'g.txt:1: width is Infinity, expected a finite number',
    );
    expect(inputErrorOf(() => parseTrackerOutput('0,1,0,0,1,1,1', 't.txt', 5))).toBe(
      't.txt:1: frame 0 is not within 1..5 (seqLength)',
    );
    expect(inputErrorOf(() => parseTrackerOutput('6,1,0,0,1,1,1', 't.txt', 5))).toContain(
      'frame 6 is not within 1..5',
    );
    expect(inputErrorOf(() => parseGroundTruth('1,1,0,0,1,1,1', 'g.txt', 1))).toContain(
      'g.txt:1: expected at least 8 columns',
    );
    expect(inputErrorOf(() => parseTrackerOutput('1,1,0,0,1,1', 't.txt', 1))).toContain(
      't.txt:1: expected at least 7 columns',
    );
    expect(inputErrorOf(() => parseTrackerOutput('1,1,0,0,1,1,1,2', 't.txt', 1))).toContain(
      't.txt:1: class 2: tracker output may only hold pedestrians',
    );
  });

  it('reject duplicate ids and ragged rows within a frame (checked when the sequence is prepared)', () => {
    const gt = parseGroundTruth('1,1,0,0,10,10,1,1', 'g.txt', 2);
    const dup = parseTrackerOutput('1,4,0,0,10,10,1\n2,4,0,0,10,10,1\n2,4,1,1,10,10,1', 't.txt', 2);
    expect(inputErrorOf(() => prepareSequence(gt, dup, 2, 'MOT17'))).toBe(
      't.txt:3: id 4 appears twice in frame 2 (also on line 2)',
    );
    const ragged = parseTrackerOutput('1,4,0,0,10,10,1\n1,5,0,0,10,10,1,-1,-1,-1', 't.txt', 2);
    expect(inputErrorOf(() => prepareSequence(gt, ragged, 2, 'MOT17'))).toBe(
      't.txt:2: 10 columns, but line 1 of the same frame has 7',
    );
  });
});

describe('detections', () => {
  it('read 7 and 10 columns and keep the score', () => {
    const det = parseDetections('1,-1,10,20,30,40,0.9\n3,-1,1,2,3,4,0.25,-1,-1,-1\n', 'det.txt');
    expect([...det.frame]).toEqual([1, 3]);
    expect([...det.left, ...det.score]).toEqual([10, 1, 0.9, 0.25]);
  });

  it('check frames against seqLength when given, and scores', () => {
    expect(inputErrorOf(() => parseDetections('0,-1,1,1,1,1,0.5', 'det.txt'))).toBe(
      'det.txt:1: frame 0 is not >= 1',
    );
    expect(inputErrorOf(() => parseDetections('9,-1,1,1,1,1,0.5', 'det.txt', 8))).toContain(
      'frame 9 is not within 1..8',
    );
    expect(inputErrorOf(() => parseDetections('1,-1,1,1,1,1,nan', 'det.txt'))).toBe(
      'det.txt:1: column 7 is NaN, expected a finite number',
    );
  });
});

describe('seqinfo.ini and seqmaps', () => {
  it('read seqLength', () => {
    expect(parseSeqinfo('[Sequence]\nname=A\nseqLength=600\r\nimWidth=1920\n', 's.ini')).toEqual({
      seqLength: 600,
      line: 3,
    });
  });

  it('reject a missing group or key and a non-integer length', () => {
    expect(inputErrorOf(() => parseSeqinfo('[Sequence]\nname=A\n', 's.ini'))).toContain(
      's.ini: group [Sequence] has no key "seqLength"',
    );
    expect(inputErrorOf(() => parseSeqinfo('name=A\n', 's.ini'))).toContain('s.ini:1:');
    expect(inputErrorOf(() => parseSeqinfo('[Sequence]\nseqLength=ten\n', 's.ini'))).toBe(
      's.ini:2: seqLength must be an integer within 1..2147483647, got "ten"',
    );
  });

  it('read a seqmap: header "name", one sequence per line', () => {
    expect(parseSeqmap('name\nMOT17-02-DPM\r\n MOT17-04-DPM \n\n', 'map.txt')).toEqual([
      'MOT17-02-DPM',
      'MOT17-04-DPM',
    ]);
    expect(inputErrorOf(() => parseSeqmap('MOT17-02-DPM\n', 'map.txt'))).toBe(
      'map.txt:1: expected the header line "name", found "MOT17-02-DPM"',
    );
    expect(inputErrorOf(() => parseSeqmap('name\nA\nB\nA\n', 'map.txt'))).toBe(
      'map.txt:4: sequence "A" is already listed on line 2',
    );
  });
});

describe('evaluateMot inputs', () => {
  /** A gt folder with sequences A and B (one box each) and a tracker folder with the given files. */
  function layout(trackerFiles: string[]): { gtDir: string; trackerDir: string; dir: string } {
    const dir = mkdtempSync(join(tmpdir(), 'pipetune-eval-'));
    for (const seq of ['B', 'A']) {
      mkdirSync(join(dir, 'gt', seq, 'gt'), { recursive: true });
      writeFileSync(join(dir, 'gt', seq, 'seqinfo.ini'), '[Sequence]\nseqLength=2\n');
      writeFileSync(join(dir, 'gt', seq, 'gt', 'gt.txt'), '1,1,0,0,10,10,1,1,1\n');
    }
    mkdirSync(join(dir, 'trackers'));
    for (const seq of trackerFiles)
      writeFileSync(join(dir, 'trackers', `${seq}.txt`), '1,1,0,0,10,10,1,-1,-1,-1\n');
    return { gtDir: join(dir, 'gt'), trackerDir: join(dir, 'trackers'), dir };
  }

  it('evaluates every sequence folder, sorted, when there is no seqmap', () => {
    const { gtDir, trackerDir } = layout(['A', 'B']);
    const report = evaluateMot({ gtDir, trackerDir });
    expect(report.sequences_evaluated).toEqual(['A', 'B']);
    expect(report.combined.summary.HOTA).toBe(1);
  });

  it('warns about tracker files without ground truth and ignores them', () => {
    const { gtDir, trackerDir } = layout(['A', 'B', 'C']);
    const warnings: string[] = [];
    const report = evaluateMot({ gtDir, trackerDir, onWarning: (m) => warnings.push(m) });
    expect(report.sequences_evaluated).toEqual(['A', 'B']);
    expect(warnings).toEqual([
      `${join(trackerDir, 'C.txt')}: no ground truth for sequence "C" in ${gtDir}; ignored`,
    ]);
  });

  it('rejects a listed sequence without tracker results, naming the file and the seqmap', () => {
    const { gtDir, trackerDir, dir } = layout(['A']);
    writeFileSync(join(dir, 'map.txt'), 'name\nA\nB\n');
    const message = inputErrorOf(() => evaluateMot({ gtDir, trackerDir, seqmapPath: join(dir, 'map.txt') }));
    expect(message).toBe(
      `${join(trackerDir, 'B.txt')}: no tracker results for sequence "B" (listed in ${join(dir, 'map.txt')})`,
    );
  });

  it('rejects a sequence without seqinfo.ini, naming the file', () => {
    const { gtDir, trackerDir } = layout(['A', 'B']);
    expect(inputErrorOf(() => evaluateMot({ gtDir, trackerDir, sequences: ['A', 'Z'] }))).toBe(
      `${join(gtDir, 'Z', 'seqinfo.ini')}: seqinfo.ini not found`,
    );
  });

  it('computes only the metrics asked for (Count always)', () => {
    const { gtDir, trackerDir } = layout(['A', 'B']);
    const report = evaluateMot({ gtDir, trackerDir, metrics: ['Identity'] });
    expect(Object.keys(report.combined)).toEqual(['summary', 'Identity', 'Count']);
    expect(Object.keys(report.combined.summary)).toEqual([
      'IDF1',
      'IDR',
      'IDP',
      'IDTP',
      'IDFN',
      'IDFP',
      'Dets',
      'GT_Dets',
      'IDs',
      'GT_IDs',
    ]);
  });
});
