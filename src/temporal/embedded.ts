import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, portInUse, startDevServer, waitUntilServing } from './devServer.js';

/** `<root>/.pipetune/`: the embedded server's database, its log and where it listens. */
export function embeddedStateDir(rootDir: string): string {
  return path.join(rootDir, '.pipetune');
}

interface ServerRecord {
  pid: number;
  address: string;
  uiUrl?: string;
  dbFile: string;
  /** The CLI process that stops it when its study ends (absent for `pipetune server`). */
  ownerPid?: number;
}

export interface EmbeddedServer extends ServerRecord {
  /** True when this call started it (the caller then stops it when done). */
  startedHere: boolean;
}

const DEFAULT_PORT = 7233;

/**
 * The embedded Temporal dev server of a root folder: the running one if its record is alive, otherwise a
 * new one on the same SQLite file (so a crash or reboot loses nothing). Runs in its own session: Ctrl+C
 * on the CLI must reach the study, not the server.
 */
export async function ensureEmbeddedServer(
  rootDir: string,
  options: { port?: number; dynamicConfig?: string[]; headless?: boolean } = {},
): Promise<EmbeddedServer> {
  const dir = embeddedStateDir(rootDir);
  const recordFile = path.join(dir, 'server.json');
  const running = await liveServer(recordFile);
  if (running) {
    // Left behind by a CLI that was killed: this CLI takes it over, and stops it when done.
    const orphaned = running.ownerPid !== undefined && !processAlive(running.ownerPid);
    if (!orphaned) return { ...running, startedHere: false };
    const adopted = { ...running, ownerPid: process.pid };
    await writeFile(recordFile, `${JSON.stringify(adopted, null, 2)}\n`);
    return { ...adopted, startedHere: true };
  }

  const preferred = options.port ?? Number(process.env.PIPETUNE_TEMPORAL_PORT ?? DEFAULT_PORT);
  const port = (await portInUse(preferred)) ? await freePort() : preferred;
  // The UI: PIPETUNE_TEMPORAL_UI_PORT, else the server port + 1000 (8233 by default); the CLI prints its URL.
  const preferredUi = Number(process.env.PIPETUNE_TEMPORAL_UI_PORT ?? port + 1000);
  const uiPort = (await portInUse(preferredUi)) ? await freePort() : preferredUi;
  const dbFile = path.join(dir, 'temporal.db');
  const server = await startDevServer({
    dbFile,
    port,
    uiPort,
    headless: options.headless,
    dynamicConfig: options.dynamicConfig,
    logFile: path.join(dir, 'temporal.log'),
    detached: true,
  });
  const record: ServerRecord = {
    pid: server.pid,
    address: server.address,
    uiUrl: server.uiUrl,
    dbFile,
    ownerPid: process.pid,
  };
  await writeFile(recordFile, `${JSON.stringify(record, null, 2)}\n`);
  return { ...record, startedHere: true };
}

/** The recorded server if its process is alive and answers. */
export async function liveServer(recordFile: string): Promise<ServerRecord | undefined> {
  if (!existsSync(recordFile)) return undefined;
  const record = JSON.parse(await readFile(recordFile, 'utf8')) as ServerRecord;
  if (!processAlive(record.pid)) return undefined;
  try {
    await waitUntilServing(record.address, 5_000);
    return record;
  } catch {
    return undefined;
  }
}

/** Stop the embedded server (SIGTERM, then SIGKILL) and forget its record. */
/** The CLI that started the server (and would stop it) has exited; `pipetune server` has no such CLI. */
export function ownerExited(server: EmbeddedServer): boolean {
  return server.ownerPid !== undefined && server.ownerPid !== process.pid && !processAlive(server.ownerPid);
}

export async function stopEmbeddedServer(rootDir: string, pid: number): Promise<void> {
  if (processAlive(pid)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  await rm(path.join(embeddedStateDir(rootDir), 'server.json'), { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
