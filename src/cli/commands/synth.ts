import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { encodeFrames, probeVideo } from '../../augment/ffmpeg.js';
import { InputError } from '../../errors.js';
import { makeDirectory, writeOutputFile } from '../../outputFiles.js';
import { buildScene, calibrationJson, renderSequence, type Scene } from '../../synth/dataset.js';
import { FramePainter } from '../../synth/video.js';
import type { Sighting } from '../../synth/visibility.js';
import { numberFlag, parseCommandArgs } from '../args.js';

const USAGE = `usage: pipetune synth OUT [options]

Seeded synthetic retail scene seen by calibrated cameras (same seed → byte-identical files).
OUT=data/SDG_sample writes data/SDG_sample_videos/<seq>/{seqinfo.ini, gt/gt.txt, proposals/}
and data/SDG_sample_utils/{SDG_sample_all.txt, calibration.json, ground_truth.txt}.

  --cameras N    cameras (default 8, at most 99)
  --seconds S    duration (default 60, at most 3600)
  --fps F        frame rate (default 30, at most 120)
  --people N     people on the floor at once (default 12, at most 1000)
  --seed S       random seed (default 1)
  --video        also draw each camera as data/SDG_sample_videos/<seq>.mp4 (ffmpeg; people as ellipses
                 on the floor, shelves hiding them; the ground truth is the same with or without it)
  -h, --help     this text
`;

const OPTIONS = {
  cameras: { type: 'string' },
  seconds: { type: 'string' },
  fps: { type: 'string' },
  people: { type: 'string' },
  seed: { type: 'string' },
  video: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MAXIMA = { cameras: 99, seconds: 3600, fps: 120, people: 1000 };

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('synth', argv, OPTIONS);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(
      'pipetune synth: expected one output path, e.g. data/SDG_sample (see pipetune synth --help)',
    );
  const options = {
    cameras: numberFlag('cameras', values.cameras, 8, { integer: true, min: 1 }),
    seconds: numberFlag('seconds', values.seconds, 60, { min: 1 }),
    fps: numberFlag('fps', values.fps, 30, { integer: true, min: 1 }),
    people: numberFlag('people', values.people, 12, { integer: true, min: 1 }),
    seed: numberFlag('seed', values.seed, 1, { integer: true, min: 0 }),
  };
  // Upper bounds catch typos such as --seconds 6e6 before they run for days or exhaust memory.
  for (const [flag, max] of Object.entries(MAXIMA) as [keyof typeof MAXIMA, number][]) {
    if (options[flag] > max) throw new InputError(`--${flag}: expected at most ${max}, got ${options[flag]}`);
  }
  const out = resolve(positionals[0]!);
  const name = basename(out);
  const videos = `${out}_videos`;
  const utils = `${out}_utils`;
  makeDirectory(utils);

  const scene = buildScene(options);
  const groundTruth: string[] = [];
  for (let i = 0; i < scene.cameras.length; i++) {
    const seq = renderSequence(scene, i, values.video ?? false);
    const dir = join(videos, seq.name);
    makeDirectory(join(dir, 'gt'));
    makeDirectory(join(dir, 'proposals'));
    writeOutputFile(join(dir, 'seqinfo.ini'), seq.seqinfo);
    writeOutputFile(join(dir, 'gt', 'gt.txt'), seq.gt);
    writeOutputFile(join(dir, 'proposals', 'proposals.txt'), seq.proposals);
    writeOutputFile(join(dir, 'proposals', 'embeddings.f32'), littleEndian(seq.embeddings));
    groundTruth.push(seq.mtmcGroundTruth);
    if (seq.sightings) await writeVideo(scene, i, seq.sightings, join(videos, `${seq.name}.mp4`));
    process.stdout.write(`synth: ${seq.name} (${i + 1}/${scene.cameras.length})\n`);
  }
  writeOutputFile(join(utils, `${name}_all.txt`), `name\n${scene.cameras.map((c) => c.name).join('\n')}\n`);
  writeOutputFile(join(utils, 'calibration.json'), calibrationJson(scene));
  writeOutputFile(join(utils, 'ground_truth.txt'), groundTruth.join(''));
  process.stdout.write(
    `synth: ${scene.people.length} people, ${scene.frames} frames → ${dirname(out)}/${name}_{videos,utils}\n`,
  );
  return 0;
}

/** The camera's frames as an mp4, written aside and renamed once its frame count is checked. */
async function writeVideo(
  scene: Scene,
  index: number,
  sightings: Sighting[][],
  target: string,
): Promise<void> {
  const cam = scene.cameras[index]!;
  const painter = new FramePainter(cam, scene.floor);
  const aside = `${target}.partial-${process.pid}.mp4`;
  const size = { width: cam.width, height: cam.height, fps: scene.options.fps };
  try {
    await encodeFrames(aside, size, sightings.length, (f) => painter.paint(sightings[f]!));
    const written = await probeVideo(aside);
    if (written.frames !== sightings.length)
      throw new InputError(`${target}: ffmpeg wrote ${written.frames} frames instead of ${sightings.length}`);
    renameSync(aside, target);
  } finally {
    rmSync(aside, { force: true });
  }
}

/** The bytes of a Float32Array in little-endian order, whatever the host's byte order. */
function littleEndian(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}
