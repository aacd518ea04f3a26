/**
 * What a GPU worker's operator allows studies to run on it: `command` programs, Docker images
 * (`Exec.docker.image`, `Exec.deepstream.image`), the folder study roots must lie in, container networks,
 * host folders outside the study root that containers may mount, and root users in containers. A study
 * started by any system is checked in the GPU activity before a trial runs; a refusal names the key.
 * Nothing is allowed unless listed: a worker started without lists runs only the builtin pipeline.
 */

import { isAbsolute } from 'node:path';
import type { ExecConfig } from '../config/types.js';
import { inputScope, outsideProblem } from '../inputFiles.js';

/** A host folder outside the study root that `docker.binds` may mount (only read-only when `readOnly`). */
export interface AllowedBind {
  path: string;
  readOnly: boolean;
}

export interface WorkerPolicy {
  /** Programs `pipeline: command` may start (as written in `command[0]`), or any (unsafe). */
  programs: readonly string[] | 'any';
  /** Container images the docker and deepstream pipelines may run, or any (unsafe). */
  images: readonly string[] | 'any';
  /** Study roots and output folders must resolve inside this folder. */
  studyRoot?: string;
  /** Containers may join the network the study names (else only `none`). */
  network: boolean;
  binds: readonly AllowedBind[];
  /** A study may run its container as root (`docker.user: root` or `0`). */
  rootUser: boolean;
  /**
   * The CLI's in-process workers: a study inside this root runs what its own config names (studyPolicy),
   * whichever `tune` of the root started it; a study elsewhere is refused.
   */
  ownRoot?: string;
}

/** A worker started without flags or a policy file: builtin studies only. */
export const DENY_ALL: WorkerPolicy = {
  programs: [],
  images: [],
  network: false,
  binds: [],
  rootUser: false,
};

export interface StudyPaths {
  exec: ExecConfig;
  /** `parameter_space.Init.Exec`, as the config has it. */
  execPath: string;
  rootDir: string;
  outputDir: string;
}

/** `host:container[:mode]` as docker reads it. */
export interface BindSpec {
  source: string;
  readOnly: boolean;
}

export function parseBind(bind: string): BindSpec {
  const [source = '', , mode = ''] = bind.split(':');
  return { source, readOnly: mode.split(',').includes('ro') };
}

/** `root`, `0`, `root:…`, `0:…` (or `00`): the user part of `docker.user` is root. */
export function isRootUser(user: string | undefined): boolean {
  const name = user?.split(':')[0] ?? '';
  return name === 'root' || /^0+$/.test(name);
}

/** The images a study runs, by key (none for builtin on the host). */
function studyImages(exec: ExecConfig): [string, string][] {
  const images: [string, string | undefined][] = [
    ['docker.image', exec.docker?.image],
    ['deepstream.image', exec.pipeline === 'deepstream' ? exec.deepstream.image : undefined],
  ];
  return images.filter((entry): entry is [string, string] => entry[1] !== undefined);
}

/**
 * The host program a study starts, by key: `command[0]`, or `deepstream-app` for DeepStream without an
 * image (its configs can load any library, e.g. `custom-lib-path`, so it is as open as a program).
 */
function studyProgram(exec: ExecConfig): [string, string] | undefined {
  if (exec.pipeline === 'command')
    return exec.command?.[0] === undefined ? undefined : ['command', exec.command[0]];
  if (exec.pipeline === 'deepstream' && studyImages(exec).length === 0) return ['pipeline', 'deepstream-app'];
  return undefined;
}

/**
 * The policy of the CLI's in-process workers (`tune`, `resume` on the embedded server of `rootDir`): the
 * studies of that root run unchanged — two `tune`s of one root share the server and each other's trials —
 * and nothing else runs.
 */
export function rootPolicy(rootDir: string): WorkerPolicy {
  return { ...DENY_ALL, ownRoot: rootDir };
}

/** Exactly what the study's own config names. */
export function studyPolicy(exec: ExecConfig): WorkerPolicy {
  const program = studyProgram(exec);
  return {
    programs: program === undefined ? [] : [program[1]],
    images: studyImages(exec).map(([, image]) => image),
    network: (exec.docker?.network ?? 'none') !== 'none',
    binds: (exec.docker?.binds ?? []).map(parseBind).map(({ source }) => ({ path: source, readOnly: false })),
    rootUser: isRootUser(exec.docker?.user),
  };
}

const listed = (values: readonly string[]) => (values.length ? values.join(', ') : 'none');

/** One line for the worker's start: what it runs, so an operator sees a refusal coming. */
export function describePolicy(policy: WorkerPolicy): string {
  const names = (list: readonly string[] | 'any') => (list === 'any' ? 'ANY (unsafe)' : listed(list));
  const binds = policy.binds.map((b) => (b.readOnly ? `${b.path}:ro` : b.path));
  return [
    `programs ${names(policy.programs)}`,
    `images ${names(policy.images)}`,
    `study root ${policy.studyRoot ?? "each study's own"}`,
    `container network ${policy.network ? 'as the study says' : 'none'}`,
    `extra binds ${listed(binds)}`,
    `root containers ${policy.rootUser ? 'allowed' : 'no'}`,
  ].join('; ');
}

/** Why this worker refuses the study (one line naming the config key), or undefined. */
export function policyRefusal(worker: WorkerPolicy, study: StudyPaths): string | undefined {
  const { exec, execPath } = study;
  const policy = worker.ownRoot === undefined ? worker : { ...studyPolicy(exec), studyRoot: worker.ownRoot };
  if (policy.studyRoot) {
    const scope = inputScope(`this worker's study root ${policy.studyRoot}`, policy.studyRoot);
    const root = outsideProblem(study.rootDir, scope);
    if (root) return `${execPath}.rootPath: ${study.rootDir} ${root}`;
    const output = outsideProblem(study.outputDir, scope);
    if (output) return `output folder: ${study.outputDir} ${output}`;
  }
  const { programs, images } = policy;
  const [key, program] = studyProgram(exec) ?? [];
  if (program !== undefined && programs !== 'any' && !programs.includes(program))
    return `${execPath}.${key}: program ${JSON.stringify(program)} is not allowed on this worker (allowed: ${listed(programs)}; pipetune worker --allow-program ${program}, or programs: in its --policy file)`;
  for (const [key, image] of studyImages(exec))
    if (images !== 'any' && !images.includes(image))
      return `${execPath}.${key}: image ${JSON.stringify(image)} is not allowed on this worker (allowed: ${listed(images)}; pipetune worker --allow-image ${image}, or images: in its --policy file)`;
  return exec.docker ? containerRefusal(policy, exec.docker, `${execPath}.docker`, study.rootDir) : undefined;
}

/** Network, host folders and user of the study's container. */
function containerRefusal(
  policy: WorkerPolicy,
  docker: NonNullable<ExecConfig['docker']>,
  key: string,
  rootDir: string,
): string | undefined {
  if (docker.network !== 'none' && !policy.network)
    return `${key}.network: ${JSON.stringify(docker.network)} is not allowed on this worker (containers get no network; pipetune worker --allow-network, or network: true in its --policy file)`;
  if (isRootUser(docker.user) && !policy.rootUser)
    return `${key}.user: ${JSON.stringify(docker.user)} is root, which this worker does not allow (pipetune worker --allow-root-user, or rootUser: true in its --policy file)`;
  for (const [index, bind] of docker.binds.entries()) {
    const problem = bindProblem(policy, parseBind(bind), rootDir);
    if (problem) return `${key}.binds[${index}]: ${JSON.stringify(bind)} ${problem}`;
  }
  return undefined;
}

/** Why a bind's host folder may not be mounted: inside the study root, or a folder the worker allows. */
function bindProblem(policy: WorkerPolicy, bind: BindSpec, rootDir: string): string | undefined {
  if (!isAbsolute(bind.source))
    return 'is a named volume, not a host folder; containers get folders inside the study root only';
  const allowed = policy.binds.filter((b) => b.readOnly === false || bind.readOnly).map((b) => b.path);
  const scope = inputScope(
    `the study root ${rootDir} and the folders this worker allows`,
    rootDir,
    ...allowed,
  );
  const outside = outsideProblem(bind.source, scope);
  return outside && `${outside} (pipetune worker --allow-bind DIR[:ro], or binds: in its --policy file)`;
}
