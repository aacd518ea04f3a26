/**
 * deepstream-app's KITTI track dump → MOTChallenge files. deepstream-app writes one file per stream
 * and frame, `<app>_<stream>_<frame>.txt` (frame 0-based, a file even for an empty frame), with rows
 * `label id 0.0 0 0.0 left top right bottom` + 7 × `0.0` + `confidence` (17 fields; 20 with the 3D
 * tracker's `visibility footX footY`). Boxes are in streammux pixels. A MOT row is
 * `frame,id,left,top,width,height,conf,-1,-1,-1` with 1-based frames.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputScope, readInputText } from '../inputFiles.js';

export interface KittiStream {
  /** Sequence name: the MOT file is `<name>.txt`. */
  name: string;
  /** From streammux pixels to the sequence's own pixels. */
  scale: { x: number; y: number };
}

export interface KittiOptions {
  /** Keep only rows with these labels (e.g. `person`); all when absent. */
  labels?: string[];
}

/** deepstream's id for an object the tracker did not track (2^64 − 1). */
const UNTRACKED_ID = '18446744073709551615';

const DUMP_NAME = /^(\d+)_(\d+)_(\d+)\.txt$/;

export interface DumpFile {
  stream: number;
  /** 0-based, as in the file name. */
  frame: number;
  file: string;
}

export function parseDumpName(name: string): Omit<DumpFile, 'file'> | undefined {
  const match = DUMP_NAME.exec(name);
  return match ? { stream: Number(match[2]), frame: Number(match[3]) } : undefined;
}

export interface TrackRow {
  frame: number;
  /** uint64 as text: ids of `useUniqueID` trackers exceed 2^53. */
  id: string;
  left: number;
  top: number;
  width: number;
  height: number;
  confidence: number;
}

function field(fields: string[], index: number, where: string): number {
  const value = Number(fields[index]);
  if (!Number.isFinite(value))
    throw new Error(`${where}: field ${index + 1} "${fields[index]}" is not a number`);
  return value;
}

/** The tracked rows of one dump file (frame is the MOT frame, 1-based). */
export function parseKittiTracks(
  text: string,
  file: string,
  frame: number,
  scale: KittiStream['scale'],
  options: KittiOptions = {},
): TrackRow[] {
  const rows: TrackRow[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file}:${index + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length !== 17 && fields.length !== 20) {
      throw new Error(
        `${where}: expected 17 or 20 space-separated fields (KITTI track row), found ${fields.length}`,
      );
    }
    const [label, id] = fields as [string, string];
    if (!/^\d+$/.test(id)) throw new Error(`${where}: track id "${id}" is not a non-negative integer`);
    if (id === UNTRACKED_ID || (options.labels && !options.labels.includes(label))) return;
    // label id truncation occlusion alpha | left top right bottom | 7 × 3D | confidence
    const left = field(fields, 5, where);
    const top = field(fields, 6, where);
    rows.push({
      frame,
      id: id.replace(/^0+(?=\d)/, ''),
      left: left * scale.x,
      top: top * scale.y,
      width: (field(fields, 7, where) - left) * scale.x,
      height: (field(fields, 8, where) - top) * scale.y,
      confidence: field(fields, 16, where),
    });
  });
  return rows;
}

/** Drops repeats of a (frame, id) pair (past-frame rows appended later), keeping the first. */
function firstPerFrameAndId(rows: TrackRow[]): TrackRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = `${row.frame} ${row.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Ids above 2^53 would collide as numbers: such a sequence gets ids 1..n in order of appearance. */
function safeIds(rows: TrackRow[]): TrackRow[] {
  if (rows.every((row) => Number.isSafeInteger(Number(row.id)))) return rows;
  const numbers = new Map<string, string>();
  return rows.map((row) => {
    let id = numbers.get(row.id);
    if (id === undefined) {
      id = String(numbers.size + 1);
      numbers.set(row.id, id);
    }
    return { ...row, id };
  });
}

/** Six decimals, as deepstream prints them, without float noise from the subtraction. */
const num = (value: number) => String(Number(value.toFixed(6)));

export function motText(rows: TrackRow[]): string {
  return rows
    .map(
      (r) =>
        `${r.frame},${r.id},${num(r.left)},${num(r.top)},${num(r.width)},${num(r.height)},${num(r.confidence)},-1,-1,-1\n`,
    )
    .join('');
}

/** The dump files of a folder by stream index, each sorted by frame; other files are ignored. */
export async function listDumps(dumpDir: string): Promise<Map<number, DumpFile[]>> {
  const byStream = new Map<number, DumpFile[]>();
  for (const name of await readdir(dumpDir)) {
    const parsed = parseDumpName(name);
    if (!parsed) continue;
    const files = byStream.get(parsed.stream) ?? [];
    files.push({ ...parsed, file: join(dumpDir, name) });
    byStream.set(parsed.stream, files);
  }
  for (const files of byStream.values()) files.sort((a, b) => a.frame - b.frame);
  return byStream;
}

export interface ConversionSummary {
  /** Sequences written, with their frame-file and row counts. */
  written: { name: string; frames: number; rows: number }[];
  /** Sequences whose stream has no dump file at all (so no MOT file is written). */
  missing: string[];
}

/** Writes `<outputDir>/<name>.txt` for every stream that left dump files. */
export async function convertKittiDumps(
  dumpDir: string,
  streams: KittiStream[],
  outputDir: string,
  options: KittiOptions = {},
): Promise<ConversionSummary> {
  const dumps = await listDumps(dumpDir);
  // The pipeline wrote these files: a dump symlinked out of its folder (or to a device) is refused.
  const scope = inputScope(`the dump folder ${dumpDir}`, dumpDir);
  const summary: ConversionSummary = { written: [], missing: [] };
  for (const [index, stream] of streams.entries()) {
    const files = dumps.get(index);
    if (!files) {
      summary.missing.push(stream.name);
      continue;
    }
    const rows: TrackRow[] = [];
    for (const dump of files) {
      rows.push(
        ...parseKittiTracks(
          readInputText(dump.file, { what: 'KITTI dump', scope }),
          dump.file,
          dump.frame + 1,
          stream.scale,
          options,
        ),
      );
    }
    const kept = safeIds(firstPerFrameAndId(rows));
    await writeFile(join(outputDir, `${stream.name}.txt`), motText(kept));
    summary.written.push({ name: stream.name, frames: files.length, rows: kept.length });
  }
  return summary;
}
