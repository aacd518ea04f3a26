/**
 * The `builtin` adapter: pipetune's own CPU pipeline, run as `pipetune run-pipeline …` in a child
 * process (or a container), so it is exercised exactly like an external program. In a container the
 * pipetune package is mounted read-only at its own path and the image must provide `node`.
 */
import { cliEntry, packageRoot } from '../paths.js';
import { execute, type Placement } from './execute.js';
import { samePathBind } from './mounts.js';
import type { PipelineAdapter, PipelineRunRequest } from './types.js';

/** `run-pipeline [--pgie F] [--tracker F] [--mtmc F] --dataset DIR [--seqmap F] --out DIR` */
export function runPipelineArgs(request: PipelineRunRequest): string[] {
  const optional = (flag: string, value: string | undefined) => (value === undefined ? [] : [flag, value]);
  return [
    'run-pipeline',
    ...optional('--pgie', request.configs.pgie),
    ...optional('--tracker', request.configs.tracker),
    ...optional('--mtmc', request.configs.mtmc),
    '--dataset',
    request.datasetDir,
    ...optional('--seqmap', request.seqmapPath),
    '--out',
    request.outputDir,
  ];
}

/** `entry` is the pipetune CLI script; it must lie inside the pipetune package folder. */
export function builtinAdapter(placement: Placement, entry: string = cliEntry()): PipelineAdapter {
  const inContainer = placement.docker !== undefined;
  const withPackage: Placement = inContainer
    ? { ...placement, extraBinds: [...(placement.extraBinds ?? []), samePathBind(packageRoot(), 'ro')] }
    : placement;
  // The worker's own node on the host; the image's `node` in a container.
  const node = inContainer ? 'node' : process.execPath;
  return {
    name: 'builtin',
    run: (request) => execute([node, entry, ...runPipelineArgs(request)], request, withPackage),
  };
}
