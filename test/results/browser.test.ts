/**
 * report.html in a real headless Chromium: a study's results written by the `pipetune results`
 * process, loaded from disk with no network; the page must raise no error and every chart must draw.
 */
import { existsSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/study/records.js';
import { describeWithBrowser, type OpenPage, openPage } from '../helpers/browser.js';
import { pipetuneSync } from '../helpers/cli.js';
import { makeStudy, manifest, tempDir, trial } from './fixtures.js';

/** A study with everything the report can show: failures, repeats, validation, workers, sequences. */
async function richStudy(): Promise<string> {
  const root = await tempDir('pipetune-browser-');
  const outputDir = join(root, 'output', 'sdg-mot.yml_output');
  const records: TrialRecord[] = [
    trial({
      trial: 0,
      optimizer: 'baseline',
      iteration: 0,
      params: { a: 0.5, b: 10, mode: 'iou' },
      score: 0.47,
    }),
    ...Array.from({ length: 30 }, (_, i) =>
      trial({
        trial: i + 1,
        optimizer: i % 2 ? 'gp' : 'tpe',
        iteration: Math.floor(i / 2) + 1,
        params: { a: ((i * 7) % 30) / 30, b: (i * 11) % 40, mode: i % 3 ? 'iou' : 'reid' },
        score:
          i % 13 === 5 ? null : 0.4 + (((i * 7) % 30) / 30) * 0.15 - Math.abs(((i * 11) % 40) - 20) / 400,
      }),
    ),
  ];
  const best = records.filter((r) => r.score !== null && r.trial > 0).sort((x, y) => y.score! - x.score!)[0]!;
  records.push({
    ...trial({ trial: 31, optimizer: 'validation', iteration: 0, params: records[0]!.params, score: 0.44 }),
    validationOf: 0,
  });
  records.push({
    ...trial({ trial: 32, optimizer: 'validation', iteration: 1, params: best.params, score: 0.5 }),
    validationOf: best.trial,
  });
  const started = Date.parse('2026-11-25T06:00:00.000Z');
  const timed = records.map((r) => ({
    ...r,
    startedAt: new Date(started + r.trial * 30_000).toISOString(),
    finishedAt: new Date(started + r.trial * 30_000 + 50_000).toISOString(),
  }));
  await makeStudy(outputDir, manifest({ rootDir: root }), timed);
  for (const r of timed) {
    const cp = join(outputDir, r.checkpoint);
    await writeFile(
      join(cp, 'exec.json'),
      JSON.stringify({ exitCode: 0, execMs: 1, startedAt: r.startedAt, host: 'node1', gpu: r.trial % 2 }),
    );
    if (r.score !== null) {
      const sequences = Object.fromEntries(
        ['Cam01', 'Cam02', 'Cam03'].map((s, k) => [s, { HOTA: r.score! + (k - 1) / 50 }]),
      );
      await writeFile(
        join(cp, 'scores.json'),
        JSON.stringify({ status: 'ok', score: r.score, metrics: r.metrics, sequences }),
      );
    }
  }
  return outputDir;
}

/** Each figure's view id, size and number of drawn marks, as the page shows them. */
async function figures(page: OpenPage['page']) {
  return page.$$eval('figure', (all) =>
    all.map((figure) => {
      const svg = figure.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      const marks = svg ? svg.querySelectorAll('path, rect, circle, text').length : 0;
      const live = figure.querySelector('[_echarts_instance_]') !== null;
      return {
        view: figure.dataset.view ?? '',
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks,
        live,
      };
    }),
  );
}

const VIEWS = ['convergence', 'importance', 'parallel', 'slices', 'sequences', 'validation', 'timeline'];

/** Loads a file with every non-file request blocked, so the page must be offline. */
async function loadOffline(page: OpenPage['page'], file: string) {
  await page.setRequestInterception(true);
  page.on('request', (request) =>
    request.url().startsWith('file:') ? request.continue() : request.abort('blockedbyclient'),
  );
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
}

describeWithBrowser('report.html in Chromium', () => {
  let browser: OpenPage;
  let outputDir: string;

  beforeAll(async () => {
    outputDir = await richStudy();
    const written = pipetuneSync(['results', outputDir], outputDir);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    browser = await openPage();
  });
  afterAll(async () => browser?.browser.close());

  it('loads offline with no error, every chart drawn, and saves a screenshot', async () => {
    const { page, errors } = browser;
    await loadOffline(page, join(outputDir, 'results', 'report.html'));
    const charts = await figures(page);
    expect(charts.map((c) => c.view)).toEqual(VIEWS);
    for (const chart of charts) {
      expect(chart.width, chart.view).toBeGreaterThan(300);
      expect(chart.height, chart.view).toBeGreaterThan(150);
      expect(chart.marks, chart.view).toBeGreaterThan(20);
    }
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).toContain('Improvement over baseline');
    expect(text).toContain('Cam02');
    expect(errors).toEqual([]);
    const shot = join(outputDir, 'results', 'report-screenshot.png');
    await mkdir(join(outputDir, 'results'), { recursive: true });
    await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
    expect(existsSync(shot) && (await stat(shot)).size).toBeGreaterThan(50_000);
  });

  it('--interactive inlines ECharts: still offline, every chart redrawn live in the page, no error', async () => {
    const written = pipetuneSync(['results', outputDir, '--interactive'], outputDir);
    expect(written.code, written.stderr).toBe(0);
    const { page, errors } = await openPage();
    try {
      await loadOffline(page, join(outputDir, 'results', 'report.html'));
      const charts = await figures(page);
      expect(charts.map((c) => c.view)).toEqual(VIEWS);
      for (const chart of charts) {
        expect(chart.live, chart.view).toBe(true);
        expect(chart.width, chart.view).toBeGreaterThan(300);
        expect(chart.marks, chart.view).toBeGreaterThan(20);
      }
      expect(errors).toEqual([]);
    } finally {
      await page.browser().close();
    }
  });
});
