import { existsSync } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { printStudySummary } from '../../src/cli/studySummary.js';
import { writeStudyResults } from '../../src/results/refresh.js';
import { formatResultsSummary, readStudyResults } from '../../src/results/summaryText.js';
import { makeStudy, manifest, tempDir, trial } from './fixtures.js';

const records = [
  trial({ trial: 0, optimizer: 'baseline', iteration: 0, params: { x: 1 }, score: 0.4 }),
  trial({ trial: 1, optimizer: 'tpe', iteration: 1, params: { x: 2 }, score: 0.52883 }),
  trial({ trial: 2, optimizer: 'tpe', iteration: 2, params: { x: 3 }, score: null }),
];

async function study(storeRecords = records) {
  const outputDir = join(await tempDir(), 'output', 'sdg-mot.yml_output');
  await makeStudy(outputDir, manifest(), storeRecords);
  return outputDir;
}

/** What the CLI writes to stdout and stderr while `run` runs. */
async function capture(run: () => Promise<void>) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return { stdout: out.join(''), stderr: err.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('the results summary', () => {
  it('prints best, baseline and improvement in points, and the paths', async () => {
    const outputDir = await study();
    const text = formatResultsSummary(await writeStudyResults(outputDir));
    const results = join(outputDir, 'results');
    expect(text.split('\n')).toEqual([
      'study sdg-mot: 3 trials, 2 succeeded, 1 failed',
      'best HOTA 52.883 at trial 1 (tpe, iteration 1)',
      'baseline HOTA 40.000, improvement +12.883 points (+32.2 %)',
      'pipeline time 37.0 s for 3 trials',
      `csv     ${join(results, 'sdg-mot.yml-20261125-061500_accuracy.csv')}`,
      `plot    ${join(results, 'accuracy_plot.png')}`,
      `plots   ${join(results, 'plots')}/ (every chart as SVG and PNG)`,
      `report  ${join(results, 'report.html')}`,
      `best    ${join(results, 'best')}/ (README.txt says which original files the configs replace)`,
      '',
    ]);
  });

  it('is read back after the study wrote its results, without rewriting them', async () => {
    const outputDir = await study();
    const written = await writeStudyResults(outputDir);
    const before = (await stat(written.report)).mtimeMs;
    await rm(written.plot);
    const read = await readStudyResults(outputDir);
    expect(read && formatResultsSummary(read)).toBe(formatResultsSummary(written));
    expect(existsSync(written.plot)).toBe(false);
    expect((await stat(written.report)).mtimeMs).toBe(before);
  });

  it('never writes: a study that ended before writing its results is summarised from the store', async () => {
    const outputDir = await study();
    const read = await readStudyResults(outputDir);
    expect(read?.summary.best?.mean).toBe(0.52883);
    expect(read?.report).toBeUndefined();
    expect(existsSync(join(outputDir, 'results'))).toBe(false);
    expect(formatResultsSummary(read!)).toContain('results not written yet: `pipetune results` writes');
  });

  it('is nothing without trials', async () => {
    expect(await readStudyResults(await study([]))).toBeUndefined();
  });
});

describe('the end of tune', () => {
  it('prints the summary `pipetune results` prints', async () => {
    const outputDir = await study();
    const expected = formatResultsSummary(await writeStudyResults(outputDir));
    const { stdout, stderr } = await capture(() => printStudySummary(outputDir));
    expect(stderr).toBe('');
    expect(stdout).toBe(expected);
    expect(stdout).toContain('best HOTA 52.883 at trial 1');
  });

  it('prints the trials so far of a study without a success, and nothing without trials', async () => {
    const failedOnly = await study([trial({ trial: 0, optimizer: 'baseline', score: null })]);
    const failed = await capture(() => printStudySummary(failedOnly));
    expect(failed.stdout).toMatch(/^study sdg-mot: 1 trials, 0 succeeded, 1 failed\nno successful trial yet/);
    const empty = await study([]);
    const none = await capture(() => printStudySummary(empty));
    expect(none).toEqual({ stdout: '', stderr: '' });
  });

  it('only notes a results folder it cannot read, without failing', async () => {
    const outputDir = await study();
    await writeFile(join(outputDir, 'study.json'), '{');
    const { stdout, stderr } = await capture(() => printStudySummary(outputDir));
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^pipetune: no results summary: .*study\.json/);
  });
});
