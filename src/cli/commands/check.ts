import { describeStudy, loadStudyConfig, StudyConfigError } from '../../config/index.js';
import { InputError } from '../../errors.js';
import { parseCommandArgs } from '../args.js';

const USAGE = `usage: pipetune check <config.yml> [--root DIR]

Validates a study config (PipeTuner format) against the config files it overlays and prints its
search space: full parameter path, file:line, range, scale, type and the file's original value.
Prints every problem found and exits 2 when the config is not valid, 0 when it is.
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
  try {
    const { config, warnings } = await loadStudyConfig(positionals[0] as string, { root: values.root });
    for (const warning of warnings) process.stderr.write(`pipetune: warning: ${warning}\n`);
    process.stdout.write(describeStudy(config));
    return 0;
  } catch (err) {
    if (!(err instanceof StudyConfigError)) throw err;
    for (const problem of err.problems) process.stderr.write(`pipetune: ${err.file}: ${problem}\n`);
    process.stderr.write(`pipetune: ${err.problems.length} problem(s); the config is not valid\n`);
    return 2;
  }
}
