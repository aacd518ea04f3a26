/**
 * The built-in pipeline over a dataset: per sequence, detector post-processing (of raw proposals or a
 * detection file) → tracker → optional track-gap interpolation, written as `<out>/<seq>.txt`; then, when an MTMC config is given, multi-camera clustering
 * of all sequences' tracks into `<out>/mtmc.txt`. Files are written under a temporary name and renamed,
 * so a killed run never leaves a truncated result behind.
 */
import { existsSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { InputError, inputError } from '../../errors.js';
import { readSeqmap } from '../../eval/motFiles.js';
import { listInputFolder } from '../../inputFiles.js';
import { makeDirectory, writeOutputFile } from '../../outputFiles.js';
import { packageRoot } from '../../paths.js';
import { PERF_FILE, type Perf, perfJson, perfOfSequences, type SequencePerf } from '../perf.js';
import { ConfigFile } from './configFile.js';
import { interpolateGaps } from './interpolation.js';
import { motText } from './motWriter.js';
import { readCalibration } from './mtmc/calibration.js';
import { readMtmcConfig } from './mtmc/config.js';
import { type CameraTracks, runMtmc } from './mtmc/index.js';
import { mtmcText } from './mtmc/output.js';
import { postprocess, readPgieConfig } from './postprocess.js';
import { readSequence, readSequenceInfo } from './sequence.js';
import { trackSequence } from './tracker.js';
import { atFrameRate, readTrackerConfig } from './trackerConfig.js';

export interface PipelineOptions {
  /** nvinfer-style INI; default: the sample config. Applies to raw proposals and det/det.txt alike. */
  pgie?: string;
  /** Tracker YAML; default: the sample config. */
  tracker?: string;
  /** MTMC JSON; MTMC runs only when given. */
  mtmc?: string;
  /** calibration.json for MTMC; default: `<dataset without _videos>_utils/calibration.json`. */
  calibration?: string;
  dataset: string;
  seqmap?: string;
  out: string;
  signal?: AbortSignal;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The sample configs (relative to the package root); pgie and tracker are the defaults. */
export const SAMPLE_CONFIGS = {
  pgie: join('configs', 'config_PGIE', 'config_infer_primary_builtin.txt'),
  tracker: join('configs', 'config_Tracker', 'config_tracker_builtin.yml'),
  mtmc: join('configs', 'config_MTMC', 'config_mtmc_builtin.json'),
};

/** Sequences of the seqmap, or every folder of the dataset holding a seqinfo.ini. */
function listSequences(dataset: string, seqmap?: string): string[] {
  if (seqmap) {
    const names = readSeqmap(seqmap);
    if (names.length === 0) throw inputError(seqmap, undefined, 'lists no sequences');
    return names;
  }
  if (!existsSync(dataset)) throw inputError(dataset, undefined, 'dataset folder not found');
  const names = listInputFolder(dataset, 'dataset folder')
    .filter((e) => e.isDirectory() && existsSync(join(dataset, e.name, 'seqinfo.ini')))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) throw inputError(dataset, undefined, 'no sequence folders (<seq>/seqinfo.ini)');
  return names;
}

/** Where `pipetune synth` puts the calibration of a `<name>_videos` dataset. */
export function defaultCalibration(dataset: string): string {
  const name = basename(dataset).replace(/_videos$/, '');
  return join(dirname(dataset), `${name}_utils`, 'calibration.json');
}

function writeAtomically(path: string, text: Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeOutputFile(tmp, text);
  renameSync(tmp, path);
}

export async function runPipeline(options: PipelineOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const root = packageRoot();
  const trackerCfg = readTrackerConfig(
    ConfigFile.read(options.tracker ?? join(root, SAMPLE_CONFIGS.tracker), 'tracker config'),
  );
  const pgieCfg = readPgieConfig(
    ConfigFile.read(options.pgie ?? join(root, SAMPLE_CONFIGS.pgie), 'PGIE config'),
  );
  const mtmcCfg = options.mtmc ? readMtmcConfig(ConfigFile.read(options.mtmc, 'MTMC config')) : null;
  const calibrationPath = options.calibration ?? defaultCalibration(options.dataset);
  const calibration = mtmcCfg ? readCalibration(calibrationPath) : null;
  if (mtmcCfg && trackerCfg.reidFeatureSize === null) {
    throw new InputError(
      `${options.tracker ?? SAMPLE_CONFIGS.tracker}: MTMC needs embeddings: add a ReID section with reidFeatureSize`,
    );
  }
  const needEmbeddings =
    mtmcCfg !== null || trackerCfg.reidInAssociation || trackerCfg.reassociation !== null;
  const names = listSequences(options.dataset, options.seqmap);
  makeDirectory(options.out);

  const cameras: CameraTracks[] = [];
  const cpu: Record<string, CpuTime> = {};
  for (const [k, name] of names.entries()) {
    // Between sequences the event loop runs, so a cancellation is seen within one sequence's time.
    await yieldToEventLoop();
    if (options.signal?.aborted) throw new Error('run-pipeline: cancelled');
    const info = readSequenceInfo(options.dataset, name);
    const input = readSequence(info, needEmbeddings ? trackerCfg.reidFeatureSize : null);
    // Throughput counts the pipeline's own work, from post-processing to the written file; reading the
    // dataset stands in for decoding and inference, which the built-in pipeline does not do.
    const started = process.cpuUsage();
    const detections = postprocess(input.detections, pgieCfg);
    const cfg = atFrameRate(trackerCfg, info.fps);
    const tracks = interpolateGaps(trackSequence(detections, cfg, input.embeddings), cfg.interpolationMaxGap);
    writeAtomically(join(options.out, `${name}.txt`), motText(tracks));
    cpu[name] = { frames: info.frames, seconds: cpuSecondsSince(started) };
    const ids = new Set(tracks.id).size;
    log(
      `run-pipeline: ${name} (${k + 1}/${names.length}): ${input.detections.count} ${input.source} → ${detections.count} detections → ${tracks.count} track rows, ${ids} ids`,
    );
    if (mtmcCfg) {
      if (!input.embeddings)
        throw inputError(info.dir, undefined, 'MTMC needs ReID embeddings (det/emb.f32 next to det/det.txt)');
      cameras.push({ info, tracks, embeddings: input.embeddings });
    }
  }
  let mtmcSeconds = 0;
  if (mtmcCfg && calibration) {
    await yieldToEventLoop();
    if (options.signal?.aborted) throw new Error('run-pipeline: cancelled');
    const started = process.cpuUsage();
    const result = runMtmc(cameras, calibration, mtmcCfg);
    writeAtomically(join(options.out, 'mtmc.txt'), mtmcText(result));
    mtmcSeconds = cpuSecondsSince(started);
    log(
      `run-pipeline: mtmc: ${result.behaviors} behaviors → ${result.globalIds} global ids, ${result.rows.length} rows`,
    );
  }
  const perf = builtinPerf(cpu, mtmcSeconds);
  writeAtomically(join(options.out, PERF_FILE), Buffer.from(perfJson(perf)));
  log(`run-pipeline: ${perf.fps.toFixed(1)} frames per CPU second (median over ${names.length} sequences)`);
}

interface CpuTime {
  frames: number;
  seconds: number;
}

/** User + system CPU seconds of this process since `start`. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * perf.json of a run: each sequence's frames over its CPU seconds, where an MTMC stage's seconds are
 * shared among the cameras by their frames (every camera's stream pays its part of the joint stage).
 */
export function builtinPerf(cpu: Record<string, CpuTime>, mtmcSeconds: number): Perf {
  const total = Object.values(cpu).reduce((sum, s) => sum + s.frames, 0);
  const perSequence: Record<string, SequencePerf> = {};
  for (const [name, { frames, seconds: own }] of Object.entries(cpu)) {
    // A floor of one microsecond keeps fps finite on a sequence too short for the clock.
    const seconds = Math.max(1e-6, own + (total ? (mtmcSeconds * frames) / total : 0));
    perSequence[name] = { frames, seconds, fps: frames / seconds };
  }
  return perfOfSequences(perSequence, 'cpu');
}
