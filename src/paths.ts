import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pipetune package folder (the one holding package.json), from src/ or dist/src/. */
export function packageRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return here.includes(`${path.sep}dist${path.sep}`) || here.endsWith(`${path.sep}dist`)
    ? path.resolve(here, '..', '..')
    : path.resolve(here, '..');
}

/** The CLI entry that child processes run (`node <this> run-pipeline …`). */
export function cliEntry(): string {
  return path.join(packageRoot(), 'bin', 'pipetune.js');
}
