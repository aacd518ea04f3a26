/**
 * Study objectives over per-sequence scores. `combined` is TrackEval's combined metric (every
 * sequence's matches pooled, so long, crowded sequences weigh most); the others treat each sequence as
 * one sample, so a config that wins big on one sequence and loses on the rest does not win:
 * `sequence-mean` is the mean of per-sequence scores, `sequence-min` the worst sequence's score.
 */
export const OBJECTIVES = ['combined', 'sequence-mean', 'sequence-min'] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** The objective's value; `combined` is passed in as TrackEval computed it. */
export function objectiveValue(
  objective: Objective,
  combined: number,
  perSequence: readonly number[],
): number {
  if (objective === 'combined' || perSequence.length === 0) return combined;
  if (objective === 'sequence-min') return Math.min(...perSequence);
  return perSequence.reduce((a, b) => a + b, 0) / perSequence.length;
}
