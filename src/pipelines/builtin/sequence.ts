/**
 * Reading one sequence folder of a dataset: `seqinfo.ini`, then either raw detector proposals
 * (`proposals/proposals.txt` + `proposals/embeddings.f32`, written by `pipetune synth`) or real
 * detections (`det/det.txt`, 7 or 10 MOT columns, + optional row-aligned `det/emb.f32`).
 * Embeddings are little-endian float32 rows of `ReID.reidFeatureSize` values.
 */
import { existsSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { InputError, inputError, quoted } from '../../errors.js';
import { lastFrame, MAX_SEQ_LENGTH, readDetections, seqLengthProblem } from '../../eval/motFiles.js';
import { parseRows } from '../../eval/table.js';
import { type InputScope, inputScope, readInput } from '../../inputFiles.js';
import { Embeddings } from './appearance.js';
import { ConfigFile } from './configFile.js';
import { type Detections, DetectionsBuilder } from './detections.js';

export interface SequenceInfo {
  name: string;
  dir: string;
  frames: number;
  /** Image size and frame rate: optional for tracking, needed by MTMC. */
  width: number | null;
  height: number | null;
  fps: number | null;
  /** The dataset folder: the sequence's files must resolve inside it. */
  scope: InputScope;
}

export interface SequenceInput {
  info: SequenceInfo;
  /** Raw proposals (synthetic detector output) or a detection file; both go through post-processing. */
  source: 'proposals' | 'detections';
  detections: Detections;
  embeddings: Embeddings | null;
}

const SEQ_LENGTH = ['Sequence', 'seqLength'];

export function readSequenceInfo(datasetDir: string, name: string): SequenceInfo {
  const dir = join(datasetDir, name);
  const path = join(dir, 'seqinfo.ini');
  if (!existsSync(dir))
    throw inputError(dir, undefined, `sequence folder ${quoted(name)} not found in ${datasetDir}`);
  const scope = inputScope(`the dataset folder ${datasetDir}`, datasetDir);
  const ini = ConfigFile.read(path, 'seqinfo.ini', scope);
  const optional = (key: string, range: { integer?: boolean }) =>
    ini.has(['Sequence', key]) ? ini.number(['Sequence', key], { ...range, above: 0 }) : null;
  return {
    name,
    dir,
    frames: ini.number(SEQ_LENGTH, { integer: true, min: 1, max: MAX_SEQ_LENGTH }),
    width: optional('imWidth', { integer: true }),
    height: optional('imHeight', { integer: true }),
    fps: optional('frameRate', {}),
    scope,
  };
}

/** Row order sorted by frame (stable), or null when the rows already are. */
function frameOrder(frame: Int32Array | Float64Array, count: number): Int32Array | null {
  for (let r = 1; r < count; r++) {
    if (frame[r]! < frame[r - 1]!)
      return Int32Array.from({ length: count }, (_, k) => k).sort((a, b) => frame[a]! - frame[b]! || a - b);
  }
  return null;
}

/** Float32 rows of `dim` values; every value must be finite. */
function readEmbeddings(path: string, dim: number, scope: InputScope): Embeddings {
  const bytes = readInput(path, { what: 'embeddings', scope });
  if (bytes.length % (4 * dim) !== 0) {
    throw inputError(
      path,
      undefined,
      `size ${bytes.length} bytes is not a whole number of rows of ${dim} float32 values (ReID.reidFeatureSize)`,
    );
  }
  const n = bytes.length / 4;
  let data: Float32Array;
  if (endianness() === 'LE' && bytes.byteOffset % 4 === 0)
    data = new Float32Array(bytes.buffer, bytes.byteOffset, n);
  else {
    data = new Float32Array(n);
    for (let k = 0; k < n; k++) data[k] = bytes.readFloatLE(4 * k);
  }
  const embeddings = new Embeddings(data, dim);
  const bad = embeddings.norms.findIndex((norm) => !Number.isFinite(norm));
  if (bad >= 0) throw inputError(path, undefined, `row ${bad} holds a non-finite value`);
  return embeddings;
}

const PROPOSAL_LAYOUT = 'frame,left,top,width,height,confidence,embedding-row';

function readProposals(path: string, info: SequenceInfo): { detections: Detections; maxRow: number } {
  const table = parseRows(readInput(path, { what: 'proposals', scope: info.scope }), path, 7);
  if (table.count === 0) throw inputError(path, undefined, 'no proposals (empty file)');
  const v = table.values;
  const frames = new Int32Array(table.count);
  let maxRow = -1;
  for (let r = 0; r < table.count; r++) {
    const line = table.line[r]!;
    if (table.fields[r]! !== 7)
      throw inputError(path, line, `expected 7 columns (${PROPOSAL_LAYOUT}), found ${table.fields[r]}`);
    const b = r * 7;
    checkRow(path, line, v[b]!, v[b + 1]!, v[b + 2]!, v[b + 3]!, v[b + 4]!, v[b + 5]!, info.frames);
    const row = v[b + 6]!;
    if (!Number.isInteger(row) || row < -1)
      throw inputError(path, line, `embedding row ${row} is not an integer >= -1`);
    if (row > maxRow) maxRow = row;
    frames[r] = v[b]!;
  }
  checkSeqLength(info, frames, 'proposals/proposals.txt');
  const order = frameOrder(frames, table.count);
  const builder = new DetectionsBuilder(info.frames, table.count);
  for (let k = 0; k < table.count; k++) {
    const b = (order ? order[k]! : k) * 7;
    builder.beginFrame(v[b]!);
    builder.add(v[b + 1]!, v[b + 2]!, v[b + 3]!, v[b + 4]!, v[b + 5]!, v[b + 6]!);
  }
  return { detections: builder.finish(), maxRow };
}

function checkRow(
  file: string,
  line: number,
  frame: number,
  l: number,
  t: number,
  w: number,
  h: number,
  c: number,
  frames: number,
): void {
  if (!Number.isInteger(frame) || frame < 1 || frame > frames)
    throw inputError(file, line, `frame ${frame} is not an integer within 1..${frames} (seqLength)`);
  if (![l, t, w, h, c].every(Number.isFinite))
    throw inputError(file, line, 'box and confidence must be finite numbers');
  if (w <= 0 || h <= 0) throw inputError(file, line, `box ${w}×${h} has no area`);
}

/** Before per-frame arrays are sized by seqLength: it must fit the boxes' frames. */
function checkSeqLength(info: SequenceInfo, frames: Int32Array, boxes: string): void {
  const problem = seqLengthProblem(info.frames, lastFrame(frames), boxes);
  if (!problem) return;
  const seqinfo = ConfigFile.read(join(info.dir, 'seqinfo.ini'), 'seqinfo.ini', info.scope);
  throw inputError(seqinfo.file, seqinfo.line(SEQ_LENGTH), problem);
}

function readRealDetections(path: string, info: SequenceInfo): Detections {
  const rows = readDetections(path, info.frames, info.scope);
  if (rows.count === 0) throw inputError(path, undefined, 'no detections (empty file)');
  for (let r = 0; r < rows.count; r++) {
    checkRow(
      path,
      rows.line[r]!,
      rows.frame[r]!,
      rows.left[r]!,
      rows.top[r]!,
      rows.width[r]!,
      rows.height[r]!,
      rows.score[r]!,
      info.frames,
    );
  }
  checkSeqLength(info, rows.frame, 'det/det.txt');
  const order = frameOrder(rows.frame, rows.count);
  const builder = new DetectionsBuilder(info.frames, rows.count);
  for (let k = 0; k < rows.count; k++) {
    const r = order ? order[k]! : k;
    builder.beginFrame(rows.frame[r]!);
    // det/emb.f32 is row-aligned with det.txt: row r's embedding is row r.
    builder.add(rows.left[r]!, rows.top[r]!, rows.width[r]!, rows.height[r]!, rows.score[r]!, r);
  }
  return builder.finish();
}

/**
 * Reads a sequence's detections and, when `embeddingDim` is given, its embeddings (required with
 * proposals, optional next to det.txt).
 */
export function readSequence(info: SequenceInfo, embeddingDim: number | null): SequenceInput {
  const proposals = join(info.dir, 'proposals', 'proposals.txt');
  const det = join(info.dir, 'det', 'det.txt');
  if (existsSync(proposals)) {
    const { detections, maxRow } = readProposals(proposals, info);
    if (embeddingDim === null) return { info, source: 'proposals', detections, embeddings: null };
    const embeddings = readEmbeddings(
      join(info.dir, 'proposals', 'embeddings.f32'),
      embeddingDim,
      info.scope,
    );
    if (maxRow >= embeddings.rows) {
      throw inputError(
        proposals,
        undefined,
        `refers to embedding row ${maxRow}, but embeddings.f32 holds ${embeddings.rows} rows of ${embeddingDim} values`,
      );
    }
    return { info, source: 'proposals', detections, embeddings };
  }
  if (existsSync(det)) {
    const detections = readRealDetections(det, info);
    const embPath = join(info.dir, 'det', 'emb.f32');
    if (embeddingDim === null || !existsSync(embPath)) {
      detections.embedding.fill(-1);
      return { info, source: 'detections', detections, embeddings: null };
    }
    const embeddings = readEmbeddings(embPath, embeddingDim, info.scope);
    if (embeddings.rows !== detections.count) {
      throw inputError(
        embPath,
        undefined,
        `holds ${embeddings.rows} rows, but det.txt has ${detections.count} detections (one row each)`,
      );
    }
    return { info, source: 'detections', detections, embeddings };
  }
  throw new InputError(`${info.dir}: neither proposals/proposals.txt nor det/det.txt found`);
}
