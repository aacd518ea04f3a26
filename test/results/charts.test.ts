import { describe, expect, it } from 'vitest';
import { renderSvg, svgToPng } from '../../src/results/charts/render.js';
import { renderCharts } from '../../src/results/refresh.js';
import type { TrialRecord } from '../../src/study/records.js';
import { analysisOf, manifest, pngSize, trial } from './fixtures.js';

const m = manifest();

describe('server-side charts', () => {
  it('renders an ECharts option to an SVG document without a DOM', () => {
    const svg = renderSvg(
      {
        title: { text: 'HOTA vs trial' },
        xAxis: { type: 'value' },
        yAxis: { type: 'value' },
        series: [{ type: 'scatter', data: [[1, 2]] }],
      },
      { width: 400, height: 300 },
    );
    expect(svg).toMatch(/^<svg [^>]*width="400" height="300"/);
    expect(svg).toContain('HOTA vs trial');
    expect(svg).not.toMatch(/@keyframes|animation/);
  });

  it('draws the PNG text with the bundled font, whatever the host has installed', () => {
    const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"></svg>';
    const text =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><text x="10" y="40" font-family="sans-serif" font-size="24">HOTA 52.4</text></svg>';
    const [a, b] = [svgToPng(blank), svgToPng(text)];
    expect(pngSize(b)).toEqual({ width: 200, height: 60 });
    // A missing font makes resvg drop text silently; glyphs make the image larger than a blank one.
    expect(b.length).toBeGreaterThan(a.length + 200);
  });
});

describe('the views of a study', () => {
  const records: TrialRecord[] = [
    trial({ trial: 0, optimizer: 'baseline', iteration: 0, params: { a: 0.5, b: 5, mode: 'x' }, score: 0.4 }),
    ...Array.from({ length: 16 }, (_, i) =>
      trial({
        trial: i + 1,
        optimizer: i % 2 ? 'gp' : 'tpe',
        params: { a: (i % 8) / 8, b: i, mode: i % 3 ? 'x' : 'y' },
        score: i === 5 ? null : 0.3 + (i % 8) / 40,
      }),
    ),
  ];

  it('draws convergence, importance, parallel coordinates, slices and the timeline from one analysis', () => {
    const charts = renderCharts(analysisOf(records, m));
    expect(charts.map((c) => c.id)).toEqual(['convergence', 'importance', 'parallel', 'slices', 'timeline']);
    const svg = (id: string) => charts.find((c) => c.id === id)!.svg;
    expect(svg('convergence')).toContain('baseline 40.000');
    expect(svg('convergence')).toContain('failed (1)');
    expect(svg('importance')).toMatch(/best: [xy]/);
    expect(svg('timeline')).toContain('worker not recorded');
    for (const chart of charts) expect(pngSize(chart.png()).width).toBe(1000);
  });

  it('adds the per-sequence heatmap and the held-out chart when the study has them', () => {
    const withValidation = [
      ...records,
      {
        ...trial({
          trial: 20,
          optimizer: 'validation',
          iteration: 1,
          params: records[8]!.params,
          score: 0.33,
        }),
        validationOf: 8,
      },
    ];
    const sequences = new Map([
      [0, { Cam01: { HOTA: 0.41 }, Cam02: { HOTA: 0.39 } }],
      [8, { Cam01: { HOTA: 0.6 }, Cam02: { HOTA: 0.35 } }],
    ]);
    const charts = renderCharts(analysisOf(withValidation, m, undefined, { sequences }));
    const heat = charts.find((c) => c.id === 'sequences')!.svg;
    expect(heat).toContain('Cam02');
    expect(heat).toContain('60.0');
    expect(charts.find((c) => c.id === 'validation')!.svg).toContain('held-out');
  });
});
