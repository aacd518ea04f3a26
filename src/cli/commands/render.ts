import { loadStudyConfig, originalParams, rangeProblems, render } from '../../config/index.js';
import { InputError, quoted } from '../../errors.js';
import { CONFIG_LIMIT, readInputText } from '../../inputFiles.js';
import type { Params } from '../../space/types.js';
import { parseCommandArgs } from '../args.js';

const USAGE = `usage: pipetune render <config.yml> [--root DIR] (--baseline | --params FILE.json) --out DIR

Writes one trial's config set (PGIE, tracker, MTMC files with the trial's values overlaid) into DIR.
  --baseline        the original values: the files come out byte-identical unless the study
                    config fixes some keys to constants
  --params FILE     a JSON object of parameter values by full path, e.g. a checkpoint's params.json;
                    parameters it leaves out keep their original values; each value must lie in
                    its search range (or equal the file's own value)
  --out DIR         output folder (created if needed)
  --root DIR        PipeTuner's rootPath (default: working directory)
`;

async function readParams(file: string): Promise<Params> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readInputText(file, { what: 'the --params file', limit: CONFIG_LIMIT }));
  } catch (err) {
    // readInputText names the file first; JSON.parse quotes the text around the fault: escaped and cut short.
    const reason =
      err instanceof InputError ? err.message.slice(file.length + 2) : quoted((err as Error).message);
    throw new InputError(`--params ${file}: cannot read a JSON object (${reason})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`--params ${file}: expected a JSON object of parameter values by name`);
  }
  return parsed as Params;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('render', argv, {
    root: { type: 'string' },
    baseline: { type: 'boolean' },
    params: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(
      `pipetune render: expected one study config, got ${positionals.length} (see pipetune render --help)`,
    );
  if (Boolean(values.baseline) === (values.params !== undefined))
    throw new InputError('pipetune render: give exactly one of --baseline and --params FILE.json');
  if (!values.out) throw new InputError('pipetune render: --out DIR is required');
  const { config, warnings } = await loadStudyConfig(positionals[0] as string, { root: values.root });
  for (const warning of warnings) process.stderr.write(`pipetune: warning: ${warning}\n`);
  const params = values.params !== undefined ? await readParams(values.params) : originalParams(config);
  const outside = rangeProblems(config, params);
  if (outside.length > 0) throw new InputError(`--params ${values.params}: ${outside.join('; ')}`);
  const rendered = await render(config, params, values.out);
  for (const [role, path] of Object.entries(rendered)) process.stdout.write(`${role.padEnd(8)} ${path}\n`);
  return 0;
}
