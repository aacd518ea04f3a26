import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseTrackerOutput } from '../../src/eval/motFiles.js';
import { convertKittiDumps, parseDumpName, parseKittiTracks } from '../../src/pipelines/kitti.js';

const ONE = { x: 1, y: 1 };
const zeros = (n: number) => Array(n).fill('0.0').join(' ');
/** A KITTI track row as deepstream-app writes it (17 fields, or 20 with the 3D tracker's extras). */
const row = (
  label: string,
  id: string,
  l: string,
  t: string,
  r: string,
  b: string,
  conf: string,
  extra = '',
) => `${label} ${id} 0.0 0 0.0 ${l} ${t} ${r} ${b} ${zeros(7)} ${conf}${extra}\n`;

describe('KITTI dump file names', () => {
  it('reads stream and 0-based frame from <app>_<stream>_<frame>.txt', () => {
    expect(parseDumpName('00_002_000123.txt')).toEqual({ stream: 2, frame: 123 });
    expect(parseDumpName('00_000_1234567.txt')).toEqual({ stream: 0, frame: 1234567 });
    expect(parseDumpName('track_dump_0.txt')).toBeUndefined();
    expect(parseDumpName('00_000_000001.txt.tmp')).toBeUndefined();
  });
});

describe('KITTI track rows', () => {
  it('turns left/top/right/bottom into left/top/width/height and keeps id and confidence', () => {
    const text = row('person', '3', '100.500000', '50.250000', '150.750000', '250.000000', '0.876543');
    expect(parseKittiTracks(text, 'f.txt', 7, ONE)).toEqual([
      { frame: 7, id: '3', left: 100.5, top: 50.25, width: 50.25, height: 199.75, confidence: 0.876543 },
    ]);
  });

  it('reads 20-field rows of the 3D tracker, drops untracked objects, and filters labels', () => {
    const text =
      row('person', '1', '1.0', '2.0', '3.0', '4.0', '0.5', ' 0.9 12.0 13.0') +
      row('person', '18446744073709551615', '1.0', '1.0', '2.0', '2.0', '0.1') +
      row('bag', '2', '5.0', '5.0', '6.0', '6.0', '1.0');
    expect(parseKittiTracks(text, 'f.txt', 1, ONE).map((r) => r.id)).toEqual(['1', '2']);
    expect(parseKittiTracks(text, 'f.txt', 1, ONE, { labels: ['person'] }).map((r) => r.id)).toEqual(['1']);
  });

  it("scales boxes from streammux pixels back to the sequence's own", () => {
    const [track] = parseKittiTracks(
      row('person', '1', '100.0', '100.0', '200.0', '300.0', '1.0'),
      'f.txt',
      1,
      { x: 0.5, y: 2 },
    );
    expect(track).toMatchObject({ left: 50, top: 200, width: 50, height: 400 });
  });

  it('names the file and line of a malformed row', () => {
    expect(() =>
      parseKittiTracks(`\n${row('person', '1', '1', '1', '2', '2', '1')}person 1 2 3\n`, 'dump.txt', 1, ONE),
    ).toThrow('dump.txt:3: expected 17 or 20 space-separated fields (KITTI track row), found 4');
    expect(() => parseKittiTracks(row('person', '-4', '1', '1', '2', '2', '1'), 'dump.txt', 1, ONE)).toThrow(
      'dump.txt:1: track id "-4"',
    );
    expect(() =>
      parseKittiTracks(row('person', '4', 'nan?', '1', '2', '2', '1'), 'dump.txt', 1, ONE),
    ).toThrow('dump.txt:1: field 6 "nan?" is not a number');
  });
});

describe('KITTI dump → MOT files', () => {
  let dump: string;
  let out: string;
  beforeEach(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pipetune-kitti-'));
    dump = path.join(dir, 'kitti');
    out = path.join(dir, 'out');
    await mkdir(dump);
    await mkdir(out);
  });
  const dumpFile = (stream: number, frame: number, text: string) =>
    writeFile(
      path.join(dump, `00_${String(stream).padStart(3, '0')}_${String(frame).padStart(6, '0')}.txt`),
      text,
    );

  it('writes one MOT file per stream with 1-based frames, in frame order', async () => {
    // Written out of order, with an empty frame, and a file that is not a dump.
    await dumpFile(0, 10, row('person', '7', '10.000000', '20.000000', '40.500000', '80.000000', '0.750000'));
    await dumpFile(
      0,
      0,
      row('person', '7', '8.000000', '20.000000', '38.000000', '80.000000', '1.000000') +
        row('person', '9', '300.000000', '5.000000', '310.000000', '45.000000', '0.300000'),
    );
    await dumpFile(0, 1, '');
    await dumpFile(1, 0, row('person', '1', '0.000000', '0.000000', '1.000000', '1.000000', '1.000000'));
    await writeFile(path.join(dump, 'notes.txt'), 'not a dump');

    const summary = await convertKittiDumps(
      dump,
      [
        { name: 'Lobby', scale: ONE },
        { name: 'Hall', scale: ONE },
      ],
      out,
    );
    expect(summary).toEqual({
      written: [
        { name: 'Lobby', frames: 3, rows: 3 },
        { name: 'Hall', frames: 1, rows: 1 },
      ],
      missing: [],
    });
    expect(await readFile(path.join(out, 'Lobby.txt'), 'utf8')).toBe(
      '1,7,8,20,30,60,1,-1,-1,-1\n1,9,300,5,10,40,0.3,-1,-1,-1\n11,7,10,20,30.5,60,0.75,-1,-1,-1\n',
    );
    expect(await readFile(path.join(out, 'Hall.txt'), 'utf8')).toBe('1,1,0,0,1,1,1,-1,-1,-1\n');
    // The evaluation reads what was written.
    const parsed = parseTrackerOutput(await readFile(path.join(out, 'Lobby.txt')), 'Lobby.txt', 11);
    expect(Array.from(parsed.frame)).toEqual([1, 1, 11]);
  });

  it('keeps the first row of a repeated (frame, id): past-frame data appended later', async () => {
    await dumpFile(
      0,
      4,
      row('person', '5', '10.0', '10.0', '20.0', '20.0', '0.9') +
        row('person', '5', '11.0', '11.0', '21.0', '21.0', '0.4'),
    );
    await convertKittiDumps(dump, [{ name: 'S', scale: ONE }], out);
    expect(await readFile(path.join(out, 'S.txt'), 'utf8')).toBe('5,5,10,10,10,10,0.9,-1,-1,-1\n');
  });

  it('renumbers 64-bit ids (useUniqueID) that would collide as numbers, keeping identities apart', async () => {
    // Differ only in the low bits: equal as JavaScript numbers.
    const a = '12297829382473034411';
    const b = '12297829382473034412';
    expect(Number(a)).toBe(Number(b));
    await dumpFile(
      0,
      0,
      row('person', b, '0.0', '0.0', '1.0', '1.0', '1.0') +
        row('person', a, '5.0', '5.0', '6.0', '6.0', '1.0'),
    );
    await dumpFile(0, 1, row('person', a, '5.0', '5.0', '6.0', '6.0', '1.0'));
    await convertKittiDumps(dump, [{ name: 'S', scale: ONE }], out);
    expect(
      (await readFile(path.join(out, 'S.txt'), 'utf8'))
        .split('\n')
        .map((line) => line.split(',').slice(0, 2).join(',')),
    ).toEqual(['1,1', '1,2', '2,2', '']);
  });

  it('reports streams without any dump file and writes nothing for them', async () => {
    await dumpFile(1, 0, '');
    const summary = await convertKittiDumps(
      dump,
      [
        { name: 'A', scale: ONE },
        { name: 'B', scale: ONE },
      ],
      out,
    );
    expect(summary).toEqual({ written: [{ name: 'B', frames: 1, rows: 0 }], missing: ['A'] });
    expect(await readdir(out)).toEqual(['B.txt']);
    expect(await readFile(path.join(out, 'B.txt'), 'utf8')).toBe('');
  });
});
