/**
 * A trial's throughput (docs/throughput.md): frames per second, the median over sequences, as
 * `<output>/perf.json`. The built-in pipeline writes it from CPU time; pipetune writes it from
 * deepstream-app's `**PERF:` lines or a `perfRegex` match in the run's log; a `command` program may
 * write it itself. Parsing and combining are pure; reading and writing the file are the two edges.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { inputError } from '../errors.js';

export const PERF_FILE = 'perf.json';

export interface SequencePerf {
  fps: number;
  /** Frames the sequence had, and the seconds they took (CPU or wall, as `source` says). */
  frames?: number;
  seconds?: number;
}

export interface Perf {
  /** Median of the per-sequence figures when there are any, else the single figure measured. */
  fps: number;
  /** Frames processed, when known. */
  frames?: number;
  /** What was measured: `cpu` (built-in), `deepstream` (its **PERF averages), `log` (perfRegex), or the program's own word. */
  source: string;
  perSequence?: Record<string, SequencePerf>;
}

const positive = z.number().positive().finite();
const count = z.number().int().nonnegative();
const perfSchema = z.object({
  fps: positive,
  frames: count.optional(),
  source: z.string().min(1).optional(),
  perSequence: z
    .record(z.string(), z.object({ fps: positive, frames: count.optional(), seconds: positive.optional() }))
    .optional(),
});

const EXPECTED =
  'expected {"fps": <frames per second > 0>, "frames"?: <count>, "source"?: <text>, "perSequence"?: {"<seq>": {"fps": …, "frames"?: …, "seconds"?: …}}}';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A Perf from per-sequence figures: fps is their median, frames their sum when every one has them. */
export function perfOfSequences(perSequence: Record<string, SequencePerf>, source: string): Perf {
  const entries = Object.values(perSequence);
  if (entries.length === 0) throw new Error('perfOfSequences: no sequences');
  const frames = entries.every((e) => e.frames !== undefined)
    ? entries.reduce((sum, e) => sum + e.frames!, 0)
    : undefined;
  return {
    fps: median(entries.map((e) => e.fps)),
    ...(frames === undefined ? {} : { frames }),
    source,
    perSequence,
  };
}

/** Parses a perf.json; `file` names it in errors. A program's file without `source` is `program`. */
export function parsePerfJson(text: string, file: string): Perf {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw inputError(file, undefined, `not JSON (${(err as Error).message}); ${EXPECTED}`);
  }
  const parsed = perfSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw inputError(file, undefined, `${where}: ${issue.message}; ${EXPECTED}`);
  }
  const { fps, frames, source, perSequence } = parsed.data;
  return {
    fps,
    ...(frames === undefined ? {} : { frames }),
    source: source ?? 'program',
    ...(perSequence ? { perSequence } : {}),
  };
}

/**
 * The Perf of runs over disjoint sequence sets (the stages of a staged trial): per-sequence figures
 * are united and fps is their median again; a part without them counts as one entry with its fps.
 */
export function combinePerf(parts: readonly Perf[]): Perf | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  const sources = [...new Set(parts.map((p) => p.source))].join('+');
  if (parts.every((p) => p.perSequence)) {
    return perfOfSequences(Object.assign({}, ...parts.map((p) => p.perSequence)), sources);
  }
  const frames = parts.every((p) => p.frames !== undefined)
    ? parts.reduce((sum, p) => sum + p.frames!, 0)
    : undefined;
  const entries = parts.flatMap((p) => (p.perSequence ? Object.values(p.perSequence) : [p]));
  return {
    fps: median(entries.map((e) => e.fps)),
    ...(frames === undefined ? {} : { frames }),
    source: sources,
  };
}

/** A value row of deepstream-app's perf callback: `**PERF:  30.12 (29.87)\t…` (or `PERF(k):` with several apps). */
const PERF_ROW = /^\s*(?:\*\*PERF:|PERF\(\d+\):)\s*((?:[\d.]+\s*\([\d.]+\)\s*)+)$/;
const PERF_PAIR = /([\d.]+)\s*\(([\d.]+)\)/g;

/**
 * Throughput from deepstream-app's log: each `**PERF:` row holds, per stream, the fps of the last
 * interval and, in brackets, the average since that stream's first buffer (engine build and model
 * loading excluded). Per stream the last non-zero average is taken; rows where every stream reads 0
 * (printed before the pipeline plays) are skipped. Stream i is `streams[i]`. Null without such rows.
 */
export function parseDeepstreamPerf(log: string, streams: readonly string[]): Perf | null {
  const averages = new Map<number, number>();
  for (const line of log.split('\n')) {
    const row = PERF_ROW.exec(line.trimEnd());
    if (!row) continue;
    const pairs = [...row[1]!.matchAll(PERF_PAIR)].map((m) => Number(m[2]));
    pairs.forEach((avg, i) => {
      if (Number.isFinite(avg) && avg > 0) averages.set(i, avg);
    });
  }
  const perSequence: Record<string, SequencePerf> = {};
  for (const [i, fps] of averages) perSequence[streams[i] ?? `stream ${i}`] = { fps };
  return averages.size ? perfOfSequences(perSequence, 'deepstream') : null;
}

/** The capture group holding the number: the one named `fps`, else the first. */
function fpsGroup(match: RegExpExecArray): string | undefined {
  return match.groups?.fps ?? match[1];
}

/** How many capture groups a regex has. */
function groupCount(regex: RegExp): number {
  return new RegExp(`${regex.source}|`).exec('')!.length - 1;
}

/**
 * Checks a `perfRegex` from a study config: it must compile and capture the number (a group named
 * `fps`, or a first group). Returns the reason it cannot be used, if any.
 */
export function perfRegexProblem(source: string): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
  if (groupCount(regex) === 0)
    return 'has no capture group for the number; write e.g. "throughput: (?<fps>[0-9.]+) fps"';
  return undefined;
}

/** The fps a `perfRegex` finds in a log: its last matching line. Null when no line matches. */
export function perfFromLog(log: string, source: string, logFile: string): Perf | null {
  const regex = new RegExp(source);
  const lines = log.split('\n');
  for (let k = lines.length - 1; k >= 0; k--) {
    const match = regex.exec(lines[k]!);
    if (!match) continue;
    const text = fpsGroup(match);
    const fps = Number(text);
    if (text === undefined || !Number.isFinite(fps) || fps <= 0)
      throw inputError(
        logFile,
        k + 1,
        `Init.Exec.perfRegex matched, but its group captured ${JSON.stringify(text ?? null)}, not a number of frames per second > 0`,
      );
    return { fps, source: 'log' };
  }
  return null;
}

export function perfJson(perf: Perf): string {
  return `${JSON.stringify(perf, null, 2)}\n`;
}

/** `<dir>/perf.json`, or null when there is none. */
export async function readPerf(dir: string, name = PERF_FILE): Promise<Perf | null> {
  const file = join(dir, name);
  if (!existsSync(file)) return null;
  return parsePerfJson(await readFile(file, 'utf8'), file);
}

export async function writePerf(dir: string, perf: Perf, name = PERF_FILE): Promise<void> {
  await writeFile(join(dir, name), perfJson(perf));
}

/** Where stage K's perf.json is kept in the trial's output folder. */
export const stagePerfFile = (stage: number) => `perf-stage-${stage}.json`;
const STAGE_PERF = /^perf-stage-\d+\.json$/;

/**
 * Rewrites `<output>/perf.json` as the combination of the stages' perf files joined so far (a retried
 * stage replaced its own file, so nothing is counted twice). Without any, perf.json is left absent.
 */
export async function combineStagePerf(outputDir: string): Promise<void> {
  const names = (await readdir(outputDir)).filter((n) => STAGE_PERF.test(n)).sort();
  const parts = await Promise.all(names.map((n) => readPerf(outputDir, n)));
  const combined = combinePerf(parts.filter((p): p is Perf => p !== null));
  if (combined) await writePerf(outputDir, combined);
}
