import { InputError } from '../errors.js';

/** `--gpus 0,1` / `--gpu 2`: GPU indexes, distinct, non-negative integers. */
export function parseGpuList(flag: string, list: string): number[] {
  const gpus = list.split(',').map((s) => Number(s.trim()));
  if (
    gpus.length === 0 ||
    gpus.some((g) => !Number.isInteger(g) || g < 0) ||
    new Set(gpus).size !== gpus.length
  ) {
    throw new InputError(`${flag}: expected GPU indexes like 0 or 0,1, got "${list}"`);
  }
  return gpus;
}
