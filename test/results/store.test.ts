import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseTrialStore, readStudyManifest, readTrialStore } from '../../src/results/store.js';
import { jsonl, makeStudy, manifest, tempDir, trial } from './fixtures.js';

const records = [
  trial({ trial: 0, optimizer: 'baseline', iteration: 0, score: 0.4 }),
  trial({ trial: 1, score: 0.45 }),
  trial({ trial: 2, score: null }),
];

describe('parseTrialStore', () => {
  it('reads every record, including failed ones, and ignores blank lines', () => {
    const { records: read, warnings } = parseTrialStore(`${jsonl(records)}\n\n`, 'trials.jsonl');
    expect(read).toEqual(records);
    expect(warnings).toEqual([]);
  });

  it('keeps the status, stage and reason of a trial stopped early', () => {
    const pruned = {
      ...trial({ trial: 3, score: 0.2 }),
      status: 'pruned' as const,
      stages: { reached: 1, of: 3 },
      savedMs: 1200,
      pruneReason: 'below the median',
    };
    const { records: read } = parseTrialStore(jsonl([pruned]), 'trials.jsonl');
    expect(read[0]).toMatchObject({
      trial: 3,
      status: 'pruned',
      stages: { reached: 1, of: 3 },
      savedMs: 1200,
    });
  });

  it('skips a torn last line with a warning naming the line', () => {
    const torn = JSON.stringify(trial({ trial: 3, score: 0.5 })).slice(0, 40);
    const { records: read, warnings } = parseTrialStore(jsonl(records) + torn, 'trials.jsonl');
    expect(read.map((r) => r.trial)).toEqual([0, 1, 2]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^trials\.jsonl:4: skipped an incomplete last line/);
  });

  it('rejects a corrupt line that is not the last, naming file and line', () => {
    const lines = jsonl(records).split('\n');
    lines[1] = '{"key":"tpe/1/0","trial":';
    expect(() => parseTrialStore(lines.join('\n'), '/s/trials.jsonl')).toThrow(InputError);
    expect(() => parseTrialStore(lines.join('\n'), '/s/trials.jsonl')).toThrow(
      /^\/s\/trials\.jsonl:2: not a trial record/,
    );
  });

  it('rejects valid JSON that is not a trial record, saying which field is wrong', () => {
    const bad = { ...records[1], status: 'maybe' };
    const text = `${JSON.stringify(bad)}\n${JSON.stringify(records[2])}\n`;
    expect(() => parseTrialStore(text, 't.jsonl')).toThrow(/^t\.jsonl:1: not a trial record \(status: /);
  });

  it('keeps the first of two records with the same key', () => {
    const again = { ...records[1]!, trial: 9, score: 0.99 };
    const { records: read, warnings } = parseTrialStore(jsonl([...records, again]), 't.jsonl');
    expect(read.map((r) => r.trial)).toEqual([0, 1, 2]);
    expect(warnings).toEqual(['t.jsonl:4: skipped a second record for tpe/1/0']);
  });
});

describe('readTrialStore', () => {
  it('reads the store of an output folder and reports a torn tail through warn', async () => {
    const dir = await tempDir();
    await makeStudy(dir, manifest(), records, '{"key":"tpe/2');
    const warnings: string[] = [];
    const read = await readTrialStore(dir, (m) => warnings.push(m));
    expect(read).toHaveLength(3);
    expect(warnings).toEqual([
      `${join(dir, 'trials.jsonl')}:4: skipped an incomplete last line (a run was interrupted while writing it)`,
    ]);
  });

  it('returns no trials before the store exists', async () => {
    expect(await readTrialStore(await tempDir())).toEqual([]);
  });

  it('reads what was appended since the last read as a whole read would, and a rewritten store anew', async () => {
    const dir = await tempDir();
    const file = join(dir, 'trials.jsonl');
    const wholeRead = async () => parseTrialStore(await readFile(file, 'utf8'), file);
    const read = async () => {
      const warnings: string[] = [];
      return { records: await readTrialStore(dir, (m) => warnings.push(m)), warnings };
    };
    await makeStudy(dir, manifest(), records);
    expect(await read()).toEqual({ records, warnings: [] });
    await appendFile(file, jsonl([trial({ trial: 3, score: 0.5 })]));
    expect((await read()).records.map((r) => r.trial)).toEqual([0, 1, 2, 3]);
    // A line being written is left out with a warning naming its line, then read once it is whole.
    const line = jsonl([trial({ trial: 4, score: 0.6 })]);
    await appendFile(file, line.slice(0, 20));
    expect(await read()).toEqual(await wholeRead());
    expect((await read()).warnings).toEqual([expect.stringMatching(/:5: skipped an incomplete last line/)]);
    await appendFile(file, line.slice(20));
    expect(await read()).toEqual({ records: (await wholeRead()).records, warnings: [] });
    expect((await read()).records.map((r) => r.trial)).toEqual([0, 1, 2, 3, 4]);
    // Rewritten in place, longer than before: every line is read again.
    const rewritten = [5, 6, 7, 8, 9, 10].map((n) => trial({ trial: n, score: n / 10 }));
    await writeFile(file, jsonl(rewritten));
    expect((await read()).records).toEqual(rewritten);
    // A damaged appended line is named by its line number in the whole store.
    await appendFile(file, 'not json\n{}\n');
    await expect(readTrialStore(dir)).rejects.toThrow(`${file}:7: not a trial record`);
    await expect(wholeRead()).rejects.toThrow(`${file}:7: not a trial record`);
  });
});

describe('readStudyManifest', () => {
  it('reads study.json', async () => {
    const dir = await tempDir();
    await makeStudy(dir, manifest({ metric: 'IDF1' }), []);
    expect((await readStudyManifest(dir)).metric).toBe('IDF1');
  });

  it('is an input error when study.json is missing or invalid', async () => {
    const dir = await tempDir();
    await expect(readStudyManifest(dir)).rejects.toThrow(
      /study\.json: not found; is .* a pipetune study output folder\?/,
    );
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'study.json'), JSON.stringify({ ...manifest(), metric: 'F1' }));
    await expect(readStudyManifest(dir)).rejects.toThrow(InputError);
    await expect(readStudyManifest(dir)).rejects.toThrow(/study\.json: not a study manifest \(metric: /);
  });
});
