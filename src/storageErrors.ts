/**
 * A write that failed because of the disk, not the input: no space left, a read-only folder, no write
 * permission. Activities raise it with a distinct type (`StorageError`, the name Temporal reports as
 * the failure type) so the workflow can pause the study with this reason and resume once it is fixed.
 */
import { dirname } from 'node:path';

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
  ) {
    super(
      `${folder}: cannot write: ${REASONS[code] ?? code} (${code}); the study can resume once it is fixed`,
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
