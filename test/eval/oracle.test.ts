// Every public mot-oracle case: each field of each block equal to TrackEval's expected.json (counts
// exactly, other numbers within 1e-9), and every input TrackEval rejects rejected with a message that
// names the file and line.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { type Benchmark, evaluateMot } from '../../src/eval/index.js';

const root = resolve(import.meta.dirname, '../fixtures/mot-oracle');
const cases = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface Expected {
  status: 'ok' | 'error';
  sequences_evaluated: string[];
  alphas: number[];
  sequences: Record<string, Record<string, Record<string, number | number[]>>>;
  combined: Record<string, Record<string, number | number[]>>;
}

const load = (name: string) => ({
  expected: JSON.parse(readFileSync(join(root, name, 'expected.json'), 'utf8')) as Expected,
  benchmark: (JSON.parse(readFileSync(join(root, name, 'case.json'), 'utf8')) as { benchmark: Benchmark })
    .benchmark,
});

const evaluate = (dir: string, benchmark: Benchmark) =>
  evaluateMot({ gtDir: join(dir, 'gt'), trackerDir: join(dir, 'trackers'), benchmark });

const COUNTS = new Set([
  'CLR_TP',
  'CLR_FN',
  'CLR_FP',
  'IDSW',
  'MT',
  'PT',
  'ML',
  'Frag',
  'CLR_Frames',
  'IDTP',
  'IDFN',
  'IDFP',
  'HOTA_TP',
  'HOTA_FN',
  'HOTA_FP',
  'Dets',
  'GT_Dets',
  'IDs',
  'GT_IDs',
  'Frames',
]);

/** Paths of every expected value that ours misses or differs from. */
function differences(
  ours: unknown,
  expected: Record<string, Record<string, number | number[]>>,
  where: string,
): string[] {
  const out: string[] = [];
  const block = ours as Record<string, Record<string, unknown>>;
  for (const [metric, fields] of Object.entries(expected)) {
    for (const [field, value] of Object.entries(fields)) {
      const mine = block[metric]?.[field];
      const pairs: [unknown, number][] = Array.isArray(value)
        ? value.map((v, i) => [(mine as number[] | undefined)?.[i], v])
        : [[mine, value]];
      if (Array.isArray(value) && (mine as number[] | undefined)?.length !== value.length)
        out.push(`${where}.${metric}.${field}: length`);
      for (const [a, b] of pairs) {
        const ok = typeof a === 'number' && (COUNTS.has(field) ? a === b : Math.abs(a - b) <= 1e-9);
        if (!ok) out.push(`${where}.${metric}.${field}: ${String(a)} != ${b}`);
      }
    }
  }
  return out;
}

describe('public TrackEval oracle cases', () => {
  const accepted = cases.filter((name) => load(name).expected.status === 'ok');
  it('has the public cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
    expect(accepted.length).toBeGreaterThanOrEqual(29);
  });

  it.each(accepted)('%s: every field equals TrackEval', (name) => {
    const { expected, benchmark } = load(name);
    const report = evaluate(join(root, name), benchmark);
    expect(report.status).toBe('ok');
    expect(report.sequences_evaluated).toEqual(expected.sequences_evaluated);
    expect(report.alphas).toEqual(expected.alphas); // bit-equal: np.arange's values
    const diffs = Object.entries(expected.sequences).flatMap(([seq, block]) =>
      differences(report.sequences[seq], block, seq),
    );
    diffs.push(...differences(report.combined, expected.combined, 'combined'));
    expect(diffs).toEqual([]);
  });
});

describe('inputs TrackEval rejects', () => {
  const offending: Record<string, string> = {
    'err-duplicate-tracker-id': 'trackers/ERR-DUPID.txt',
    'err-frame-beyond-seqlength': 'trackers/ERR-BEYOND.txt',
    'err-invalid-gt-class': 'gt/ERR-GTCLS/gt/gt.txt',
    'err-tracker-nonped-class': 'trackers/ERR-TRKCLS.txt',
  };
  const rejected = cases.filter(
    (name) => load(name).expected.status === 'error' && name !== 'err-blank-line',
  );
  it('covers every error case', () => expect(rejected.sort()).toEqual(Object.keys(offending).sort()));

  it.each(rejected)('%s is rejected with the file and line', (name) => {
    const { benchmark } = load(name);
    let error: unknown;
    try {
      evaluate(join(root, name), benchmark);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(new RegExp(`${offending[name]!.replaceAll('.', '\\.')}:\\d+: `));
  });

  it('err-blank-line: a trailing blank line is accepted (deliberate difference) and changes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipetune-blank-'));
    const source = join(root, 'err-blank-line');
    mkdirSync(join(dir, 'gt/ERR-BLANK/gt'), { recursive: true });
    mkdirSync(join(dir, 'trackers'));
    copyFileSync(join(source, 'gt/ERR-BLANK/seqinfo.ini'), join(dir, 'gt/ERR-BLANK/seqinfo.ini'));
    copyFileSync(join(source, 'gt/ERR-BLANK/gt/gt.txt'), join(dir, 'gt/ERR-BLANK/gt/gt.txt'));
    const text = readFileSync(join(source, 'trackers/ERR-BLANK.txt'), 'utf8');
    expect(text).toMatch(/\n\r?\n$/);
    writeFileSync(join(dir, 'trackers/ERR-BLANK.txt'), text.replace(/\s+$/, '\n'));
    const withBlank = evaluate(source, 'MOT17');
    expect(withBlank.combined.Count.Dets).toBeGreaterThan(0);
    expect(withBlank).toEqual(evaluate(dir, 'MOT17'));
  });
});
