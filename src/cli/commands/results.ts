import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { formatDelta, formatRelative, formatScore } from '../../results/format.js';
import { type StudyResults, writeStudyResults } from '../../results/refresh.js';
import { defaultOutputDir } from '../../study/layout.js';
import { parseCommandArgs } from '../args.js';

const USAGE = `usage: pipetune results <study-output-dir | config.yml> [--root DIR] [--metric HOTA|MOTA|IDF1]

(Re)writes the study's results from its trial store (trials.jsonl): the accuracy CSV, accuracy_plot.png,
report.html and best/ (the best trial's rendered configs), all under <output>/results/.

  <study-output-dir>  the study's output folder, <root>/output/<config>.yml_output
  <config.yml>        the study config; its output folder is <root>/output/<config file name>_output
  --root DIR          the study root for a config argument (default: the current folder)
  --metric NAME       rank by HOTA, MOTA or IDF1 instead of the study's metric

Exit code 0 when a best configuration was written, 1 when no trial has succeeded yet, 2 on input errors.
`;

const METRICS = ['HOTA', 'MOTA', 'IDF1'];

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** The argument itself when it is a folder, else the output folder of the study config it names. */
async function outputDirOf(target: string, root: string): Promise<string> {
  if (await isDirectory(target)) return resolve(target);
  const derived = resolve(defaultOutputDir(root, target));
  if (await isDirectory(derived)) return derived;
  throw new InputError(
    `${target}: not a study output folder, and ${derived} does not exist (has the study run? is --root right?)`,
  );
}

function summaryText({ manifest, summary: s, csv, plot, report, best }: StudyResults): string {
  const lines = [`study ${manifest.name}: ${s.trials} trials, ${s.ok} succeeded, ${s.failed} failed`];
  if (s.best) {
    const r = s.best.record;
    const runs = s.best.count > 1 ? `, mean of ${s.best.count} runs` : '';
    lines.push(
      `best ${s.metric} ${formatScore(s.best.mean)} at trial ${r.trial} (${r.optimizer}, iteration ${r.iteration}${runs})`,
    );
  } else lines.push('no successful trial yet: best/ not written');
  if (s.baseline) {
    const relative = s.relativeImprovement === undefined ? '' : ` (${formatRelative(s.relativeImprovement)})`;
    const gain =
      s.improvement === undefined ? '' : `, improvement ${formatDelta(s.improvement)} points${relative}`;
    lines.push(`baseline ${s.metric} ${formatScore(s.baseline.mean)}${gain}`);
  }
  lines.push(`csv     ${csv}`, `plot    ${plot}`, `report  ${report}`);
  if (best) lines.push(`best    ${best}/ (README.txt says which original files the configs replace)`);
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('results', argv, {
    root: { type: 'string' },
    metric: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new InputError(
      'pipetune results: expected one study output folder or study config (see pipetune results --help)',
    );
  }
  const metric = values.metric?.toUpperCase();
  if (metric !== undefined && !METRICS.includes(metric)) {
    throw new InputError(`--metric: expected one of ${METRICS.join(', ')}, got "${values.metric}"`);
  }
  const outputDir = await outputDirOf(positionals[0]!, resolve(values.root ?? '.'));
  const results = await writeStudyResults(outputDir, { metric });
  process.stdout.write(summaryText(results));
  return results.best ? 0 : 1;
}
