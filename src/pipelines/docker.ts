/**
 * Runs a pipeline inside a container through the Docker Engine API (dockerode). Used by every adapter
 * alike: the container gets the study root bound at its own absolute path (so config paths stay valid),
 * no network unless asked, the pinned GPU as an NVIDIA device request, and labels naming the run so a
 * worker can clean up after a crash. Output is demultiplexed into the run's log; cancelling stops the
 * container (SIGTERM, SIGKILL after the grace period); the container is always removed.
 */
import { once } from 'node:events';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { InputError } from '../errors.js';
import { type RunOutcome, signalOfExitCode } from './outcome.js';
import { commandLine, DEFAULT_GRACE_MS } from './process.js';
import { RunLog } from './runLog.js';
import { workerAlive, workerIdentity } from './workerIdentity.js';

export interface ContainerSpec {
  image: string;
  /** Command run in the image (after its entrypoint, if it has one). */
  argv: string[];
  workingDir?: string;
  /** `host:container[:mode]`, as `docker run -v`. */
  binds: string[];
  network: string;
  /** `uid[:gid]` or a user name known to the image; the image's default when absent. */
  user?: string;
  env: Record<string, string>;
  /** The GPU the worker is pinned to. */
  gpu?: number;
  /** Request `gpu` from the NVIDIA runtime (off on hosts without it). */
  gpus: boolean;
  labels: Record<string, string>;
  logFile: string;
  onOutput?: (line: string) => void;
  signal: AbortSignal;
  /** Between SIGTERM and SIGKILL on abort. */
  graceMs?: number;
}

/** Labels on every pipeline container; removeStaleContainers finds them by these. */
export const LABELS = {
  trial: 'io.pipetune.trial',
  studyRoot: 'io.pipetune.study-root',
  gpu: 'io.pipetune.gpu',
  host: 'io.pipetune.host',
  /** The worker process that started it (./workerIdentity.ts). */
  worker: 'io.pipetune.worker',
} as const;

/** How long to wait for the attached output stream to end once the container has exited. */
const OUTPUT_DRAIN_MS = 2_000;

let client: Docker | undefined;

/** One client per process; DOCKER_HOST (or the default socket) says where the engine is. */
export function dockerClient(): Docker {
  client ??= new Docker();
  return client;
}

export function runLabels(run: {
  studyRoot: string;
  trialDir: string;
  gpu?: number;
}): Record<string, string> {
  return {
    [LABELS.trial]: run.trialDir,
    [LABELS.studyRoot]: run.studyRoot,
    [LABELS.host]: hostname(),
    [LABELS.worker]: workerIdentity(),
    ...(run.gpu === undefined ? {} : { [LABELS.gpu]: String(run.gpu) }),
  };
}

/** The Engine API create options of a run (pure, so it can be checked without a GPU). */
export function containerCreateOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const deviceRequests =
    spec.gpus && spec.gpu !== undefined
      ? [{ Driver: 'nvidia', DeviceIDs: [String(spec.gpu)], Capabilities: [['gpu']] }]
      : undefined;
  return {
    Image: spec.image,
    Cmd: spec.argv,
    ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
    ...(spec.user ? { User: spec.user } : {}),
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    Labels: spec.labels,
    // Separate stdout/stderr frames (demultiplexed below); no stdin.
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      Binds: spec.binds,
      NetworkMode: spec.network,
      // Never privileged, and no setuid way back to root from the non-root user it runs as.
      Privileged: false,
      SecurityOpt: ['no-new-privileges'],
      ...(deviceRequests ? { DeviceRequests: deviceRequests } : {}),
    },
  };
}

interface EngineError {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  message?: string;
}

function engineMessage(err: EngineError): string {
  return (err.json?.message ?? err.message ?? String(err)).trim();
}

/**
 * A clear, one-line error for what the engine said. Configuration mistakes (missing image, missing
 * program, bad bind, no GPU runtime) are InputErrors; an unreachable engine is not (it may come back).
 */
export function dockerFailure(err: unknown, spec: Pick<ContainerSpec, 'image' | 'argv'>): Error {
  const e = err as EngineError;
  const message = engineMessage(e);
  if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'EACCES') {
    return new Error(
      `cannot reach the Docker engine (${message}); is dockerd running and may this user use it?`,
    );
  }
  if (/no such image/i.test(message)) {
    return new InputError(
      `docker image "${spec.image}" is not on this host; build or pull it on every GPU host first (docker pull ${spec.image})`,
    );
  }
  if (/could not select device driver/i.test(message)) {
    return new InputError(
      `docker cannot give the GPU to the container (${message}); install the NVIDIA Container Toolkit on this host, or set docker.gpus: false`,
    );
  }
  if (/executable file not found|no such file or directory/i.test(message)) {
    return new InputError(`docker image "${spec.image}" cannot run "${spec.argv[0] ?? ''}": ${message}`);
  }
  if (e.statusCode === 400 || e.statusCode === 404) {
    return new InputError(`docker rejected the container for image "${spec.image}": ${message}`);
  }
  return new Error(`docker (image "${spec.image}"): ${message}`);
}

function isGone(err: unknown): boolean {
  const status = (err as EngineError).statusCode;
  return status === 404 || status === 304;
}

async function removeContainer(container: Docker.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch (err) {
    if (!isGone(err)) throw err;
  }
}

export async function runContainer(
  spec: ContainerSpec,
  docker: Docker = dockerClient(),
): Promise<RunOutcome> {
  const { signal } = spec;
  if (signal.aborted) throw signal.reason;
  const log = await RunLog.open(spec.logFile, spec.onOutput);
  const gpuNote = spec.gpus && spec.gpu !== undefined ? `, GPU ${spec.gpu}` : '';
  log.note(`docker image ${spec.image}${gpuNote}, network ${spec.network}: $ ${commandLine(spec.argv)}`);

  let container: Docker.Container;
  try {
    container = await docker.createContainer(containerCreateOptions(spec));
  } catch (err) {
    const failure = dockerFailure(err, spec);
    log.note(failure.message);
    await log.close();
    throw failure;
  }

  const graceSeconds = Math.ceil((spec.graceMs ?? DEFAULT_GRACE_MS) / 1000);
  const stop = () =>
    container.stop({ t: graceSeconds }).catch((err) => (isGone(err) ? undefined : Promise.reject(err)));
  const onAbort = () => {
    log.note(
      `cancelled: stopping container ${container.id.slice(0, 12)} (SIGTERM, SIGKILL after ${graceSeconds} s)`,
    );
    void stop().catch((err) => log.note(`stop failed: ${engineMessage(err as EngineError)}`));
  };
  try {
    // Attach before start, so not a byte of output is missed.
    const stream = (await container.attach({
      stream: true,
      stdout: true,
      stderr: true,
    })) as unknown as Duplex;
    const ended = once(stream, 'end').catch(() => undefined);
    container.modem.demuxStream(stream, log.output(), log.output());
    const begin = performance.now();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) throw signal.reason;
    try {
      await container.start();
    } catch (err) {
      throw dockerFailure(err, spec);
    }
    // An abort that raced with start found nothing running yet.
    if (signal.aborted) await stop();
    const { StatusCode: exitCode } = (await container.wait()) as { StatusCode: number };
    const durationMs = performance.now() - begin;
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, OUTPUT_DRAIN_MS))]);
    stream.destroy();

    const state = (await container.inspect()).State;
    if (state.OOMKilled) log.note('the container ran out of memory (killed by the kernel)');
    const stoppedBy = signal.aborted ? signalOfExitCode(exitCode) : undefined;
    log.note(
      `exit code ${exitCode}${stoppedBy ? ` (${stoppedBy})` : ''} after ${(durationMs / 1000).toFixed(1)} s`,
    );
    return { exitCode, ...(stoppedBy ? { signal: stoppedBy } : {}), durationMs };
  } catch (err) {
    log.note(`${(err as Error).message}`);
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await removeContainer(container);
    await log.close();
  }
}

export interface StaleFilter {
  gpu?: number;
  studyRoot?: string;
  trialDir?: string;
}

/**
 * Removes (killing if needed) pipeline containers this host started and no longer needs: those of a
 * worker that crashed. Containers of a live worker are left alone, even on the same GPU (another worker
 * or deployment may share it). A GPU worker calls it with its GPU before taking work. Returns their ids.
 */
export async function removeStaleContainers(
  filter: StaleFilter = {},
  docker: Docker = dockerClient(),
): Promise<string[]> {
  const labels = [
    `${LABELS.trial}${filter.trialDir === undefined ? '' : `=${filter.trialDir}`}`,
    `${LABELS.host}=${hostname()}`,
  ];
  if (filter.gpu !== undefined) labels.push(`${LABELS.gpu}=${filter.gpu}`);
  if (filter.studyRoot !== undefined) labels.push(`${LABELS.studyRoot}=${filter.studyRoot}`);
  const found = await docker.listContainers({ all: true, filters: { label: labels } });
  // Containers from before the worker label have no owner to ask: stale.
  const stale = found.filter((info) => {
    const worker = info.Labels[LABELS.worker];
    return worker === undefined || !workerAlive(worker);
  });
  for (const info of stale) await removeContainer(docker.getContainer(info.Id));
  return stale.map((info) => info.Id);
}
