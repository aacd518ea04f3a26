import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Embeddings, Gallery } from '../../src/pipelines/builtin/appearance.js';
import { readSequence, readSequenceInfo } from '../../src/pipelines/builtin/sequence.js';
import { inputErrorOf, pipetuneSmallHeap } from '../helpers/cli.js';

/** A dataset with sequence S: seqinfo.ini as given, detections on frames 1..4. */
function dataset(seqLength: string): { root: string; ini: string } {
  const root = mkdtempSync(join(tmpdir(), 'pipetune-limits-'));
  mkdirSync(join(root, 'S', 'det'), { recursive: true });
  writeFileSync(join(root, 'S', 'seqinfo.ini'), `[Sequence]\nname=S\nseqLength=${seqLength}\n`);
  const rows = [1, 2, 3, 4].map((f) => `${f},-1,${10 * f},10,40,100,0.9`);
  writeFileSync(join(root, 'S', 'det', 'det.txt'), `${rows.join('\n')}\n`);
  return { root, ini: join(root, 'S', 'seqinfo.ini') };
}

describe('run-pipeline: seqLength is bounded by the detections', () => {
  it('rejects seqLength=1e8 for 4 frames of detections, naming seqinfo.ini:line, value and limit', () => {
    const { root, ini } = dataset('100000000');
    const run = pipetuneSmallHeap(['run-pipeline', '--dataset', root, '--out', join(root, 'out')]);
    expect(run.stderr).toBe(
      `pipetune: ${ini}:3: seqLength=100000000 is implausibly large: the last frame with a box in det/det.txt is 4; expected at most 100008 (2 × 4 + 100000)\n`,
    );
    expect(run.code).toBe(2);
    expect(run.ms).toBeLessThan(5000);
  });

  it('rejects seqLength=1e12 as out of range instead of an internal error', () => {
    const { root, ini } = dataset('1e12');
    const run = pipetuneSmallHeap(['run-pipeline', '--dataset', root, '--out', join(root, 'out')]);
    expect(run.stderr).toBe(
      `pipetune: ${ini}:3: Sequence.seqLength: expected an integer >= 1 and <= 2147483647, got 1000000000000\n`,
    );
    expect(run.code).toBe(2);
  });

  it('in readSequence, for proposals too, and accepts the limit itself', () => {
    const { root, ini } = dataset('100009');
    expect(inputErrorOf(() => readSequence(readSequenceInfo(root, 'S'), null))).toContain(
      `${ini}:3: seqLength=100009 is implausibly large`,
    );
    expect(readSequence(readSequenceInfo(dataset('100008').root, 'S'), null).detections.frames).toBe(100008);
    const proposals = dataset('200000');
    mkdirSync(join(proposals.root, 'S', 'proposals'));
    writeFileSync(join(proposals.root, 'S', 'proposals', 'proposals.txt'), '2,0,0,4,8,0.9,-1\n');
    expect(inputErrorOf(() => readSequence(readSequenceInfo(proposals.root, 'S'), null))).toBe(
      `${proposals.ini}:3: seqLength=200000 is implausibly large: the last frame with a box in proposals/proposals.txt is 2; expected at most 100004 (2 × 2 + 100000)`,
    );
  });
});

describe('tracker config: reidHistorySize does not size memory up front', () => {
  it('a huge history keeps a sliding mean of the rows it has seen', () => {
    const embeddings = new Embeddings(Float32Array.from([1, 0, 0, 1, 1, 0]), 2);
    const gallery = new Gallery(embeddings, 1e12);
    gallery.add(0);
    gallery.add(1);
    expect(gallery.similarity(0)).toBeCloseTo(Math.SQRT1_2, 12);
    // A history of 2 drops the oldest row.
    const short = new Gallery(embeddings, 2);
    for (const row of [1, 0, 2]) short.add(row);
    expect(short.similarity(0)).toBeCloseTo(1, 12);
  });
});

describe('synth: sizes from flags are bounded', () => {
  it('rejects --seconds 1e9 and --people 1e6 at once instead of running for days', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pipetune-limits-')), 'S');
    for (const [flag, value, max] of [
      ['--seconds', '1e9', '3600, got 1000000000'],
      ['--people', '1000000', '1000, got 1000000'],
      ['--fps', '1e6', '120, got 1000000'],
    ]) {
      const run = pipetuneSmallHeap(['synth', out, flag!, value!]);
      expect(run.stderr).toBe(`pipetune: ${flag}: expected at most ${max}\n`);
      expect(run.code).toBe(2);
      expect(run.ms).toBeLessThan(5000);
    }
  });
});

describe('output paths fail fast', () => {
  it('run-pipeline --out under /proc: exit 2 within seconds, naming the folder', () => {
    const { root } = dataset('4');
    const run = pipetuneSmallHeap(['run-pipeline', '--dataset', root, '--out', '/proc/pipetune-x/out']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^pipetune: \/proc\/pipetune-x: cannot create the output folder: /);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.ms).toBeLessThan(5000);
  });

  it('synth into /proc: exit 2 within seconds, naming the folder', () => {
    const run = pipetuneSmallHeap(['synth', '/proc/pipetune-x/S', '--cameras', '1', '--seconds', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^pipetune: \/proc\/pipetune-x: cannot create the output folder: /);
    expect(run.ms).toBeLessThan(5000);
  });
});
