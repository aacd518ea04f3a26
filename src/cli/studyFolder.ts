/**
 * A study as its output folder records it (study.json, trials.jsonl), read-only: what `status` shows
 * when no Temporal server is running.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { rankingFor } from '../results/ranking.js';
import { readStudyManifest, readTrialStore } from '../results/store.js';
import { summarizeStudy } from '../results/summary.js';
import { defaultOutputDir, studyLayout } from '../study/layout.js';

/** The output folders a study named on the command line (by name or config file) may have under `rootDir`. */
function candidateFolders(rootDir: string, arg: string, name: string): string[] {
  const fromConfig = /\.ya?ml$/i.test(arg) ? [defaultOutputDir(rootDir, path.resolve(arg))] : [];
  return [
    ...fromConfig,
    defaultOutputDir(rootDir, '', name),
    ...['.yml', '.yaml'].map((ext) => defaultOutputDir(rootDir, `${name}${ext}`)),
  ];
}

export interface FolderStatus {
  name: string;
  source: 'study folder';
  outputDir: string;
  createdAt: string;
  /** Tuning trials recorded (validation re-runs not counted). */
  trials: number;
  failed: number;
  /** A fraction, like the stored scores. */
  best: number | null;
  bestTrial: number | null;
}

/** The study in `known`, or the one `arg`/`name` names under `rootDir`. */
export async function folderStatus(
  rootDir: string,
  arg: string,
  name: string,
  known?: string,
): Promise<FolderStatus> {
  const outputDir =
    known ?? candidateFolders(rootDir, arg, name).find((dir) => existsSync(studyLayout(dir).manifest));
  if (!outputDir)
    throw new InputError(
      `no Temporal server is running for ${rootDir}, and no study folder for "${name}" under ${path.join(rootDir, 'output')}`,
    );
  const manifest = await readStudyManifest(outputDir);
  const summary = summarizeStudy(manifest, await readTrialStore(outputDir), rankingFor(manifest));
  return {
    name: manifest.name,
    source: 'study folder',
    outputDir,
    createdAt: manifest.createdAt,
    trials: summary.trials,
    failed: summary.failed,
    best: summary.best?.mean ?? null,
    bestTrial: summary.best?.record.trial ?? null,
  };
}
