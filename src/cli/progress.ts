import { formatScore } from '../results/format.js';
import type { StudyStatus } from '../study/types.js';

/** `00:07:09` (hours may exceed 24: studies run for days). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/** A score in points, as `pipetune results` and PipeTuner print it (`52.883`); `-` when there is none. */
export function formatOptionalScore(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : formatScore(value);
}

/** PipeTuner-like progress line: `progress: 25% (1/4) ETA 00:07:09 | best HOTA 65.120 (trial 3) | …`. */
export function formatProgress(status: StudyStatus): string {
  const percent = status.trialsTotal > 0 ? Math.floor((100 * status.trialsDone) / status.trialsTotal) : 0;
  const eta = status.etaMs === null ? 'ETA --:--:--' : `ETA ${formatDuration(status.etaMs)}`;
  const best = status.best
    ? `best ${status.metric} ${formatScore(status.best.score)} (trial ${status.best.trial})`
    : `best ${status.metric} -`;
  const baseline = status.baselineScore !== null ? ` | baseline ${formatScore(status.baselineScore)}` : '';
  const optimizers = status.optimizers.map((o) => `${o.label} ${o.done}/${o.total}`).join(' ');
  const pruned = status.pruned === undefined ? '' : ` | pruned ${status.pruned}`;
  const infeasible = status.infeasible === undefined ? '' : ` | infeasible ${status.infeasible}`;
  const pareto = status.pareto === undefined ? '' : ` | Pareto set ${status.pareto.length}`;
  const state =
    status.state === 'running'
      ? ''
      : ` [${status.state}${status.holdReason ? `: ${status.holdReason}` : ''}]`;
  // Held-out runs are counted in the progress but are not trials of the search (the summary lists them apart).
  const heldOut = status.heldOutRuns ? ` incl. ${status.heldOutRuns} held-out` : '';
  return `progress: ${percent}% (${status.trialsDone}/${status.trialsTotal}${heldOut}) ${eta} | ${best}${baseline}${pruned}${infeasible}${pareto} | ${optimizers}${state}`;
}

/** Multi-line status for `pipetune status`. */
export function formatStatus(status: StudyStatus): string {
  const lines = [
    `study ${status.name}: ${status.state}`,
    formatProgress(status),
    `running trials: ${status.running}; failed runs: ${status.appFails}; zero scores: ${status.zeroScores}`,
    ...status.optimizers.map(
      (o) =>
        `  ${o.label.padEnd(12)} ${o.name.padEnd(10)} ${String(o.done).padStart(4)}/${o.total}  best ${formatOptionalScore(o.best)}`,
    ),
    `output: ${status.outputDir}`,
  ];
  if (status.failure) lines.push(`failure: ${status.failure}`);
  return lines.join('\n');
}

/** What the server itself records of a study (search attributes), for when no worker answers the query. */
export interface ServerStatus {
  name: string;
  workflowStatus: string;
  state: string | null;
  trialsDone: number;
  /** A fraction like the stored scores (`--json` keeps it so); printed in points. */
  best: number | null;
  outputDir: string;
  note: string;
}

/** `pipetune status` without a worker to answer. */
export function formatServerStatus(s: ServerStatus): string {
  return (
    `study ${s.name}: workflow ${s.workflowStatus}, ${s.state ?? 'unknown'}; ${s.trialsDone} trials done; ` +
    `best ${formatOptionalScore(s.best)}\noutput: ${s.outputDir}\n(${s.note})\n`
  );
}

/** One study as `list` shows it; `best` is a fraction like the stored scores (`--json` keeps it so). */
export interface StudyRow {
  study: string;
  workflow: string;
  status: string;
  state: string;
  trials: number;
  best: number | null;
  started: string;
}

/** The `list` table, scores in points like every other score the CLI prints. */
export function formatStudyTable(rows: readonly StudyRow[]): string {
  if (rows.length === 0) return 'no studies\n';
  const header = ['study', 'workflow status', 'state', 'trials', 'best', 'started'];
  const table = rows.map((r) => [
    r.study,
    r.status,
    r.state,
    String(r.trials),
    formatOptionalScore(r.best),
    r.started,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  return [header, ...table]
    .map((row) => `${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}\n`)
    .join('');
}
