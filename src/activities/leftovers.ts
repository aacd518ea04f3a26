import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Kill processes left running by an earlier attempt of a trial, on this host: a GPU worker that died
 * (kill -9, OOM) cannot kill its pipeline's process group, which then keeps the GPU busy and writes into
 * the checkpoint. Every pipeline's command line names the trial's checkpoint folder (rendered configs,
 * output folder), so that is how they are found. Linux only (/proc); containers are removed separately.
 */
export async function killLeftoverProcesses(trialDir: string): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const prefix = trialDir.endsWith(path.sep) ? trialDir : `${trialDir}${path.sep}`;
  const killed: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.split('\0').some((arg) => arg === trialDir || arg.includes(prefix))) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}
