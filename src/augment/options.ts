/**
 * The augmenter's options, one schema for the CLI flags and a study's `Init.Exec.augmentation` block,
 * with their defaults (PipeTuner's: one white pole in the middle, labels unchanged).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { inputError } from '../errors.js';
import type { AugmentOptions } from './dataset.js';
import { DETECTION_DEFAULTS } from './detections.js';
import { LABEL_DEFAULTS, LABEL_POLICIES } from './labels.js';
import { OCCLUDER_DEFAULTS, type Occluder } from './occluders.js';

const share = z.number().min(0).max(1);
const positiveShare = z.number().gt(0).max(1);
const count = z.number().int().min(0).max(1000);
const seconds = z.number().gt(0).max(3600);

export const augmentationSchema = z.strictObject({
  seed: z.number().int().min(0).default(1),
  poles: count.default(OCCLUDER_DEFAULTS.poles),
  poleWidth: positiveShare.default(OCCLUDER_DEFAULTS.poleWidth),
  poleAt: z.array(share).nullable().default(null),
  boxes: count.default(OCCLUDER_DEFAULTS.boxes),
  boxSeconds: seconds.default(OCCLUDER_DEFAULTS.boxSeconds),
  movers: count.default(OCCLUDER_DEFAULTS.movers),
  moverWidth: positiveShare.default(OCCLUDER_DEFAULTS.moverWidth),
  moverSeconds: seconds.default(OCCLUDER_DEFAULTS.moverSeconds),
  freezes: count.default(OCCLUDER_DEFAULTS.freezes),
  freezeFrames: z.number().int().min(1).default(OCCLUDER_DEFAULTS.freezeFrames),
  drop: share.default(DETECTION_DEFAULTS.drop),
  jitter: share.default(DETECTION_DEFAULTS.jitter),
  dropAbove: positiveShare.default(DETECTION_DEFAULTS.dropAbove),
  labelPolicy: z.enum(LABEL_POLICIES).default(LABEL_DEFAULTS.labelPolicy),
  ignoreAbove: positiveShare.default(LABEL_DEFAULTS.ignoreAbove),
  /** A JSON file with an array of occluders in pixels (see docs/augmentation.md), added to every sequence. */
  occluders: z.string().min(1).optional(),
});

export type AugmentationSettings = z.output<typeof augmentationSchema>;

const rect = { left: z.number(), top: z.number(), width: z.number(), height: z.number() };
const span = { from: z.number(), to: z.number() };
const occluderSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.enum(['pole', 'box']),
    ...rect,
    ...span,
    color: z
      .string()
      .regex(/^[a-z]+$|^0x[0-9a-f]{6}$/i)
      .default('white'),
  }),
  z.strictObject({
    kind: z.literal('mover'),
    x0: z.number(),
    top: z.number(),
    width: z.number(),
    height: z.number(),
    speed: z.number(),
    ...span,
    color: z
      .string()
      .regex(/^[a-z]+$|^0x[0-9a-f]{6}$/i)
      .default('gray'),
  }),
  z.strictObject({ kind: z.literal('freeze'), ...span }),
]);

/** Explicit occluders of a JSON file (their fit to each sequence's frame is checked per sequence). */
export function readOccluderFile(file: string): Occluder[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw inputError(file, undefined, `expected a JSON array of occluders: ${(err as Error).message}`);
  }
  const parsed = z.array(occluderSchema).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [index, ...key] = issue.path;
    const where =
      typeof index === 'number' ? `occluder ${index + 1}${key.length ? ` ${key.join('.')}` : ''}: ` : '';
    throw inputError(
      file,
      undefined,
      `${where}${issue.message}; expected occluders like {"kind":"box","left":0,"top":0,"width":50,"height":80,"from":1,"to":30}`,
    );
  }
  return parsed.data as Occluder[];
}

/** The options `augmentDataset` takes, with `occluders` (relative to `root`) read. */
export function resolveAugmentation(
  settings: AugmentationSettings,
  occludersFile: string | null,
): AugmentOptions {
  const { occluders: _file, ...rest } = settings;
  return { ...rest, extra: occludersFile ? readOccluderFile(occludersFile) : [], extraFile: occludersFile };
}
