import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import type { Params } from '../../src/space/types.js';
import { checkpointName } from '../../src/study/layout.js';
import type { StudyManifest, TrialRecord } from '../../src/study/records.js';

export function tempDir(prefix = 'pipetune-results-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function manifest(overrides: Partial<StudyManifest> = {}): StudyManifest {
  return {
    name: 'sdg-mot',
    configPath: '/nowhere/configs/sdg-mot.yml',
    rootDir: '/nowhere',
    metric: 'HOTA',
    minimize: false,
    createdAt: '2026-11-25T06:15:00.000Z',
    stamp: '20261125-061500',
    ...overrides,
  };
}

interface TrialSpec {
  trial: number;
  optimizer?: string;
  iteration?: number;
  repeat?: number;
  params?: Params;
  /** null: a failed run. */
  score: number | null;
  metrics?: Record<string, number>;
}

/** A trial record; metrics default to HOTA = score plus fixed MOTA/IDF1 offsets. */
export function trial({
  trial,
  optimizer = 'tpe',
  iteration = trial,
  repeat = 0,
  params = { a: trial },
  score,
  metrics,
}: TrialSpec): TrialRecord {
  const failed = score === null;
  const checkpoint = checkpointName({ trial, optimizer });
  return {
    key: `${optimizer}/${iteration}/${repeat}`,
    trial,
    optimizer,
    iteration,
    repeat,
    params,
    status: failed ? 'failed' : 'ok',
    score,
    metrics: failed
      ? {}
      : (metrics ?? {
          HOTA: score,
          DetA: score + 0.01,
          AssA: score - 0.01,
          MOTA: score + 0.1,
          IDF1: score + 0.05,
        }),
    exitCode: failed ? 1 : 0,
    execMs: 12_345,
    evalMs: 678,
    startedAt: '2026-11-25T06:20:00.000Z',
    finishedAt: `2026-11-25T06:${String(20 + (trial % 40)).padStart(2, '0')}:30.000Z`,
    checkpoint,
    ...(failed
      ? {
          error: {
            message: 'pipeline exited with code 1',
            lines: ['ERROR: <engine> failed to build', '[Exception] cuda out of memory'],
            logFile: `${checkpoint}/log.txt`,
          },
        }
      : {}),
  };
}

export const jsonl = (records: readonly TrialRecord[]) =>
  records.map((r) => `${JSON.stringify(r)}\n`).join('');

/**
 * A study output folder as the workflow leaves it: study.json, trials.jsonl and a checkpoint per trial
 * with configs/, params.json and scores.json.
 */
export async function makeStudy(
  dir: string,
  m: StudyManifest,
  records: readonly TrialRecord[],
  tail = '',
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'study.json'), JSON.stringify(m));
  await writeFile(join(dir, 'trials.jsonl'), jsonl(records) + tail);
  for (const r of records) {
    const cp = join(dir, r.checkpoint);
    await mkdir(join(cp, 'configs'), { recursive: true });
    await writeFile(join(cp, 'configs', 'config_infer_primary.txt'), `[property]\n# trial ${r.trial}\n`);
    await writeFile(join(cp, 'configs', 'tracker.yml'), `%YAML:1.0\n# trial ${r.trial}\n`);
    await writeFile(join(cp, 'params.json'), JSON.stringify(r.params));
    if (r.status === 'ok')
      await writeFile(join(cp, 'scores.json'), JSON.stringify({ trial: r.trial, ...r.metrics }));
  }
}

/** RFC 4180 CSV reader (quoted fields, doubled quotes, embedded commas and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  chunks: string[];
  /** RGB bytes, row-major. */
  pixels: Buffer;
}

/**
 * Decodes the PNGs this project writes (8-bit RGB, filter 0, no interlace), checking the signature and
 * every chunk's CRC against node:zlib's CRC-32. Throws on anything else.
 */
export function decodePng(png: Buffer): DecodedPng {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!png.subarray(0, 8).equals(signature)) throw new Error('bad PNG signature');
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let header: Buffer | undefined;
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    const crc = png.readUInt32BE(at + 8 + length);
    if (crc !== crc32(png.subarray(at + 4, at + 8 + length))) throw new Error(`bad CRC in ${type}`);
    chunks.push(type);
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  if (!header) throw new Error('no IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3;
  if (raw.length !== (stride + 1) * height)
    throw new Error(`IDAT holds ${raw.length} bytes, expected ${(stride + 1) * height}`);
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    if (raw[y * (stride + 1)] !== 0) throw new Error(`row ${y}: filter ${raw[y * (stride + 1)]}, expected 0`);
    raw.copy(pixels, y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
  }
  return { width, height, bitDepth: header[8]!, colourType: header[9]!, chunks, pixels };
}

/** How many pixels have exactly this colour. */
export function countColour(png: DecodedPng, [r, g, b]: readonly [number, number, number]): number {
  let n = 0;
  for (let i = 0; i < png.pixels.length; i += 3)
    if (png.pixels[i] === r && png.pixels[i + 1] === g && png.pixels[i + 2] === b) n++;
  return n;
}
