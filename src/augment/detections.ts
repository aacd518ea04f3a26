/**
 * Detections as a detector would report them on the augmented video (pure): per output frame, the rows
 * of the frame it shows (a frozen frame repeats its source's rows), each one
 *  - dropped at random (dropout, the share `drop`),
 *  - dropped when the occluders cover at least `dropAbove` of it,
 *  - otherwise cut to the bounding box of its uncovered part, its score scaled by the uncovered share,
 *  - and its centre jittered by N(0, jitter·(w, h)) (CenterTrack's `hm_disturb`).
 * Rows that nothing changed keep their text byte for byte.
 */
import type { Random } from '../synth/random.js';
import { coverage } from './coverage.js';
import { type FrameSize, type Occluder, rectsAt, shownFrame } from './occluders.js';

export interface DetectionOptions {
  /** Share of detections dropped at random. */
  drop: number;
  /** Centre jitter as a fraction of the box's width and height (standard deviation). */
  jitter: number;
  /** Covered share from which an occluded detection is dropped. */
  dropAbove: number;
}

export const DETECTION_DEFAULTS: DetectionOptions = { drop: 0, jitter: 0, dropAbove: 0.5 };

/** Where a file keeps the frame, the box (left, top, width, height) and the score. */
export interface RowLayout {
  box: number;
  score: number;
}

/** `proposals/proposals.txt` (frame,left,top,width,height,confidence,embedding-row). */
export const PROPOSALS_LAYOUT: RowLayout = { box: 1, score: 5 };
/** `det/det.txt` (frame,id,left,top,width,height,score[,x,y,z]). */
export const DET_LAYOUT: RowLayout = { box: 2, score: 6 };

export interface DetectionRow {
  fields: string[];
  frame: number;
}

export interface AugmentedRow {
  /** Index of the input row it comes from (det/emb.f32 rows follow it). */
  source: number;
  text: string;
}

export interface DetectionStats {
  input: number;
  output: number;
  droppedRandomly: number;
  droppedOccluded: number;
  cut: number;
  repeatedFrozen: number;
}

export function occludeDetections(
  rows: readonly DetectionRow[],
  layout: RowLayout,
  occluders: readonly Occluder[],
  size: FrameSize,
  options: DetectionOptions,
  random: Random,
): { rows: AugmentedRow[]; stats: DetectionStats } {
  const byFrame = new Map<number, number[]>();
  rows.forEach((r, i) => {
    const list = byFrame.get(r.frame);
    if (list) list.push(i);
    else byFrame.set(r.frame, [i]);
  });
  const dropout = random.fork('dropout');
  const jitter = random.fork('jitter');
  const stats: DetectionStats = {
    input: rows.length,
    output: 0,
    droppedRandomly: 0,
    droppedOccluded: 0,
    cut: 0,
    repeatedFrozen: 0,
  };
  const out: AugmentedRow[] = [];
  for (let frame = 1; frame <= size.frames; frame++) {
    const shown = shownFrame(occluders, frame);
    const rects = rectsAt(occluders, size.width, frame);
    for (const source of byFrame.get(shown) ?? []) {
      const fields = rows[source]!.fields.slice();
      if (options.drop > 0 && dropout.next() < options.drop) {
        stats.droppedRandomly++;
        continue;
      }
      const b = layout.box;
      let box = { left: +fields[b]!, top: +fields[b + 1]!, width: +fields[b + 2]!, height: +fields[b + 3]! };
      if (shown !== frame) {
        fields[0] = String(frame);
        stats.repeatedFrozen++;
      }
      let boxChanged = false;
      const seen = coverage(box, rects);
      if (seen.covered >= options.dropAbove || !seen.visible) {
        stats.droppedOccluded++;
        continue;
      }
      if (seen.covered > 0) {
        box = seen.visible;
        fields[layout.score] = (+fields[layout.score]! * (1 - seen.covered)).toFixed(4);
        stats.cut++;
        boxChanged = true;
      }
      if (options.jitter > 0) {
        box.left += jitter.gaussian(0, options.jitter * box.width);
        box.top += jitter.gaussian(0, options.jitter * box.height);
        boxChanged = true;
      }
      if (boxChanged) {
        fields[b] = box.left.toFixed(2);
        fields[b + 1] = box.top.toFixed(2);
        fields[b + 2] = box.width.toFixed(2);
        fields[b + 3] = box.height.toFixed(2);
      }
      out.push({ source, text: fields.join(',') });
    }
  }
  stats.output = out.length;
  return { rows: out, stats };
}
