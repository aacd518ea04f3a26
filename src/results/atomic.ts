import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirectory } from '../outputFiles.js';

/**
 * Writes through a temp file in the same folder and renames it into place, so a reader (or a crash)
 * never sees a half-written file, and concurrent writers each replace the whole file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  makeDirectory(dirname(path), 'the results folder');
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
