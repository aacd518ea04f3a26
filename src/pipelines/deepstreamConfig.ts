/**
 * The trial's deepstream-app config, generated from the user's template (or a built-in default): the
 * rendered PGIE and tracker files plugged in, one source per sequence, headless fakesinks, no looping,
 * and the tracker's KITTI dump switched on. Everything else in the template is kept. The generated
 * file lives in the trial folder, so the template's relative paths are made absolute first
 * (deepstream-app resolves them against the config file's folder).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { KeyFile } from './keyfile.js';
import type { KittiStream } from './kitti.js';
import { commonSize, type SequenceSource } from './sequences.js';

/** NVIDIA's multi-object tracker library in DeepStream images. */
const NVMOT_LIB = '/opt/nvidia/deepstream/deepstream/lib/libnvds_nvmultiobjecttracker.so';

/** Used when the study names no app config: a minimal headless detector → tracker pipeline. */
export const DEFAULT_APP_CONFIG = `[application]
enable-perf-measurement=1
perf-measurement-interval-sec=5

[tiled-display]
enable=0

[streammux]
live-source=0
batched-push-timeout=40000
width=1920
height=1080
enable-padding=0

[primary-gie]
enable=1
gie-unique-id=1

[tracker]
enable=1
tracker-width=960
tracker-height=544
ll-lib-file=${NVMOT_LIB}

[osd]
enable=0

[tests]
file-loop=0
`;

/** Keys whose values deepstream-app reads as paths relative to the config file (apps-common parser). */
const PATH_KEYS = new Set([
  'config-file',
  'll-config-file',
  'll-lib-file',
  'model-engine-file',
  'labelfile-path',
  'output-file',
  'msg-conv-config',
  'msg-conv-msg2p-lib',
  'msg-broker-proto-lib',
  'msg-broker-config',
  'infer-raw-output-dir',
  'gie-kitti-output-dir',
  'kitti-track-output-dir',
  'reid-track-output-dir',
  'terminated-track-output-dir',
  'shadow-track-output-dir',
]);

/** Source settings the generated sources set themselves; the template's others are kept. */
const SOURCE_OWN_KEYS = new Set(['enable', 'type', 'uri', 'num-sources', 'camera-id']);

const SOURCE_GROUP = /^source\d+$/;
const SINK_GROUP = /^sink\d+$/;

export interface AppConfigInput {
  /** Template text, and its path (relative paths in it are resolved against its folder). */
  template: string;
  templatePath: string;
  pgie?: string;
  tracker?: string;
  sources: SequenceSource[];
  kittiDir: string;
  /** The run sees its pinned GPU as device 0 (CUDA_VISIBLE_DEVICES or a container device request). */
  pinnedGpu: boolean;
}

export interface AppConfig {
  text: string;
  /** Stream i of the KITTI dump is `streams[i]`. */
  streams: KittiStream[];
}

/** Path values may be `;`-lists (ll-config-file with sub-batches). */
function makePathsAbsolute(config: KeyFile, base: string): void {
  for (const group of config.groupNames()) {
    for (const [key, value] of config.entries(group)) {
      if (!PATH_KEYS.has(key)) continue;
      const items = value
        .split(';')
        .map((item) => (item === '' || isAbsolute(item) ? item : resolve(base, item)));
      config.set(group, key, items.join(';'));
    }
  }
}

function requireKey(config: KeyFile, group: string, key: string, templatePath: string, hint: string): void {
  if (config.get(group, key) === undefined) {
    throw new InputError(`${templatePath}: [${group}] has no ${key}, and the study renders none (${hint})`);
  }
}

/** Streammux size: the sequences' common size, else the template's (1920×1080 if it has none). */
function muxSize(config: KeyFile, sources: SequenceSource[]): { width: number; height: number } {
  const common = commonSize(sources);
  if (common) return common;
  return {
    width: Number(config.get('streammux', 'width') ?? 1920),
    height: Number(config.get('streammux', 'height') ?? 1080),
  };
}

export function generateAppConfig(input: AppConfigInput): AppConfig {
  const { sources, templatePath } = input;
  if (sources.length === 0) throw new InputError('deepstream: no sequences to play');
  const config = KeyFile.parse(input.template, templatePath);
  makePathsAbsolute(config, dirname(templatePath));

  // Sources: one per sequence, in seqmap order (stream i = sequence i), with the template's settings.
  const sourceGroups = config.groupNames().filter((name) => SOURCE_GROUP.test(name));
  const sourceSettings =
    sourceGroups.length > 0
      ? config.entries(sourceGroups[0] as string).filter(([key]) => !SOURCE_OWN_KEYS.has(key))
      : [];
  for (const name of [...sourceGroups, 'source-list', 'source-attr-all']) config.removeGroup(name);
  sources.forEach((source, index) => {
    const group = `source${index}`;
    config.set(group, 'enable', 1);
    config.set(group, 'type', 3);
    config.set(group, 'uri', `file://${source.video}`);
    config.set(group, 'num-sources', 1);
    for (const [key, value] of sourceSettings) config.set(group, key, value);
  });

  // Batch every stream at one size; boxes are scaled back to each sequence's own size.
  const size = muxSize(config, sources);
  config.set('streammux', 'batch-size', sources.length);
  config.set('streammux', 'live-source', 0);
  config.set('streammux', 'width', size.width);
  config.set('streammux', 'height', size.height);
  const streams = sources.map((source) => ({
    name: source.name,
    scale: source.size
      ? { x: source.size.width / size.width, y: source.size.height / size.height }
      : { x: 1, y: 1 },
  }));
  // Plain stretching keeps that scaling exact; padding would shift boxes.
  if (streams.some((s) => s.scale.x !== 1 || s.scale.y !== 1)) config.set('streammux', 'enable-padding', 0);

  config.set('primary-gie', 'enable', 1);
  if (input.pgie) config.set('primary-gie', 'config-file', input.pgie);
  requireKey(config, 'primary-gie', 'config-file', templatePath, 'set Init.Exec.pgiePath');
  config.set('tracker', 'enable', 1);
  if (input.tracker) config.set('tracker', 'll-config-file', input.tracker);
  requireKey(config, 'tracker', 'll-config-file', templatePath, 'set Init.Exec.trackerPath');
  if (config.get('tracker', 'll-lib-file') === undefined) config.set('tracker', 'll-lib-file', NVMOT_LIB);

  config.set('application', 'kitti-track-output-dir', input.kittiDir);
  // The trial's fps comes from the **PERF: lines (docs/throughput.md); the template's interval is kept.
  config.set('application', 'enable-perf-measurement', 1);
  config.set('tests', 'file-loop', 0);
  if (config.has('osd')) config.set('osd', 'enable', 0);

  // Headless: fakesinks replace the template's sinks. Without the tiler every stream needs its own sink.
  for (const name of config.groupNames().filter((n) => SINK_GROUP.test(n))) config.removeGroup(name);
  const tiled = config.get('tiled-display', 'enable') === '1';
  for (let i = 0; i < (tiled ? 1 : sources.length); i++) {
    config.set(`sink${i}`, 'enable', 1);
    config.set(`sink${i}`, 'type', 1);
    config.set(`sink${i}`, 'sync', 0);
    if (!tiled) config.set(`sink${i}`, 'source-id', i);
  }

  if (input.pinnedGpu) {
    for (const group of config.groupNames()) {
      for (const [key] of config.entries(group)) if (key === 'gpu-id') config.set(group, key, 0);
    }
  }
  return { text: config.toString(), streams };
}
