import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll } from 'vitest';
import { freePort, startDevServer } from '../../src/temporal/devServer.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(REPO, 'bin', 'pipetune.js');

/** The fixture study's pipeline is `node fake-pipeline.mjs`: GPU workers must allow `node` (docs/trust.md). */
export const ALLOW_NODE = ['--allow-program', 'node'];

/** A real Temporal dev server on a free loopback port with its own SQLite file. */
export async function startTestServer(
  options: { dynamicConfig?: string[]; dbFile?: string; port?: number } = {},
) {
  const dir = await mkdtemp(path.join(tmpdir(), 'pipetune-temporal-'));
  const port = options.port ?? (await freePort());
  const dbFile = options.dbFile ?? path.join(dir, 'temporal.db');
  const server = await startDevServer({
    dbFile,
    port,
    uiPort: port + 1,
    headless: true,
    dynamicConfig: options.dynamicConfig,
    logFile: path.join(dir, 'server.log'),
    detached: true,
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  return {
    ...server,
    port,
    dbFile,
    client,
    /** kill -9: the server gets no chance to clean up. */
    crash() {
      process.kill(server.pid, 'SIGKILL');
    },
    async stop() {
      await connection.close().catch(() => undefined);
      try {
        process.kill(server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

export interface CliRun {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** `node bin/pipetune.js …` as a separate process, as a user runs it. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd = REPO): CliRun {
  // An undefined entry removes the variable (spawn would pass the string "undefined").
  const merged = Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  // 'close' comes after the last output is read ('exit' may come before it).
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => text,
    exit,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern} in:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        // A process that ended without printing it never will: fail now, not at the timeout.
        void closed.then(({ code, signal }) => {
          if (!listeners.has(check)) return;
          check();
          if (!listeners.has(check)) return;
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`exited (${signal ?? `code ${code}`}) before printing ${pattern}:\n${text}`));
        });
      });
    },
  };
}

/**
 * A test server and pipetune worker processes (`[['--control'], ['--gpu', '0']]`…) for the tests of one
 * file: started before them, stopped after them. `env` reaches the server for CLI runs of the tests.
 */
export function serverWithWorkers(workerArgs: string[][], extraEnv: Record<string, string> = {}) {
  const rig = {
    server: undefined as unknown as Awaited<ReturnType<typeof startTestServer>>,
    env: {} as Record<string, string>,
    workers: [] as CliRun[],
  };
  beforeAll(async () => {
    rig.server = await startTestServer();
    rig.env = { TEMPORAL_ADDRESS: rig.server.address, ...extraEnv };
    for (const args of workerArgs) {
      const worker = runCli(['worker', ...args], rig.env);
      await worker.waitFor(/polling on/);
      rig.workers.push(worker);
    }
  }, 120_000);
  afterAll(async () => {
    for (const w of rig.workers) w.child.kill('SIGTERM');
    await Promise.all(rig.workers.map((w) => w.exit));
    await rig.server.stop();
  });
  return rig;
}
