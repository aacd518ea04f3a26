import { randomBytes } from 'node:crypto';
import { copyFile, cp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InputError } from '../errors.js';
import { makeDirectory } from '../outputFiles.js';
import type { StudyManifest, TrialRecord } from '../study/records.js';
import { formatScore } from './format.js';
import { originalConfigFiles } from './originals.js';
import type { ParetoSummary } from './pareto.js';
import { resultsLayout } from './paths.js';
import { isValidation, type RankedConfig, type Ranking, rankingFor, rankingLabel } from './ranking.js';
import type { ValidatedConfig } from './validation.js';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function listFiles(dir: string, root = dir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? listFiles(join(dir, e.name), root) : [relative(root, join(dir, e.name))],
    ),
  );
  return nested.flat().sort();
}

export interface BestReadmeInput {
  manifest: StudyManifest;
  best: RankedConfig;
  ranking: Ranking;
  /** Rendered config files, relative to `configs/`. */
  configs: string[];
  /** Original files by rendered file name (see originalConfigFiles). */
  originals: Map<string, string>;
  hasScores: boolean;
  /** The best config's held-out re-score, when the study validated it. */
  heldOut?: ValidatedConfig;
}

/** `48.123 on the held-out seqmap (validation trial 42)`, or that the held-out run failed. */
function heldOutLine(heldOut: ValidatedConfig): string {
  const trials = heldOut.runs.map((r) => r.trial).join(', ');
  const which = `validation trial${heldOut.runs.length > 1 ? 's' : ''} ${trials}`;
  if (heldOut.heldOut !== undefined)
    return `${formatScore(heldOut.heldOut)} on the held-out seqmap (${which})`;
  const log = heldOut.runs.at(-1)?.error?.logFile;
  return `the run on the held-out seqmap failed (${which}${log ? `, log ${log}` : ''})`;
}

/** best/README.txt: which trial this is, how it scored, and what each file replaces. */
export function bestReadme({
  manifest,
  best,
  ranking,
  configs,
  originals,
  hasScores,
  heldOut,
}: BestReadmeInput): string {
  const r = best.record;
  const runs = best.count > 1 ? ` (mean of ${best.count} runs: trials ${best.trials.join(', ')})` : '';
  const files: Array<[string, string]> = configs.map((file) => {
    const original = originals.get(file);
    return [
      `configs/${file}`,
      original
        ? `replaces ${original}`
        : 'no original found (the study config no longer loads, or the run generated this file)',
    ];
  });
  files.push(['params.json', 'the tuned parameter values, by full parameter path']);
  if (hasScores) files.push(['scores.json', `the evaluation scores of trial ${r.trial}`]);
  const width = Math.max(...files.map(([f]) => f.length));
  return `pipetune: best configuration of study ${manifest.name}

Study config  ${manifest.configPath}
Metric        ${rankingLabel(manifest, ranking)} (${ranking.minimize ? 'lower' : 'higher'} is better), in points
Score         ${formatScore(best.mean)}${runs}${heldOut ? `\nHeld-out      ${heldOutLine(heldOut)}` : ''}
Trial         ${r.trial}, proposed by ${r.optimizer} (iteration ${r.iteration}, repeat ${r.repeat})
Checkpoint    ${r.checkpoint}

Files
${files.map(([f, what]) => `  ${f.padEnd(width)}  ${what}`).join('\n')}

${configs.length ? 'To deploy, copy the files under configs/ over the originals listed above, or point your pipeline at them.' : 'The checkpoint has no rendered configs (configs/ is missing): only params.json can be used.'}
`;
}

/** The deployable part of a checkpoint (rendered configs, params.json, scores.json) copied into `dest`. */
async function copyDeployable(
  source: string,
  dest: string,
  record: TrialRecord,
): Promise<{ configs: string[]; hasScores: boolean }> {
  const configsDir = join(source, 'configs');
  const configs = (await exists(configsDir)) ? await listFiles(configsDir) : [];
  if (configs.length) await cp(configsDir, join(dest, 'configs'), { recursive: true });
  await writeFile(join(dest, 'params.json'), `${JSON.stringify(record.params, null, 2)}\n`);
  const hasScores = await exists(join(source, 'scores.json'));
  if (hasScores) await copyFile(join(source, 'scores.json'), join(dest, 'scores.json'));
  return { configs, hasScores };
}

/** `trial-0012`: a Pareto config's folder under best/pareto/. */
export const paretoFolder = (trial: number) => `trial-${String(trial).padStart(4, '0')}`;

/** One folder per Pareto config under `dir`, each deployable like best/ itself. */
async function writeParetoFolders(outputDir: string, dir: string, pareto: ParetoSummary): Promise<void> {
  for (const point of pareto.points) {
    const dest = join(dir, paretoFolder(point.record.trial));
    makeDirectory(dest, 'the Pareto-configuration folder');
    const source = join(outputDir, point.record.checkpoint);
    if (await exists(source)) await copyDeployable(source, dest, point.record);
  }
}

/** The Pareto table of best/README.txt: every config on the front, best first objective first. */
export function paretoReadme(pareto: ParetoSummary): string {
  const header = [
    'folder',
    ...pareto.objectives.map((o) => `${o.metric} (${o.goal})`),
    'trial',
    'proposed by',
  ];
  const rows = pareto.points.map((p) => [
    `pareto/${paretoFolder(p.record.trial)}`,
    ...p.values.map((v) => v.toFixed(3)),
    String(p.record.trial),
    p.record.optimizer,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  const reference = pareto.reference.map((v) => v.toFixed(3)).join(', ');
  return `Pareto set (${pareto.points.length} configs; hypervolume ${pareto.hypervolume.toFixed(3)} from (${reference}))
${[header, ...rows].map(line).join('\n')}

The files above (configs/, params.json) are the picked config: the best ${pareto.objectives[0]!.metric} on the front, or
the one \`pipetune results NAME --pick RULE\` chose. Each pareto/ folder is deployable the same way.
`;
}

/**
 * Replaces `results/best/` with the deployable part of the best trial's checkpoint: the rendered
 * configs, params.json, the checkpoint's scores.json and a README.txt. Built in a temp folder and
 * swapped in, so a crash leaves either the old copy or the new one. Returns the folder. `heldOut` adds
 * the config's held-out score to the README; `pareto` (two-objective studies) adds one folder per Pareto
 * config under `pareto/` and their table to the README.
 */
export async function copyBestCheckpoint(
  outputDir: string,
  manifest: StudyManifest,
  best: RankedConfig,
  ranking: Ranking = rankingFor(manifest),
  heldOut?: ValidatedConfig,
  pareto?: ParetoSummary,
): Promise<string> {
  if (isValidation(best.record)) {
    throw new InputError(`trial ${best.record.trial} is a held-out validation run, not a tuning trial`);
  }
  const source = join(outputDir, best.record.checkpoint);
  if (!(await exists(source))) {
    throw new InputError(`${source}: checkpoint folder of the best trial (${best.record.trial}) not found`);
  }
  const target = resultsLayout(outputDir, manifest).best;
  const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    makeDirectory(temp, 'the best-configuration folder');
    const { configs, hasScores } = await copyDeployable(source, temp, best.record);
    const originals = await originalConfigFiles(manifest);
    const readme = bestReadme({
      manifest,
      best,
      ranking,
      configs,
      originals,
      hasScores,
      ...(heldOut ? { heldOut } : {}),
    });
    await writeFile(join(temp, 'README.txt'), pareto ? `${readme}\n${paretoReadme(pareto)}` : readme);
    if (pareto) await writeParetoFolders(outputDir, join(temp, 'pareto'), pareto);
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  return target;
}
