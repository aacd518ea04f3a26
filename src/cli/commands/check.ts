import { describeStages } from '../../config/describeStages.js';
import {
  checkStudyData,
  describeStudy,
  loadStudyConfig,
  StudyConfigError,
  withoutSuperseded,
} from '../../config/index.js';
import { probeDeadKeys } from '../../config/probe.js';
import { InputError } from '../../errors.js';
import { parseCommandArgs } from '../args.js';

const USAGE = `usage: pipetune check <config.yml> [--root DIR] [--probe]

Validates a study config (PipeTuner format) against the config files it overlays and prints its
search space: full parameter path, file:line, range, scale, type and the file's original value.
Then checks the data the study runs on, as the study does before it starts: the seqmaps and their
sequences (seqinfo.ini, gt/gt.txt, the pipeline's input), that the benchmark fits the ground truth,
and the MTMC ground truth of an MTMC study. A study with a \`pruning:\` block also gets its stage
schedule and what its pruner will do on it (e.g. that Wilcoxon cannot prune with too few sequences).
Prints every problem found and exits 2 when the config or its data is not valid, 0 when it is.
Warns per tuned key that cannot change the output for the study's data, and where the optimizers see
a baseline that lies outside its range.
  --root DIR   PipeTuner's rootPath: config paths are relative to it (default: working directory)
  --probe      built-in pipeline: also run each key at its range ends on the shortest sequence and warn
               when the tracks do not change (2 short runs per key)
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    root: { type: 'string' },
    probe: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(
      `pipetune check: expected one study config, got ${positionals.length} (see pipetune check --help)`,
    );
  const report = (file: string, problems: string[]) => {
    for (const problem of problems) process.stderr.write(`pipetune: ${file}: ${problem}\n`);
    process.stderr.write(`pipetune: ${problems.length} problem(s); the config is not valid\n`);
    return 2;
  };
  try {
    const { config, warnings } = await loadStudyConfig(positionals[0] as string, { root: values.root });
    const data = await checkStudyData(config);
    const probed = values.probe && data.problems.length === 0 ? await probeDeadKeys(config) : [];
    for (const warning of [...withoutSuperseded(warnings, data.problems), ...data.warnings, ...probed])
      process.stderr.write(`pipetune: warning: ${warning}\n`);
    // The config itself is valid: its summary is printed even when its data is not.
    process.stdout.write(describeStudy(config));
    if (data.problems.length === 0) process.stdout.write(describeStages(config));
    return data.problems.length > 0 ? report(config.file, data.problems) : 0;
  } catch (err) {
    if (!(err instanceof StudyConfigError)) throw err;
    return report(err.file, err.problems);
  }
}
