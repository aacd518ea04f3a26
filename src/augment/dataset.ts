/**
 * `pipetune augment IN OUT`: a dataset folder in PipeTuner's layout (`<seq>.mp4` next to `<seq>/` with
 * seqinfo.ini, gt/gt.txt and the built-in pipeline's detections) copied with occluders painted on
 * every video and applied to every detection file. Everything is checked before anything is written;
 * the copy is built in a hidden sibling folder and renamed to OUT only when complete, so OUT is never
 * half-written (a crash leaves only the hidden folder).
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { InputError, inputError } from '../errors.js';
import { makeDirectory, writeOutputFile } from '../outputFiles.js';
import { readSequenceInfo } from '../pipelines/builtin/sequence.js';
import { Random } from '../synth/random.js';
import {
  DET_LAYOUT,
  type DetectionOptions,
  type DetectionRow,
  type DetectionStats,
  occludeDetections,
  PROPOSALS_LAYOUT,
  type RowLayout,
} from './detections.js';
import { checkSameShape, encodeVideo, probeVideo, requireFfmpeg, type VideoInfo } from './ffmpeg.js';
import { filterGraph } from './filters.js';
import { type LabelOptions, markHiddenAsDistractors } from './labels.js';
import {
  type FrameSize,
  type Occluder,
  type OccluderOptions,
  occluderProblem,
  planOccluders,
} from './occluders.js';

export interface AugmentOptions extends OccluderOptions, DetectionOptions, LabelOptions {
  seed: number;
  /** Occluders given explicitly (pixels, 1-based frames), added to every sequence. */
  extra: Occluder[];
  /** The file they came from, for messages. */
  extraFile: string | null;
}

export type Progress = (done: number, total: number, what: string) => void;

interface Sequence {
  name: string;
  /** `<name>.mp4` next to the folder, if any. */
  video: string | null;
  /** The sequence folder, if any (a video may come alone). */
  dir: string | null;
  videoInfo: VideoInfo | null;
  size: FrameSize;
  occluders: Occluder[];
}

export interface SequenceRecord {
  name: string;
  video: string | null;
  width: number;
  height: number;
  frames: number;
  fps: number;
  occluders: Occluder[];
  detections: { file: string; stats: DetectionStats } | null;
  groundTruth: { policy: string; ignored: number; layout: 'as input' | 'MOT17 (from MOT15)' } | null;
}

const TRANSFORMED = [
  join('gt', 'gt.txt'),
  join('det', 'det.txt'),
  join('det', 'emb.f32'),
  join('proposals', 'proposals.txt'),
];

export async function augmentDataset(
  input: string,
  output: string,
  options: AugmentOptions,
  progress: Progress,
): Promise<SequenceRecord[]> {
  const inDir = resolve(input);
  const outDir = resolve(output);
  if (!statSync(inDir, { throwIfNoEntry: false })?.isDirectory())
    throw inputError(inDir, undefined, 'expected a dataset folder (<seq>.mp4 and/or <seq>/seqinfo.ini)');
  if (existsSync(outDir)) throw inputError(outDir, undefined, 'already exists; expected a new folder');
  if (`${outDir}${sep}`.startsWith(`${inDir}${sep}`))
    throw inputError(outDir, undefined, `is inside the input folder ${inDir}; expected a folder outside it`);

  const sequences = await findSequences(inDir, options);
  if (sequences.length === 0)
    throw inputError(
      inDir,
      undefined,
      'holds no videos (<seq>.mp4) and no sequence folders (<seq>/seqinfo.ini)',
    );

  const aside = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}`);
  rmSync(aside, { recursive: true, force: true });
  makeDirectory(dirname(outDir));
  try {
    const records = await writeAugmented(inDir, aside, sequences, options, progress);
    const manifest = {
      tool: 'pipetune augment',
      seed: options.seed,
      options: recordedOptions(options),
      sequences: records,
    };
    writeOutputFile(join(aside, 'augment.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(aside, outDir);
    return records;
  } catch (err) {
    rmSync(aside, { recursive: true, force: true });
    throw err;
  }
}

/** The options that shape the output (the explicit occluders are recorded per sequence). */
function recordedOptions(options: AugmentOptions): Omit<AugmentOptions, 'extra' | 'extraFile' | 'seed'> {
  const { extra: _extra, extraFile: _file, seed: _seed, ...rest } = options;
  return rest;
}

async function findSequences(inDir: string, options: AugmentOptions): Promise<Sequence[]> {
  const entries = readdirSync(inDir, { withFileTypes: true });
  const videos = new Map(
    entries
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.mp4'))
      .map((e) => [e.name.slice(0, -4), join(inDir, e.name)]),
  );
  const dirs = new Map(
    entries
      .filter((e) => e.isDirectory() && existsSync(join(inDir, e.name, 'seqinfo.ini')))
      .map((e) => [e.name, join(inDir, e.name)]),
  );
  const names = [...new Set([...videos.keys(), ...dirs.keys()])].sort();
  const firstVideo = [...videos.values()].sort()[0];
  if (firstVideo) await requireFfmpeg(firstVideo);
  const out: Sequence[] = [];
  for (const name of names) {
    const video = videos.get(name) ?? null;
    const dir = dirs.get(name) ?? null;
    const videoInfo = video ? await probeVideo(video) : null;
    const size = frameSize(inDir, name, video, dir, videoInfo);
    const occluders = [...planOccluders(size, options, options.seed, name), ...options.extra];
    options.extra.forEach((o, k) => {
      const problem = occluderProblem(o, size);
      if (problem)
        throw new InputError(
          `${options.extraFile ?? '--occluders'}: occluder ${k + 1} (${o.kind}) does not fit sequence ${name}: ${problem}`,
        );
    });
    out.push({ name, video, dir, videoInfo, size, occluders });
  }
  return out;
}

/** The frame size from the video, checked against seqinfo.ini when both exist; from seqinfo.ini alone otherwise. */
function frameSize(
  inDir: string,
  name: string,
  video: string | null,
  dir: string | null,
  info: VideoInfo | null,
): FrameSize {
  const seq = dir ? readSequenceInfo(inDir, name) : null;
  if (info && seq) {
    const differs: string[] = [];
    if (seq.frames !== info.frames)
      differs.push(`seqLength=${seq.frames} but the video has ${info.frames} frames`);
    if (seq.width !== null && seq.width !== info.width)
      differs.push(`imWidth=${seq.width} but the video is ${info.width} wide`);
    if (seq.fps !== null && Math.abs(seq.fps - info.fps) > 1e-6)
      differs.push(`frameRate=${seq.fps} but the video runs at ${info.rate}`);
    if (seq.height !== null && seq.height !== info.height)
      differs.push(`imHeight=${seq.height} but the video is ${info.height} high`);
    if (differs.length)
      throw inputError(
        join(dir!, 'seqinfo.ini'),
        undefined,
        `does not match ${video}: ${differs.join('; ')}`,
      );
  }
  if (info) return { width: info.width, height: info.height, frames: info.frames, fps: info.fps };
  if (seq!.width === null || seq!.height === null || seq!.fps === null)
    throw inputError(
      join(dir!, 'seqinfo.ini'),
      undefined,
      'expected imWidth, imHeight and frameRate in [Sequence]: occluders are placed in pixels',
    );
  return { width: seq!.width, height: seq!.height, frames: seq!.frames, fps: seq!.fps };
}

async function writeAugmented(
  inDir: string,
  aside: string,
  sequences: readonly Sequence[],
  options: AugmentOptions,
  progress: Progress,
): Promise<SequenceRecord[]> {
  const videoNames = new Set(sequences.filter((s) => s.video).map((s) => `${s.name}.mp4`));
  const seqDirs = new Set(sequences.filter((s) => s.dir).map((s) => s.dir!));
  // Everything but the videos and the files rewritten below is copied as it is (seqmaps, seqinfo.ini, embeddings…).
  cpSync(inDir, aside, {
    recursive: true,
    filter: (src) => {
      const rel = relative(inDir, src);
      if (videoNames.has(rel)) return false;
      const dir = dirname(dirname(src));
      return !(seqDirs.has(dir) && TRANSFORMED.includes(relative(dir, src)));
    },
  });
  const total = sequences.reduce((n, s) => n + (s.videoInfo?.frames ?? 0) + 1, 0);
  let done = 0;
  const records: SequenceRecord[] = [];
  for (const seq of sequences) {
    const random = new Random(options.seed).fork(`detections-${seq.name}`);
    const detections = seq.dir ? augmentDetections(seq, join(aside, seq.name), options, random) : null;
    const groundTruth = seq.dir ? augmentGroundTruth(seq, join(aside, seq.name), options) : null;
    progress(++done, total, seq.name);
    if (seq.video && seq.videoInfo) {
      const target = join(aside, `${seq.name}.mp4`);
      const start = done;
      await encodeVideo(seq.video, filterGraph(seq.occluders, seq.size), target, (frame) =>
        progress(start + frame, total, seq.name),
      );
      await checkSameShape(seq.videoInfo, target);
      done = start + seq.videoInfo.frames;
      progress(done, total, seq.name);
    }
    records.push({
      name: seq.name,
      video: seq.video ? `${seq.name}.mp4` : null,
      ...seq.size,
      occluders: seq.occluders,
      detections,
      groundTruth,
    });
  }
  return records;
}

/** Rows of a comma-separated MOT-style file with their 1-based line numbers. */
function readRows(file: string): { fields: string[]; line: number }[] {
  const text = readFileSync(file, 'utf8');
  const rows: { fields: string[]; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line) rows.push({ fields: line.split(/\s*,\s*|\s+/), line: i + 1 });
  });
  return rows;
}

function augmentDetections(
  seq: Sequence,
  outSeq: string,
  options: DetectionOptions,
  random: Random,
): SequenceRecord['detections'] {
  const proposals = join('proposals', 'proposals.txt');
  const det = join('det', 'det.txt');
  const [rel, layout]: [string, RowLayout] | [null, null] = existsSync(join(seq.dir!, proposals))
    ? [proposals, PROPOSALS_LAYOUT]
    : existsSync(join(seq.dir!, det))
      ? [det, DET_LAYOUT]
      : [null, null];
  if (!rel || !layout) return null;
  const file = join(seq.dir!, rel);
  const rows: DetectionRow[] = readRows(file).map(({ fields, line }) => {
    const frame = Number(fields[0]);
    const numbers = fields.slice(layout.box, layout.score + 1).map(Number);
    if (fields.length <= layout.score || !numbers.every(Number.isFinite))
      throw inputError(file, line, `expected a frame, a box and a score in columns 1..${layout.score + 1}`);
    if (!Number.isInteger(frame) || frame < 1 || frame > seq.size.frames)
      throw inputError(file, line, `frame ${fields[0]} is not an integer within 1..${seq.size.frames}`);
    return { fields, frame };
  });
  const result = occludeDetections(rows, layout, seq.occluders, seq.size, options, random);
  writeOutputFile(
    join(outSeq, rel),
    result.rows.length ? `${result.rows.map((r) => r.text).join('\n')}\n` : '',
  );
  const emb = join(seq.dir!, 'det', 'emb.f32');
  if (rel === det && existsSync(emb))
    writeRowAligned(emb, rows.length, result.rows, join(outSeq, 'det', 'emb.f32'));
  return { file: rel.split(sep).join('/'), stats: result.stats };
}

/** det/emb.f32 follows det.txt row for row: keep the rows of the detections kept, repeated where they are. */
function writeRowAligned(
  file: string,
  inputRows: number,
  kept: readonly { source: number }[],
  target: string,
): void {
  const bytes = readFileSync(file);
  const rowBytes = bytes.length / inputRows;
  if (!Number.isInteger(rowBytes) || rowBytes % 4 !== 0)
    throw inputError(
      file,
      undefined,
      `size ${bytes.length} bytes is not ${inputRows} rows of float32 values (one per det.txt row)`,
    );
  const out = Buffer.alloc(kept.length * rowBytes);
  kept.forEach((r, i) => {
    bytes.copy(out, i * rowBytes, r.source * rowBytes, (r.source + 1) * rowBytes);
  });
  writeOutputFile(target, out);
}

function augmentGroundTruth(
  seq: Sequence,
  outSeq: string,
  options: LabelOptions,
): SequenceRecord['groundTruth'] {
  const file = join(seq.dir!, 'gt', 'gt.txt');
  if (!existsSync(file)) return null;
  const target = join(outSeq, 'gt', 'gt.txt');
  if (options.labelPolicy === 'keep') {
    copyFileSync(file, target);
    return { policy: 'keep', ignored: 0, layout: 'as input' };
  }
  const result = markHiddenAsDistractors(
    readRows(file),
    seq.occluders,
    seq.size,
    options.ignoreAbove,
    (line, reason) => inputError(file, line, reason),
  );
  writeOutputFile(target, result.text);
  return {
    policy: options.labelPolicy,
    ignored: result.ignored,
    layout: result.mot17Layout ? 'MOT17 (from MOT15)' : 'as input',
  };
}
