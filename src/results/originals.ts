import { basename } from 'node:path';
import { loadStudyConfig } from '../config/index.js';
import type { StudyManifest } from '../study/records.js';

/**
 * The user's pipeline config files by the name their rendered copy has in a checkpoint's configs/: the
 * original's file name, or `<role>_<name>` when two originals share a name (see src/render). Empty when
 * the study config no longer loads (moved, edited, or the results were copied to another machine).
 */
export async function originalConfigFiles(manifest: StudyManifest): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  try {
    const { config } = await loadStudyConfig(manifest.configPath, { root: manifest.rootDir });
    for (const file of Object.values(config.files)) {
      byName.set(basename(file.path), file.path);
      byName.set(`${file.role}_${basename(file.path)}`, file.path);
    }
  } catch {
    // Best effort: README.txt then says no original was found for each file.
  }
  return byName;
}
