import path from 'node:path';
import { Runtime } from '@temporalio/worker';
import { numberFlag, parseCommandArgs } from '../cli/args.js';
import { parseGpuList } from '../cli/gpus.js';
import { InputError } from '../errors.js';
import { removeStaleContainers } from '../pipelines/index.js';
import { DEFAULT_GPU_QUEUE } from '../study/types.js';
import { embeddedTarget, serverTarget, temporalSettings } from '../temporal/connection.js';
import { embeddedStateDir, liveServer } from '../temporal/embedded.js';
import { workerLogger } from './logger.js';
import { describePolicy } from './policy.js';
import { workerPolicy } from './policyFile.js';
import { handleStopSignals, startWorker } from './start.js';
import { createControlWorker, createGpuWorker } from './workers.js';

export const WORKER_USAGE = `usage: pipetune worker (--control | --gpu N[,M…]) [--queue NAME] [--address HOST:PORT] [--root DIR]
                       [--start-timeout SECONDS]

--control   workflows, ParamSearch and PipeEval (queue pipetune-control)
--gpu N     PipeExec only, pinned to GPU N (CUDA_VISIBLE_DEVICES / container DeviceIDs), one trial
            at a time per GPU (a list runs one trial on each), polling the GPU pool queue (default
            pipetune-gpu) so any free GPU takes the next trial
A GPU worker runs only what its operator allows (docs/trust.md); without these it runs builtin studies only:
--allow-program P  (repeatable) programs \`pipeline: command\` studies may run (command[0] as written;
                   deepstream-app for DeepStream studies without an image)
--allow-image I    (repeatable) images docker/deepstream studies may run
--study-root DIR   study roots and output folders must resolve inside DIR (after symlinks)
--allow-network    containers may join the network a study names (else network none)
--allow-bind DIR[:ro]  (repeatable) a host folder outside the study root docker.binds may mount
--allow-root-user  a study may run its container as root (docker.user: root)
--policy FILE      the same in a YAML/JSON file (programs, images, studyRoot, network, binds,
                   rootUser); flags add to it
--allow-any-program, --allow-any-image  UNSAFE: run whatever any study that reaches the server names
The server is --address, else Temporal's connection settings (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
TEMPORAL_TLS_*, TEMPORAL_API_KEY, or the TEMPORAL_PROFILE of the temporal CLI's config file;
docs/trust.md), else the embedded server of --root. While the server cannot
be reached, the worker retries for --start-timeout seconds (default 300), then exits with code 1.
SIGINT/SIGTERM shut down gracefully (at once while starting); a trial cut short is retried by another
worker.
`;

/** `pipetune worker`, `workers/control.ts`, `workers/gpu.ts`: one long-running worker process. */
export async function runWorkerProcess(argv: string[], fixed?: { control?: boolean }): Promise<number> {
  const { values } = parseCommandArgs(
    'worker',
    argv,
    {
      control: { type: 'boolean' },
      gpu: { type: 'string' },
      queue: { type: 'string' },
      address: { type: 'string' },
      root: { type: 'string' },
      'start-timeout': { type: 'string' },
      'allow-program': { type: 'string', multiple: true },
      'allow-image': { type: 'string', multiple: true },
      'allow-any-program': { type: 'boolean' },
      'allow-any-image': { type: 'boolean' },
      'allow-network': { type: 'boolean' },
      'allow-bind': { type: 'string', multiple: true },
      'allow-root-user': { type: 'boolean' },
      'study-root': { type: 'string' },
      policy: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(WORKER_USAGE);
    return 0;
  }
  const control = fixed?.control ?? values.control ?? false;
  if (control === (values.gpu !== undefined))
    throw new InputError(`pipetune worker: give exactly one of --control or --gpu N\n${WORKER_USAGE}`);
  const gpus = control ? [] : parseGpuList('--gpu', values.gpu!);
  // Read before connecting, so a bad policy file stops the worker at once.
  const policy = workerPolicy(values);
  const startTimeoutS = numberFlag('start-timeout', values['start-timeout'], 300, { min: 0 });
  const signals = handleStopSignals();
  const target =
    serverTarget(temporalSettings(), values.address) ?? embeddedTarget(await embeddedAddress(values.root));
  const { address } = target;
  const role = control ? 'control' : `gpu ${values.gpu}`;
  // Said before the first attempt, which may hang for a while on a server that does not answer.
  process.stdout.write(`pipetune worker ${role} connecting to ${address}\n`);
  if (!control) process.stdout.write(`pipetune worker ${role} runs: ${describePolicy(policy)}\n`);
  Runtime.install({ logger: workerLogger(), shutdownSignals: [] });
  if (!control) {
    // Containers of trials these GPUs ran before a crash would hold them: remove them first.
    for (const gpu of gpus) await removeStaleContainers({ gpu }).catch(() => undefined);
  }
  const { worker, connection } = await startWorker(
    target,
    (c, namespace) =>
      control
        ? createControlWorker(c, namespace)
        : createGpuWorker(c, namespace, gpus, policy, values.queue ?? DEFAULT_GPU_QUEUE),
    { timeoutMs: startTimeoutS * 1000 },
  );
  signals.running(worker);
  process.stdout.write(`pipetune worker ${role} polling on ${address}\n`);
  try {
    await worker.run();
  } finally {
    await connection.close().catch(() => undefined);
  }
  return 0;
}

async function embeddedAddress(root: string | undefined): Promise<string> {
  const rootDir = path.resolve(root ?? process.cwd());
  const running = await liveServer(path.join(embeddedStateDir(rootDir), 'server.json'));
  if (!running)
    throw new InputError(
      `no Temporal server: set TEMPORAL_ADDRESS, pass --address, or start one with pipetune server --root ${rootDir}`,
    );
  return running.address;
}
