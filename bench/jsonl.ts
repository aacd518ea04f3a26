/** The records of a benchmark's JSON-lines cache; none when it does not exist yet. */
import { existsSync, readFileSync } from 'node:fs';

export function readJsonl<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
