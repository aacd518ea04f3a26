import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invert3, toGround } from '../../src/pipelines/builtin/mtmc/calibration.js';
import { buildScene, calibrationJson, renderSequence, type SynthOptions } from '../../src/synth/dataset.js';
import { Random } from '../../src/synth/random.js';
import { EMBEDDING_DIM, ReidModel } from '../../src/synth/reid.js';

const SMALL: SynthOptions = { cameras: 2, seconds: 5, fps: 30, people: 6, seed: 7 };
const CLI = join(__dirname, '..', '..', 'bin', 'pipetune.js');

function cosine(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

describe('synthetic dataset', () => {
  it('is a pure function of its options and seed', () => {
    const a = renderSequence(buildScene(SMALL), 1);
    const b = renderSequence(buildScene(SMALL), 1);
    expect(b.gt).toBe(a.gt);
    expect(b.proposals).toBe(a.proposals);
    expect(b.mtmcGroundTruth).toBe(a.mtmcGroundTruth);
    expect(Buffer.from(b.embeddings.buffer).equals(Buffer.from(a.embeddings.buffer))).toBe(true);
    const other = renderSequence(buildScene({ ...SMALL, seed: 8 }), 1);
    expect(other.proposals).not.toBe(a.proposals);
  });

  it('writes byte-identical files for the same seed through the CLI', () => {
    const root = mkdtempSync(join(tmpdir(), 'pipetune-synth-'));
    for (const run of ['a', 'b']) {
      execFileSync(process.execPath, [
        CLI,
        'synth',
        join(root, run, 'S'),
        '--cameras',
        '2',
        '--seconds',
        '2',
        '--people',
        '4',
        '--seed',
        '3',
      ]);
    }
    const files = filesUnder(join(root, 'a'));
    expect(files).toContain(join('S_videos', 'Retail_Synthetic_Cam01', 'proposals', 'embeddings.f32'));
    expect(files).toContain(join('S_utils', 'S_all.txt'));
    expect(files).toEqual(filesUnder(join(root, 'b')));
    for (const f of files)
      expect(
        readFileSync(join(root, 'b', f)).equals(readFileSync(join(root, 'a', f))),
        relative(root, f),
      ).toBe(true);
    expect(readFileSync(join(root, 'a', 'S_utils', 'S_all.txt'), 'utf8')).toBe(
      'name\nRetail_Synthetic_Cam01\nRetail_Synthetic_Cam02\n',
    );
  });

  it('has ground truth consistent with its calibration: box bottoms map to the foot positions', () => {
    const scene = buildScene(SMALL);
    const calibration = JSON.parse(calibrationJson(scene)) as {
      sensors: { id: string; homography: number[][] }[];
    };
    for (let c = 0; c < scene.cameras.length; c++) {
      const seq = renderSequence(scene, c);
      const imageToGround = invert3(calibration.sensors[c]!.homography.flat())!;
      const rows = seq.mtmcGroundTruth
        .trim()
        .split('\n')
        .map((l) => l.split(' ').map(Number));
      expect(rows.length).toBeGreaterThan(50);
      let checked = 0;
      for (const [cam, , , l, t, w, h, x, y] of rows as number[][] as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ][]) {
        expect(cam).toBe(c + 1);
        if (t + h > 1075 || l < 1 || l + w > 1919) continue; // clipped boxes do not show the feet
        const g = toGround(imageToGround, l + w / 2, t + h)!;
        // The box bottom is the near edge of the body cylinder (radius ≤ 0.28 m), not its centre.
        expect(Math.hypot(g[0] - x, g[1] - y)).toBeLessThan(0.35);
        checked++;
      }
      expect(checked).toBeGreaterThan(20);
    }
  });

  it('writes well-formed MOT ground truth and proposals', () => {
    const seq = renderSequence(buildScene(SMALL), 0);
    const gt = seq.gt
      .trim()
      .split('\n')
      .map((l) => l.split(',').map(Number));
    const frames = SMALL.seconds * SMALL.fps;
    const seen = new Set<string>();
    for (const [frame, id, , , w, h, consider, cls, vis] of gt as number[][] as number[][]) {
      expect(frame).toBeGreaterThanOrEqual(1);
      expect(frame).toBeLessThanOrEqual(frames);
      expect(w! > 0 && h! >= 8).toBe(true);
      expect(vis! > 0 && vis! <= 1).toBe(true);
      expect(cls).toBe(consider === 1 ? 1 : 8);
      expect(seen.has(`${frame}:${id}`)).toBe(false);
      seen.add(`${frame}:${id}`);
    }
    const rows = seq.embeddings.length / EMBEDDING_DIM;
    const proposals = seq.proposals
      .trim()
      .split('\n')
      .map((l) => l.split(',').map(Number));
    expect(proposals.length).toBeGreaterThan(gt.length / 2);
    for (const [frame, , , w, h, conf, emb] of proposals as number[][] as number[][]) {
      expect(frame! >= 1 && frame! <= frames).toBe(true);
      expect(w! > 0 && h! > 0).toBe(true);
      expect(conf! >= 0.05 && conf! <= 1).toBe(true);
      expect(Number.isInteger(emb) && emb! >= 0 && emb! < rows).toBe(true);
    }
    for (let r = 0; r < rows; r += 17) {
      const e = seq.embeddings.subarray(r * EMBEDDING_DIM, (r + 1) * EMBEDDING_DIM);
      expect(Math.hypot(...e)).toBeCloseTo(1, 4);
    }
  });

  it('gives ReID embeddings the documented similarity structure', () => {
    const reid = new ReidModel(new Random(5).fork('reid'));
    const rng = new Random(6);
    const mean = (f: () => number) => Array.from({ length: 200 }, f).reduce((a, b) => a + b, 0) / 200;
    // Same person, same camera and view, fully visible: ≈ (1+γ²)/(1+γ²+σ₀²) ≈ 0.9.
    const same = mean(() =>
      cosine(reid.observePerson(1, 'A', 0, 1, 0, 0, rng), reid.observePerson(1, 'A', 0, 1, 0, 0, rng)),
    );
    expect(same).toBeGreaterThan(0.84);
    expect(same).toBeLessThan(0.95);
    // Cross-camera and heavy occlusion lower it; other people are far lower.
    const cross = mean(() =>
      cosine(reid.observePerson(1, 'A', 0, 1, 0, 0, rng), reid.observePerson(1, 'B', 0, 1, 0, 0, rng)),
    );
    const occluded = mean(() =>
      cosine(reid.observePerson(1, 'A', 0, 1, 0, 0, rng), reid.observePerson(1, 'A', 0, 0.3, 0, 0, rng)),
    );
    const others = mean(() =>
      cosine(
        reid.observePerson(1, 'A', 0, 1, 0, 0, rng),
        reid.observePerson(2 + rng.int(40), 'A', 0, 1, 0, 0, rng),
      ),
    );
    expect(cross).toBeLessThan(same);
    expect(cross).toBeGreaterThan(0.6);
    expect(occluded).toBeLessThan(same - 0.1);
    expect(others).toBeLessThan(0.45);
  });
});
