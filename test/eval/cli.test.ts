// `pipetune eval` as a user runs it: the built CLI in a child process.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipetuneSync } from '../helpers/cli.js';

const repo = resolve(import.meta.dirname, '../..');
const fixtures = join(repo, 'test/fixtures/mot-oracle');

const pipetune = (args: string[]) => pipetuneSync(['eval', ...args]);

describe('pipetune eval', () => {
  it('prints TrackEval-like tables and writes the expected.json schema', () => {
    const json = join(mkdtempSync(join(tmpdir(), 'pipetune-cli-')), 'out', 'report.json');
    const kase = join(fixtures, 'multi-seq-combined');
    const { code, stdout, stderr } = pipetune([
      '--gt',
      join(kase, 'gt'),
      '--tracker',
      join(kase, 'trackers'),
      '--json',
      json,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^HOTA: trackers-pedestrian +HOTA +DetA +AssA/m);
    expect(stdout).toMatch(/^CLEAR: trackers-pedestrian +MOTA +MOTP/m);
    expect(stdout).toMatch(/^COMBINED +53\.153 +57\.111 +51\.33 /m); // HOTA, DetA, AssA ×100, 5 significant digits
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const expected = JSON.parse(readFileSync(join(kase, 'expected.json'), 'utf8'));
    expect(report.status).toBe('ok');
    expect(report.sequences_evaluated).toEqual(expected.sequences_evaluated);
    expect(Object.keys(report.combined).sort()).toEqual(Object.keys(expected.combined).sort());
    expect(Object.keys(report.combined.summary)).toEqual(Object.keys(expected.combined.summary));
    expect(report.combined.summary.IDF1).toBeCloseTo(expected.combined.summary.IDF1, 12);
    expect(report.combined.CLEAR.IDSW).toBe(expected.combined.CLEAR.IDSW);
  });

  it('rejects bad input with one line naming file and line, exit code 2', () => {
    const kase = join(fixtures, 'err-duplicate-tracker-id');
    const { code, stdout, stderr } = pipetune([
      '--gt',
      join(kase, 'gt'),
      '--tracker',
      join(kase, 'trackers'),
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `pipetune: ${join(kase, 'trackers', 'ERR-DUPID.txt')}:11: id 1 appears twice in frame 5 (also on line 5)\n`,
    );
  });

  it('rejects a bad flag or a missing folder with exit code 2', () => {
    const kase = join(fixtures, 'perfect-small');
    const bad = pipetune([
      '--gt',
      join(kase, 'gt'),
      '--tracker',
      join(kase, 'trackers'),
      '--benchmark',
      'MOT99',
    ]);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'pipetune: --benchmark: expected one of MOT17, MOT16, MOT20, MOT15, got "MOT99"\n',
    ]);
    const missing = pipetune(['--tracker', join(kase, 'trackers')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--gt and --tracker are required');
    const nowhere = pipetune(['--gt', join(kase, 'nowhere'), '--tracker', join(kase, 'trackers')]);
    expect([nowhere.code, nowhere.stderr]).toEqual([
      2,
      `pipetune: ${join(kase, 'nowhere')}: ground-truth folder not found\n`,
    ]);
  });

  it('prints its usage with --help', () => {
    const { code, stdout } = pipetune(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: pipetune eval --gt DIR --tracker DIR');
  });
});
