/** The validated study config handed to the workflow, the pipelines and `render`. */
import type { AugmentationSettings } from '../augment/options.js';
import type { Objective } from '../eval/sequenceObjective.js';
import type { FileFormat } from '../overlay/index.js';
import type { DockerSettings } from '../pipelines/execute.js';
import type { PrunerSettings } from '../pruners/index.js';
import type { ConfigRole } from '../space/limits.js';
import type { Dimension, ParamValue, Space } from '../space/types.js';
import type { ConstraintSpec, ObjectiveSpec } from '../study/objectives.js';
import type { StageOrder } from '../study/stages.js';
import type { BENCHMARKS, METRICS, OPTIMIZER_NAMES, PIPELINES } from './schema.js';

export type { ConfigRole } from '../space/limits.js';
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];
export type PipelineKind = (typeof PIPELINES)[number];
export type Metric = (typeof METRICS)[number];
export type Benchmark = (typeof BENCHMARKS)[number];

/** One of the user's config files that trials overlay. */
export interface ConfigFile {
  role: ConfigRole;
  /** Absolute path of the original. */
  path: string;
  format: FileFormat;
}

/** Where a study-config leaf lands: file, location inside it, and the value the file holds. */
export interface ParamTarget {
  /** Full parameter path, e.g. `NvDCF.StateEstimator.processNoiseVar4Loc`. */
  name: string;
  /** The study-config section: PGIE, NvDCF, NvSORT, NvDeepSORT, IOU, Tracker or MTMC. */
  module: string;
  role: ConfigRole;
  /** Absolute path of the original file. */
  file: string;
  format: FileFormat;
  /** Keys inside the file: [group, key] (INI), [Section, key] (YAML), nested keys (JSON). */
  location: string[];
  /** INI group / YAML section / JSON object path ('' for a top-level key). */
  section: string;
  key: string;
  /** The value in the user's file. */
  original: ParamValue;
  /** 1-based line of the value in the file, when known. */
  line?: number;
  /** Where the leaf is in the study config, e.g. `parameter_space.PGIE."[class-attrs-all]".topk`. */
  yamlPath: string;
}

export interface TunedParameter extends ParamTarget {
  dimension: Dimension;
}

/** A constant leaf of a module section: written into every trial's config, baseline included. */
export interface FixedSetting extends ParamTarget {
  value: ParamValue;
}

export interface OptimizerSpec {
  /** The bbo.optimizers key (type1, type2, …). */
  id: string;
  name: OptimizerName;
  maxIteration: number;
  redundancy: number;
  batchSize: number;
}

/** `Init.Exec.docker` with its defaults filled in: the settings the pipeline adapters run with. */
export type DockerOptions = DockerSettings;

export interface ExecConfig {
  /** Absolute study root; every relative path below was resolved against it. */
  rootPath: string;
  datasetPath: string;
  seqmapPath: string;
  pgiePath?: string;
  trackerPath?: string;
  mtmcPath?: string;
  mtmcCalibrationPath?: string;
  mtmcGroundTruthPath?: string;
  mtmcPlaybackPath?: string;
  validationSeqmapPath?: string;
  pipeline: PipelineKind;
  /** `pipeline: command`: program and arguments with {pgie} {tracker} {mtmc} {dataset} {seqmap} {output} {gpu}. */
  command?: string[];
  /** `pipeline: command`: regex over the run's log capturing the trial's fps (docs/throughput.md). */
  perfRegex?: string;
  docker?: DockerOptions;
  deepstream: { image?: string; appConfig?: string };
  benchmark: Benchmark;
  seed: number;
  /** Optimizers take turns in rounds that see only earlier rounds: same config and seed, same trials. */
  deterministic: boolean;
  baseline: boolean;
  trialTimeoutMs: number;
  reevaluateTop: number;
  /** Trials read an augmented copy of datasetPath made in the study's folder (`occluders` made absolute). */
  augmentation?: AugmentationSettings;
  /** PipeTuner's own Exec keys, passed through for the DeepStream adapter (dsAppPath made absolute). */
  pipeTuner: { streamRes?: string; containerImageID?: string; dsAppPath?: string };
}

/** The `pruning:` block: trials run their sequences in stages, and a pruner may stop them between stages. */
export interface PruningConfig {
  pruner: PrunerSettings;
  /** Shares of the study's frames after each stage, increasing to 1. */
  shares: number[];
  order: StageOrder;
}

export interface StudyConfig {
  /** Absolute path of the study YAML. */
  file: string;
  /** Its file name (`sdg-mot.yml`), which names the output folder `<name>_output`. */
  name: string;
  exec: ExecConfig;
  /** Where `Init.Exec` sits in the YAML (`parameter_space.Init.Exec` or under `processing`), for messages. */
  execYamlPath?: string;
  metric: Metric;
  /**
   * Over what the metric is scored: TrackEval's combined value, or the mean or minimum of the
   * sequences' values (src/eval/sequenceObjective.ts), single-camera studies only.
   */
  objective: Objective;
  /** Two objectives (`Init.Eval.objectives`): the study keeps a Pareto set; the first is `metric`. */
  objectives?: ObjectiveSpec[];
  /** Bounds on metrics (`Init.Eval.constraints`): trials outside them are infeasible and never best. */
  constraints?: ConstraintSpec[];
  /** The files every trial renders, by role. */
  files: Partial<Record<ConfigRole, ConfigFile>>;
  /** The search space; `parameters[i]` is the target of `space.dimensions[i]`. */
  space: Space;
  parameters: TunedParameter[];
  fixed: FixedSetting[];
  bbo: { problemTypeIsMin: boolean; jobBatchSize: number; optimizers: OptimizerSpec[] };
  servers: { name: string; workerNumber?: number }[];
  /** Sum of servers' worker_number, or the number of optimizers when none is given. */
  workers: number;
  optimManager: { thresholdZeroScores: number; thresholdDsAppFails: number };
  /** Absent: every trial runs all its sequences at once, as PipeTuner does. */
  pruning?: PruningConfig;
}

export interface LoadResult {
  config: StudyConfig;
  warnings: string[];
}
