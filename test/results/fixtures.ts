import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeStudy, type StudyAnalysis } from '../../src/results/analysis.js';
import type { StudyInput } from '../../src/results/input.js';
import { type Ranking, rankingFor } from '../../src/results/ranking.js';
import { renderCharts } from '../../src/results/refresh.js';
import { renderReport } from '../../src/results/report.js';
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

/** Width and height of a PNG, after checking its signature and that its IHDR chunk comes first. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!png.subarray(0, 8).equals(signature)) throw new Error('bad PNG signature');
  if (png.toString('ascii', 12, 16) !== 'IHDR') throw new Error('no IHDR first');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The analysis of records held in memory, as `pipetune results` makes it from a store. */
export function analysisOf(
  records: readonly TrialRecord[],
  m: StudyManifest,
  ranking: Ranking = rankingFor(m),
  extra: Partial<StudyInput> = {},
): StudyAnalysis {
  return analyzeStudy({
    outputDir: '/nowhere',
    manifest: m,
    records: [...records],
    ranking,
    workers: new Map(),
    sequences: new Map(),
    ...extra,
  });
}

/** report.html for records held in memory, charts included. */
export function reportOf(
  records: readonly TrialRecord[],
  m: StudyManifest,
  ranking: Ranking = rankingFor(m),
): string {
  const analysis = analysisOf(records, m, ranking);
  return renderReport(analysis, renderCharts(analysis), { csv: 'study.csv', best: true });
}
