/**
 * Does the study's data fit its config? `loadStudyConfig` checks the config and the files it overlays;
 * these checks read the data every trial runs on and is scored against, so a study that could only
 * fail (or score 0) in every trial is stopped before it starts:
 *  - the seqmaps (`seqmapPath`, `validationSeqmapPath`): they exist, parse (header `name`), list at least
 *    one sequence, and every listed sequence is a folder of `datasetPath` with the `seqinfo.ini`
 *    (`[Sequence] seqLength`) and `gt/gt.txt` the evaluation reads, and the input its pipeline reads
 *    (builtin: `proposals/proposals.txt` or `det/det.txt`; deepstream: a video);
 *  - the ground truth reads as TrackEval reads it (frames within 1..seqLength, finite values, …);
 *  - the benchmark fits it: MOT17/MOT16/MOT20 preprocessing stops on a class outside 1..13 and only
 *    scores class-1 rows, so MOT15's 10-column files (column 8 is a world coordinate) do not fit it;
 *    MOT15 ignores classes, so files labelled with MOTChallenge 16/17/20 distractor classes do not fit
 *    MOT15; and some row must be scored, or every trial scores 0;
 *  - MTMC: a study tuning an MTMC config needs `mtmcGroundTruthPath` (otherwise it is scored on the
 *    single-camera output, which MTMC parameters do not change); that file must read as
 *    `camera id frame left top width height x y` rows of the sequences' cameras; the built-in MTMC stage
 *    also needs sequence names ending in their camera number, a calibration with a sensor per sequence,
 *    and imWidth/imHeight/frameRate in every seqinfo.ini.
 * Problems are one line each, `<config key path>: <file>…: what was expected`, all listed together.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { InputError } from '../errors.js';
import { type GroundTruthRows, parseGroundTruth, parseSeqinfo, parseSeqmap } from '../eval/motFiles.js';
import { parseMtmcRows } from '../eval/mtmc-files.js';
import { type InputScope, inputScope, listInputFolder, readInput } from '../inputFiles.js';
import { readIni } from '../overlay/ini.js';
import { cameraOf } from '../pipelines/builtin/mtmc/behaviors.js';
import { parseCalibration } from '../pipelines/builtin/mtmc/calibration.js';
import { defaultCalibration } from '../pipelines/builtin/runner.js';
import { VIDEO_EXTENSIONS } from '../pipelines/sequences.js';
import { baselineWarnings } from './baselineCheck.js';
import { deadKeyWarnings, profileData } from './deadKeys.js';
import { StudyConfigError } from './loader.js';
import { displayPath } from './paths.js';
import type { StudyConfig } from './types.js';

export interface StudyDataReport {
  /** Each makes the study unable to run or to score; `check` exits 2 on any. */
  problems: string[];
  /** Worth knowing, not fatal (e.g. a validation seqmap that shares sequences with the tuning one). */
  warnings: string[];
}

/** Where `Init.Exec` sits when the config does not say (configs built by hand). */
const DEFAULT_EXEC_PATH = 'parameter_space.Init.Exec';

/** TrackEval's MOTChallenge classes; preprocessing (MOT16/17/20) stops on any other. */
const MAX_CLASS = 13;
/** Distractor classes all three preprocessing benchmarks remove (MOT20 adds 6). */
const DISTRACTORS = [2, 7, 8, 12];
const GT_LAYOUT = 'frame,id,left,top,width,height,included_for_eval,class[,visibility]';
const MTMC_LAYOUT = 'camera id frame left top width height x y';

interface Context {
  config: StudyConfig;
  /** `parameter_space.Init.Exec.<key>`. */
  key: (name: string) => string;
  label: (path: string) => string;
  /** The study root: data files (and symlinks among them) must resolve inside it. */
  scope: InputScope;
  problems: string[];
  warnings: string[];
}

/** A data file of the study, read through the input checks (regular file, size cap, inside the root). */
const readData = (ctx: Context, path: string, what: string) => readInput(path, { what, scope: ctx.scope });
const readDataText = (ctx: Context, path: string, what: string) => readData(ctx, path, what).toString('utf8');

/** One listed sequence and what was read of it. */
interface Sequence {
  name: string;
  /** `seqmap.txt:3`, where it is listed. */
  listed: string;
  dir: string;
  seqinfo?: string;
  seqLength?: number;
  gt?: GroundTruthRows;
}

interface Seqmap {
  key: 'seqmapPath' | 'validationSeqmapPath';
  path: string;
  names: string[];
  /** The listed sequences found in the dataset with readable seqinfo.ini and gt.txt. */
  sequences: Sequence[];
}

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();
const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/**
 * A reader's input error with its absolute file path shown as the study shows paths; a file that
 * cannot be read (permissions, a folder of that name) is a problem too.
 */
function relabel(err: unknown, path: string, label: (path: string) => string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (!(err instanceof InputError)) {
    if (typeof code === 'string') return `${label(path)}: cannot read (${code})`;
    throw err;
  }
  return err.message.startsWith(path) ? `${label(path)}${err.message.slice(path.length)}` : err.message;
}

/** `"a", "b", "c", …`: the first `max` values; strings quoted unless `quote` is false. */
function list(values: Iterable<number | string>, max = 8, quote = true): string {
  const all = [...values];
  const shown = all
    .slice(0, max)
    .map((v) => (typeof v === 'string' && quote ? JSON.stringify(v) : String(v)));
  return all.length > max ? `${shown.join(', ')}, …` : shown.join(', ');
}

function checkDataset(ctx: Context): boolean {
  const { datasetPath } = ctx.config.exec;
  if (isDirectory(datasetPath)) return true;
  ctx.problems.push(
    `${ctx.key('datasetPath')}: ${ctx.label(datasetPath)} ${existsSync(datasetPath) ? 'is not a folder' : 'does not exist'}; expected a folder of sequences (<seq>/seqinfo.ini, <seq>/gt/gt.txt)`,
  );
  return false;
}

async function readSeqmapNames(
  ctx: Context,
  key: Seqmap['key'],
  path: string,
): Promise<string[] | undefined> {
  const where = ctx.key(key);
  if (!isFile(path)) {
    ctx.problems.push(
      `${where}: ${ctx.label(path)} ${existsSync(path) ? 'is not a file' : 'does not exist'}; expected a seqmap: the line "name", then one sequence name per line`,
    );
    return undefined;
  }
  let names: string[];
  try {
    names = parseSeqmap(readDataText(ctx, path, 'seqmap'), path);
  } catch (err) {
    ctx.problems.push(`${where}: ${relabel(err, path, ctx.label)}`);
    return undefined;
  }
  if (names.length === 0) {
    ctx.problems.push(
      `${where}: ${ctx.label(path)} lists no sequence; expected one sequence name per line after the header "name"`,
    );
    return undefined;
  }
  return names;
}

/** 1-based line of each listed name (parseSeqmap accepted the file, so each name is on one line). */
function seqmapLines(ctx: Context, path: string): Map<string, number> {
  const lines = new Map<string, number>();
  readDataText(ctx, path, 'seqmap')
    .split('\n')
    .forEach((text, index) => {
      const name = text.split(',')[0]?.trim();
      if (index > 0 && name && !lines.has(name)) lines.set(name, index + 1);
    });
  return lines;
}

/** seqinfo.ini and gt.txt of a sequence whose folder exists; problems go to `ctx`. */
async function readSequence(ctx: Context, key: string, seq: Sequence): Promise<void> {
  const at = `${JSON.stringify(seq.name)} (${seq.listed})`;
  const seqinfo = join(seq.dir, 'seqinfo.ini');
  if (!isFile(seqinfo)) {
    ctx.problems.push(
      `${key}: ${at} has no ${ctx.label(seqinfo)}; the evaluation reads its [Sequence] seqLength`,
    );
  } else {
    try {
      seq.seqinfo = readDataText(ctx, seqinfo, 'seqinfo.ini');
      seq.seqLength = parseSeqinfo(seq.seqinfo, seqinfo).seqLength;
    } catch (err) {
      ctx.problems.push(`${ctx.key('datasetPath')}: ${relabel(err, seqinfo, ctx.label)}`);
    }
  }
  const gt = join(seq.dir, 'gt', 'gt.txt');
  if (!isFile(gt)) {
    ctx.problems.push(
      `${key}: ${at} has no ground truth: ${ctx.label(gt)} ${existsSync(gt) ? 'is not a file' : 'does not exist'}; expected ${GT_LAYOUT} rows`,
    );
    return;
  }
  if (seq.seqLength === undefined) return;
  try {
    seq.gt = parseGroundTruth(readData(ctx, gt, 'ground-truth file'), gt, seq.seqLength);
  } catch (err) {
    ctx.problems.push(`${ctx.key('datasetPath')}: ${relabel(err, gt, ctx.label)}`);
  }
}

/** The seqmap and its sequences; undefined when it cannot be read (the problem is recorded). */
async function checkSeqmap(
  ctx: Context,
  key: Seqmap['key'],
  path: string,
  datasetOk: boolean,
  known: Map<string, Sequence>,
): Promise<Seqmap | undefined> {
  const names = await readSeqmapNames(ctx, key, path);
  if (!names) return undefined;
  const seqmap: Seqmap = { key, path, names, sequences: [] };
  if (!datasetOk) return seqmap;
  const where = ctx.key(key);
  const { datasetPath } = ctx.config.exec;
  const lines = seqmapLines(ctx, path);
  const missing = names.filter((name) => !isDirectory(join(datasetPath, name)));
  if (missing.length === names.length && names.length > 1) {
    ctx.problems.push(
      `${where}: none of the ${names.length} sequences of ${ctx.label(path)} is a folder of ${ctx.key('datasetPath')} ${ctx.label(datasetPath)} (${list(names, 3)}); is it the seqmap of another dataset?`,
    );
    return seqmap;
  }
  for (const name of names) {
    const listed = `${ctx.label(path)}:${lines.get(name) ?? '?'}`;
    const dir = join(datasetPath, name);
    if (missing.includes(name)) {
      ctx.problems.push(
        `${where}: ${JSON.stringify(name)} (${listed}) is not in the dataset: ${ctx.label(dir)}/ does not exist`,
      );
      continue;
    }
    let seq = known.get(name);
    if (!seq) {
      seq = { name, listed, dir };
      known.set(name, seq);
      await readSequence(ctx, where, seq);
    }
    if (seq.gt) seqmap.sequences.push(seq);
  }
  return seqmap;
}

/** What the pipeline reads of each sequence besides the ground truth. */
function checkPipelineInputs(ctx: Context, sequences: Iterable<Sequence>): void {
  const { pipeline, datasetPath } = ctx.config.exec;
  const where = ctx.key('pipeline');
  for (const seq of sequences) {
    if (pipeline === 'builtin') {
      const proposals = join(seq.dir, 'proposals', 'proposals.txt');
      const det = join(seq.dir, 'det', 'det.txt');
      if (!existsSync(proposals) && !existsSync(det))
        ctx.problems.push(
          `${where}: builtin reads the detections of ${JSON.stringify(seq.name)} (${seq.listed}), but neither ${ctx.label(proposals)} nor ${ctx.label(det)} exists`,
        );
    } else if (pipeline === 'deepstream') {
      const isVideo = (file: string) => VIDEO_EXTENSIONS.includes(extname(file).toLowerCase());
      // A folder outside the root lists nothing here (its gt.txt read has reported it already).
      const names = (dir: string) => {
        try {
          return listInputFolder(dir, 'folder', ctx.scope).map((entry) => entry.name);
        } catch {
          return [];
        }
      };
      const inFolder = names(seq.dir).some((file) => isVideo(file) && isFile(join(seq.dir, file)));
      const beside = names(datasetPath).some(
        (file) => isVideo(file) && file.slice(0, -extname(file).length) === seq.name,
      );
      if (!inFolder && !beside)
        ctx.problems.push(
          `${where}: deepstream plays a video of ${JSON.stringify(seq.name)} (${seq.listed}), but there is none in ${ctx.label(seq.dir)}/ nor a ${ctx.label(join(datasetPath, seq.name))}.<ext> (${VIDEO_EXTENSIONS.join(' ')})`,
        );
    }
  }
}

/** First row of a file with a class TrackEval's preprocessing rejects. */
function badClassRow(gt: GroundTruthRows): number {
  for (let r = 0; r < gt.count; r++) if (gt.cls[r]! < 1 || gt.cls[r]! > MAX_CLASS) return r;
  return -1;
}

/** MOT15's 2D ground truth: 10 columns, the last three world coordinates (-1 when unknown). */
const mot15Layout = (gt: GroundTruthRows) => gt.count > 0 && gt.fields.every((f) => f === 10);

/** First row labelled with a distractor class, in a file laid out as MOT16/17/20 label classes. */
function distractorRow(gt: GroundTruthRows): number {
  if (!gt.fields.every((f) => f === 8 || f === 9) || badClassRow(gt) >= 0) return -1;
  for (let r = 0; r < gt.count; r++) if (DISTRACTORS.includes(gt.cls[r]!)) return r;
  return -1;
}

/**
 * Ground-truth files the benchmark's preprocessing cannot read as intended. One problem per kind of
 * misfit, naming the first file and counting the others (MOT17 lists 21 variants of 7 files).
 */
function checkBenchmarkFit(ctx: Context, sequences: Iterable<Sequence>): Set<Sequence> {
  const { benchmark } = ctx.config.exec;
  const where = `${ctx.key('benchmark')}: ${benchmark}`;
  const unfit = new Set<Sequence>();
  const found = new Map<string, { first: string; others: string[] }>();
  const note = (kind: string, seq: Sequence, message: () => string) => {
    unfit.add(seq);
    const entry = found.get(kind);
    if (entry) entry.others.push(ctx.label(seq.gt?.file as string));
    else found.set(kind, { first: message(), others: [] });
  };
  for (const seq of sequences) {
    const { gt } = seq;
    if (!gt) continue;
    if (benchmark !== 'MOT15') {
      const r = badClassRow(gt);
      if (r < 0) continue;
      const mot15 = mot15Layout(gt);
      const hint = mot15
        ? `; the file has MOT15's 10 columns (column 8 is a world coordinate, not a class): set ${ctx.key('benchmark')}: MOT15`
        : '';
      note(
        mot15 ? 'mot15' : 'class',
        seq,
        () =>
          `${where} does not fit ${ctx.label(gt.file)}:${gt.line[r]}: class ${gt.cls[r]} (column 8) is not a MOTChallenge class 1..${MAX_CLASS}, and ${benchmark} preprocessing rejects it in every frame with tracker boxes${hint}`,
      );
    } else {
      const r = distractorRow(gt);
      if (r < 0) continue;
      note(
        'distractors',
        seq,
        () =>
          `${where} does not fit ${ctx.label(gt.file)}: it labels classes (column 8) as MOT16/17/20 do, distractors included (class ${gt.cls[r]} on line ${gt.line[r]}), and MOT15 ignores classes, so tracker boxes on distractors count as false positives; set ${ctx.key('benchmark')}: MOT17, MOT16 or MOT20`,
      );
    }
  }
  for (const { first, others } of found.values())
    ctx.problems.push(
      others.length === 0 ? first : `${first} (so do ${others.length} more: ${list(others, 3, false)})`,
    );
  return unfit;
}

/** Some ground-truth row of the seqmap must be scored, or every trial scores 0. */
function checkScoredRows(ctx: Context, seqmap: Seqmap, unfit: Set<Sequence>): void {
  if (seqmap.sequences.length < seqmap.names.length || seqmap.sequences.some((s) => unfit.has(s))) return;
  const { benchmark } = ctx.config.exec;
  const preprocess = benchmark !== 'MOT15';
  for (const { gt } of seqmap.sequences)
    for (let r = 0; gt && r < gt.count; r++) if (gt.flag[r] !== 0 && (!preprocess || gt.cls[r] === 1)) return;
  const rule = preprocess
    ? 'included_for_eval (column 7) not 0 and class (column 8) 1, pedestrian'
    : 'included_for_eval (column 7) not 0';
  ctx.problems.push(
    `${ctx.key('benchmark')}: ${benchmark} scores ground-truth rows with ${rule}, and no sequence of ${ctx.key(seqmap.key)} ${ctx.label(seqmap.path)} has one; every trial would score 0`,
  );
}

async function checkMtmc(ctx: Context, seqmap: Seqmap | undefined): Promise<void> {
  const { config } = ctx;
  const { exec } = config;
  const gtKey = ctx.key('mtmcGroundTruthPath');
  const tuned = config.parameters.filter((p) => p.role === 'mtmc');
  if (!config.files.mtmc) {
    if (exec.mtmcGroundTruthPath)
      ctx.warnings.push(
        `${gtKey}: not used: the study has no MTMC config (${ctx.key('mtmcPath')}), so trials are scored on single-camera metrics`,
      );
    return;
  }
  if (exec.mtmcGroundTruthPath && config.objective !== 'combined')
    ctx.warnings.push(
      `parameter_space.Init.Eval.objective: ${config.objective} is not used: an MTMC study is scored on the multi-camera output, which has no per-sequence values`,
    );
  if (!exec.mtmcGroundTruthPath) {
    if (tuned.length > 0)
      ctx.problems.push(
        `${gtKey}: missing; the MTMC section tunes ${tuned.length} parameter(s) that only change the multi-camera output, and without its ground truth (${MTMC_LAYOUT} rows) trials are scored on the single-camera output they do not change`,
      );
    else
      ctx.warnings.push(
        `${gtKey}: not set, so trials are scored on single-camera metrics and the MTMC config does not affect the score`,
      );
  }
  const builtin = exec.pipeline === 'builtin';
  const names = seqmap?.names ?? [];
  if (builtin && seqmap) {
    const unnumbered = names.filter((name) => cameraOf(name) === undefined);
    if (unnumbered.length > 0)
      ctx.problems.push(
        `${ctx.key(seqmap.key)}: ${ctx.label(seqmap.path)} lists ${list(unnumbered, 3)}, but the built-in MTMC stage needs sequence names that end in their camera number (Cam01 → camera 1)`,
      );
    await checkCalibration(ctx, names);
    checkMtmcSeqinfo(ctx, seqmap.sequences);
  }
  if (exec.mtmcGroundTruthPath) await checkMtmcGroundTruth(ctx, exec.mtmcGroundTruthPath, seqmap);
}

async function checkMtmcGroundTruth(ctx: Context, path: string, seqmap: Seqmap | undefined): Promise<void> {
  const where = ctx.key('mtmcGroundTruthPath');
  if (!isFile(path)) {
    ctx.problems.push(
      `${where}: ${ctx.label(path)} ${existsSync(path) ? 'is not a file' : 'does not exist'}; expected multi-camera ground truth, ${MTMC_LAYOUT} rows`,
    );
    return;
  }
  let cameras: Set<number>;
  try {
    const rows = parseMtmcRows(readData(ctx, path, 'MTMC ground truth'), path);
    if (rows.count === 0) {
      ctx.problems.push(`${where}: ${ctx.label(path)} holds no rows; expected ${MTMC_LAYOUT} rows`);
      return;
    }
    cameras = new Set(rows.camera);
  } catch (err) {
    ctx.problems.push(`${where}: ${relabel(err, path, ctx.label)}`);
    return;
  }
  if (!seqmap) return;
  const numbered = seqmap.names.map((name) => [cameraOf(name), name] as const);
  if (numbered.some(([camera]) => camera === undefined)) return;
  const byCamera = new Map(numbered as (readonly [number, string])[]);
  const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);
  const seqCameras = sorted(byCamera.keys());
  const gtCameras = sorted(cameras);
  const seqmapAt = `${ctx.key(seqmap.key)} ${ctx.label(seqmap.path)}`;
  if (!seqCameras.some((c) => cameras.has(c))) {
    ctx.problems.push(
      `${where}: ${ctx.label(path)} has cameras ${list(gtCameras)}, and the sequences of ${seqmapAt} are cameras ${list(seqCameras)} (the number their names end in): none in common, so every trial would score 0`,
    );
    return;
  }
  const unseen = gtCameras.filter((c) => !byCamera.has(c));
  if (unseen.length > 0)
    ctx.warnings.push(
      `${where}: ${ctx.label(path)} has camera(s) ${list(unseen)} that no sequence of ${seqmapAt} is; people seen there count as misses in every trial`,
    );
  const unscored = seqCameras.filter((c) => !cameras.has(c));
  if (unscored.length > 0)
    ctx.warnings.push(
      `${where}: ${ctx.label(path)} has no rows of ${list(unscored.map((c) => byCamera.get(c) as string))}; their multi-camera output is not scored`,
    );
}

/** The built-in MTMC stage maps each sequence's boxes to the floor with its sensor's homography. */
async function checkCalibration(ctx: Context, names: string[]): Promise<void> {
  const { exec } = ctx.config;
  const path = exec.mtmcCalibrationPath ?? defaultCalibration(exec.datasetPath);
  const where = exec.mtmcCalibrationPath
    ? `${ctx.key('mtmcCalibrationPath')}: ${ctx.label(path)}`
    : `${ctx.key('mtmcCalibrationPath')}: not set, and the built-in MTMC stage's default ${ctx.label(path)}`;
  if (!isFile(path)) {
    ctx.problems.push(
      `${where} does not exist; the built-in MTMC stage needs the cameras' calibration (sensors[].id, sensors[].homography)`,
    );
    return;
  }
  try {
    const calibration = parseCalibration(readDataText(ctx, path, 'MTMC calibration'), path);
    const missing = names.filter((name) => !calibration.imageToGround.has(name));
    if (missing.length > 0)
      ctx.problems.push(
        `${ctx.key('mtmcCalibrationPath')}: ${ctx.label(path)} has no sensor with id ${list(missing, 3)}; the built-in MTMC stage needs one per sequence`,
      );
  } catch (err) {
    ctx.problems.push(`${ctx.key('mtmcCalibrationPath')}: ${relabel(err, path, ctx.label)}`);
  }
}

function checkMtmcSeqinfo(ctx: Context, sequences: Sequence[]): void {
  for (const seq of sequences) {
    if (seq.seqinfo === undefined) continue;
    const file = join(seq.dir, 'seqinfo.ini');
    const missing = ['imWidth', 'imHeight', 'frameRate'].filter((key) => {
      const entry = readIni(seq.seqinfo as string, file, ['Sequence', key]);
      return !entry.found || typeof entry.value !== 'number' || !(entry.value > 0);
    });
    if (missing.length > 0)
      ctx.problems.push(
        `${ctx.key('datasetPath')}: ${ctx.label(file)}: the built-in MTMC stage needs [Sequence] ${missing.join(', ')} (positive numbers)`,
      );
  }
}

/** Every problem and warning of the study's data; nothing is thrown for bad data. */
export async function checkStudyData(config: StudyConfig): Promise<StudyDataReport> {
  const execPath = config.execYamlPath ?? DEFAULT_EXEC_PATH;
  const ctx: Context = {
    config,
    key: (name) => `${execPath}.${name}`,
    label: (path) => displayPath(config.exec.rootPath, path),
    scope: inputScope(`the study root ${config.exec.rootPath}`, config.exec.rootPath),
    problems: [],
    warnings: [],
  };
  const { exec } = config;
  const datasetOk = checkDataset(ctx);
  const known = new Map<string, Sequence>();
  const main = await checkSeqmap(ctx, 'seqmapPath', exec.seqmapPath, datasetOk, known);
  const validation = exec.validationSeqmapPath
    ? await checkSeqmap(ctx, 'validationSeqmapPath', exec.validationSeqmapPath, datasetOk, known)
    : undefined;
  if (main && validation) {
    const shared = validation.names.filter((name) => main.names.includes(name));
    if (shared.length > 0)
      ctx.warnings.push(
        `${ctx.key('validationSeqmapPath')}: ${ctx.label(validation.path)} shares ${shared.length} sequence(s) with ${ctx.key('seqmapPath')} (${list(shared, 3)}), so its score is not held out`,
      );
  }
  checkPipelineInputs(ctx, known.values());
  const unfit = checkBenchmarkFit(ctx, known.values());
  for (const seqmap of [main, validation]) if (seqmap) checkScoredRows(ctx, seqmap, unfit);
  await checkMtmc(ctx, main);
  // Keys that cannot change the output, and where the optimizers see the baseline.
  const profile = exec.pipeline === 'builtin' && datasetOk ? profileData(config) : undefined;
  ctx.warnings.push(...deadKeyWarnings(config, profile), ...baselineWarnings(config));
  return { problems: ctx.problems, warnings: ctx.warnings };
}

/**
 * The data checks a study must pass before it starts: throws a StudyConfigError (an InputError) that
 * lists every problem, else returns the warnings.
 */
export async function validateStudyData(config: StudyConfig): Promise<string[]> {
  const { problems, warnings } = await checkStudyData(config);
  if (problems.length > 0) throw new StudyConfigError(config.file, problems);
  return warnings;
}
