import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeVideo } from '../../src/augment/ffmpeg.js';
import { pipetuneSync } from '../helpers/cli.js';

/** A small real H.264 mp4 from ffmpeg's test source (argument array, no shell). */
function makeVideo(file: string, width: number, height: number, rate: string, frames: number): void {
  const result = spawnSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${width}x${height}:rate=${rate}`,
      '-frames:v',
      String(frames),
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-y',
      file,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`ffmpeg: ${result.stderr}`);
}

/** A PipeTuner-layout dataset: S.mp4 and S/ with seqinfo.ini, gt, det/det.txt and det/emb.f32 (dim 2). */
function makeDataset(root: string, frames = 24): string {
  const dir = join(root, 'in');
  mkdirSync(join(dir, 'S', 'gt'), { recursive: true });
  mkdirSync(join(dir, 'S', 'det'));
  makeVideo(join(dir, 'S.mp4'), 160, 96, '12', frames);
  writeFileSync(
    join(dir, 'S', 'seqinfo.ini'),
    `[Sequence]\nname=S\nframeRate=12\nseqLength=${frames}\nimWidth=160\nimHeight=96\n`,
  );
  const det: string[] = [];
  const gt: string[] = [];
  for (let f = 1; f <= frames; f++) {
    // One person walking right across the pole in the middle, one standing on the left.
    det.push(`${f},-1,${4 * f},20,12,30,0.9`, `${f},-1,5,50,10,20,0.8`);
    gt.push(`${f},1,${4 * f},20,12,30,1,1,1`, `${f},2,5,50,10,20,1,1,1`);
  }
  writeFileSync(join(dir, 'S', 'det', 'det.txt'), `${det.join('\n')}\n`);
  writeFileSync(join(dir, 'S', 'gt', 'gt.txt'), `${gt.join('\n')}\n`);
  const emb = new Float32Array(det.length * 2).map((_, i) => i);
  writeFileSync(join(dir, 'S', 'det', 'emb.f32'), Buffer.from(emb.buffer));
  writeFileSync(join(dir, 'seqmap.txt'), 'name\nS\n');
  return dir;
}

const ALL_KINDS = [
  '--boxes',
  '2',
  '--box-seconds',
  '1',
  '--movers',
  '1',
  '--freezes',
  '1',
  '--freeze-frames',
  '4',
  '--drop',
  '0.1',
  '--jitter',
  '0.05',
  '--seed',
  '5',
];

function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.set(path.slice(dir.length), readFileSync(path));
    }
  }
  return out;
}

describe('pipetune augment on real videos', () => {
  it('keeps resolution, frame rate and frame count, copies the labels and records every occluder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pipetune-augment-'));
    const input = makeDataset(root);
    const out = join(root, 'out');
    const run = pipetuneSync(['augment', input, out, ...ALL_KINDS]);
    expect(run.stderr).toContain('augment [');
    expect(run.code).toBe(0);
    const before = await probeVideo(join(input, 'S.mp4'));
    const after = await probeVideo(join(out, 'S.mp4'));
    expect(after).toEqual(before);
    expect(after).toMatchObject({ width: 160, height: 96, rate: '12/1', frames: 24 });
    expect(readFileSync(join(out, 'S', 'gt', 'gt.txt'))).toEqual(
      readFileSync(join(input, 'S', 'gt', 'gt.txt')),
    );
    expect(readFileSync(join(out, 'S', 'seqinfo.ini'))).toEqual(
      readFileSync(join(input, 'S', 'seqinfo.ini')),
    );
    expect(readFileSync(join(out, 'seqmap.txt'), 'utf8')).toBe('name\nS\n');
    const manifest = JSON.parse(readFileSync(join(out, 'augment.json'), 'utf8'));
    expect(manifest.seed).toBe(5);
    const kinds = manifest.sequences[0].occluders.map((o: { kind: string }) => o.kind);
    expect(kinds).toEqual(['pole', 'box', 'box', 'mover', 'freeze']);
    // det/emb.f32 stays row-aligned with det.txt: each kept row carries its source row's embedding.
    const det = readFileSync(join(out, 'S', 'det', 'det.txt'), 'utf8')
      .trim()
      .split('\n');
    const emb = new Float32Array(new Uint8Array(readFileSync(join(out, 'S', 'det', 'emb.f32'))).buffer);
    expect(emb.length).toBe(det.length * 2);
    expect(manifest.sequences[0].detections.stats.output).toBe(det.length);
    expect(det.length).toBeLessThan(48);
  }, 120_000);

  it('paints the pole on the picture: white in the middle, the test pattern elsewhere', () => {
    const root = mkdtempSync(join(tmpdir(), 'pipetune-augment-'));
    const input = makeDataset(root, 6);
    const out = join(root, 'out');
    expect(pipetuneSync(['augment', input, out]).code).toBe(0);
    const gray = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      join(out, 'S.mp4'),
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      'pipe:1',
    ]);
    const row = gray.stdout.subarray(48 * 160, 49 * 160);
    // The pole: 0.04·160 = 6 px wide (77..82), centred.
    for (let x = 78; x <= 81; x++) expect(row[x]).toBeGreaterThan(230);
    expect(Math.min(...row.subarray(0, 70))).toBeLessThan(200);
  }, 60_000);

  it('writes byte-identical output for the same inputs and seed, and other output for another seed', () => {
    const root = mkdtempSync(join(tmpdir(), 'pipetune-augment-'));
    const input = makeDataset(root);
    for (const [out, seed] of [
      ['a', '5'],
      ['b', '5'],
      ['c', '6'],
    ] as const)
      expect(pipetuneSync(['augment', input, join(root, out), ...ALL_KINDS, '--seed', seed]).code).toBe(0);
    const a = filesOf(join(root, 'a'));
    expect(filesOf(join(root, 'b'))).toEqual(a);
    expect(filesOf(join(root, 'c')).get('/S.mp4')).not.toEqual(a.get('/S.mp4'));
  }, 180_000);
});

describe('pipetune augment on bad input', () => {
  /** Exit 2, one line naming `names` and saying `says`, and no OUT (not even half of one). */
  function rejects(
    args: string[],
    out: string,
    names: string,
    says: RegExp,
    env: Record<string, string> = {},
  ) {
    const run = pipetuneSync(['augment', ...args], undefined, env);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(names);
    expect(lines[0]).toMatch(says);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, '..')).filter((n) => n.includes('partial'))).toEqual([]);
  }

  it('a file that is not a video', () => {
    const root = mkdtempSync(join(tmpdir(), 'pipetune-augment-'));
    mkdirSync(join(root, 'in'));
    writeFileSync(join(root, 'in', 'S.mp4'), 'not a video\n');
    rejects(
      [join(root, 'in'), join(root, 'out')],
      join(root, 'out'),
      join(root, 'in', 'S.mp4'),
      /expected a readable video/,
    );
  });

  it('a truncated mp4, index at the end or at the start', () => {
    const root = mkdtempSync(join(tmpdir(), 'pipetune-augment-'));
    const input = makeDataset(root);
    const whole = readFileSync(join(input, 'S.mp4'));
    writeFileSync(join(input, 'S.mp4'), whole.subarray(0, whole.length >> 1));
    rejects([input, join(root, 'out')], join(root, 'out'), join(input, 'S.mp4'), /expected a readable video/);
    const faststart = join(root, 'fast.mp4');
    makeVideo(faststart, 160, 96, '12', 24);
    spawnSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      faststart,
      '-c',
      'copy',
      '-movflags',
      '+faststart',
      '-y',
      join(root, 'moov-first.mp4'),
    ]);
    const moovFirst = readFileSync(join(root, 'moov-first.mp4'));
    writeFileSync(join(input, 'S.mp4'), moovFirst.subarray(0, moovFirst.length >> 1));
    rejects([input, join(root, 'out')], join(root, 'out'), join(input, 'S.mp4'), /expected a readable video/);
  }, 60_000);

  it('ffmpeg missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'pipetune-augment-'));
    const input = makeDataset(root, 6);
    rejects(
      [input, join(root, 'out')],
      join(root, 'out'),
      join(input, 'S.mp4'),
      /not installed \(run npm run setup/,
      {
        PIPETUNE_FFPROBE: join(root, 'no-such-ffprobe'),
      },
    );
    rejects([input, join(root, 'out')], join(root, 'out'), join(input, 'S.mp4'), /not installed/, {
      PIPETUNE_FFMPEG: join(root, 'no-such-ffmpeg'),
    });
  }, 60_000);

  it('an occluder outside the frame', () => {
    const root = mkdtempSync(join(tmpdir(), 'pipetune-augment-'));
    const input = makeDataset(root, 6);
    const file = join(root, 'occluders.json');
    writeFileSync(
      file,
      JSON.stringify([{ kind: 'box', left: 150, top: 0, width: 20, height: 10, from: 1, to: 6 }]),
    );
    rejects(
      [input, join(root, 'out'), '--occluders', file],
      join(root, 'out'),
      file,
      /not inside the 160×96 frame/,
    );
    writeFileSync(file, JSON.stringify([{ kind: 'freeze', from: 3, to: 9 }]));
    rejects([input, join(root, 'out'), '--occluders', file], join(root, 'out'), file, /not within 1\.\.6/);
    rejects([input, join(root, 'out'), '--pole-at', '1.2'], join(root, 'out'), '--pole-at', /<=1/);
  }, 60_000);

  it('labels that do not fit the video', () => {
    const root = mkdtempSync(join(tmpdir(), 'pipetune-augment-'));
    const input = makeDataset(root, 6);
    const seqinfo = join(input, 'S', 'seqinfo.ini');
    writeFileSync(seqinfo, readFileSync(seqinfo, 'utf8').replace('seqLength=6', 'seqLength=7'));
    rejects([input, join(root, 'out')], join(root, 'out'), seqinfo, /seqLength=7 but the video has 6 frames/);
  }, 60_000);
});

describe('pipetune synth --video', () => {
  it('draws every camera as an mp4 of seqLength frames and leaves the labels as they are without it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pipetune-synth-video-'));
    const args = ['--cameras', '2', '--seconds', '1', '--fps', '6', '--people', '5'];
    expect(pipetuneSync(['synth', join(root, 'v', 'S'), ...args, '--video']).code).toBe(0);
    expect(pipetuneSync(['synth', join(root, 'p', 'S'), ...args]).code).toBe(0);
    for (const cam of ['Retail_Synthetic_Cam01', 'Retail_Synthetic_Cam02']) {
      const info = await probeVideo(join(root, 'v', 'S_videos', `${cam}.mp4`));
      expect(info).toMatchObject({ width: 1920, height: 1080, rate: '6/1', frames: 6 });
      expect(existsSync(join(root, 'p', 'S_videos', `${cam}.mp4`))).toBe(false);
    }
    const strip = (files: Map<string, Buffer>) => new Map([...files].filter(([k]) => !k.endsWith('.mp4')));
    expect(strip(filesOf(join(root, 'v')))).toEqual(filesOf(join(root, 'p')));
  }, 120_000);
});
