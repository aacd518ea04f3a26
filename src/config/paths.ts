import { isAbsolute, relative } from 'node:path';

/** How messages and tables show a path: relative to the study root when inside it, else absolute. */
export function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
