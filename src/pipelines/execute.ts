/**
 * Runs one trial's command line where the study says: as a local child process pinned through
 * CUDA_VISIBLE_DEVICES, or in a container with the GPU as a device request. Adapters differ only in
 * the command line they build (and what they do with the output afterwards).
 */
import { makeDirectory } from '../outputFiles.js';
import { runContainer, runLabels } from './docker.js';
import { checkVisible, runBinds } from './mounts.js';
import type { RunOutcome } from './outcome.js';
import { runProcess } from './process.js';
import type { PipelineRunRequest, PipelineRunResult } from './types.js';

/** Docker settings with every default filled in. */
export interface DockerSettings {
  image: string;
  binds: string[];
  network: string;
  gpus: boolean;
  user?: string;
  env: Record<string, string>;
}

export interface Placement {
  /** Working folder of the run; mounted into a container at its own path. */
  studyRoot: string;
  /** Run in this container instead of on the host. */
  docker?: DockerSettings;
  /** Binds an adapter adds for itself (e.g. the pipetune package for `builtin`). */
  extraBinds?: string[];
}

/** The inputs and outputs of a request, by what they are (for clear messages). */
function neededPaths(request: PipelineRunRequest): Record<string, string | undefined> {
  return {
    'PGIE config': request.configs.pgie,
    'tracker config': request.configs.tracker,
    'MTMC config': request.configs.mtmc,
    dataset: request.datasetDir,
    seqmap: request.seqmapPath,
    'output folder': request.outputDir,
  };
}

function runIn(
  docker: DockerSettings,
  argv: string[],
  request: PipelineRunRequest,
  placement: Placement,
): Promise<RunOutcome> {
  const { studyRoot } = placement;
  const binds = runBinds(studyRoot, request.trialDir, placement.extraBinds ?? [], docker.binds);
  checkVisible(neededPaths(request), binds);
  return runContainer({
    argv,
    image: docker.image,
    workingDir: studyRoot,
    binds,
    network: docker.network,
    user: docker.user,
    env: docker.env,
    gpu: request.gpu,
    gpus: docker.gpus,
    labels: runLabels({ studyRoot, trialDir: request.trialDir, gpu: request.gpu }),
    logFile: request.logFile,
    onOutput: request.onOutput,
    signal: request.signal,
  });
}

export async function execute(
  argv: string[],
  request: PipelineRunRequest,
  placement: Placement,
): Promise<PipelineRunResult> {
  makeDirectory(request.outputDir, 'the trial output folder');
  const outcome = placement.docker
    ? await runIn(placement.docker, argv, request, placement)
    : await runProcess({
        argv,
        cwd: placement.studyRoot,
        gpu: request.gpu,
        logFile: request.logFile,
        onOutput: request.onOutput,
        signal: request.signal,
      });
  return { ...outcome, outputDir: request.outputDir, logFile: request.logFile };
}
