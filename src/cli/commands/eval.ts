import { basename, dirname, resolve } from 'node:path';
import { InputError, printable, quoted } from '../../errors.js';
import {
  BENCHMARKS,
  type Benchmark,
  evaluateMot,
  formatSummaryTables,
  METRIC_NAMES,
  type MetricName,
} from '../../eval/index.js';
import { makeDirectory, writeOutputFile } from '../../outputFiles.js';
import { parseCommandArgs } from '../args.js';

const USAGE = `usage: pipetune eval --gt DIR --tracker DIR [options]

TrackEval-exact HOTA, CLEAR and Identity of MOTChallenge-format results (MotChallenge2DBox).

  --gt DIR           ground truth: DIR/<seq>/gt/gt.txt and DIR/<seq>/seqinfo.ini
  --tracker DIR      tracker results: DIR/<seq>.txt
  --seqmap FILE      TrackEval seqmap (first line "name"); default: every sequence folder in --gt
  --benchmark NAME   ${BENCHMARKS.join(' | ')} (default MOT17): which distractor classes preprocessing uses
  --metrics LIST     comma-separated subset of ${METRIC_NAMES.join(',')} (default all)
  --json FILE        write the full report (fractions, per sequence and combined)
  -h, --help         this text
`;

const OPTIONS = {
  gt: { type: 'string' },
  tracker: { type: 'string' },
  seqmap: { type: 'string' },
  benchmark: { type: 'string' },
  metrics: { type: 'string' },
  json: { type: 'string' },
  mtmc: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

function benchmarkFlag(value: string | undefined): Benchmark {
  if (value === undefined) return 'MOT17';
  const found = BENCHMARKS.find((b) => b === value.toUpperCase());
  if (!found)
    throw new InputError(`--benchmark: expected one of ${BENCHMARKS.join(', ')}, got ${quoted(value)}`);
  return found;
}

function metricsFlag(value: string | undefined): MetricName[] {
  if (value === undefined) return [...METRIC_NAMES];
  return value.split(',').map((text) => {
    const found = METRIC_NAMES.find((m) => m.toLowerCase() === text.trim().toLowerCase());
    if (!found)
      throw new InputError(
        `--metrics: expected a comma-separated subset of ${METRIC_NAMES.join(',')}, got ${quoted(text)}`,
      );
    return found;
  });
}

function writeJson(file: string, value: unknown): void {
  makeDirectory(dirname(resolve(file)), 'the folder of --json');
  writeOutputFile(file, `${JSON.stringify(value, null, 1)}\n`);
}

/** Single-camera MOT mode: gt and tracker folders in MOTChallenge layout. */
function runMot(values: Values): number {
  if (!values.gt || !values.tracker)
    throw new InputError(`pipetune eval: --gt and --tracker are required (see pipetune eval --help)`);
  const report = evaluateMot({
    gtDir: values.gt,
    trackerDir: values.tracker,
    seqmapPath: values.seqmap,
    benchmark: benchmarkFlag(values.benchmark),
    metrics: metricsFlag(values.metrics),
    onWarning: (message) => process.stderr.write(`pipetune: warning: ${printable(message)}\n`),
  });
  process.stdout.write(
    formatSummaryTables(report.sequences, report.combined, `${basename(resolve(values.tracker))}-pedestrian`),
  );
  if (values.json) writeJson(values.json, report);
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('eval', argv, OPTIONS, false);
  // MTMC mode's modules load only when asked for: MOT evaluation is timed as a whole process.
  if (values.help) {
    process.stdout.write(`${USAGE}\n${(await import('./eval-mtmc.js')).MTMC_USAGE}`);
    return 0;
  }
  if (values.mtmc) return (await import('./eval-mtmc.js')).runMtmcEval(values);
  return runMot(values);
}
