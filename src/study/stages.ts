/**
 * The stage schedule of a staged study: its sequences in a fixed order, cut into groups at growing shares
 * of the frames. Computed once per study (prepareStudy writes it to `stages.json`), so scores at a stage
 * are comparable across trials and a resumed study keeps its schedule. Pure.
 */
import { Rng } from '../space/sampling.js';

export const STAGE_ORDERS = ['shuffled', 'cheapest-first', 'seqmap'] as const;
export type StageOrder = (typeof STAGE_ORDERS)[number];

export interface SequenceCost {
  name: string;
  frames: number;
}

export interface Stage {
  /** The sequences this stage runs (not the earlier stages'). */
  sequences: string[];
  frames: number;
}

/** Growth of the share of frames from one stage to the next when only a count is given (ASHA's η). */
export const STAGE_GROWTH = 3;

/** `count` stages at shares 1/3^(count-1), …, 1/3, 1 of the frames. */
export function stageShares(count: number): number[] {
  return Array.from({ length: count }, (_, k) => STAGE_GROWTH ** -(count - 1 - k));
}

/** Order: `shuffled` by the study seed, `cheapest-first` by frames (then name), or as the seqmap lists them. */
export function orderSequences(
  sequences: readonly SequenceCost[],
  order: StageOrder,
  seed: number,
): SequenceCost[] {
  if (order === 'seqmap') return [...sequences];
  if (order === 'cheapest-first')
    return [...sequences].sort((a, b) => a.frames - b.frames || a.name.localeCompare(b.name));
  const shuffled = [...sequences];
  const rng = new Rng(seed);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled;
}

/**
 * Stage k ends at the first sequence where the cumulative frames reach shares[k] of the total, and the
 * last stage takes the rest. Every stage gets at least one sequence of its own, so with few sequences
 * there are fewer stages than shares.
 */
export function cutStages(ordered: readonly SequenceCost[], shares: readonly number[]): Stage[] {
  const total = ordered.reduce((sum, s) => sum + s.frames, 0);
  const stages: Stage[] = [];
  let current: Stage = { sequences: [], frames: 0 };
  let done = 0;
  for (const [i, sequence] of ordered.entries()) {
    current.sequences.push(sequence.name);
    current.frames += sequence.frames;
    done += sequence.frames;
    const isLast = i === ordered.length - 1;
    const share = shares[stages.length];
    if (isLast || (stages.length < shares.length - 1 && share !== undefined && done >= share * total)) {
      stages.push(current);
      current = { sequences: [], frames: 0 };
    }
  }
  return stages;
}

/** Sequences scored after each stage (cumulative counts). */
export function sequencesAfterStages(stages: readonly Stage[]): number[] {
  let n = 0;
  return stages.map((s) => (n += s.sequences.length));
}
