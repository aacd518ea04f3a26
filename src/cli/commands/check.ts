import {
  checkStudyData,
  describeStudy,
  loadStudyConfig,
  StudyConfigError,
  withoutSuperseded,
} from '../../config/index.js';
import { InputError } from '../../errors.js';
import { parseCommandArgs } from '../args.js';

const USAGE = `usage: pipetune check <config.yml> [--root DIR]

Validates a study config (PipeTuner format) against the config files it overlays and prints its
search space: full parameter path, file:line, range, scale, type and the file's original value.
Then checks the data the study runs on, as the study does before it starts: the seqmaps and their
sequences (seqinfo.ini, gt/gt.txt, the pipeline's input), that the benchmark fits the ground truth,
and the MTMC ground truth of an MTMC study.
Prints every problem found and exits 2 when the config or its data is not valid, 0 when it is.
  --root DIR   PipeTuner's rootPath: config paths are relative to it (default: working directory)
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    root: { type: 'string' },
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
    for (const warning of [...withoutSuperseded(warnings, data.problems), ...data.warnings])
      process.stderr.write(`pipetune: warning: ${warning}\n`);
    // The config itself is valid: its summary is printed even when its data is not.
    process.stdout.write(describeStudy(config));
    return data.problems.length > 0 ? report(config.file, data.problems) : 0;
  } catch (err) {
    if (!(err instanceof StudyConfigError)) throw err;
    return report(err.file, err.problems);
  }
}
