/**
 * The `command` adapter: any program, given as an argument list whose placeholders are replaced per
 * trial. The program reads the rendered configs and writes MOT results (`<seq>.txt`) into {output}.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { execute, type Placement } from './execute.js';
import { perfFromLog, perfRegexProblem, writePerf } from './perf.js';
import { appendNote } from './runLog.js';
import {
  COMMAND_PLACEHOLDERS,
  type PipelineAdapter,
  type PipelineRunRequest,
  type PipelineRunResult,
} from './types.js';

type Placeholder = (typeof COMMAND_PLACEHOLDERS)[number];

/** Where a missing optional value comes from, for the error message. */
const SOURCE_OF: Partial<Record<Placeholder, string>> = {
  pgie: 'Init.Exec.pgiePath',
  tracker: 'Init.Exec.trackerPath',
  mtmc: 'Init.Exec.mtmcPath',
  seqmap: 'Init.Exec.seqmapPath',
};

function valuesOf(request: PipelineRunRequest): Record<Placeholder, string | undefined> {
  return {
    pgie: request.configs.pgie,
    tracker: request.configs.tracker,
    mtmc: request.configs.mtmc,
    dataset: request.datasetDir,
    seqmap: request.seqmapPath,
    output: request.outputDir,
    // The host's GPU index; the program itself sees that GPU as device 0.
    gpu: request.gpu === undefined ? '' : String(request.gpu),
    trial: request.trialDir,
  };
}

function isPlaceholder(name: string): name is Placeholder {
  return (COMMAND_PLACEHOLDERS as readonly string[]).includes(name);
}

/** `args` with every {placeholder} replaced; other braces are left alone. */
export function substitutePlaceholders(args: string[], request: PipelineRunRequest): string[] {
  const values = valuesOf(request);
  return args.map((arg) =>
    arg.replace(/\{(\w+)\}/g, (whole, name: string) => {
      if (!isPlaceholder(name)) return whole;
      const value = values[name];
      if (value === undefined) {
        throw new InputError(
          `the pipeline command uses {${name}}, but this study has no ${name} file (set ${SOURCE_OF[name]})`,
        );
      }
      return value;
    }),
  );
}

/**
 * With `perfRegex`, the trial's perf.json is written from the last log line it matches (replacing one
 * the program wrote); without it, the program may write perf.json itself (docs/throughput.md).
 */
export function commandAdapter(command: string[], placement: Placement, perfRegex?: string): PipelineAdapter {
  if (command.length === 0 || command[0] === '') {
    throw new InputError(
      'pipeline: command needs Init.Exec.command, the program and its arguments as a list',
    );
  }
  const problem = perfRegex === undefined ? undefined : perfRegexProblem(perfRegex);
  if (problem) throw new InputError(`Init.Exec.perfRegex: ${problem}`);

  async function run(request: PipelineRunRequest): Promise<PipelineRunResult> {
    const result = await execute(substitutePlaceholders(command, request), request, placement);
    if (perfRegex === undefined || result.exitCode !== 0 || request.signal.aborted) return result;
    const perf = perfFromLog(await readFile(request.logFile, 'utf8'), perfRegex, request.logFile);
    if (perf) await writePerf(request.outputDir, perf);
    else await appendNote(request.logFile, 'no log line matches Init.Exec.perfRegex: the trial has no fps');
    return result;
  }
  return { name: 'command', run };
}
