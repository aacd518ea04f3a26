/**
 * Output folders and files whose failures are input errors naming the path, never hangs; a disk that is
 * full or read-only is a StorageError instead (the study holds until it is fixed).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inputError } from './errors.js';
import { storageErrorOf } from './storageErrors.js';

/** One mkdir: undefined when `dir` is a folder afterwards, else why not. */
function mkdirOnce(dir: string): NodeJS.ErrnoException | undefined {
  try {
    mkdirSync(dir);
    return undefined;
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    return error.code === 'EEXIST' && statSync(dir, { throwIfNoEntry: false })?.isDirectory()
      ? undefined
      : error;
  }
}

/**
 * `mkdir -p` that fails with an input error naming the folder. Node's `mkdir({ recursive: true })`
 * retries forever when a parent exists but the child still cannot be made (mkdir under /proc answers
 * ENOENT), so parents are made here one by one, each at most once.
 */
export function makeDirectory(dir: string, what = 'the output folder'): void {
  const parent = dirname(dir);
  let failure = mkdirOnce(dir);
  if (failure?.code === 'ENOENT' && parent !== dir && !existsSync(parent)) {
    makeDirectory(parent, what);
    failure = mkdirOnce(dir);
  }
  if (!failure) return;
  // A full or read-only disk is not the input's fault: the study holds until it is fixed.
  const storage = storageErrorOf(failure, dir);
  if (storage) throw storage;
  const reason =
    failure.code === 'ENOENT'
      ? `${parent} does not accept new folders`
      : failure.code === 'EEXIST'
        ? 'it exists and is not a folder'
        : failure.message;
  throw inputError(dir, undefined, `cannot create ${what}: ${reason}`);
}

/** writeFileSync whose failure (no space, no permission, a folder of that name…) names the file. */
export function writeOutputFile(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (err) {
    throw storageErrorOf(err, path) ?? inputError(path, undefined, `cannot write: ${(err as Error).message}`);
  }
}
