/**
 * The pipeline adapter contract. PipeExec renders the trial's config files, then calls `run`; when it
 * resolves, `outputDir/<seq>.txt` holds MOT-format tracks for every evaluated sequence
 * (frame,id,left,top,width,height,conf,-1,-1,-1) and, for MTMC pipelines, `outputDir/mtmc.txt` holds
 * `camera,id,frame,left,top,width,height,x_on_ground,y_on_ground`. Adapters that produce another format
 * (DeepStream's KITTI track dumps) convert before resolving.
 */

/** Absolute paths of the rendered config files inside the trial's checkpoint folder. */
export interface RenderedConfigs {
  pgie?: string;
  tracker?: string;
  mtmc?: string;
}

export interface PipelineRunRequest {
  /** The trial's checkpoint folder (rendered configs, log, outputs). */
  trialDir: string;
  configs: RenderedConfigs;
  /** Folder of sequence folders (`<seq>/seqinfo.ini`, detections or proposals). */
  datasetDir: string;
  /** Seqmap file (first line `name`) selecting the sequences; all sequences when absent. */
  seqmapPath?: string;
  /** Where MOT results must be written. */
  outputDir: string;
  /** Every line the pipeline prints goes here. */
  logFile: string;
  /** GPU index the worker is pinned to (CUDA_VISIBLE_DEVICES / container DeviceIDs). */
  gpu?: number;
  /** Aborting kills the whole process group (or container) of the run. */
  signal: AbortSignal;
  /** Called on every output line; PipeExec heartbeats from it. */
  onOutput?: (line: string) => void;
}

export interface PipelineRunResult {
  exitCode: number;
  /** Set when the process was ended by a signal (e.g. the run was cancelled). */
  signal?: string;
  outputDir: string;
  logFile: string;
  durationMs: number;
}

export interface PipelineAdapter {
  readonly name: string;
  run(request: PipelineRunRequest): Promise<PipelineRunResult>;
}

/** Placeholders a `command` pipeline's arguments may contain; substituted per trial by the adapter. */
export const COMMAND_PLACEHOLDERS = [
  'pgie',
  'tracker',
  'mtmc',
  'dataset',
  'seqmap',
  'output',
  'gpu',
  'trial',
] as const;
