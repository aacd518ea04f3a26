/**
 * A write that failed because of the disk, not the input: no space left, a read-only folder, no write
 * permission. Activities raise it with a distinct type (`StorageError`, the name Temporal reports as
 * the failure type) so the workflow can pause the study with this reason and resume once it is fixed.
 */
import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { quoted } from './errors.js';

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on its device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'it is read-only',
  EACCES: 'it is not writable (permission denied)',
  EPERM: 'it is not writable (operation not permitted)',
};

export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    /** The folder that cannot take the write. */
    readonly folder: string,
    /** ENOSPC, EDQUOT, EROFS, EACCES or EPERM. */
    readonly code: string,
    /** The line a pipeline program printed about it, when that is how it is known. */
    printed?: string,
  ) {
    super(
      `${folder}: cannot write: ${REASONS[code] ?? code} (${code})${printed === undefined ? '' : `; the pipeline printed ${quoted(printed)}`}; the study can resume once it is fixed`,
    );
  }
}

/** `err` as a StorageError about the folder of `file`, when the disk is the cause; else undefined. */
export function storageErrorOf(err: unknown, file: string): StorageError | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code && code in REASONS ? new StorageError(dirname(file), code) : undefined;
}

/** A failed file operation as a StorageError when the disk is the cause (its path names the folder); else itself. */
export function asStorageError(err: unknown): unknown {
  const { code, path } = (err ?? {}) as NodeJS.ErrnoException;
  return code && code in REASONS && path ? new StorageError(dirname(path), code) : err;
}

/** The work's result, or its failure with disk failures turned into StorageErrors. */
export function storageFailures<T>(work: Promise<T>): Promise<T> {
  return work.catch((err: unknown) => {
    throw asStorageError(err);
  });
}

/** Below this much free space (or 1% of a smaller file system) a folder's disk counts as full. */
const FULL_BELOW_BYTES = 1024 * 1024;

/**
 * Why the disk of `dir` refuses writes right now (read-only, not writable, no space or no inodes left),
 * as a StorageError; else undefined. Asked after a pipeline program failed: its exit code does not say
 * that the disk was the cause.
 */
export async function diskRefusal(dir: string): Promise<StorageError | undefined> {
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && code in REASONS ? new StorageError(dir, code) : undefined;
  }
  const disk = await statfs(dir);
  const free = disk.bavail * disk.bsize;
  const full =
    free < Math.min(FULL_BELOW_BYTES, (disk.blocks * disk.bsize) / 100) ||
    (disk.files > 0 && disk.ffree === 0);
  return full ? new StorageError(dir, 'ENOSPC') : undefined;
}

/** The C library's texts for the disk errors (strerror), as programs print them. */
const PRINTED_REASONS: [RegExp, string][] = [
  [/no space left on device/i, 'ENOSPC'],
  [/disk quota exceeded/i, 'EDQUOT'],
  [/read-only file system/i, 'EROFS'],
];

/**
 * A StorageError about `dir` when one of the last lines a failed pipeline program printed reports a
 * refused write. Asked when the disk no longer looks full: a program that removes its partial output on
 * the way out, or a neighbour that freed space meanwhile, would otherwise make it a failed run.
 */
export function printedRefusal(dir: string, lastLines: readonly string[]): StorageError | undefined {
  for (const line of [...lastLines].reverse())
    for (const [pattern, code] of PRINTED_REASONS)
      if (pattern.test(line)) return new StorageError(dir, code, line.trim());
  return undefined;
}
