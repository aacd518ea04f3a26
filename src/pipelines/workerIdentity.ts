/**
 * Which worker process started a container: its pid and, on Linux, its start time (so a reused pid is
 * not taken for the old worker). Stale-container cleanup removes only containers whose worker is gone:
 * several workers of a host may share a GPU (or belong to other deployments), and a starting worker
 * must not kill their running trials.
 */
import { readFileSync } from 'node:fs';

/**
 * Clock ticks after boot at which `pid` started (field 22 of /proc/pid/stat); null for a zombie (dead,
 * not yet reaped by its parent); undefined where there is no /proc.
 */
function startTicks(pid: number): string | null | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[0] === 'Z' || fields[0] === 'X' ? null : fields[19];
}

function identityOf(pid: number): string | undefined {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  const ticks = startTicks(pid);
  return ticks === null ? undefined : `${pid}:${ticks ?? ''}`;
}

let own: string | undefined;

/** This process, as written on the containers it starts. */
export function workerIdentity(): string {
  own ??= identityOf(process.pid)!;
  return own;
}

/** Whether the worker an identity names is still running on this host. */
export function workerAlive(identity: string): boolean {
  const pid = Number(identity.split(':')[0]);
  return Number.isInteger(pid) && pid > 0 && identityOf(pid) === identity;
}
