/**
 * Tuned keys that cannot change a trial's output for this study's data, found without running
 * anything, one warning per key: a dead dimension costs the optimizers budget and fills the
 * validation slots with configs that differ only in it.
 *  - ReID keys (ReID.*, the ReID gates and weights, TrajectoryManagement.*) when no sequence has
 *    embeddings (det/emb.f32, proposals/embeddings.f32), or the tracker config has no ReID;
 *  - confidence thresholds whose whole range lies at or below the data's lowest confidence (every
 *    detection passes at every value), and the tentative-IoU gate when no detection can be tentative;
 *  - thresholds whose range reaches above the data's highest confidence, where no detection passes or
 *    no target is born and the trial scores exactly 0;
 *  - clustering keys the fixed cluster-mode does not use, the tentative-IoU gate of the GREEDY matcher,
 *    the Kalman noise keys without a SIMPLE state estimator (built-in pipeline).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSeqmap } from '../eval/motFiles.js';
import { ConfigFile } from '../pipelines/builtin/configFile.js';
import type { StudyConfig, TunedParameter } from './types.js';

/** Lowest and highest detection confidence of the study's sequences; whether any has embeddings. */
export interface DataProfile {
  minConfidence: number;
  maxConfidence: number;
  embeddings: boolean;
}

/** Confidence column of a detection file (det.txt: column 7; proposals.txt: column 6). */
function confidences(path: string, column: number, into: { min: number; max: number }): void {
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const value = Number(line.split(',')[column]);
    if (!line.trim() || !Number.isFinite(value)) continue;
    into.min = Math.min(into.min, value);
    into.max = Math.max(into.max, value);
  }
}

/** What the built-in pipeline reads of each sequence; undefined when no sequence can be read. */
export function profileData(config: StudyConfig): DataProfile | undefined {
  const { datasetPath, seqmapPath, validationSeqmapPath } = config.exec;
  const range = { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
  let embeddings = false;
  const names = new Set<string>();
  for (const seqmap of [seqmapPath, validationSeqmapPath]) {
    if (!seqmap) continue;
    try {
      for (const name of readSeqmap(seqmap)) names.add(name);
    } catch {
      // An unreadable seqmap is a problem the data checks report.
    }
  }
  for (const name of names) {
    const dir = join(datasetPath, name);
    const proposals = join(dir, 'proposals', 'proposals.txt');
    const det = join(dir, 'det', 'det.txt');
    if (existsSync(proposals)) {
      confidences(proposals, 5, range);
      embeddings ||= existsSync(join(dir, 'proposals', 'embeddings.f32'));
    } else if (existsSync(det)) {
      confidences(det, 6, range);
      embeddings ||= existsSync(join(dir, 'det', 'emb.f32'));
    }
  }
  if (!Number.isFinite(range.min)) return undefined;
  return { minConfidence: range.min, maxConfidence: range.max, embeddings };
}

const REID_KEYS = new Set([
  'minMatchingScore4ReidSimilarity',
  'matchingScoreWeight4ReidSimilarity',
  'reidHistorySize',
  'reidType',
]);
const KALMAN_KEYS = new Set([
  'processNoiseVar4Loc',
  'processNoiseVar4Size',
  'processNoiseVar4Vel',
  'measurementNoiseVar4Detector',
  'measurementNoiseVar4Tracker',
]);
/** Keys that drop detections below their value, and what a value above every confidence does. */
const DROP_BELOW: Record<string, string> = {
  'pre-cluster-threshold': 'no detection passes',
  'post-cluster-threshold': 'no detection passes',
  minDetectorConfidence: 'no detection is tracked',
  tentativeDetectorConfidence: 'every detection is tentative, so no target is born',
};

function isReid(p: TunedParameter): boolean {
  return (
    p.role === 'tracker' &&
    (p.section === 'ReID' || p.section === 'TrajectoryManagement' || REID_KEYS.has(p.key))
  );
}

/** A fixed setting's value: the study's fixed value, else the file's. */
function settingOf(config: StudyConfig, role: 'pgie' | 'tracker', location: string[]): unknown {
  const fixed = config.fixed.find((f) => f.role === role && f.location.join('.') === location.join('.'));
  if (fixed) return fixed.value;
  const file = config.files[role];
  if (!file) return undefined;
  try {
    const c = ConfigFile.read(file.path, role);
    return c.has(location) ? c.number(location) : undefined;
  } catch {
    return undefined;
  }
}

const isTuned = (config: StudyConfig, key: string) => config.parameters.some((p) => p.key === key);

/** Why a clustering key is unused by the fixed cluster-mode, if it is. */
function clusteringUnused(config: StudyConfig, key: string): string | undefined {
  if (isTuned(config, 'cluster-mode')) return undefined;
  const mode = settingOf(config, 'pgie', ['property', 'cluster-mode']);
  if (typeof mode !== 'number') return undefined;
  const dbscanKeys = ['eps', 'minBoxes', 'dbscan-min-score'];
  if (dbscanKeys.includes(key) && (mode === 2 || mode === 4))
    return `cluster-mode is ${mode} (${mode === 2 ? 'NMS' : 'none'}), which runs no DBSCAN`;
  if (key === 'nms-iou-threshold' && (mode === 1 || mode === 4))
    return `cluster-mode is ${mode} (${mode === 1 ? 'DBSCAN' : 'none'}), which runs no NMS`;
  if (key === 'post-cluster-threshold' && mode === 4) return 'cluster-mode is 4 (none): nothing is clustered';
  return undefined;
}

/** Why a tracker key is unread by the built-in tracker with this config's fixed settings, if it is. */
function trackerUnused(config: StudyConfig, p: TunedParameter): string | undefined {
  if (p.key === 'minMatchingScore4TentativeIou' && !isTuned(config, 'associationMatcherType')) {
    if (settingOf(config, 'tracker', ['DataAssociator', 'associationMatcherType']) === 0)
      return 'associationMatcherType is 0 (GREEDY), which has no tentative pass';
  }
  if (KALMAN_KEYS.has(p.key) && !isTuned(config, 'stateEstimatorType')) {
    const type = settingOf(config, 'tracker', ['StateEstimator', 'stateEstimatorType']);
    if (type === undefined || type === 0) return 'the state estimator is DUMMY (no motion model)';
  }
  return undefined;
}

function confidenceWarning(p: TunedParameter, data: DataProfile): string | undefined {
  const effect = DROP_BELOW[p.key];
  const dim = p.dimension;
  if (!effect || dim.kind === 'choice') return undefined;
  const lo = data.minConfidence;
  const hi = data.maxConfidence;
  if (dim.high <= lo)
    return `its range [${dim.low}, ${dim.high}] lies at or below the lowest detection confidence of the study's sequences (${lo}), so every value passes every detection`;
  if (dim.low > hi)
    return `its whole range [${dim.low}, ${dim.high}] lies above the highest detection confidence (${hi}): ${effect} and every trial scores 0`;
  if (dim.high > hi)
    return `values above the highest detection confidence (${hi}) of its range [${dim.low}, ${dim.high}] give exact-0 scores (${effect}); narrow it to at most ${hi}`;
  return undefined;
}

/** One warning per tuned key that cannot change the output (or can only zero it) for this data. */
export function deadKeyWarnings(config: StudyConfig, data: DataProfile | undefined): string[] {
  const warnings: string[] = [];
  const builtin = config.exec.pipeline === 'builtin';
  const hasReid = builtin && settingOf(config, 'tracker', ['ReID', 'reidType']);
  const tentativeDead = config.parameters.some(
    (p) =>
      p.key === 'tentativeDetectorConfidence' &&
      data &&
      p.dimension.kind !== 'choice' &&
      p.dimension.high <= data.minConfidence,
  );
  for (const p of config.parameters) {
    const say = (why: string) => warnings.push(`${p.yamlPath}: cannot change the output: ${why}`);
    if (p.role === 'pgie') {
      const unused = clusteringUnused(config, p.key);
      if (unused) say(unused);
    }
    if (builtin && isReid(p)) {
      if (!hasReid) say('the tracker config has no ReID (ReID.reidType missing or 0)');
      else if (data && !data.embeddings)
        say('no sequence has embeddings (det/emb.f32 or proposals/embeddings.f32), so ReID is off');
      continue;
    }
    if (builtin && p.role === 'tracker') {
      const unused = trackerUnused(config, p);
      if (unused) say(unused);
      if (p.key === 'minMatchingScore4TentativeIou' && tentativeDead)
        say(
          'tentativeDetectorConfidence never exceeds the lowest detection confidence, so no detection is tentative',
        );
    }
    if (!data) continue;
    const confidence = confidenceWarning(p, data);
    if (!confidence) continue;
    if (confidence.startsWith('its range')) say(confidence);
    else warnings.push(`${p.yamlPath}: ${confidence}`);
  }
  return warnings;
}
