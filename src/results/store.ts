import { readFile } from 'node:fs/promises';
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
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  const records: TrialRecord[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i <= last; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let record: TrialRecord;
    try {
      record = trialRecordSchema.parse(JSON.parse(line));
    } catch (err) {
      if (i === last) {
        warnings.push(
          `${file}:${i + 1}: skipped an incomplete last line (a run was interrupted while writing it)`,
        );
        break;
      }
      throw inputError(file, i + 1, `not a trial record (${describe(err)})`);
    }
    // The writer keys records so a retried activity writes nothing twice; keep the first if it did.
    if (seen.has(record.key)) {
      warnings.push(`${file}:${i + 1}: skipped a second record for ${record.key}`);
      continue;
    }
    seen.add(record.key);
    records.push(record);
  }
  return { records, warnings };
}

function defaultWarn(message: string): void {
  process.stderr.write(`pipetune: warning: ${message}\n`);
}

/** The study's trials; none when the store does not exist yet (a study before its first trial). */
export async function readTrialStore(
  outputDir: string,
  warn: (message: string) => void = defaultWarn,
): Promise<TrialRecord[]> {
  const file = studyLayout(outputDir).trials;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const { records, warnings } = parseTrialStore(text, file);
  for (const w of warnings) warn(w);
  return records;
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
