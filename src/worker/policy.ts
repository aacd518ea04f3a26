/**
 * What a GPU worker's operator allows studies to run on it: `command` programs, Docker images
 * (`Exec.docker.image`, `Exec.deepstream.image`) and the folder study roots must lie in. A study
 * started by any system is checked in the GPU activity before a trial runs; a refusal names the key.
 * A list left unset allows anything (the CLI's own in-process workers run the user's own study).
 */

import type { ExecConfig } from '../config/types.js';
import { inputScope, outsideProblem } from '../inputFiles.js';

export interface WorkerPolicy {
  /** Programs `pipeline: command` may start (as written in `command[0]`). */
  programs?: readonly string[];
  /** Container images the docker and deepstream pipelines may run. */
  images?: readonly string[];
  /** Study roots and output folders must resolve inside this folder. */
  studyRoot?: string;
}

export interface StudyPaths {
  exec: ExecConfig;
  /** `parameter_space.Init.Exec`, as the config has it. */
  execPath: string;
  rootDir: string;
  outputDir: string;
}

const listed = (values: readonly string[]) => (values.length ? values.join(', ') : 'none');

/** Why this worker refuses the study (one line naming the config key), or undefined. */
export function policyRefusal(policy: WorkerPolicy, study: StudyPaths): string | undefined {
  const { exec, execPath } = study;
  if (policy.studyRoot) {
    const scope = inputScope(`this worker's study root ${policy.studyRoot}`, policy.studyRoot);
    const root = outsideProblem(study.rootDir, scope);
    if (root) return `${execPath}.rootPath: ${study.rootDir} ${root}`;
    const output = outsideProblem(study.outputDir, scope);
    if (output) return `output folder: ${study.outputDir} ${output}`;
  }
  const program = exec.pipeline === 'command' ? exec.command?.[0] : undefined;
  if (program !== undefined && policy.programs && !policy.programs.includes(program))
    return `${execPath}.command: program ${JSON.stringify(program)} is not allowed on this worker (allowed: ${listed(policy.programs)}; pipetune worker --allow-program)`;
  const images: [string, string | undefined][] =
    exec.pipeline === 'builtin'
      ? []
      : [
          ['docker.image', exec.docker?.image],
          ['deepstream.image', exec.pipeline === 'deepstream' ? exec.deepstream.image : undefined],
        ];
  for (const [key, image] of images)
    if (image !== undefined && policy.images && !policy.images.includes(image))
      return `${execPath}.${key}: image ${JSON.stringify(image)} is not allowed on this worker (allowed: ${listed(policy.images)}; pipetune worker --allow-image)`;
  return undefined;
}
