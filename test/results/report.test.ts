import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parameterCorrelations, ranks, spearman } from '../../src/results/correlation.js';
import { renderConvergencePlot } from '../../src/results/plot.js';
import { renderReport, writeReport } from '../../src/results/report.js';
import { decodePng, manifest, tempDir, trial } from './fixtures.js';

describe('Spearman correlation', () => {
  it('averages tied ranks', () => {
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });

  it('is ±1 for monotonic relations, whatever their shape', () => {
    const xs = [1, 2, 3, 4, 5];
    expect(
      spearman(
        xs,
        xs.map((x) => x ** 3),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      spearman(
        xs,
        xs.map((x) => -Math.exp(x)),
      ),
    ).toBeCloseTo(-1, 12);
  });

  it('matches a hand-computed value with ties', () => {
    // Pearson's r of the ranks x 1,2,3,4 and y 1.5,1.5,4,3, computed directly.
    const rx = [1, 2, 3, 4];
    const ry = [1.5, 1.5, 4, 3];
    const mean = 2.5;
    const sxy = rx.reduce((s, x, i) => s + (x - mean) * (ry[i]! - mean), 0);
    const sxx = rx.reduce((s, x) => s + (x - mean) ** 2, 0);
    const syy = ry.reduce((s, y) => s + (y - mean) ** 2, 0);
    expect(spearman([1, 2, 3, 4], [0.1, 0.1, 0.9, 0.5])).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 12);
  });

  it('is undefined for a constant side or too few points', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(spearman([1], [1])).toBeNull();
  });
});

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

describe('parameterCorrelations', () => {
  it('gives rho for numeric parameters and mean score per choice for categorical ones', () => {
    const result = parameterCorrelations(records, { minimize: false });
    const rho = (name: string) => {
      const c = result.find((x) => x.name === name);
      return c?.kind === 'numeric' ? c.rho : undefined;
    };
    expect(result.find((c) => c.name === 'up')).toMatchObject({ kind: 'numeric', n: 5 });
    // up's ranks 1,2,3,4.5,4.5 against the scores' 1..5: rho = 9.5 / sqrt(9.5 * 10)
    expect(rho('up')).toBeCloseTo(9.5 / Math.sqrt(95), 12);
    expect(rho('down')).toBeCloseTo(-9.5 / Math.sqrt(95), 12);
    const mode = result.find((c) => c.name === 'mode');
    expect(mode).toMatchObject({ kind: 'categorical' });
    if (mode?.kind !== 'categorical') throw new Error('unreachable');
    expect(mode.choices.map((c) => [c.value, c.n])).toEqual([
      ['iou', 2],
      ['reid', 3],
    ]);
    expect(mode.choices[1]!.mean).toBeCloseTo((0.45 + 0.5 + 0.52) / 3, 12);
  });
});

describe('report.html', () => {
  const html = renderReport({
    manifest: m,
    records,
    ranking: { minimize: false },
    plotPng: renderConvergencePlot(records, m),
  });
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
    const top = html.slice(html.indexOf('<h2>Top'), html.indexOf('<h2>Parameter'));
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

  it('labels the parameter hint honestly as a correlation', () => {
    expect(text).toContain('Spearman rank correlation');
    expect(text).toContain('not a measured importance');
    expect(text).toContain('up 0.97 (n=5)');
    expect(text).toContain('down -0.97 (n=5)');
  });

  it('shows failed trials with their error lines and log path, escaped', () => {
    expect(text).toContain('Failed trials (1)');
    expect(html).toContain('ERROR: &lt;engine&gt; failed to build\n[Exception] cuda out of memory');
    expect(text).toContain('checkpoints/trial-0005-pysot/log.txt');
  });

  it('is self-contained: inline CSS and the plot as a PNG data URI', () => {
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<link|<script/);
    const uri = /src="data:image\/png;base64,([^"]+)"/.exec(html);
    expect(decodePng(Buffer.from(uri![1]!, 'base64')).width).toBe(1000);
  });

  it('adds the baseline as a reference row when it is not in the top 10', async () => {
    const many = [
      trial({ trial: 0, optimizer: 'baseline', params: { up: 0 }, score: 0.1 }),
      ...Array.from({ length: 12 }, (_, i) =>
        trial({ trial: i + 1, params: { up: i + 1 }, score: 0.2 + i / 100 }),
      ),
    ];
    const dir = await tempDir();
    const page = await readFile(await writeReport(dir, m, many), 'utf8');
    const top = page.slice(page.indexOf('<h2>Top'), page.indexOf('<h2>Parameter'));
    expect(top).toContain('<h2>Top 10 configurations</h2>');
    expect(top.match(/<tr>/g)).toHaveLength(11);
    expect(top).toMatch(/<tr class="ref"><td>baseline<\/td><td class="num">10\.000<\/td>/);
  });
});
