/**
 * A study's `Init.Exec.augmentation` block: its trials read an augmented copy of `datasetPath` kept in
 * the study's output folder, at `augmented/<hash>/<dataset folder name>`, where the hash covers the
 * options, the occluder file and every byte of the dataset folder: change any of them and the next
 * start augments afresh; change nothing and the copy is reused. The copy is made aside and renamed, so
 * a crash in the middle leaves no folder a trial could use (the leftover is removed on the next start).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { loadStudyConfig } from '../config/loader.js';
import type { StudyConfig } from '../config/types.js';
import { defaultCalibration } from '../pipelines/builtin/runner.js';
import type { StudyRef } from '../study/types.js';
import { augmentDataset, type Progress } from './dataset.js';
import { type AugmentationSettings, resolveAugmentation } from './options.js';

/** Every file under `dir`, in a fixed order, with its path: the augmented copy depends on all of them. */
function hashFolder(hash: ReturnType<typeof createHash>, dir: string): void {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    hash.update(`${relative(dir, file)}\0`);
    hash.update(readFileSync(file));
  }
}

function cacheKey(dataset: string, settings: AugmentationSettings): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(settings));
  if (settings.occluders) hash.update(readFileSync(settings.occluders));
  if (existsSync(dataset)) hashFolder(hash, dataset);
  return hash.digest('hex').slice(0, 16);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Where a study with an augmentation block reads its data (null without one). */
export function augmentedDatasetPath(config: StudyConfig, outputDir: string): string | null {
  const settings = config.exec.augmentation;
  if (!settings) return null;
  const dataset = config.exec.datasetPath;
  return join(outputDir, 'augmented', cacheKey(dataset, settings), basename(dataset));
}

/**
 * Point the study's trials at its augmented data, making it first when it is not there yet. Returns
 * the folder (null without an augmentation block). Only the first of concurrent callers works; the
 * others find the folder.
 */
export async function prepareAugmentedDataset(
  config: StudyConfig,
  outputDir: string,
  progress: Progress = () => {},
): Promise<string | null> {
  const target = augmentedDatasetPath(config, outputDir);
  if (!target) return null;
  const keyDir = dirname(target);
  if (!existsSync(keyDir)) {
    const parent = dirname(keyDir);
    const aside = join(parent, `.${basename(keyDir)}.partial-${process.pid}`);
    // Leftovers of a crashed start are never used; remove them (not those of a start still running).
    if (existsSync(parent))
      for (const name of readdirSync(parent)) {
        const pid = Number(name.slice(`.${basename(keyDir)}.partial-`.length));
        if (name.startsWith(`.${basename(keyDir)}.partial-`) && !isRunning(pid))
          rmSync(join(parent, name), { recursive: true, force: true });
      }
    const source = config.exec.datasetPath;
    const settings = config.exec.augmentation!;
    await augmentDataset(
      source,
      join(aside, basename(source)),
      resolveAugmentation(settings, settings.occluders ?? null),
      progress,
    );
    // The built-in MTMC stage finds the calibration next to the dataset (<name>_utils/calibration.json).
    const calibration = defaultCalibration(source);
    if (existsSync(calibration)) cpSync(calibration, defaultCalibration(join(aside, basename(source))));
    try {
      renameSync(aside, keyDir);
    } catch (err) {
      rmSync(aside, { recursive: true, force: true });
      // Another start finished the same copy first: use it.
      if (!existsSync(keyDir)) throw err;
    }
  }
  config.exec.datasetPath = target;
  return target;
}

/** The study's prepare step: make its augmented data when it has an augmentation block and the data is missing. */
export async function ensureStudyAugmentation(study: StudyRef): Promise<void> {
  const { config } = await loadStudyConfig(study.configPath, { root: study.rootDir });
  await prepareAugmentedDataset(config, study.outputDir);
}

/** Trials read the augmented copy (a no-op without an augmentation block). */
export function useAugmentedDataset(config: StudyConfig, outputDir: string): void {
  config.exec.datasetPath = augmentedDatasetPath(config, outputDir) ?? config.exec.datasetPath;
}
