/**
 * The built-in tracker's speed/accuracy keys change the work done, counted as embedding values
 * compared (ReID similarity is the tracker's inner loop), not timed: counts do not depend on the machine.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { Embeddings } from '../../src/pipelines/builtin/appearance.js';
import { ConfigFile } from '../../src/pipelines/builtin/configFile.js';
import { SAMPLE_CONFIGS } from '../../src/pipelines/builtin/runner.js';
import { trackSequence } from '../../src/pipelines/builtin/tracker.js';
import { readTrackerConfig, type TrackerConfig } from '../../src/pipelines/builtin/trackerConfig.js';
import { detections, trackerConfig, walker } from './helpers.js';

/** Embeddings that count the values every similarity compares (shared by their prefixes). */
class CountingEmbeddings extends Embeddings {
  constructor(
    data: Float32Array,
    dim: number,
    stride: number,
    readonly counter: { values: number },
  ) {
    super(data, dim, stride);
  }

  override prefix(dim: number): Embeddings {
    return dim >= this.dim ? this : new CountingEmbeddings(this.data, dim, this.stride, this.counter);
  }

  override cosine(row: number, v: Float64Array, norm: number): number {
    this.counter.values += this.dim;
    return super.cosine(row, v, norm);
  }
}

const DIM = 8;
/** Three people in a row for 60 frames, each with an embedding of their own. */
const scene = detections(60, [
  ...walker(1, 60, 0, 2, { emb: 0 }),
  ...walker(1, 60, 200, 2, { emb: 1 }),
  ...walker(1, 60, 400, 2, { emb: 2 }),
]);
const vectors = Float32Array.from({ length: 3 * DIM }, (_, k) => Math.sin(k * 1.7 + 0.3));

function valuesCompared(overrides: Partial<TrackerConfig>): number {
  const counter = { values: 0 };
  const cfg = trackerConfig({
    reidInAssociation: true,
    weightReid: 1,
    reidFeatureSize: DIM,
    reidFeatureSize4Matching: DIM,
    ...overrides,
  });
  const tracks = trackSequence(scene, cfg, new CountingEmbeddings(vectors, DIM, DIM, counter));
  expect(new Set(tracks.id).size).toBe(3);
  return counter.values;
}

describe('tracker trade-off keys', () => {
  it('appearance off (reidType 0) compares no embeddings', () => {
    expect(valuesCompared({})).toBeGreaterThan(0);
    expect(valuesCompared({ reidInAssociation: false, weightReid: 0 })).toBe(0);
  });

  it('reidFeatureSize4Matching compares only the first N values of each embedding', () => {
    const full = valuesCompared({});
    expect(valuesCompared({ reidFeatureSize4Matching: 2 })).toBe(full / 4);
  });

  it('reidExtractionInterval uses embeddings on every (N + 1)-th frame only', () => {
    const every = valuesCompared({});
    const sparse = valuesCompared({ reidExtractionInterval: 4 });
    expect(sparse).toBeGreaterThan(0);
    expect(sparse).toBeLessThanOrEqual(every / 4);
  });

  it('a prefix compares the leading values only: rows that differ after them look identical', () => {
    const rows = new Embeddings(Float32Array.of(1, 0, 5, 0, 1, 0, -5, 0), 4);
    const first = new Float64Array([1, 0, 5, 0]);
    expect(rows.cosine(1, first, Math.hypot(1, 5))).toBeLessThan(0);
    const short = rows.prefix(2);
    expect(short.cosine(1, new Float64Array([1, 0]), 1)).toBeCloseTo(1, 12);
    expect(short.rows).toBe(2);
  });
});

describe('trade-off keys in the tracker YAML', () => {
  const sample = readFileSync(join(packageRoot(), SAMPLE_CONFIGS.tracker), 'utf8');
  const read = (extra: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'pipetune-tradeoff-'));
    const file = join(dir, 'tracker.yml');
    writeFileSync(file, sample.replace(/^(\s+reidHistorySize:.*\n)/m, `$1${extra}`));
    return readTrackerConfig(ConfigFile.read(file, 'tracker config'));
  };

  it('default to every value and every frame', () => {
    expect(read('')).toMatchObject({ reidFeatureSize4Matching: 128, reidExtractionInterval: 0 });
    expect(read('  reidFeatureSize4Matching: 32\n  reidExtractionInterval: 5\n')).toMatchObject({
      reidFeatureSize4Matching: 32,
      reidExtractionInterval: 5,
    });
  });

  it('refuse a feature size above reidFeatureSize, naming the key', () => {
    expect(() => read('  reidFeatureSize4Matching: 129\n')).toThrow(
      /ReID\.reidFeatureSize4Matching: expected an integer >= 1 and <= 128, got 129/,
    );
    expect(() => read('  reidExtractionInterval: -1\n')).toThrow(/ReID\.reidExtractionInterval: /);
  });
});
