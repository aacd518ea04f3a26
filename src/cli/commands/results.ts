import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { resultsJson } from '../../results/json.js';
import { analyzeStudyResults, writeStudyResults } from '../../results/refresh.js';
import { formatResultsSummary } from '../../results/summaryText.js';
import { parseCommandArgs } from '../args.js';
import { outputDirOf } from '../studyOutput.js';

const USAGE = `usage: pipetune results <study-output-dir | config.yml> [--root DIR] [--metric HOTA|MOTA|IDF1] [--pick RULE] [--json | --interactive]

(Re)writes the study's results from its trial store (trials.jsonl): the accuracy CSV, every chart under
plots/ (SVG and PNG; the convergence chart also as accuracy_plot.png), report.html and best/ (the best
trial's rendered configs), all under <output>/results/.

  <study-output-dir>  the study's output folder, <root>/output/<config>.yml_output
  <config.yml>        the study config; its output folder is <root>/output/<config file name>_output
  --root DIR          the study root for a config argument (default: the current folder)
  --metric NAME       rank by HOTA, MOTA or IDF1 instead of the study's metric
  --pick RULE         two-objective studies: best/ holds the Pareto config best on the first objective
                      among those meeting RULE, e.g. "fps>=30" or "fps>=30,IDF1>=60" (default: no rule)
  --json              print the analysis (ranking, importance, per-sequence scores, validation) as JSON
                      on stdout and write nothing
  --interactive       inline the ECharts library in report.html (about 1.1 MB): tooltips and legend
                      toggles in the browser, still one offline file

Exit code 0 when a best configuration was written, 1 when no trial has succeeded yet, 2 on input errors.
`;

const METRICS = ['HOTA', 'MOTA', 'IDF1'];

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('results', argv, {
    root: { type: 'string' },
    metric: { type: 'string' },
    pick: { type: 'string' },
    json: { type: 'boolean' },
    interactive: { type: 'boolean' },
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
  if (values.json) {
    const { analysis } = await analyzeStudyResults(outputDir, { metric, pick: values.pick });
    process.stdout.write(`${JSON.stringify(resultsJson(analysis), null, 2)}\n`);
    return analysis.summary.best ? 0 : 1;
  }
  const results = await writeStudyResults(outputDir, {
    metric,
    pick: values.pick,
    interactive: values.interactive ?? false,
  });
  process.stdout.write(formatResultsSummary(results));
  return results.best ? 0 : 1;
}
