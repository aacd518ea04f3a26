/**
 * Ground truth under the occluders (pure). `keep` (PipeTuner's policy) copies it unchanged: a target
 * hidden behind a pole is still demanded, so a tracker that coasts through the gap scores. `ignore`
 * marks boxes covered at least `ignoreAbove` as class 8 (distractor): MOT16/17/20 evaluation then
 * deletes tracker boxes matched to them and does not demand them, so the score measures only whether
 * identities survive the gap. A zero flag would not do: a tracker box on a zero-marked target still
 * counts as a false positive. MOT15's 10-column files have no class column, and MOT15 evaluation has
 * no distractors, so they are rewritten in the 9-column MOT17 layout (class 1, or 8 when covered) and
 * must then be scored with benchmark MOT17, which gives the same scores as MOT15 where there are no
 * distractors.
 */
import { coverage } from './coverage.js';
import { type FrameSize, type Occluder, rectsAt } from './occluders.js';

export const LABEL_POLICIES = ['keep', 'ignore'] as const;
export type LabelPolicy = (typeof LABEL_POLICIES)[number];

export const DISTRACTOR_CLASS = 8;

export interface LabelOptions {
  labelPolicy: LabelPolicy;
  /** Covered share from which `ignore` marks a ground-truth box as a distractor. */
  ignoreAbove: number;
}

export const LABEL_DEFAULTS: LabelOptions = { labelPolicy: 'keep', ignoreAbove: 0.9 };

export interface LabelResult {
  text: string;
  /** Rows marked as distractors. */
  ignored: number;
  /** True when MOT15's 10 columns were rewritten as MOT17's 9. */
  mot17Layout: boolean;
}

/**
 * The `ignore` policy on the rows of gt.txt split into fields (`line` is 1-based, for messages);
 * `problem` reports a row that cannot be labelled. (`keep` is a plain copy of the file.)
 */
export function markHiddenAsDistractors(
  rows: readonly { fields: string[]; line: number }[],
  occluders: readonly Occluder[],
  size: FrameSize,
  ignoreAbove: number,
  problem: (line: number, reason: string) => Error,
): LabelResult {
  const mot15 = rows.length > 0 && rows[0]!.fields.length === 10;
  let ignored = 0;
  const out = rows.map(({ fields, line }) => {
    if (fields.length !== (mot15 ? 10 : 9))
      throw problem(
        line,
        `expected ${mot15 ? '10 columns (MOT15)' : '9 columns (frame,id,left,top,width,height,flag,class,visibility)'}, found ${fields.length}`,
      );
    const [l, t, w, h] = fields.slice(2, 6).map(Number) as [number, number, number, number];
    const rects = rectsAt(occluders, size.width, Number(fields[0]));
    const hidden = coverage({ left: l, top: t, width: w, height: h }, rects).covered >= ignoreAbove;
    if (hidden) ignored++;
    const head = fields.slice(0, 7);
    if (mot15) return [...head, hidden ? DISTRACTOR_CLASS : 1, 1].join(',');
    return hidden ? [...head, DISTRACTOR_CLASS, fields[8]].join(',') : fields.join(',');
  });
  return { text: out.length ? `${out.join('\n')}\n` : '', ignored, mot17Layout: mot15 };
}
