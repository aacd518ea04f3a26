import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TrialRecord } from '../../src/study/records.js';
import { REPO } from './temporal.js';

/**
 * A fresh copy of the orchestration fixture (toy dataset, fake pipeline, study.yml) in a temp root, and
 * the output folder of the study run as `tune study.yml --name NAME`.
 */
export async function fixtureRoot(
  edit: (yaml: string) => string = (y) => y,
  name?: string,
): Promise<{ root: string; config: string; output: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'pipetune-study-'));
  await cp(path.join(REPO, 'test', 'fixtures', 'study'), root, { recursive: true });
  const config = path.join(root, 'study.yml');
  await writeFile(config, edit(await readFile(config, 'utf8')));
  return { root, config, output: path.join(root, 'output', name ? `${name}_output` : 'study.yml_output') };
}

export async function readRecords(output: string): Promise<TrialRecord[]> {
  const file = path.join(output, 'trials.jsonl');
  if (!existsSync(file)) return [];
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TrialRecord);
}

/** The accuracy CSV's data rows (header excluded). */
export async function csvRows(output: string): Promise<string[]> {
  const dir = path.join(output, 'results');
  const csv = (await readdir(dir)).find((f) => f.endsWith('_accuracy.csv'));
  if (!csv) throw new Error(`no accuracy CSV in ${dir}`);
  return (await readFile(path.join(dir, csv), 'utf8')).trim().split('\n').slice(1);
}

/** Every key and every trial number appears exactly once. */
export function duplicates(records: TrialRecord[]): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const r of records) {
    for (const id of [`key ${r.key}`, `trial ${r.trial}`]) {
      if (seen.has(id)) dups.push(id);
      seen.add(id);
    }
  }
  return dups;
}

/** Resolves once `predicate` holds, polling every 200 ms. */
export async function eventually(
  predicate: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The real activities, each started after a random hold of up to `maxMs` (a loaded machine's timing). */
export function heldUp<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
  maxMs: number,
): T {
  const held = Object.entries(activities).map(([name, fn]) => [
    name,
    async (...args: never[]) => {
      await new Promise((r) => setTimeout(r, Math.random() * maxMs));
      return fn(...args);
    },
  ]);
  return Object.fromEntries(held) as T;
}
