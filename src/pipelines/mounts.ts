/**
 * Which host folders a pipeline container gets. Config files name absolute host paths, so every folder
 * is mounted at its own path: the study root (read-write: outputs are written into it), the trial
 * folder when it lies elsewhere, any extra folder an adapter needs, and the user's own binds. A path the
 * run needs that no same-path mount covers is a configuration error, found before the container starts.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';

/** `path:path[:mode]`: a folder mounted at its own path. */
export function samePathBind(path: string, mode?: 'ro' | 'rw'): string {
  return mode ? `${path}:${path}:${mode}` : `${path}:${path}`;
}

export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Host folders visible at their own path in the container (named volumes and remapped binds are not). */
function samePathSources(binds: string[]): string[] {
  return binds.flatMap((bind) => {
    const [source, target] = bind.split(':');
    if (source === undefined || !isAbsolute(source)) return [];
    return resolve(source) === resolve(target ?? source) ? [resolve(source)] : [];
  });
}

/** The run's binds: study root, trial folder if outside it, the adapter's extras, then the user's. */
export function runBinds(studyRoot: string, trialDir: string, extra: string[], user: string[]): string[] {
  const own = [samePathBind(studyRoot)];
  if (!isInside(trialDir, studyRoot)) own.push(samePathBind(trialDir));
  return [...own, ...extra, ...user];
}

/** Throws an InputError naming the first needed path no same-path bind covers. */
export function checkVisible(needed: Record<string, string | undefined>, binds: string[]): void {
  const sources = samePathSources(binds);
  for (const [what, path] of Object.entries(needed)) {
    if (path === undefined) continue;
    const absolute = resolve(path);
    if (!sources.some((source) => isInside(absolute, source))) {
      throw new InputError(
        `the pipeline container cannot see the ${what} ${absolute}: it is outside the study root and every docker bind mounted at its own path; add "${absolute}:${absolute}" (or a parent folder; append :ro for inputs) to docker.binds`,
      );
    }
  }
}
