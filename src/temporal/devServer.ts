import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../study/searchAttributes.js';
import { ensureTemporalCli } from './install.js';

export interface DevServerOptions {
  /** SQLite file: the whole server state; the same file after a crash or reboot loses nothing. */
  dbFile: string;
  port: number;
  uiPort: number;
  headless?: boolean;
  /** Extra `--dynamic-config-value KEY=VALUE` entries (tests force continue-as-new with these). */
  dynamicConfig?: string[];
  /** Server output goes here. */
  logFile: string;
  /** Run in its own session so Ctrl+C on the CLI does not reach it (the study must drain first). */
  detached: boolean;
}

export interface DevServerProcess {
  pid: number;
  address: string;
  uiUrl?: string;
}

/** Namespace retention: dev-server namespaces default to 24 h; studies run for days. */
const RETENTION = '720h';

/**
 * The dev server has one history shard, and each shard reads its transfer queue (the tasks that hand a
 * new workflow task or activity to a worker) at most 20 times a second by default: past the first
 * second, every hand-off of every study on the server waits for that 50 ms tick, which made a no-op
 * trial 300 ms instead of ~130 (docs/benchmarks.md, orchestration).
 */
const SERVER_TUNING = ['history.transferProcessorMaxPollRPS=1000'];

/**
 * SQLite in WAL mode: a commit is one append and one fsync of the WAL instead of the rollback journal's
 * several writes and fsyncs, each a hand-off's wait (orchestration 50–58 → 38–39 ms per no-op trial,
 * docs/benchmarks.md). `synchronous` stays FULL, so a commit is on disk when the worker hears of it.
 * The file then needs its `-wal` beside it: databaseRecord.ts reads both.
 */
const SQLITE_PRAGMAS = ['journal_mode=wal'];

export async function startDevServer(options: DevServerOptions): Promise<DevServerProcess> {
  const cli = await ensureTemporalCli((line) => process.stderr.write(`pipetune: ${line}\n`));
  await mkdir(path.dirname(options.dbFile), { recursive: true });
  await mkdir(path.dirname(options.logFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    options.dbFile,
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--log-level',
    'warn',
    ...(options.headless ? ['--headless'] : ['--ui-ip', '127.0.0.1', '--ui-port', String(options.uiPort)]),
    ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=${a.cliType}`]),
    ...[...SERVER_TUNING, ...(options.dynamicConfig ?? [])].flatMap((kv) => ['--dynamic-config-value', kv]),
    ...SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
  ];
  const out = openSync(options.logFile, 'a');
  const child = spawn(cli, args, { stdio: ['ignore', out, out], detached: options.detached });
  closeSync(out);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `the Temporal dev server exited during start (code ${code ?? signal}); see ${options.logFile}`,
        ),
      ),
    ),
  );
  if (options.detached) child.unref();
  const address = `127.0.0.1:${options.port}`;
  await Promise.race([waitUntilServing(address, 60_000), exited]);
  child.removeAllListeners('exit');
  await configureNamespace(cli, address);
  return {
    pid: child.pid!,
    address,
    uiUrl: options.headless ? undefined : `http://127.0.0.1:${options.uiPort}`,
  };
}

/** Resolves once the frontend answers and the default namespace exists. */
export async function waitUntilServing(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(
    `no Temporal server answered at ${address} within ${timeoutMs / 1000} s: ${(lastError as Error)?.message}`,
  );
}

/**
 * Long retention, and the search attributes the workflow upserts. `--search-attribute` only registers
 * them when the namespace is created, so an existing database gets them through the operator API.
 */
async function configureNamespace(cli: string, address: string): Promise<void> {
  const { execFile } = await import('node:child_process');
  const run = (args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile(cli, [...args, '--address', address], (err, stdout, stderr) =>
        err ? reject(new Error(stderr || err.message)) : resolve(stdout),
      ),
    );
  await run(['operator', 'namespace', 'update', '--namespace', 'default', '--retention', RETENTION]);
  const listed = await run([
    'operator',
    'search-attribute',
    'list',
    '--namespace',
    'default',
    '--output',
    'json',
  ]);
  const missing = SEARCH_ATTRIBUTES.filter((a) => !listed.includes(`"${a.name}"`));
  for (const attribute of missing) {
    await run([
      'operator',
      'search-attribute',
      'create',
      '--namespace',
      'default',
      '--name',
      attribute.name,
      '--type',
      attribute.cliType,
      '--yes',
    ]);
  }
}

/** A free loopback TCP port (for tests and when the default port is taken). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts connections on the loopback port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
