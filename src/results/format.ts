/** Scores are fractions; people read them in points, as PipeTuner prints them ("HOTA: 44.942"). */
export function formatScore(value: number): string {
  return (value * 100).toFixed(3);
}

/** A signed difference in points: `+4.842`. */
export function formatDelta(value: number): string {
  return `${value >= 0 ? '+' : '-'}${Math.abs(value * 100).toFixed(3)}`;
}

/** A signed ratio as a percentage: `+12.1 %`. */
export function formatRelative(value: number): string {
  return `${value >= 0 ? '+' : '-'}${Math.abs(value * 100).toFixed(1)} %`;
}
