import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeStudyResults } from '../../src/results/refresh.js';
import { makeStudy, manifest, reportOf, tempDir, trial } from './fixtures.js';

const m = manifest({ name: 'sdg-mot', metric: 'HOTA' });
// `up` rises with the score, `down` falls, `mode` is categorical; trial 5 failed.
const records = [
  trial({
    trial: 0,
    optimizer: 'baseline',
    iteration: 0,
    params: { up: 1, down: 9, mode: 'iou' },
    score: 0.4,
  }),
  trial({ trial: 1, optimizer: 'tpe', params: { up: 2, down: 8, mode: 'iou' }, score: 0.42 }),
  trial({ trial: 2, optimizer: 'pysot', params: { up: 3, down: 7, mode: 'reid' }, score: 0.45 }),
  trial({ trial: 3, optimizer: 'tpe', iteration: 2, params: { up: 5, down: 5, mode: 'reid' }, score: 0.5 }),
  trial({
    trial: 4,
    optimizer: 'tpe',
    iteration: 2,
    repeat: 1,
    params: { up: 5, down: 5, mode: 'reid' },
    score: 0.52,
  }),
  trial({ trial: 5, optimizer: 'pysot', iteration: 2, params: { up: 4, down: 6, mode: 'iou' }, score: null }),
];

describe('report.html', () => {
  const html = reportOf(records, m);
  const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it('summarises baseline, best, improvement and trial counts in points', () => {
    expect(text).toContain('Baseline (your original config) 40.000');
    expect(text).toContain(
      'Best 51.000 (mean of 2 runs: trials 3, 4), trial 3 (tpe, iteration 2), checkpoints/trial-0003-tpe',
    );
    expect(text).toContain('Improvement over baseline +11.000 points (+27.5 %)');
    expect(text).toContain('Trials 6 run, 5 succeeded, 1 failed');
  });

  it('lists each optimizer with its best', () => {
    expect(text).toContain('baseline 1 0 40.000 0');
    expect(text).toContain('tpe 3 0 51.000 3');
    expect(text).toContain('pysot 2 1 45.000 2');
  });

  it('ranks distinct configurations with their params', () => {
    const top = html.slice(html.indexOf('<h2>Top'), html.indexOf('<h2>Failed'));
    const rows = top
      .split('<tr>')
      .slice(2)
      .map((r) =>
        r
          .replace(/<[^>]+>/g, ' ')
          .trim()
          .split(/\s+/),
      );
    expect(rows.map((r) => r.slice(0, 5))).toEqual([
      ['1', '51.000', '2', '3', 'tpe'],
      ['2', '45.000', '1', '2', 'pysot'],
      ['3', '42.000', '1', '1', 'tpe'],
      ['4', '40.000', '1', '0', 'baseline'],
    ]);
    expect(rows[0]!.slice(5)).toEqual(['5', '5', 'reid']);
  });

  it('ranks parameters by importance with the direction of their effect', () => {
    const section = html.slice(html.indexOf('<h2 id="importance">'), html.indexOf('<h2 id="parallel">'));
    expect(section).toContain('PED-ANOVA');
    const rows = [
      ...section.matchAll(/<tr><td[^>]*>([^<]+)<\/td><td class="num">([\d.]+) %<\/td><td>([^<]+)<\/td>/g),
    ].map((r) => [r[1], r[3]]);
    expect(rows.map((r) => r[0]).sort()).toEqual(['down', 'mode', 'up']);
    expect(rows.find((r) => r[0] === 'mode')![1]).toBe('best: reid');
  });

  it('shows failed trials with their error lines and log path, escaped', () => {
    expect(text).toContain('Failed trials (1)');
    expect(html).toContain('ERROR: &lt;engine&gt; failed to build\n[Exception] cuda out of memory');
    expect(text).toContain('checkpoints/trial-0005-pysot/log.txt');
  });

  it('is self-contained: inline CSS and every chart as inline SVG, no scripts or links', () => {
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<link|<script|<img/);
    for (const id of ['convergence', 'importance', 'parallel', 'slices', 'timeline'])
      expect(html).toMatch(new RegExp(`<h2 id="${id}">[\\s\\S]*?<figure[^>]*><svg [^>]*>[\\s\\S]*?</svg>`));
  });

  it('adds the baseline as a reference row when it is not in the top 10', async () => {
    const many = [
      trial({ trial: 0, optimizer: 'baseline', params: { up: 0 }, score: 0.1 }),
      ...Array.from({ length: 12 }, (_, i) =>
        trial({ trial: i + 1, params: { up: i + 1 }, score: 0.2 + i / 100 }),
      ),
    ];
    const dir = join(await tempDir(), 'out');
    await makeStudy(dir, m, many);
    const page = await readFile((await writeStudyResults(dir)).report!, 'utf8');
    const top = page.slice(page.indexOf('<h2>Top'), page.indexOf('<h2>Failed'));
    expect(top).toContain('<h2>Top 10 configurations</h2>');
    expect(top.match(/<tr>/g)).toHaveLength(11);
    expect(top).toMatch(/<tr class="ref"><td>baseline<\/td><td class="num">10\.000<\/td>/);
  });
});
