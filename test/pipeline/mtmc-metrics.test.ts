import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { evaluateMtmc, parseMtmcRows } from '../../src/eval/mtmc.js';

/** Rows `camera id frame left top width height x y` of one person walking along x. */
function rows(camera: number, id: number, frames: number, dx = 0): string[] {
  return Array.from(
    { length: frames },
    (_, f) => `${camera} ${id} ${f} ${100 + 10 * f} 200 40 100 ${(1 + 0.1 * f + dx).toFixed(3)} 2`,
  );
}

const parse = (lines: string[], file = 'rows.txt') =>
  parseMtmcRows(Buffer.from(`${lines.join('\n')}\n`), file);

describe('MTMC metrics on hand-checked cases', () => {
  const gt = parse([...rows(1, 1, 10), ...rows(2, 1, 10)]);

  it('score a perfect prediction 1', () => {
    const report = evaluateMtmc(gt, parse([...rows(1, 7, 10), ...rows(2, 7, 10)]));
    expect(report.groundPlane.HOTA).toBeCloseTo(1, 12);
    expect(report.multiCamera.IDF1).toBe(1);
  });

  it('ground-plane HOTA: a 0.85 m error matches at alpha <= 0.55 only (similarity 1 − 0.85/2)', () => {
    const report = evaluateMtmc(gt, parse([...rows(1, 7, 10, 0.85), ...rows(2, 7, 10, 0.85)]));
    expect(report.groundPlane.HOTA).toBeCloseTo(11 / 19, 12);
    expect(report.groundPlane.DetA).toBeCloseTo(11 / 19, 12);
    // LocA: 0.575 where matched, 1 (TrackEval's convention) where nothing matched.
    expect(report.groundPlane.LocA).toBeCloseTo((11 * 0.575 + 8) / 19, 12);
    // Boxes are untouched, so the box-based IDF1 is perfect.
    expect(report.multiCamera.IDF1).toBe(1);
  });

  it('multi-camera IDF1 charges a cross-camera id switch that per-camera IDF1 does not see', () => {
    const report = evaluateMtmc(gt, parse([...rows(1, 5, 10), ...rows(2, 6, 10)]), { perCamera: true });
    // One global id matching: 10 of the 20 boxes are IDTP.
    expect(report.multiCamera).toMatchObject({ IDTP: 10, IDFN: 10, IDFP: 10, IDF1: 0.5 });
    expect(report.perCamera.map((c) => [c.camera, c.IDF1])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    // On the ground plane the two ids are two predictions at one place: DetA 10/20, AssA 1.
    expect(report.groundPlane.HOTA).toBeCloseTo(Math.sqrt(0.5), 12);
  });

  it('keeps the first row of a repeated (frame, id) and ignores cameras the ground truth lacks', () => {
    const good = [...rows(1, 7, 10), ...rows(2, 7, 10)];
    const far = rows(1, 7, 10, 5);
    expect(evaluateMtmc(gt, parse([...good, ...far, ...rows(9, 8, 10)])).groundPlane.HOTA).toBeCloseTo(1, 12);
    expect(evaluateMtmc(gt, parse([...good, ...rows(9, 8, 10)])).multiCamera.IDF1).toBe(1);
    expect(evaluateMtmc(gt, parse([...far, ...good])).groundPlane.HOTA).toBe(0);
  });

  it('rejects malformed rows with file and line', () => {
    const bad = (lines: string[]) => {
      try {
        parse(lines, 'mtmc.txt');
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error('expected an input error');
    };
    expect(bad(['1 1 0 0 0 4 8 1 2', '1 1 1 0 0 4 8 1'])).toBe(
      'mtmc.txt:2: expected 9 columns (camera id frame left top width height x y), found 8',
    );
    expect(bad(['1 1 -1 0 0 4 8 1 2'])).toBe('mtmc.txt:1: frame -1 is not an integer >= 0');
    expect(bad(['1 1 0 0 0 4 8 nan 2'])).toBe('mtmc.txt:1: column 8 (x) is not a finite number');
  });
});
