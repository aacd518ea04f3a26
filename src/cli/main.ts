import { InputError } from '../errors.js';
import { runCli } from './run.js';

/** Each command is a module in ./commands exporting `run(argv): Promise<number>` (the exit code). */
const commands: Record<string, string> = {
  tune: 'run a tuning study (starts the embedded Temporal server when TEMPORAL_ADDRESS is unset)',
  status: 'progress, ETA and best score per optimizer of a study',
  stop: 'stop a study gracefully (--now cancels running trials)',
  pause: 'pause a study after its running trials',
  resume: 'resume a paused, stopped or crashed study',
  list: 'list studies',
  results: 'accuracy CSV, charts, report and best checkpoint of a study (--json: the analysis)',
  dashboard: 'live read-only view of a study in the browser, linked to the Temporal UI',
  eval: 'TrackEval-exact HOTA / CLEAR / Identity of MOT-format results',
  check: 'validate a study config and print its search space',
  render: "write one trial's rendered config set",
  synth: 'generate a synthetic multi-camera dataset',
  augment: 'copy a dataset with artificial occlusion on its videos and detections',
  'run-pipeline': 'run the built-in CPU perception pipeline',
  server: 'run the Temporal dev server (SQLite; UI on --ui-port, :8233 by default)',
  worker: 'run a control or GPU worker',
  version: 'pipetune, Temporal SDK and Temporal CLI versions (also --version, -V)',
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, help]) => `  ${name.padEnd(width)}  ${help}`);
  return `usage: pipetune <command> [options]\n\ncommands:\n${lines.join('\n')}\n\npipetune <command> --help for its options\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') return main(['version', ...rest]);
  if (!(name in commands))
    throw new InputError(`unknown command "${name}"; expected one of: ${Object.keys(commands).join(', ')}`);
  const module = (await import(`./commands/${name}.js`)) as { run(argv: string[]): Promise<number> };
  return module.run(rest);
}

runCli(() => main(process.argv.slice(2)));
