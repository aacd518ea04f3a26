import { resolve } from 'node:path';
import { augmentDataset } from '../../augment/dataset.js';
import { augmentationSchema, resolveAugmentation } from '../../augment/options.js';
import { InputError } from '../../errors.js';
import { parseCommandArgs } from '../args.js';
import { progressBar } from '../progressBar.js';

const USAGE = `usage: pipetune augment IN OUT [options]

Copies the dataset folder IN (PipeTuner's layout: <seq>.mp4 next to <seq>/ with seqinfo.ini, gt/gt.txt
and det/det.txt or proposals/) to OUT with artificial occlusion: occluders painted on every video
(ffmpeg; size, frame rate and frame count kept) and applied to every detection file as a detector would
see them. Same inputs and seed → byte-identical OUT. OUT/augment.json records every occluder.

occluders (sizes are fractions of the frame width, times in seconds):
  --poles N            static white full-height poles, evenly spread (default 1: PipeTuner's, in the middle)
  --pole-width F       pole width (default 0.04)
  --pole-at F,F…       pole centres instead of the even spread (0..1 of the width)
  --boxes N            random gray boxes, area 2–8 % of the frame, aspect 0.3–3.3 (default 0)
  --box-seconds S      how long each box stays (default 4)
  --movers N           gray full-height bars sliding right, wrapping around (default 0)
  --mover-width F      mover width (default 0.06)
  --mover-seconds S    seconds a mover takes to cross the frame (default 10)
  --freezes N          frozen stretches: the video repeats a frame, labels keep moving (default 0)
  --freeze-frames N    frames per frozen stretch (default 15)
  --occluders FILE     JSON array of occluders in pixels added to every sequence (see docs/augmentation.md)
detections:
  --drop P             share of detections dropped at random (default 0)
  --jitter S           centre jitter, standard deviation as a share of the box size (default 0)
  --drop-above F       drop a detection covered at least this much; cut less covered ones (default 0.5)
ground truth:
  --label-policy P     keep (default, PipeTuner's) | ignore: mark boxes covered at least --ignore-above
                       as distractors (class 8) that MOT16/17/20 evaluation neither demands nor penalises
  --ignore-above F     (default 0.9)
  --seed S             random seed (default 1)
  -h, --help           this text
`;

/** Flag → option key of the schema (which validates them all). */
const NUMBER_FLAGS = {
  seed: 'seed',
  poles: 'poles',
  'pole-width': 'poleWidth',
  boxes: 'boxes',
  'box-seconds': 'boxSeconds',
  movers: 'movers',
  'mover-width': 'moverWidth',
  'mover-seconds': 'moverSeconds',
  freezes: 'freezes',
  'freeze-frames': 'freezeFrames',
  drop: 'drop',
  jitter: 'jitter',
  'drop-above': 'dropAbove',
  'ignore-above': 'ignoreAbove',
} as const;

const OPTIONS = {
  ...Object.fromEntries(Object.keys(NUMBER_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
  'pole-at': { type: 'string' },
  occluders: { type: 'string' },
  'label-policy': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FLAG_OF = Object.fromEntries(Object.entries(NUMBER_FLAGS).map(([flag, key]) => [key, flag])) as Record<
  string,
  string
>;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('augment', argv, OPTIONS);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 2)
    throw new InputError('pipetune augment: expected IN and OUT folders (see pipetune augment --help)');
  const flags = values as Record<string, string | undefined>;
  const raw: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) {
    const value = flags[flag];
    if (value !== undefined) raw[key] = value.trim() === '' ? Number.NaN : Number(value);
  }
  if (flags['pole-at'] !== undefined) raw.poleAt = flags['pole-at'].split(',').map(Number);
  if (flags['label-policy'] !== undefined) raw.labelPolicy = flags['label-policy'];
  const parsed = augmentationSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    const flag = FLAG_OF[key] ?? { poleAt: 'pole-at', labelPolicy: 'label-policy' }[key] ?? key;
    throw new InputError(`--${flag}: ${issue.message} (got ${JSON.stringify(flags[flag])})`);
  }
  const options = resolveAugmentation(parsed.data, flags.occluders ? resolve(flags.occluders) : null);
  const bar = progressBar('augment');
  const records = await augmentDataset(positionals[0]!, positionals[1]!, options, bar.update);
  bar.done();
  const occluders = records.reduce((n, r) => n + r.occluders.length, 0);
  process.stdout.write(
    `augment: ${records.length} sequences, ${occluders} occluders → ${resolve(positionals[1]!)} (augment.json)\n`,
  );
  return 0;
}
