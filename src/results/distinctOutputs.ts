/**
 * Held-out validation slots go to configs whose outputs differ: two configs that differ only in keys
 * that do not change the output (dead keys) write the same tracks and would score the same held out,
 * so only the best-ranked of each output is validated. The identity of an output is a hash of its
 * folder (every file's name and bytes, in name order).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrialRecord } from '../study/records.js';

/** Hash of a trial's output folder; undefined when it cannot be read (the config then counts as distinct). */
export async function outputHash(dir: string): Promise<string | undefined> {
  try {
    const hash = createHash('sha1');
    const entries = (await readdir(dir, { withFileTypes: true, recursive: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort();
    for (const file of entries)
      hash
        .update(file.slice(dir.length))
        .update('\0')
        .update(await readFile(file));
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * The first `top` of `ranked` (best first) whose output differs from every earlier one and from the
 * `already` validated ones (the baseline).
 */
export async function distinctOutputs(
  ranked: readonly TrialRecord[],
  already: readonly TrialRecord[],
  top: number,
  outputDir: (record: TrialRecord) => string,
): Promise<TrialRecord[]> {
  const seen = new Set<string>();
  for (const record of already) {
    const hash = await outputHash(outputDir(record));
    if (hash) seen.add(hash);
  }
  const chosen: TrialRecord[] = [];
  for (const record of ranked) {
    if (chosen.length >= top) break;
    const hash = await outputHash(outputDir(record));
    if (hash && seen.has(hash)) continue;
    if (hash) seen.add(hash);
    chosen.push(record);
  }
  return chosen;
}
