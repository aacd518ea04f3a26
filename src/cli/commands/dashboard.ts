import { resolve } from 'node:path';
import { startDashboard } from '../../dashboard/server.js';
import { InputError } from '../../errors.js';
import { numberFlag, parseCommandArgs } from '../args.js';
import { onlyOutputDir, outputDirOf } from '../studyOutput.js';

const USAGE = `usage: pipetune dashboard [study-output-dir | config.yml] [--port 8090] [--host 127.0.0.1] [--root DIR]
                          [--temporal-ui URL] [--namespace NAME]

A live, read-only view of a study in the browser: the report's charts and tables and every trial, each
linked to the study's workflow in the Temporal UI. It follows the trial store (trials.jsonl), so trials
appear as they land, without a reload. It writes nothing.

  [study]             the study's output folder or config; left out, the one study under <root>/output/
  --port N            port to listen on (default 8090; 0 picks a free one)
  --host ADDR         address to listen on (default 127.0.0.1, loopback only; give one to share it)
  --root DIR          the study root for a config argument (default: the current folder)
  --temporal-ui URL   the Temporal UI to link to (default http://127.0.0.1:8233, the embedded server's)
  --namespace NAME    the study's Temporal namespace (default: TEMPORAL_NAMESPACE or default)
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('dashboard', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    root: { type: 'string' },
    'temporal-ui': { type: 'string' },
    namespace: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 1)
    throw new InputError('pipetune dashboard: expected at most one study (see pipetune dashboard --help)');
  const port = numberFlag('port', values.port, 8090, { integer: true, min: 0 });
  if (port > 65535) throw new InputError(`--port: expected 0..65535, got ${port}`);
  const ui = values['temporal-ui'] ?? 'http://127.0.0.1:8233';
  if (!/^https?:\/\//.test(ui)) throw new InputError(`--temporal-ui: expected an http(s) URL, got "${ui}"`);
  // Flags first, then the study: a bad flag is named whatever folder the command runs in.
  const root = resolve(values.root ?? '.');
  const outputDir = positionals[0] ? await outputDirOf(positionals[0], root) : await onlyOutputDir(root);
  const dashboard = await startDashboard({
    outputDir,
    host: values.host ?? '127.0.0.1',
    port,
    temporal: { ui, namespace: values.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default' },
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE')
      throw new InputError(`--port ${port}: already in use; pick another (0: any free port)`);
    if (err.code === 'EADDRNOTAVAIL')
      throw new InputError(`--host ${values.host}: not an address of this machine`);
    throw err;
  });
  process.stdout.write(`dashboard of ${outputDir}: ${dashboard.url} (read-only; Ctrl+C stops)\n`);
  await new Promise<void>((done) => {
    const stop = () => dashboard.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
