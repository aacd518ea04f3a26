/**
 * `pipetune eval` in process: MOT ground truth and tracker folders in, TrackEval-equal report out
 * (the schema of the mot-oracle's expected.json). The study's PipeEval activity calls this directly.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, inputError, quoted } from '../errors.js';
import { type InputScope, inputScope, isInput, listInputFolder } from '../inputFiles.js';
import { HOTA_ALPHAS } from './hota.js';
import {
  combineResults,
  evaluateSequence,
  METRIC_NAMES,
  type MetricName,
  type MetricsBlock,
  metricsBlock,
} from './metrics.js';
import {
  type GroundTruthRows,
  lastFrame,
  parseGroundTruth,
  readBytes,
  readSeqinfo,
  readSeqmap,
  readTrackerOutput,
  seqLengthProblem,
} from './motFiles.js';
import { type Benchmark, prepareSequence } from './preprocess.js';
import type { SequenceData } from './types.js';
import { warmUp } from './warmUp.js';

export interface MotEvalOptions {
  /** Folder of `<seq>/gt/gt.txt` and `<seq>/seqinfo.ini`. */
  gtDir: string;
  /** Folder of `<seq>.txt` tracker results. */
  trackerDir: string;
  /** TrackEval seqmap (header `name`); default: every sequence folder under gtDir. */
  seqmapPath?: string;
  /** Explicit sequence names (instead of a seqmap). */
  sequences?: readonly string[];
  /** Default MOT17. */
  benchmark?: Benchmark;
  /** Default all three; Count is always computed. */
  metrics?: readonly MetricName[];
  /** Non-fatal notes, e.g. tracker files without ground truth (ignored). */
  onWarning?: (message: string) => void;
}

export interface EvalReport {
  schema: 'mot-oracle/1';
  config: { benchmark: Benchmark; do_preproc: boolean; clear_threshold: number; identity_threshold: number };
  status: 'ok';
  sequences_evaluated: string[];
  alphas: number[];
  sequences: Record<string, MetricsBlock>;
  combined: MetricsBlock;
}

const THRESHOLD = 0.5;

function isDirectory(path: string): boolean {
  return isInput(path, 'folder');
}

function listDirectory(dir: string, what: string) {
  if (!isDirectory(dir)) throw inputError(dir, undefined, `${what} folder not found`);
  return listInputFolder(dir, `${what} folder`);
}

/** Sequence folders under the gt folder: those holding a seqinfo.ini or a gt/gt.txt, sorted. */
function discoverSequences(gtDir: string): string[] {
  const names = listDirectory(gtDir, 'ground-truth')
    .filter(
      (entry) =>
        entry.isDirectory() &&
        (existsSync(join(gtDir, entry.name, 'seqinfo.ini')) ||
          existsSync(join(gtDir, entry.name, 'gt', 'gt.txt'))),
    )
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0)
    throw inputError(gtDir, undefined, 'no sequence folders (<seq>/gt/gt.txt and <seq>/seqinfo.ini)');
  return names;
}

/** Tracker results for sequences the gt folder does not have are ignored, with a warning. */
function warnUnmatchedTrackerFiles(gtDir: string, trackerDir: string, warn: (message: string) => void): void {
  for (const entry of listDirectory(trackerDir, 'tracker')) {
    if (!entry.isFile() || !entry.name.endsWith('.txt')) continue;
    const seq = entry.name.slice(0, -'.txt'.length);
    if (!isDirectory(join(gtDir, seq)))
      warn(
        `${join(trackerDir, entry.name)}: no ground truth for sequence ${quoted(seq)} in ${gtDir}; ignored`,
      );
  }
}

/**
 * Ground-truth files with identical bytes and length are parsed once: MOT17's three detector variants
 * of a sequence (DPM, FRCNN, SDP) ship three copies of one gt.txt.
 */
export class GroundTruthCache {
  private readonly parsed: { bytes: Buffer; seqLength: number; rows: GroundTruthRows }[] = [];

  read(path: string, seqLength: number, scope?: InputScope): GroundTruthRows {
    const bytes = readBytes(path, 'ground-truth file', scope);
    const hit = this.parsed.find((entry) => entry.seqLength === seqLength && entry.bytes.equals(bytes));
    if (!hit) return this.parse(bytes, path, seqLength);
    // The same object shape as parsed rows (a spread would make a new one and deoptimise the metric loops).
    const { count, line, fields, frame, left, top, width, height, id, flag, cls } = hit.rows;
    return { file: path, count, line, fields, frame, left, top, width, height, id, flag, cls };
  }

  private parse(bytes: Buffer, path: string, seqLength: number): GroundTruthRows {
    const rows = parseGroundTruth(bytes, path, seqLength);
    this.parsed.push({ bytes, seqLength, rows });
    return rows;
  }
}

/** One sequence, read and preprocessed: what the metrics take. */
export function readMotSequence(
  gtDir: string,
  trackerDir: string,
  seq: string,
  benchmark: Benchmark = 'MOT17',
  { listedIn, gtCache = new GroundTruthCache() }: { listedIn?: string; gtCache?: GroundTruthCache } = {},
): SequenceData {
  // Files found in the folders must stay inside them: a gt.txt symlinked to /dev/zero or /etc/passwd is refused.
  const gtScope = inputScope(`the ground-truth folder ${gtDir}`, gtDir);
  const seqinfo = join(gtDir, seq, 'seqinfo.ini');
  const { seqLength, line } = readSeqinfo(seqinfo, gtScope);
  const gt = gtCache.read(join(gtDir, seq, 'gt', 'gt.txt'), seqLength, gtScope);
  const trackerFile = join(trackerDir, `${seq}.txt`);
  if (!existsSync(trackerFile)) {
    throw inputError(
      trackerFile,
      undefined,
      `no tracker results for sequence ${quoted(seq)}${listedIn ? ` (listed in ${listedIn})` : ''}`,
    );
  }
  const tracker = readTrackerOutput(
    trackerFile,
    seqLength,
    inputScope(`the tracker folder ${trackerDir}`, trackerDir),
  );
  // Checked before preprocessing allocates per-frame arrays.
  const problem = seqLengthProblem(
    seqLength,
    Math.max(lastFrame(gt.frame), lastFrame(tracker.frame)),
    `gt/gt.txt or ${seq}.txt`,
  );
  if (problem) throw inputError(seqinfo, line, problem);
  return prepareSequence(gt, tracker, seqLength, benchmark);
}

export function evaluateMot(options: MotEvalOptions): EvalReport {
  const benchmark = options.benchmark ?? 'MOT17';
  const metrics = METRIC_NAMES.filter((name) => (options.metrics ?? METRIC_NAMES).includes(name));
  const names = options.sequences
    ? [...options.sequences]
    : options.seqmapPath
      ? readSeqmap(options.seqmapPath)
      : discoverSequences(options.gtDir);
  if (names.length === 0)
    throw new InputError(`${options.seqmapPath ?? 'sequences'}: no sequences to evaluate`);
  const listedIn = options.seqmapPath ?? (options.sequences ? 'the sequence list' : options.gtDir);
  names.sort();
  const repeated = names.find((name, i) => name === names[i - 1]);
  if (repeated !== undefined)
    throw new InputError(`${listedIn}: sequence ${quoted(repeated)} is listed twice`);
  warnUnmatchedTrackerFiles(options.gtDir, options.trackerDir, options.onWarning ?? (() => {}));

  warmUp();
  const gtCache = new GroundTruthCache();
  const perSequence = names.map((seq) =>
    evaluateSequence(
      readMotSequence(options.gtDir, options.trackerDir, seq, benchmark, { listedIn, gtCache }),
      metrics,
    ),
  );
  const sequences: Record<string, MetricsBlock> = {};
  names.forEach((seq, i) => {
    sequences[seq] = metricsBlock(perSequence[i]!);
  });
  return {
    schema: 'mot-oracle/1',
    config: { benchmark, do_preproc: true, clear_threshold: THRESHOLD, identity_threshold: THRESHOLD },
    status: 'ok',
    sequences_evaluated: names,
    alphas: [...HOTA_ALPHAS],
    sequences,
    combined: metricsBlock(combineResults(perSequence, metrics)),
  };
}
