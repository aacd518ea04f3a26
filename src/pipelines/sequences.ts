/**
 * The sequences a DeepStream run plays: their names (the seqmap, or every sequence folder), the video
 * file of each, and its native size from `seqinfo.ini` (`imWidth`/`imHeight`), which decides the
 * streammux resolution and how KITTI boxes are scaled back.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InputError } from '../errors.js';
import { readSeqmap } from '../eval/motFiles.js';
import { inputScope, readInputText } from '../inputFiles.js';
import { readIni } from '../overlay/ini.js';

export const VIDEO_EXTENSIONS = [
  '.mp4',
  '.mkv',
  '.mov',
  '.avi',
  '.webm',
  '.ts',
  '.h264',
  '.h265',
  '.264',
  '.265',
];

export interface SequenceSource {
  name: string;
  /** Absolute path of the video file. */
  video: string;
  /** Native frame size, when seqinfo.ini gives it. */
  size?: { width: number; height: number };
}

async function listDir(dir: string): Promise<{ name: string; isFile: boolean; isDir: boolean }[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new InputError(`${dir}: dataset folder not found`);
  });
  return entries.map((e) => ({ name: e.name, isFile: e.isFile(), isDir: e.isDirectory() }));
}

const isVideo = (name: string) => VIDEO_EXTENSIONS.includes(extname(name).toLowerCase());
const stem = (name: string) => name.slice(0, name.length - extname(name).length);

/** Sequence names: the seqmap's, or every folder of the dataset holding a seqinfo.ini, sorted. */
async function sequenceNames(datasetDir: string, seqmapPath?: string): Promise<string[]> {
  if (seqmapPath) return readSeqmap(seqmapPath);
  const names = (await listDir(datasetDir))
    .filter((e) => e.isDir && existsSync(join(datasetDir, e.name, 'seqinfo.ini')))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) throw new InputError(`${datasetDir}: no sequence folders (<seq>/seqinfo.ini)`);
  return names;
}

/**
 * The video of a sequence: the only video file in `<dataset>/<seq>/` (or the one named `<seq>.<ext>`
 * when there are several), else `<dataset>/<seq>.<ext>`.
 */
async function findVideo(datasetDir: string, name: string): Promise<string> {
  const folder = join(datasetDir, name);
  const videos = existsSync(folder)
    ? (await listDir(folder)).filter((e) => e.isFile && isVideo(e.name)).map((e) => e.name)
    : [];
  const pick = videos.length === 1 ? videos[0] : videos.find((file) => stem(file) === name);
  if (pick) return join(folder, pick);
  if (videos.length > 1) {
    throw new InputError(
      `${folder}: several videos (${videos.join(', ')}); keep one, or name the one to play ${name}.<ext>`,
    );
  }
  const beside = (await listDir(datasetDir)).find(
    (e) => e.isFile && isVideo(e.name) && stem(e.name) === name,
  );
  if (beside) return join(datasetDir, beside.name);
  throw new InputError(
    `sequence ${name}: no video file in ${folder}/ or ${join(datasetDir, `${name}.<ext>`)} (${VIDEO_EXTENSIONS.join(' ')})`,
  );
}

async function frameSize(datasetDir: string, name: string): Promise<SequenceSource['size']> {
  const file = join(datasetDir, name, 'seqinfo.ini');
  if (!existsSync(file)) return undefined;
  const text = readInputText(file, {
    what: 'seqinfo.ini',
    scope: inputScope(`the dataset folder ${datasetDir}`, datasetDir),
  });
  const width = readIni(text, file, ['Sequence', 'imWidth']);
  const height = readIni(text, file, ['Sequence', 'imHeight']);
  if (!width.found || !height.found) return undefined;
  const valid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
  if (!valid(width.value) || !valid(height.value)) {
    throw new InputError(`${file}: imWidth and imHeight must be positive integers`);
  }
  return { width: width.value, height: height.value };
}

export async function datasetSources(datasetDir: string, seqmapPath?: string): Promise<SequenceSource[]> {
  const names = await sequenceNames(datasetDir, seqmapPath);
  return Promise.all(
    names.map(async (name) => {
      const size = await frameSize(datasetDir, name);
      return { name, video: await findVideo(datasetDir, name), ...(size ? { size } : {}) };
    }),
  );
}

/** The frame size every source shares, if they all give the same one. */
export function commonSize(sources: SequenceSource[]): SequenceSource['size'] {
  const first = sources[0]?.size;
  if (!first) return undefined;
  return sources.every((s) => s.size?.width === first.width && s.size.height === first.height)
    ? first
    : undefined;
}
