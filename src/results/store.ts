import { type FileHandle, open, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError, inputError } from '../errors.js';
import { studyLayout } from '../study/layout.js';
import { OBJECTIVE_METRICS } from '../study/objectives.js';
import type { StudyManifest, TrialRecord } from '../study/records.js';

const trialRecordSchema = z.object({
  key: z.string(),
  trial: z.number().int().nonnegative(),
  optimizer: z.string().min(1),
  iteration: z.number().int(),
  repeat: z.number().int().nonnegative(),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  status: z.enum(['ok', 'failed', 'pruned']),
  score: z.number().nullable(),
  metrics: z.record(z.string(), z.number()),
  exitCode: z.number().int().nullable(),
  execMs: z.number(),
  evalMs: z.number(),
  fps: z.number().nonnegative().optional(),
  violation: z.number().nonnegative().optional(),
  frames: z.number().int().nonnegative().optional(),
  stages: z.object({ reached: z.number().int().positive(), of: z.number().int().positive() }).optional(),
  pruneReason: z.string().optional(),
  savedMs: z.number().nonnegative().optional(),
  perSequence: z.record(z.string(), z.number()).optional(),
  perSequenceFps: z.record(z.string(), z.number()).optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  checkpoint: z.string(),
  validationOf: z.number().int().nonnegative().optional(),
  // Kept for the results' timeline: a trial stopped early by pruning (written by the workflow when it prunes).
  error: z.object({ message: z.string(), lines: z.array(z.string()), logFile: z.string() }).optional(),
}) satisfies z.ZodType<TrialRecord>;

const manifestSchema = z.object({
  name: z.string(),
  configPath: z.string(),
  rootDir: z.string(),
  metric: z.enum(['HOTA', 'MOTA', 'IDF1']),
  minimize: z.boolean(),
  objectives: z
    .array(z.object({ metric: z.enum(OBJECTIVE_METRICS), goal: z.enum(['max', 'min']) }))
    .length(2)
    .optional(),
  constraints: z
    .array(
      z.object({ metric: z.enum(OBJECTIVE_METRICS), min: z.number().optional(), max: z.number().optional() }),
    )
    .optional(),
  createdAt: z.string(),
  stamp: z.string(),
}) satisfies z.ZodType<StudyManifest>;

export interface ParsedTrialStore {
  records: TrialRecord[];
  /** Lines that were skipped and why (a torn last line, a duplicate key). */
  warnings: string[];
}

function describe(err: unknown): string {
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    return `${issue?.path.join('.') || 'record'}: ${issue?.message}`;
  }
  return (err as Error).message;
}

/**
 * Parses the text of a trial store. A crash can tear the last line mid-write, so an unreadable last
 * line is skipped with a warning; an unreadable line anywhere else means the store was damaged and is
 * an input error naming the line.
 */
export function parseTrialStore(text: string, file: string): ParsedTrialStore {
  const { records, warnings } = parseOnTop(text, file, { records: [], keys: new Set(), lines: 0 });
  return { records, warnings };
}

/** What is known of a store's first `lines` lines: their records and keys. */
interface ParsedLines {
  records: TrialRecord[];
  keys: Set<string>;
  lines: number;
}

/**
 * The lines of `text` parsed after those of `before` (the store's text that follows them), as
 * parseTrialStore does; `whole` says the result covers every line of `text` (no line was skipped as torn).
 */
function parseOnTop(
  text: string,
  file: string,
  before: ParsedLines,
): ParsedLines & { warnings: string[]; whole: boolean } {
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  const records = [...before.records];
  const keys = new Set(before.keys);
  const warnings: string[] = [];
  let whole = true;
  for (let i = 0; i <= last; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const lineNumber = before.lines + i + 1;
    let record: TrialRecord;
    try {
      record = trialRecordSchema.parse(JSON.parse(line));
    } catch (err) {
      if (i === last) {
        warnings.push(
          `${file}:${lineNumber}: skipped an incomplete last line (a run was interrupted while writing it)`,
        );
        whole = false;
        break;
      }
      throw inputError(file, lineNumber, `not a trial record (${describe(err)})`);
    }
    // The writer keys records so a retried activity writes nothing twice; keep the first if it did.
    if (keys.has(record.key)) {
      warnings.push(`${file}:${lineNumber}: skipped a second record for ${record.key}`);
      continue;
    }
    keys.add(record.key);
    records.push(record);
  }
  return { records, keys, lines: before.lines + lines.length - 1, warnings, whole };
}

function defaultWarn(message: string): void {
  process.stderr.write(`pipetune: warning: ${message}\n`);
}

/**
 * The stores this process read last: what their first `size` bytes (whole lines) hold, and the last
 * bytes of those, to tell an appended store (read only its new lines) from a rewritten one (read it all).
 * A study's searches read its store once per trial: a whole parse of a 2,000-trial store takes ~10 ms
 * (bench/orchestration/storeRead.ts), the lines appended since the last read ~0.4 ms.
 */
const known = new Map<string, ParsedLines & { ino: number; size: number; tail: Buffer }>();
const KNOWN_STORES = 8;
const TAIL_BYTES = 256;

/** The study's trials; none when the store does not exist yet (a study before its first trial). */
export async function readTrialStore(
  outputDir: string,
  warn: (message: string) => void = defaultWarn,
): Promise<TrialRecord[]> {
  const file = studyLayout(outputDir).trials;
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const { ino, size } = await handle.stat();
    const readFrom = async (start: number) => {
      const bytes = Buffer.alloc(Math.max(0, size - start));
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
      return bytes.subarray(0, bytesRead);
    };
    const cached = known.get(file);
    // The cached lines' last bytes, then what follows them; or the whole store when they are not there.
    const appended =
      cached && cached.ino === ino && cached.size <= size
        ? await readFrom(cached.size - cached.tail.length)
        : undefined;
    const unchanged = cached !== undefined && appended?.subarray(0, cached.tail.length).equals(cached.tail);
    const before = unchanged ? cached : { records: [], keys: new Set<string>(), lines: 0, size: 0 };
    const all = unchanged ? appended! : await readFrom(0);
    const text = all.subarray(unchanged ? cached.tail.length : 0).toString('utf8');
    const parsed = parseOnTop(text, file, before);
    for (const w of parsed.warnings) warn(w);
    // Only whole lines are kept: a line still being written is read again next time.
    if (parsed.whole && text.endsWith('\n')) {
      const tail = Buffer.from(all.subarray(-TAIL_BYTES));
      remember(file, { ...parsed, ino, size: before.size + Buffer.byteLength(text), tail });
    } else if (text === '' && unchanged) remember(file, cached);
    else known.delete(file);
    return parsed.records;
  } finally {
    await handle.close();
  }
}

function remember(file: string, entry: ParsedLines & { ino: number; size: number; tail: Buffer }): void {
  known.delete(file);
  known.set(file, entry);
  if (known.size > KNOWN_STORES) known.delete(known.keys().next().value!);
}

/** The study's `study.json`. */
export async function readStudyManifest(outputDir: string): Promise<StudyManifest> {
  const file = studyLayout(outputDir).manifest;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(`${file}: not found; is ${outputDir} a pipetune study output folder?`);
    }
    throw err;
  }
  try {
    return manifestSchema.parse(JSON.parse(text));
  } catch (err) {
    throw inputError(file, undefined, `not a study manifest (${describe(err)})`);
  }
}
