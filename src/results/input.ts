/**
 * Everything the results are made from, read once: study.json, the trial store, the study's search
 * space (from its config, when it still loads), and per trial what its checkpoint recorded beside the
 * store: the worker that ran it (exec.json) and its per-sequence scores (scores.json, read only for the
 * few configs the per-sequence view shows). Reading never writes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadStudyConfig } from '../config/loader.js';
import type { Dimension } from '../space/types.js';
import type { StudyManifest, TrialRecord } from '../study/records.js';
import { type Ranking, rankConfigs, rankingFor } from './ranking.js';
import { readStudyManifest, readTrialStore } from './store.js';

/** The per-sequence view shows this many of the best configs, plus the baseline. */
export const PER_SEQUENCE_CONFIGS = 5;

/** Per sequence, the headline metrics of one trial (fractions). */
export type SequenceScores = Record<string, Record<string, number>>;

export interface StudyInput {
  outputDir: string;
  manifest: StudyManifest;
  records: TrialRecord[];
  /** The study's search space; undefined when its config no longer loads (see `spaceNote`). */
  dimensions?: Dimension[];
  spaceNote?: string;
  /** Trial → `host GPU n` of the worker that ran it, where its exec.json recorded one. */
  workers: Map<number, string>;
  ranking: Ranking;
  /** Trial → per-sequence scores its scores.json recorded, for the best configs and the baseline. */
  sequences: Map<number, SequenceScores>;
  /** The `--pick` rule (two-objective studies). */
  pick?: string;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

async function workerOf(outputDir: string, record: TrialRecord): Promise<string | undefined> {
  const exec = (await readJson(join(outputDir, record.checkpoint, 'exec.json'))) as
    | { host?: unknown; gpu?: unknown }
    | undefined;
  if (typeof exec?.gpu !== 'number') return undefined;
  return `${typeof exec.host === 'string' ? `${exec.host} ` : ''}GPU ${exec.gpu}`;
}

async function sequencesOf(outputDir: string, record: TrialRecord): Promise<SequenceScores | undefined> {
  const scores = (await readJson(join(outputDir, record.checkpoint, 'scores.json'))) as
    | { sequences?: unknown }
    | undefined;
  const sequences = scores?.sequences;
  return sequences && typeof sequences === 'object' ? (sequences as SequenceScores) : undefined;
}

export interface ReadOptions {
  /** Rank by this recorded metric instead of the study's. */
  metric?: string;
  /** Two-objective studies: the `--pick` rule naming the config best/ holds (docs/objectives.md). */
  pick?: string;
  warn?: (message: string) => void;
}

export async function readStudyInput(
  outputDir: string,
  { metric, pick, warn }: ReadOptions = {},
): Promise<StudyInput> {
  const manifest = await readStudyManifest(outputDir);
  const records = await readTrialStore(outputDir, warn);
  const ranking = rankingFor(manifest, metric);
  const input: StudyInput = {
    outputDir,
    manifest,
    records,
    ranking,
    workers: new Map(),
    sequences: new Map(),
    ...(pick !== undefined ? { pick } : {}),
  };
  const ranked = rankConfigs(records, ranking);
  const shown = [
    ...ranked.slice(0, PER_SEQUENCE_CONFIGS).map((c) => c.record),
    ...records.filter((r) => r.optimizer === 'baseline' && r.status === 'ok').slice(0, 1),
  ];
  for (const record of shown) {
    const sequences = await sequencesOf(outputDir, record);
    if (sequences) input.sequences.set(record.trial, sequences);
  }
  try {
    const { config } = await loadStudyConfig(manifest.configPath, { root: manifest.rootDir });
    input.dimensions = config.space.dimensions;
  } catch (err) {
    input.spaceNote = `the search space could not be read from ${manifest.configPath} (${(err as Error).message.split('\n')[0]}); ranges are the values tried`;
  }
  const workers = await Promise.all(records.map((r) => workerOf(outputDir, r)));
  workers.forEach((worker, i) => {
    if (worker) input.workers.set(records[i]!.trial, worker);
  });
  return input;
}
