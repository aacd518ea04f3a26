/**
 * Runs a pipeline as a local child process. The child leads its own process group, so cancelling
 * reaches everything it started (a shell script's children, a detector's helper processes): SIGTERM to
 * the group, then SIGKILL after a grace period. When the child exits, whatever is left of its group is
 * killed too, so a run never leaves processes holding the GPU. (A descendant that moves itself into a
 * new session with setsid escapes the group; nothing short of a container catches that one.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { InputError } from '../errors.js';
import { exitCodeOfSignal, type RunOutcome } from './outcome.js';
import { RunLog } from './runLog.js';

export const DEFAULT_GRACE_MS = 10_000;

/** How long the output pipes may stay open after the child is gone (held by an escaped descendant). */
const PIPE_DRAIN_MS = 2_000;

export interface ProcessSpec {
  /** Program and arguments. */
  argv: string[];
  cwd?: string;
  /** Added to the worker's own environment. */
  env?: Record<string, string>;
  /** Pins the run to this GPU through CUDA_VISIBLE_DEVICES. */
  gpu?: number;
  logFile: string;
  onOutput?: (line: string) => void;
  signal: AbortSignal;
  /** Between SIGTERM and SIGKILL on abort. */
  graceMs?: number;
}

/** Quotes an argument for the log's command line only when it needs it. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(argv: string[]): string {
  return argv.map(shellWord).join(' ');
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    // ESRCH: the group is already gone.
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Resolves once the child has started; a program that cannot be started is the user's error. */
async function started(child: ChildProcess, program: string): Promise<void> {
  try {
    await once(child, 'spawn');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : (err as Error).message;
    throw new InputError(`cannot run "${program}": ${why}`);
  }
}

/** Waits for the pipes to close, but not forever: an escaped descendant may hold them open. */
async function drained(child: ChildProcess, closed: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve();
    }, PIPE_DRAIN_MS);
  });
  await Promise.race([closed, timeout]);
  clearTimeout(timer);
}

export async function runProcess(spec: ProcessSpec): Promise<RunOutcome> {
  const { argv, signal } = spec;
  const [program, ...args] = argv;
  if (program === undefined) throw new InputError('the pipeline command is empty');
  if (signal.aborted) throw signal.reason;

  const log = await RunLog.open(spec.logFile, spec.onOutput);
  log.note(`$ ${commandLine(argv)}${spec.gpu === undefined ? '' : `  (CUDA_VISIBLE_DEVICES=${spec.gpu})`}`);
  const env = {
    ...process.env,
    ...spec.env,
    ...(spec.gpu === undefined ? {} : { CUDA_VISIBLE_DEVICES: String(spec.gpu) }),
  };
  const begin = performance.now();
  const child = spawn(program, args, {
    cwd: spec.cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Listening from the start: 'close' may follow 'exit' in the same tick. (Not `once`, which would
  // also reject on a spawn error; `started` reports that one.)
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (code, sig) => resolve([code, sig])),
  );
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    await started(child, program);
  } catch (err) {
    log.note(`${(err as Error).message}`);
    await log.close();
    throw err;
  }
  const pid = child.pid as number;
  child.stdout?.pipe(log.output());
  child.stderr?.pipe(log.output());

  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    log.note(`cancelled: SIGTERM to process group ${pid}`);
    killGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => {
      log.note(`still running after ${spec.graceMs ?? DEFAULT_GRACE_MS} ms: SIGKILL`);
      killGroup(pid, 'SIGKILL');
    }, spec.graceMs ?? DEFAULT_GRACE_MS);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  // An abort while the program was starting fired before anyone listened.
  if (signal.aborted) onAbort();

  const [code, bySignal] = await exited;
  signal.removeEventListener('abort', onAbort);
  clearTimeout(killTimer);
  // Descendants the program left behind (background jobs, helpers) end with it.
  killGroup(pid, 'SIGKILL');
  await drained(child, closed);

  const durationMs = performance.now() - begin;
  const outcome: RunOutcome = bySignal
    ? { exitCode: exitCodeOfSignal(bySignal), signal: bySignal, durationMs }
    : { exitCode: code ?? 0, durationMs };
  log.note(
    `${bySignal ? `ended by ${bySignal}` : `exit code ${outcome.exitCode}`} after ${(durationMs / 1000).toFixed(1)} s`,
  );
  await log.close();
  return outcome;
}
