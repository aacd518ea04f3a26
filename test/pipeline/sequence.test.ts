import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readSequence, readSequenceInfo } from '../../src/pipelines/builtin/sequence.js';

const SEQINFO = '[Sequence]\nname=S\nframeRate=30\nseqLength=5\nimWidth=640\nimHeight=480\n';

/** A dataset with one sequence "S" holding the given files (relative path → content). */
function dataset(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'pipetune-seq-'));
  for (const [path, content] of Object.entries({ 'seqinfo.ini': SEQINFO, ...files })) {
    mkdirSync(join(root, 'S', path, '..'), { recursive: true });
    writeFileSync(join(root, 'S', path), content);
  }
  return root;
}

function read(root: string, dim: number | null = 2) {
  return readSequence(readSequenceInfo(root, 'S'), dim);
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an input error');
}

const f32 = (values: number[]) => Buffer.from(Float32Array.from(values).buffer);

describe('sequence reader', () => {
  it('reads proposals with their embeddings, in frame order', () => {
    const root = dataset({
      'proposals/proposals.txt': '2,10,10,5,9,0.5,1\n1,0,0,4,8,0.9,0\n',
      'proposals/embeddings.f32': f32([1, 0, 0, 1]),
    });
    const s = read(root);
    expect(s.source).toBe('proposals');
    expect(s.info).toMatchObject({ frames: 5, width: 640, height: 480, fps: 30 });
    expect(Array.from(s.detections.frameStart)).toEqual([0, 0, 1, 2, 2, 2, 2]);
    expect(Array.from(s.detections.embedding)).toEqual([0, 1]);
    expect(s.embeddings!.rows).toBe(2);
  });

  it('reads 7- and 10-column det.txt, with optional row-aligned embeddings', () => {
    const seven = read(dataset({ 'det/det.txt': '1,-1,0,0,4,8,0.9\n3,-1,1,1,4,8,0.4\n' }));
    expect(seven.source).toBe('detections');
    expect(seven.embeddings).toBeNull();
    expect(Array.from(seven.detections.embedding)).toEqual([-1, -1]);
    const ten = read(
      dataset({ 'det/det.txt': '1,-1,0,0,4,8,0.9,-1,-1,-1\n', 'det/emb.f32': f32([0.6, 0.8]) }),
    );
    expect(ten.embeddings!.rows).toBe(1);
    expect(Array.from(ten.detections.embedding)).toEqual([0]);
  });

  it('names file and line of a corrupted proposal', () => {
    const cases: [string, string][] = [
      ['1,0,0,4,8,0.9,0\n1,0,0,4,x,0.9,0\n', ':2: column 5 "x" is not a number'],
      [
        '1,0,0,4,8,0.9\n',
        ':1: expected 7 columns (frame,left,top,width,height,confidence,embedding-row), found 6',
      ],
      ['9,0,0,4,8,0.9,0\n', ':1: frame 9 is not an integer within 1..5 (seqLength)'],
      ['1,0,0,0,8,0.9,0\n', ':1: box 0×8 has no area'],
      ['1,0,0,4,8,nan,0\n', ':1: box and confidence must be finite numbers'],
      ['1,0,0,4,8,0.9,1.5\n', ':1: embedding row 1.5 is not an integer >= -1'],
      ['', ': no proposals (empty file)'],
    ];
    for (const [text, message] of cases) {
      const root = dataset({ 'proposals/proposals.txt': text, 'proposals/embeddings.f32': f32([1, 0]) });
      expect(errorOf(() => read(root))).toBe(`${join(root, 'S', 'proposals', 'proposals.txt')}${message}`);
    }
  });

  it('rejects embeddings of the wrong size, with too few rows or non-finite values', () => {
    const proposals = '1,0,0,4,8,0.9,1\n';
    const emb = (values: number[]) =>
      join(dataset({ 'proposals/proposals.txt': proposals, 'proposals/embeddings.f32': f32(values) }));
    let root = emb([1, 0, 0]);
    expect(errorOf(() => read(root))).toBe(
      `${join(root, 'S', 'proposals', 'embeddings.f32')}: size 12 bytes is not a whole number of rows of 2 float32 values (ReID.reidFeatureSize)`,
    );
    root = emb([1, 0]);
    expect(errorOf(() => read(root))).toContain(
      'refers to embedding row 1, but embeddings.f32 holds 1 rows of 2 values',
    );
    root = emb([1, 0, Number.NaN, 1]);
    expect(errorOf(() => read(root))).toContain('embeddings.f32: row 1 holds a non-finite value');
    root = dataset({ 'det/det.txt': '1,-1,0,0,4,8,0.9\n', 'det/emb.f32': f32([1, 0, 0, 1]) });
    expect(errorOf(() => read(root))).toContain(
      'emb.f32: holds 2 rows, but det.txt has 1 detections (one row each)',
    );
  });

  it('rejects empty and missing sequences and a seqinfo without seqLength', () => {
    let root = dataset({ 'det/det.txt': '' });
    expect(errorOf(() => read(root))).toBe(
      `${join(root, 'S', 'det', 'det.txt')}: no detections (empty file)`,
    );
    root = dataset({});
    expect(errorOf(() => read(root))).toBe(
      `${join(root, 'S')}: neither proposals/proposals.txt nor det/det.txt found`,
    );
    expect(errorOf(() => readSequenceInfo(root, 'T'))).toContain('sequence folder "T" not found');
    root = dataset({ 'seqinfo.ini': '[Sequence]\nname=S\n' });
    expect(errorOf(() => readSequenceInfo(root, 'S'))).toContain(
      'seqinfo.ini: Sequence.seqLength is missing',
    );
  });
});
