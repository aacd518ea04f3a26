/**
 * Every file and folder pipetune reads as input goes through here: it must be a regular file (or a
 * folder), of bounded size, and — when a scope is given — resolve inside the scope's folders after
 * following symlinks. Devices (/dev/zero), FIFOs and sockets are refused before they are opened, so a
 * read never hangs or fills memory, and a file the study may not read never reaches a parser whose
 * error would quote it.
 */

import type { Dirent, Stats } from 'node:fs';
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { inputError } from './errors.js';

const MB = 1024 * 1024;
/** Study configs and the detector/tracker/MTMC configs they overlay. */
export const CONFIG_LIMIT = 16 * MB;
/** Data files: seqmaps, seqinfo.ini, gt/det/tracker rows, MTMC rows and calibrations. */
export const DATA_LIMIT = 512 * MB;

/** The folders inputs must resolve inside (real paths); `undefined` roots: anywhere. */
export interface InputScope {
  roots: readonly string[];
  /** How messages name the scope: "the study root /srv/studies/a". */
  label: string;
}

/** The real path of `path`, or of the longest existing prefix joined with the rest when it does not exist. */
function realOrResolved(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

/** A scope of the given folders (real paths taken now). */
export function inputScope(label: string, ...folders: string[]): InputScope {
  return { roots: folders.map(realOrResolved), label };
}

const isInside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
};

function kindOf(stats: Stats): string {
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}

const megabytes = (bytes: number) => `${(bytes / MB).toFixed(bytes < MB ? 2 : 0)} MB`;

const outsideOf = (scope: InputScope) =>
  `resolves outside ${scope.label} (after following symlinks); refused`;

/**
 * Why `path` is not inside `scope` after following symlinks (of the path or, when it does not exist
 * yet, of its longest existing parent), or undefined when it is.
 */
export function outsideProblem(path: string, scope: InputScope): string | undefined {
  let real = resolve(path);
  let rest = '';
  for (;;) {
    try {
      real = join(realpathSync(real), rest);
      break;
    } catch {
      const parent = dirname(real);
      if (parent === real) break;
      rest = join(basename(real), rest);
      real = parent;
    }
  }
  return scope.roots.some((root) => isInside(root, real)) ? undefined : outsideOf(scope);
}

export type InputKind = 'file' | 'folder';

export interface InputCheck {
  /** The real path to open. */
  real?: string;
  /** Why it cannot be read (without the path): "does not exist", "is a character device, …". */
  problem?: string;
  /** True when the path does not exist at all (callers that accept a missing input ask this). */
  missing?: boolean;
}

/** Whether `path` may be read as a `kind` within `scope`, and where it really is. Opens nothing. */
export function checkInput(
  path: string,
  kind: InputKind,
  scope?: InputScope,
  limit = DATA_LIMIT,
): InputCheck {
  let real: string;
  try {
    real = realpathSync(resolve(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: 'does not exist', missing: true };
    if (code === 'ELOOP') return { problem: 'is a symlink loop' };
    if (code === 'ENOTDIR') return { problem: 'does not exist (a parent is not a folder)', missing: true };
    return { problem: `cannot be resolved (${code})` };
  }
  if (scope && !scope.roots.some((root) => isInside(root, real))) return { problem: outsideOf(scope) };
  const stats = statSync(real, { throwIfNoEntry: false });
  if (!stats) return { problem: 'does not exist', missing: true };
  if (kind === 'folder')
    return stats.isDirectory() ? { real } : { problem: `is ${kindOf(stats)}, not a folder` };
  if (!stats.isFile()) return { problem: `is ${kindOf(stats)}, not a regular file` };
  if (stats.size > limit)
    return { problem: `is ${megabytes(stats.size)}; inputs are read up to ${megabytes(limit)}` };
  return { real };
}

/** True when `path` is a readable `kind` within `scope` (for "is there a gt.txt?" questions). */
export function isInput(path: string, kind: InputKind, scope?: InputScope): boolean {
  return checkInput(path, kind, scope).real !== undefined;
}

export interface ReadOptions {
  /** What the file is, for messages: "ground-truth file". */
  what: string;
  scope?: InputScope;
  limit?: number;
}

/**
 * The bytes of `path`: a regular file within `scope` of at most `limit` bytes (checked again on the
 * open descriptor and while reading, so a file that grows or is swapped for a pipe is still refused).
 * Fails with an input error `path: cannot read <what>: <reason>`.
 */
export function readInput(path: string, options: ReadOptions): Buffer {
  const limit = options.limit ?? DATA_LIMIT;
  const fail = (reason: string) => inputError(path, undefined, `cannot read ${options.what}: ${reason}`);
  const check = checkInput(path, 'file', options.scope, limit);
  if (check.missing) throw inputError(path, undefined, `${options.what} not found`);
  if (!check.real) throw fail(`it ${check.problem}`);
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put in its place since the check opens without waiting for a writer.
    fd = openSync(check.real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    throw fail(`${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw fail(`it is ${kindOf(stats)}, not a regular file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stats.size, 64 * 1024), limit + 1 - total) || 1);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) throw fail(`it is larger than ${megabytes(limit)}, the most inputs are read up to`);
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code)
      throw fail(`${(err as NodeJS.ErrnoException).code} ${(err as Error).message}`);
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** `readInput` as UTF-8 text. */
export function readInputText(path: string, options: ReadOptions): string {
  return readInput(path, options).toString('utf8');
}

/** The entries of folder `path` within `scope`; an input error naming it when it is not a readable folder. */
export function listInputFolder(path: string, what: string, scope?: InputScope): Dirent[] {
  const check = checkInput(path, 'folder', scope);
  if (!check.real) throw inputError(path, undefined, `${what} ${check.problem}`);
  try {
    return readdirSync(check.real, { withFileTypes: true });
  } catch (err) {
    throw inputError(path, undefined, `cannot list ${what}: ${(err as NodeJS.ErrnoException).code}`);
  }
}
