/**
 * Pipeline adapters: `createAdapter` turns the pipeline part of a study into the adapter PipeExec calls.
 * Configuration errors (no command, unreadable app config) surface here, when the study is loaded.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { builtinAdapter } from './builtin-adapter.js';
import { commandAdapter } from './command.js';
import { type DeepStreamSettings, deepstreamAdapter } from './deepstream.js';
import type { DockerSettings, Placement } from './execute.js';
import type { PipelineAdapter } from './types.js';

export { removeStaleContainers, type StaleFilter } from './docker.js';
export type { PipelineAdapter, PipelineRunRequest, PipelineRunResult, RenderedConfigs } from './types.js';
export { COMMAND_PLACEHOLDERS } from './types.js';

export type PipelineKind = 'builtin' | 'command' | 'deepstream';

/** `Init.Exec.docker`: run the pipeline in this image. */
export interface DockerOptions {
  image: string;
  /** Extra `host:container[:ro]` binds; the study root is always mounted at its own path. */
  binds?: string[];
  /** Docker network mode; `none` (no network) by default. */
  network?: string;
  /** Give the container the worker's GPU (NVIDIA runtime); on by default. */
  gpus?: boolean;
  /** `uid[:gid]` in the container; default: the worker's own (see defaultUser). */
  user?: string;
  env?: Record<string, string>;
}

export interface PipelineOptions {
  pipeline: PipelineKind;
  /** `command`: program and arguments with {pgie} {tracker} {mtmc} {dataset} {seqmap} {output} {gpu} {trial}. */
  command?: string[];
  /** `command`: a regex over the run's log whose group (`fps`, else the first) is the trial's fps. */
  perfRegex?: string;
  docker?: DockerOptions;
  /** `deepstream`: the DeepStream image (else `docker.image`; else deepstream-app on the host). */
  deepstream?: DeepStreamSettings & { image?: string };
  /** Absolute study root: the run's working folder, mounted into containers at its own path. */
  studyRoot: string;
}

/**
 * Who the container runs as when the study does not say: the worker's own uid:gid, so it can do no more
 * than the worker and its outputs stay owned by it; a worker running as root uses the study root's owner
 * instead (who can write there). Only when both are root does the image's own user apply.
 */
function defaultUser(studyRoot: string): string | undefined {
  const worker =
    process.getuid && process.getgid ? { uid: process.getuid(), gid: process.getgid() } : undefined;
  const owner = worker?.uid === 0 ? statSync(studyRoot, { throwIfNoEntry: false }) : worker;
  return owner && owner.uid !== 0 ? `${owner.uid}:${owner.gid}` : undefined;
}

function dockerSettings(docker: DockerOptions, studyRoot: string): DockerSettings {
  const user = docker.user ?? defaultUser(studyRoot);
  return {
    image: docker.image,
    binds: docker.binds ?? [],
    network: docker.network ?? 'none',
    gpus: docker.gpus ?? true,
    ...(user ? { user } : {}),
    env: docker.env ?? {},
  };
}

function placementOf(options: PipelineOptions, image: string | undefined): Placement {
  const studyRoot = resolve(options.studyRoot);
  const docker = image ? dockerSettings({ ...options.docker, image }, studyRoot) : undefined;
  return { studyRoot, ...(docker ? { docker } : {}) };
}

/** The image a pipeline runs in, or undefined when it runs on the host. */
export function pipelineImage(options: {
  pipeline: string;
  docker?: { image: string };
  deepstream?: { image?: string };
}): string | undefined {
  return (options.pipeline === 'deepstream' ? options.deepstream?.image : undefined) ?? options.docker?.image;
}

export function createAdapter(options: PipelineOptions): PipelineAdapter {
  const placement = placementOf(options, pipelineImage(options));
  switch (options.pipeline) {
    case 'builtin':
      return builtinAdapter(placement);
    case 'command':
      return commandAdapter(options.command ?? [], placement, options.perfRegex);
    case 'deepstream': {
      const { image: _, ...settings } = options.deepstream ?? {};
      return deepstreamAdapter(settings, placement);
    }
    default:
      throw new InputError(
        `unknown pipeline "${String(options.pipeline)}"; expected builtin, command or deepstream`,
      );
  }
}
