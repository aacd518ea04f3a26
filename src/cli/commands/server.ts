import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startDevServer } from '../../temporal/devServer.js';
import { embeddedStateDir } from '../../temporal/embedded.js';
import { numberFlag, parseCommandArgs } from '../args.js';

const USAGE = `usage: pipetune server [--root DIR] [--port 7233] [--ui-port 8233] [--db FILE] [--headless]

Runs the Temporal dev server in the foreground on loopback, with a persistent SQLite database
(default <root>/.pipetune/temporal.db), 30-day retention and pipetune's search attributes.
\`pipetune tune\` in the same root uses it instead of starting its own. Ctrl+C stops it.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'server',
    argv,
    {
      root: { type: 'string' },
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      db: { type: 'string' },
      headless: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const stateDir = embeddedStateDir(path.resolve(values.root ?? process.cwd()));
  const port = numberFlag('port', values.port, 7233, { integer: true, min: 1 });
  const uiPort = numberFlag('ui-port', values['ui-port'], port + 1000, { integer: true, min: 1 });
  const dbFile = path.resolve(values.db ?? path.join(stateDir, 'temporal.db'));
  const server = await startDevServer({
    dbFile,
    port,
    uiPort,
    headless: values.headless,
    logFile: path.join(stateDir, 'temporal.log'),
    detached: false,
  });
  const recordFile = path.join(stateDir, 'server.json');
  await writeFile(
    recordFile,
    `${JSON.stringify({ pid: server.pid, address: server.address, uiUrl: server.uiUrl, dbFile }, null, 2)}\n`,
  );
  process.stdout.write(
    `Temporal server on ${server.address}${server.uiUrl ? `, UI ${server.uiUrl}` : ''}; database ${dbFile}\n`,
  );
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  process.kill(server.pid, 'SIGTERM');
  await rm(recordFile, { force: true });
  return 0;
}
