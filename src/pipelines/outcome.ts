/**
 * How a run ended, the same for a child process and a container: shells and Docker report a death by
 * signal N as exit code 128 + N, so both forms are kept.
 */
import { constants } from 'node:os';

export interface RunOutcome {
  exitCode: number;
  /** The signal that ended the run (e.g. SIGTERM on cancellation), when it was one. */
  signal?: string;
  durationMs: number;
}

/** 128 + the signal's number, as a shell reports it (`SIGKILL` → 137). */
export function exitCodeOfSignal(signal: string): number {
  const number = (constants.signals as Record<string, number | undefined>)[signal];
  return 128 + (number ?? 0);
}

/** The signal behind an exit code above 128 (137 → SIGKILL), if it names one. */
export function signalOfExitCode(exitCode: number): string | undefined {
  if (exitCode <= 128) return undefined;
  const found = Object.entries(constants.signals).find(([, number]) => number === exitCode - 128);
  return found?.[0];
}
