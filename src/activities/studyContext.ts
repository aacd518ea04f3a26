/**
 * Everything an activity needs about a study, loaded once per process and config version: the validated
 * config, the workflow's plan, the pipeline adapter and the evaluation. The one place where the study
 * config is mapped onto the workflow, the pipelines and the metrics.
 */

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { useAugmentedDataset } from '../augment/study.js';
import {
  type ExecConfig,
  loadStudyConfig,
  originalParams,
  render,
  type StudyConfig,
  validateStudyData,
} from '../config/index.js';
import type { PruningConfig } from '../config/types.js';
import { type EvalReport, evaluateMot } from '../eval/index.js';
import { readSeqinfo, readSeqmap } from '../eval/motFiles.js';
import { evaluateMtmc, readMtmcFile } from '../eval/mtmc.js';
import type { MtmcRows } from '../eval/mtmc-files.js';
import { objectiveValue } from '../eval/sequenceObjective.js';
import { cameraNumber } from '../pipelines/builtin/mtmc/behaviors.js';
import { createAdapter } from '../pipelines/index.js';
import type { PipelineAdapter, RenderedConfigs } from '../pipelines/types.js';
import type { Params, Space } from '../space/types.js';
import { validateStudyRef } from '../study/input.js';
import { studyLayout } from '../study/layout.js';
import type { ConstraintSpec, ObjectiveSpec } from '../study/objectives.js';
import { type StudyManifest, VALIDATION } from '../study/records.js';
import {
  DEFAULT_GPU_QUEUE,
  type OptimizerPlan,
  type StudyPlan,
  type StudyRef,
  type TrialTicket,
} from '../study/types.js';

export interface Scores {
  metrics: Record<string, number>;
  /** Each sequence's single-camera headline metrics. */
  sequences: Record<string, Record<string, number>>;
  /** The study metric per sequence (empty for MTMC studies, whose metric spans cameras). */
  perSequence: Record<string, number>;
}

export interface LoadedStudy {
  config: {
    space: Space;
    /** Init.Exec as loaded, and where it sits in the config: for the GPU worker's policy. */
    exec: ExecConfig;
    execPath: string;
    datasetDir: string;
    /** The sequences a trial runs and is scored on: the held-out seqmap for `validation` trials. */
    seqmapFor(ticket: TrialTicket): string;
    render(params: Params, dir: string): Promise<RenderedConfigs>;
    originalParams(): Promise<Params>;
    /**
     * Headline metrics (fractions) of a trial's output folder over the sequences of `seqmapPath`, and the
     * study metric per sequence (single-camera studies; empty for MTMC, whose metric spans cameras).
     */
    evaluate(outputDir: string, seqmapPath: string): Promise<Scores>;
    /** Frames of each sequence of a seqmap (seqinfo.ini's seqLength). */
    sequenceFrames(seqmapPath: string): { name: string; frames: number }[];
    /** `pruning:` of the study config, when its trials run in stages. */
    pruning?: PruningConfig;
    /** `Init.Eval.objectives` and `constraints`, when the study has them. */
    objectives?: ObjectiveSpec[];
    constraints?: ConstraintSpec[];
    /** The data checks of `pipetune check`: throws when the study could only fail or score 0. */
    checkData(): Promise<string[]>;
  };
  plan: StudyPlan;
  manifest: StudyManifest;
  adapter: PipelineAdapter;
  seed: number;
}

/** Re-evaluation runs per top config at the end of a study. */
const REEVALUATE_REPEATS = 2;

const cache = new Map<string, Promise<LoadedStudy>>();

export async function loadStudy(ref: StudyRef): Promise<LoadedStudy> {
  const study = validateStudyRef(ref);
  const mtime = (await stat(study.configPath).catch(() => undefined))?.mtimeMs ?? 0;
  const key = JSON.stringify([study, mtime]);
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = build(study);
    cache.set(key, loaded);
    loaded.catch(() => cache.delete(key));
  }
  return loaded;
}

async function build(study: StudyRef): Promise<LoadedStudy> {
  const { config } = await loadStudyConfig(study.configPath, { root: study.rootDir });
  useAugmentedDataset(config, study.outputDir);
  const plan = planOf(config, study);
  return {
    config: {
      space: config.space,
      exec: config.exec,
      execPath: config.execYamlPath ?? 'parameter_space.Init.Exec',
      datasetDir: config.exec.datasetPath,
      seqmapFor: (ticket) =>
        ticket.optimizer === VALIDATION && config.exec.validationSeqmapPath
          ? config.exec.validationSeqmapPath
          : config.exec.seqmapPath,
      render: (params, dir) => render(config, params, dir),
      originalParams: async () => originalParams(config),
      evaluate: (outputDir, seqmapPath) => evaluate(config, outputDir, seqmapPath),
      sequenceFrames: (seqmapPath) =>
        readSeqmap(seqmapPath).map((name) => ({
          name,
          frames: readSeqinfo(path.join(config.exec.datasetPath, name, 'seqinfo.ini')).seqLength,
        })),
      ...(config.pruning ? { pruning: config.pruning } : {}),
      ...(config.objectives ? { objectives: config.objectives } : {}),
      ...(config.constraints ? { constraints: config.constraints } : {}),
      checkData: () => validateStudyData(config),
    },
    plan,
    manifest: await manifestOf(study, plan),
    adapter: createAdapter({
      pipeline: config.exec.pipeline,
      command: config.exec.command,
      ...(config.exec.perfRegex === undefined ? {} : { perfRegex: config.exec.perfRegex }),
      docker: config.exec.docker,
      deepstream: config.exec.deepstream,
      studyRoot: study.rootDir,
    }),
    seed: config.exec.seed,
  };
}

function planOf(config: StudyConfig, study: StudyRef): StudyPlan {
  const counts = new Map<string, number>();
  const optimizers: OptimizerPlan[] = config.bbo.optimizers.map((o) => {
    const n = (counts.get(o.name) ?? 0) + 1;
    counts.set(o.name, n);
    return {
      label: n === 1 ? o.name : `${o.name}-${n}`,
      name: o.name,
      maxIteration: study.maxIterations ?? o.maxIteration,
      redundancy: o.redundancy,
      batchSize: o.batchSize,
    };
  });
  return {
    metric: config.metric,
    minimize: config.bbo.problemTypeIsMin,
    baseline: config.exec.baseline,
    optimizers,
    thresholdZeroScores: config.optimManager.thresholdZeroScores,
    thresholdAppFails: config.optimManager.thresholdDsAppFails,
    trialTimeoutMs: config.exec.trialTimeoutMs,
    heartbeatTimeoutMs: Number(process.env.PIPETUNE_HEARTBEAT_TIMEOUT_MS ?? 30_000),
    reevaluateTop: config.exec.reevaluateTop,
    reevaluateRepeats: config.exec.reevaluateTop > 0 ? REEVALUATE_REPEATS : 0,
    validate: config.exec.validationSeqmapPath !== undefined,
    // The schedule itself is made by prepareStudy (it needs the data); until then one stage.
    stages: 1,
    ...(config.exec.deterministic ? { deterministic: true } : {}),
    ...(config.objectives ? { objectives: config.objectives } : {}),
    ...(config.constraints ? { constraints: config.constraints } : {}),
    gpuQueue: process.env.PIPETUNE_GPU_QUEUE ?? DEFAULT_GPU_QUEUE,
  };
}

/** The objectives and constraints a manifest records (the results read them from it). */
export function objectivesOf(plan: StudyPlan): Pick<StudyManifest, 'objectives' | 'constraints'> {
  return {
    ...(plan.objectives ? { objectives: plan.objectives } : {}),
    ...(plan.constraints ? { constraints: plan.constraints } : {}),
  };
}

/** The manifest on disk when the study exists (its stamp names the CSV), else a new one. */
async function manifestOf(study: StudyRef, plan: StudyPlan): Promise<StudyManifest> {
  const file = studyLayout(study.outputDir).manifest;
  if (existsSync(file)) {
    // The stamp and creation time stay; the objectives follow the config (a resumed study may change them).
    const {
      objectives: _o,
      constraints: _c,
      ...kept
    } = JSON.parse(await readFile(file, 'utf8')) as StudyManifest;
    return { ...kept, ...objectivesOf(plan) };
  }
  const now = new Date();
  return {
    name: study.name,
    configPath: study.configPath,
    rootDir: study.rootDir,
    metric: plan.metric,
    minimize: plan.minimize,
    ...objectivesOf(plan),
    createdAt: now.toISOString(),
    stamp: now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15),
  };
}

/**
 * Headline metrics of a trial (fractions). Single-camera studies: TrackEval-exact MOT metrics over every
 * sequence. Studies with an MTMC config and ground truth are scored on the multi-camera output: HOTA and
 * its parts on the ground plane (AIC 2024), IDF1 over concatenated cameras (AIC 2021-22); MOTA, which has
 * no multi-camera form, and the single-camera metrics stay available as MOT_*.
 */
async function evaluate(config: StudyConfig, outputDir: string, seqmapPath: string): Promise<Scores> {
  const report = evaluateMot({
    gtDir: config.exec.datasetPath,
    trackerDir: outputDir,
    seqmapPath,
    benchmark: config.exec.benchmark,
  });
  const mot = report.combined.summary;
  // Every sequence's single-camera metrics, for the per-sequence views.
  const sequences = Object.fromEntries(
    Object.entries(report.sequences).map(([seq, block]) => [seq, { ...block.summary }]),
  );
  if (!(config.files.mtmc && config.exec.mtmcGroundTruthPath)) {
    const perSequence: Record<string, number> = {};
    for (const [name, block] of Object.entries(report.sequences)) {
      const value = block.summary[config.metric];
      if (value !== undefined) perSequence[name] = value;
    }
    return { metrics: objectiveMetrics(config, report), sequences, perSequence };
  }
  // The ground truth covers every camera; a run over some sequences is scored on their cameras only.
  const cameras = new Set(readSeqmap(seqmapPath).map(cameraNumber));
  const mtmc = evaluateMtmc(
    onlyCameras(readMtmcFile(config.exec.mtmcGroundTruthPath), cameras),
    readMtmcFile(path.join(outputDir, 'mtmc.txt')),
  );
  const metrics: Record<string, number> = {};
  for (const [name, value] of Object.entries(mot)) metrics[`MOT_${name}`] = value;
  Object.assign(metrics, mtmc.groundPlane, {
    IDF1: mtmc.multiCamera.IDF1,
    IDP: mtmc.multiCamera.IDP,
    IDR: mtmc.multiCamera.IDR,
    MOTA: mot.MOTA,
  });
  return { metrics, sequences, perSequence: {} };
}

/**
 * The combined metrics, with the study metric replaced by the objective over sequences when one is
 * set (`Eval.objective`); the combined value stays as `<metric>_combined`.
 */
function objectiveMetrics(config: StudyConfig, report: EvalReport): Record<string, number> {
  const metrics: Record<string, number> = { ...report.combined.summary };
  if (config.objective === 'combined') return metrics;
  const { metric } = config;
  const perSequence = Object.values(report.sequences).map((block) => block.summary[metric]!);
  metrics[`${metric}_combined`] = metrics[metric]!;
  metrics[metric] = objectiveValue(config.objective, metrics[metric]!, perSequence);
  return metrics;
}

/** The rows of the given cameras. */
function onlyCameras(rows: MtmcRows, cameras: Set<number>): MtmcRows {
  const keep = Array.from({ length: rows.count }, (_, i) => i).filter((i) => cameras.has(rows.camera[i]!));
  if (keep.length === rows.count) return rows;
  const ints = (column: Int32Array) => Int32Array.from(keep, (i) => column[i]!);
  const reals = (column: Float64Array) => Float64Array.from(keep, (i) => column[i]!);
  return {
    file: rows.file,
    count: keep.length,
    camera: ints(rows.camera),
    id: ints(rows.id),
    frame: ints(rows.frame),
    left: reals(rows.left),
    top: reals(rows.top),
    width: reals(rows.width),
    height: reals(rows.height),
    x: reals(rows.x),
    y: reals(rows.y),
  };
}
