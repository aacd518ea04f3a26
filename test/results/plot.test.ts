import { readFile } from 'node:fs/promises';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { optimizerColours, renderConvergencePlot, writeConvergencePlot } from '../../src/results/plot.js';
import { crc32, encodePng } from '../../src/results/png.js';
import { countColour, decodePng, manifest, tempDir, trial } from './fixtures.js';

describe('PNG encoder', () => {
  it('computes the standard CRC-32', () => {
    for (const text of ['', 'IEND', 'The quick brown fox jumps over the lazy dog']) {
      expect(crc32(Buffer.from(text))).toBe(zlibCrc32(text));
    }
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff));
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
  });

  it('round-trips pixels through a decoder', () => {
    const width = 7;
    const height = 5;
    const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) & 0xff);
    const png = decodePng(encodePng(width, height, rgb));
    expect(png).toMatchObject({
      width,
      height,
      bitDepth: 8,
      colourType: 2,
      chunks: ['IHDR', 'IDAT', 'IEND'],
    });
    expect([...png.pixels]).toEqual([...rgb]);
  });

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(/expected 12 bytes/);
  });
});

const m = manifest();
const study = [
  trial({ trial: 0, optimizer: 'baseline', iteration: 0, score: 0.4 }),
  ...Array.from({ length: 30 }, (_, i) =>
    trial({
      trial: i + 1,
      optimizer: i % 2 ? 'pysot' : 'tpe',
      iteration: Math.floor(i / 2) + 1,
      score: i === 9 ? null : 0.35 + ((i * 37) % 17) / 100,
    }),
  ),
];

/** A row holding a long dashed run of one colour: the baseline line. */
function hasDashedRow(
  png: ReturnType<typeof decodePng>,
  [r, g, b]: readonly [number, number, number],
): boolean {
  for (let y = 0; y < png.height; y++) {
    let on = 0;
    let switches = 0;
    let previous = false;
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 3;
      const hit = png.pixels[i] === r && png.pixels[i + 1] === g && png.pixels[i + 2] === b;
      if (hit) on++;
      if (hit !== previous) switches++;
      previous = hit;
    }
    if (on > 300 && switches > 60) return true;
  }
  return false;
}

describe('convergence plot', () => {
  it('is a valid 1000×560 RGB PNG', () => {
    const png = decodePng(renderConvergencePlot(study, m));
    expect(png).toMatchObject({ width: 1000, height: 560, bitDepth: 8, colourType: 2 });
    expect(png.chunks[0]).toBe('IHDR');
    expect(png.chunks.at(-1)).toBe('IEND');
  });

  it('draws each optimizer in its own colour, the baseline dashed and failed runs as red crosses', () => {
    const colours = optimizerColours(study);
    expect([...colours.keys()]).toEqual(['baseline', 'tpe', 'pysot']);
    expect(new Set([...colours.values()].map(String)).size).toBe(3);
    const png = decodePng(renderConvergencePlot(study, m));
    for (const colour of colours.values()) expect(countColour(png, colour)).toBeGreaterThan(30);
    expect(hasDashedRow(png, [128, 128, 128])).toBe(true);
    expect(countColour(png, [200, 40, 40])).toBeGreaterThan(20);

    const clean = decodePng(
      renderConvergencePlot(
        study.filter((r) => r.status === 'ok' && r.optimizer !== 'baseline'),
        m,
      ),
    );
    expect(hasDashedRow(clean, [128, 128, 128])).toBe(false);
    expect(countColour(clean, [200, 40, 40])).toBe(0);
  });

  it('is deterministic and changes with the data', () => {
    const a = renderConvergencePlot(study, m);
    expect(renderConvergencePlot(study, m).equals(a)).toBe(true);
    expect(renderConvergencePlot(study.slice(0, 10), m).equals(a)).toBe(false);
  });

  it('renders a study with no successful trial and one with a single trial', () => {
    expect(decodePng(renderConvergencePlot([trial({ trial: 0, score: null })], m)).width).toBe(1000);
    expect(decodePng(renderConvergencePlot([trial({ trial: 0, score: 0.5 })], m)).height).toBe(560);
  });

  it('writes results/accuracy_plot.png', async () => {
    const dir = await tempDir();
    const path = await writeConvergencePlot(dir, m, study);
    expect(path.endsWith('results/accuracy_plot.png')).toBe(true);
    expect(decodePng(await readFile(path)).width).toBe(1000);
  });
});
