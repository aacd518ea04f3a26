/**
 * One tuning trial of the built-in pipeline, in process: the base configs with some values replaced
 * (through the config overlay, as a study renders them), the pipeline, then the metrics the study
 * would optimise. Shared by the sweep and speed benchmarks.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { evaluateMot } from '../../src/eval/index.js';
import { evaluateMtmc, readMtmcFile } from '../../src/eval/mtmc.js';
import { applyEdits, type Edit, formatOf } from '../../src/overlay/index.js';
import { packageRoot } from '../../src/paths.js';
import { defaultCalibration, runPipeline, SAMPLE_CONFIGS } from '../../src/pipelines/builtin/runner.js';
import { PERF_FILE, parsePerfJson } from '../../src/pipelines/perf.js';

export type Stage = keyof typeof SAMPLE_CONFIGS;

export interface TrialOptions {
  /** `<name>_videos` folder made by `pipetune synth`. */
  dataset: string;
  workDir: string;
  edits?: Partial<Record<Stage, Edit[]>>;
  /** A base config's text instead of the sample file's (e.g. with optional keys added to edit). */
  bases?: Partial<Record<Stage, string>>;
  mtmc?: boolean;
}

export interface TrialScores {
  HOTA: number;
  MOTA: number;
  IDF1: number;
  /** Ground-plane HOTA and multi-camera IDF1 when MTMC ran. */
  mtmcHOTA?: number;
  mtmcIDF1?: number;
  pipelineSeconds: number;
  evalSeconds: number;
  /** Frames per CPU second, median over sequences, from the run's perf.json. */
  fps: number;
}

function renderConfig(stage: Stage, options: TrialOptions, dir: string): string {
  const base = join(packageRoot(), SAMPLE_CONFIGS[stage]);
  const file = join(dir, basename(base));
  const text = options.bases?.[stage] ?? readFileSync(base, 'utf8');
  const edits = options.edits?.[stage];
  writeFileSync(file, edits?.length ? applyEdits(formatOf(base), text, base, edits) : text);
  return file;
}

/** The sample tracker config with the optional ReID keys written out at their defaults, so they can be edited. */
export function trackerWithReidKeys(): string {
  const text = readFileSync(join(packageRoot(), SAMPLE_CONFIGS.tracker), 'utf8');
  const added = '  reidFeatureSize4Matching: 128\n  reidExtractionInterval: 0\n';
  const withKeys = text.replace(/^(\s+reidHistorySize:.*\n)/m, `$1${added}`);
  if (withKeys === text)
    throw new Error(`${SAMPLE_CONFIGS.tracker}: no ReID.reidHistorySize line to add keys after`);
  return withKeys;
}

export async function runTrial(options: TrialOptions): Promise<TrialScores> {
  const configs = join(options.workDir, 'configs');
  const out = join(options.workDir, 'out');
  mkdirSync(configs, { recursive: true });
  const started = performance.now();
  await runPipeline({
    dataset: options.dataset,
    out,
    pgie: renderConfig('pgie', options, configs),
    tracker: renderConfig('tracker', options, configs),
    mtmc: options.mtmc ? renderConfig('mtmc', options, configs) : undefined,
  });
  const ran = performance.now();
  const mot = evaluateMot({ gtDir: options.dataset, trackerDir: out }).combined.summary;
  const scores: TrialScores = {
    HOTA: mot.HOTA!,
    MOTA: mot.MOTA!,
    IDF1: mot.IDF1!,
    pipelineSeconds: 0,
    evalSeconds: 0,
    fps: parsePerfJson(readFileSync(join(out, PERF_FILE), 'utf8'), PERF_FILE).fps,
  };
  if (options.mtmc) {
    const gtPath = join(defaultCalibration(options.dataset), '..', 'ground_truth.txt');
    const mtmc = evaluateMtmc(readMtmcFile(gtPath), readMtmcFile(join(out, 'mtmc.txt')));
    scores.mtmcHOTA = mtmc.groundPlane.HOTA;
    scores.mtmcIDF1 = mtmc.multiCamera.IDF1;
  }
  scores.pipelineSeconds = (ran - started) / 1000;
  scores.evalSeconds = (performance.now() - ran) / 1000;
  return scores;
}
