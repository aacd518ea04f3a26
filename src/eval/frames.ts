import type { SequenceData } from './types.js';

/**
 * Sizes over a sequence's frames, so the metric passes allocate their buffers once: a buffer grown in
 * the middle of a pass is a branch V8 has no type feedback for, and it deoptimises the pass.
 */
export interface FrameSizes {
  /** Similarity cells over all frames. */
  cells: number;
  /** The largest frame's gt rows, tracker columns and cells. */
  rows: number;
  columns: number;
  largest: number;
}

export function frameSizes(data: SequenceData): FrameSizes {
  const sizes = { cells: 0, rows: 0, columns: 0, largest: 0 };
  for (let t = 0; t < data.numTimesteps; t++) {
    const cells = data.similarity[t]!.length;
    sizes.cells += cells;
    sizes.largest = Math.max(sizes.largest, cells);
    sizes.rows = Math.max(sizes.rows, data.gtIds[t]!.length);
    sizes.columns = Math.max(sizes.columns, data.trackerIds[t]!.length);
  }
  return sizes;
}

/** Pair slots a pass over the frames can create: one per positive cell, at most one per id pair. */
export const maxPairs = (data: SequenceData, { cells }: FrameSizes): number =>
  Math.max(1, Math.min(cells, data.numGtIds * data.numTrackerIds));
