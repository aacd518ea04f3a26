import type { StudyStatus } from '../study/types.js';

/** `00:07:09` (hours may exceed 24: studies run for days). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

const score = (value: number | null | undefined) =>
  value === null || value === undefined ? '-' : value.toFixed(4);

/** PipeTuner-like progress line: `progress: 25% (1/4) ETA 00:07:09 | best HOTA 0.6512 (trial 3) | …`. */
export function formatProgress(status: StudyStatus): string {
  const percent = status.trialsTotal > 0 ? Math.floor((100 * status.trialsDone) / status.trialsTotal) : 0;
  const eta = status.etaMs === null ? 'ETA --:--:--' : `ETA ${formatDuration(status.etaMs)}`;
  const best = status.best
    ? `best ${status.metric} ${score(status.best.score)} (trial ${status.best.trial})`
    : `best ${status.metric} -`;
  const baseline = status.baselineScore !== null ? ` | baseline ${score(status.baselineScore)}` : '';
  const optimizers = status.optimizers.map((o) => `${o.label} ${o.done}/${o.total}`).join(' ');
  const state = status.state === 'running' ? '' : ` [${status.state}]`;
  return `progress: ${percent}% (${status.trialsDone}/${status.trialsTotal}) ${eta} | ${best}${baseline} | ${optimizers}${state}`;
}

/** Multi-line status for `pipetune status`. */
export function formatStatus(status: StudyStatus): string {
  const lines = [
    `study ${status.name}: ${status.state}`,
    formatProgress(status),
    `running trials: ${status.running}; failed runs: ${status.appFails}; zero scores: ${status.zeroScores}`,
    ...status.optimizers.map(
      (o) =>
        `  ${o.label.padEnd(12)} ${o.name.padEnd(10)} ${String(o.done).padStart(4)}/${o.total}  best ${score(o.best)}`,
    ),
    `output: ${status.outputDir}`,
  ];
  if (status.failure) lines.push(`failure: ${status.failure}`);
  return lines.join('\n');
}
