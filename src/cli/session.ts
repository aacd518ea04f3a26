import path from 'node:path';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { Runtime, type Worker } from '@temporalio/worker';
import { InputError } from '../errors.js';
import { rootMessage } from '../study/failures.js';
import { type StudyStatus, WORKFLOW_TYPE } from '../study/types.js';
import {
  embeddedTarget,
  serverTarget,
  type TemporalTarget,
  temporalSettings,
} from '../temporal/connection.js';
import {
  type EmbeddedServer,
  embeddedStateDir,
  ensureEmbeddedServer,
  liveServer,
  ownerExited,
  stopEmbeddedServer,
} from '../temporal/embedded.js';
import { serverUnreachable } from '../temporal/unreachable.js';
import { workerLogger } from '../worker/logger.js';
import type { WorkerPolicy } from '../worker/policy.js';
import { startWorker } from '../worker/start.js';
import { createControlWorker, createGpuWorker } from '../worker/workers.js';
import { statusQuery, stopSignal } from '../workflows/messages.js';
import { formatProgress } from './progress.js';
import { printStudySummary } from './studySummary.js';

/** No server to talk to: commands that can, answer from the study folder instead. */
export class NoServerError extends InputError {}

export interface Session {
  client: Client;
  connection: Connection;
  address: string;
  target: TemporalTarget;
  embedded?: EmbeddedServer;
  close(): Promise<void>;
}

/**
 * A client for the study's Temporal server: the one Temporal's connection settings name (TEMPORAL_ADDRESS
 * or the config profile; nothing is started), otherwise the root folder's embedded dev server, started
 * when `start` is true and it is not running.
 */
export async function openSession(rootDir: string, { start }: { start: boolean }): Promise<Session> {
  const configured = serverTarget(temporalSettings());
  let address = configured?.address;
  let embedded: EmbeddedServer | undefined;
  if (!address) {
    if (start) {
      embedded = await ensureEmbeddedServer(rootDir, { dynamicConfig: dynamicConfigFromEnv() });
      address = embedded.address;
    } else {
      const running = await liveServer(path.join(embeddedStateDir(rootDir), 'server.json'));
      if (!running) {
        throw new NoServerError(
          `no Temporal server is running for ${rootDir} (TEMPORAL_ADDRESS is unset and the embedded server is down); ` +
            '`pipetune resume <study>` starts it again',
        );
      }
      address = running.address;
    }
  }
  const target = configured ?? embeddedTarget(address);
  const connection = await Connection.connect(target.options);
  const client = new Client({ connection, namespace: target.namespace });
  return {
    client,
    connection,
    address,
    target,
    embedded,
    async close() {
      await connection.close();
    },
  };
}

/** Tests force continue-as-new through the dev server's dynamic config (`KEY=VALUE;KEY=VALUE`). */
function dynamicConfigFromEnv(): string[] {
  return (process.env.PIPETUNE_TEMPORAL_DYNAMIC_CONFIG ?? '').split(';').filter(Boolean);
}

/** The in-process workers wait this long for a server that is starting or restarting. */
const WORKER_START_TIMEOUT_MS = 5 * 60_000;

export interface RunningWorkers {
  shutdown(): Promise<void>;
}

/**
 * The control worker and one GPU worker per index, in this process (the embedded default). The runtime
 * must not turn Ctrl+C into a worker shutdown: the CLI turns it into a graceful stop of the study.
 */
export async function startWorkersInProcess(
  target: TemporalTarget,
  gpus: number[],
  policy: WorkerPolicy,
): Promise<RunningWorkers> {
  Runtime.install({ shutdownSignals: [], logger: workerLogger() });
  const control = await startWorker(target, createControlWorker, { timeoutMs: WORKER_START_TIMEOUT_MS });
  const connection = control.connection;
  const workers: Worker[] = [
    control.worker,
    await createGpuWorker(connection, target.namespace, gpus, policy),
  ];
  const running = workers.map((w) => w.run());
  return {
    async shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.allSettled(running);
      await connection.close();
    },
  };
}

/**
 * Print progress until the study ends. First Ctrl+C: graceful stop (running trials finish); second: stop
 * now (running trials are cancelled and their processes killed).
 */
export async function followStudy(
  handle: WorkflowHandle,
  { quiet = false } = {},
): Promise<{ ok: boolean; status?: StudyStatus; error?: string }> {
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    const now = interrupts > 1;
    process.stderr.write(
      now
        ? '\npipetune: stopping now (running trials are cancelled)…\n'
        : '\npipetune: stopping after the running trials (Ctrl+C again to stop now)…\n',
    );
    // A signal, like `pipetune stop`: the server keeps it even when no control worker runs right now.
    handle
      .signal(stopSignal, { now })
      .catch((err: Error) => process.stderr.write(`pipetune: stop failed: ${err.message}\n`));
  };
  process.on('SIGINT', onInterrupt);
  let last = '';
  let status: StudyStatus | undefined;
  // One query at a time; the one in flight is awaited before the connection closes (a query sent during
  // a server outage keeps retrying, and a retry on a closed connection would crash the CLI).
  let polling: Promise<void> | undefined;
  const poll = setInterval(() => {
    polling ??= handle
      .query(statusQuery)
      .then((current) => {
        status = current;
        const line = formatProgress(current);
        if (line !== last && !quiet) process.stdout.write(`${line}\n`);
        last = line;
      })
      // Between runs (continue-as-new) or closing: the next poll will tell.
      .catch(() => undefined)
      .finally(() => {
        polling = undefined;
      });
  }, 1_000);
  try {
    await resultThroughOutages(handle);
    status = await handle.query(statusQuery).catch(() => status);
    return { ok: true, status };
  } catch (err) {
    return { ok: false, status, error: rootMessage(err) };
  } finally {
    clearInterval(poll);
    await polling;
    process.off('SIGINT', onInterrupt);
  }
}

/** How long the CLI keeps waiting for an unreachable server (it restarts after a crash or reboot). */
const OUTAGE_PATIENCE_MS = 15 * 60_000;

/**
 * The workflow's result. A server that is down (crashed, restarting) is waited for: the study carries on
 * once it is back, and so does the CLI.
 */
async function resultThroughOutages(handle: WorkflowHandle): Promise<void> {
  let downSince: number | undefined;
  for (;;) {
    try {
      await handle.result();
      return;
    } catch (err) {
      if (err instanceof WorkflowFailedError || !serverUnreachable(err)) throw err;
      downSince ??= Date.now();
      if (Date.now() - downSince > OUTAGE_PATIENCE_MS) throw err;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

/**
 * Stop the root's embedded server when this CLI is its last user (unless asked to keep it for the UI):
 * this CLI started it, or the CLI that did has exited, and no other study runs on it. Two `tune`s of one
 * root share its server; the first to end must not stop it under the other, and the last one stops it.
 */
export async function releaseSession(
  rootDir: string,
  session: Session,
  keepServer: boolean,
  followed?: string,
): Promise<void> {
  const embedded = session.embedded;
  const mayStop = embedded !== undefined && !keepServer && (embedded.startedHere || ownerExited(embedded));
  const othersRunning = mayStop && (await otherStudiesRunning(session.client, followed));
  await session.close();
  if (mayStop && !othersRunning) await stopEmbeddedServer(rootDir, embedded.pid);
}

/** Whether a study other than `followed` is running on the server (visibility may lag by a moment). */
async function otherStudiesRunning(client: Client, followed: string | undefined): Promise<boolean> {
  try {
    const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
    for await (const execution of client.workflow.list({ query }))
      if (execution.workflowId !== followed) return true;
  } catch {
    // A server that no longer answers has nothing running on it that this CLI could keep alive.
  }
  return false;
}

/** What `tune` and `resume` know about a study once the session is open. */
export interface LocatedStudy {
  outputDir: string;
  gpus: number[];
  /** What the in-process GPU workers run: the studies of the CLI's root (rootPolicy). */
  policy: WorkerPolicy;
  /** Starts, attaches to or un-pauses the workflow; called once the workers are polling. */
  start(): Promise<WorkflowHandle>;
}

/**
 * The body of `tune` and `resume`: open the session (starting the embedded server and in-process workers
 * when TEMPORAL_ADDRESS is unset), start or attach to the study, follow it to the end, release everything.
 */
export async function superviseStudy(options: {
  rootDir: string;
  keepServer: boolean;
  locate: (client: Client) => Promise<LocatedStudy>;
}): Promise<number> {
  const session = await openSession(options.rootDir, { start: true });
  let workers: RunningWorkers | undefined;
  let followed: string | undefined;
  try {
    const study = await options.locate(session.client);
    if (session.embedded) workers = await startWorkersInProcess(session.target, study.gpus, study.policy);
    const handle = await study.start();
    followed = handle.workflowId;
    process.stdout.write(`workflow ${handle.workflowId} on ${session.address}\n`);
    if (session.embedded?.uiUrl)
      process.stdout.write(
        `Temporal UI: ${session.embedded.uiUrl}/namespaces/default/workflows/${handle.workflowId}\n`,
      );
    process.stdout.write(`output: ${study.outputDir}\n`);
    const outcome = await followStudy(handle);
    if (outcome.status) process.stdout.write(`${formatProgress(outcome.status)}\n`);
    await printStudySummary(study.outputDir);
    if (!outcome.ok) {
      process.stderr.write(`pipetune: ${outcome.error}\n`);
      return 1;
    }
    return 0;
  } finally {
    await workers?.shutdown();
    await releaseSession(options.rootDir, session, options.keepServer, followed);
  }
}
