/** What the study shows outside the workflow: search attributes, and the Markdown "current details" of the Temporal UI. */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { STUDY_BEST, STUDY_NAME, STUDY_STATUS, STUDY_TRIALS } from '../study/searchAttributes.js';
import type { StudyControl } from './studyControl.js';

/** Scores stay fractions here, as in queries and results (points are for people). */
export function searchAttributes(control: StudyControl): SearchAttributeUpdatePair[] {
  return [
    ...(control.name ? [{ key: STUDY_NAME, value: control.name }] : []),
    { key: STUDY_STATUS, value: control.state() },
    { key: STUDY_TRIALS, value: control.trialsDone },
    ...(control.best ? [{ key: STUDY_BEST, value: control.best.score }] : []),
  ];
}

const points = (fraction: number) => (fraction * 100).toFixed(3);

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m ${String(s % 60).padStart(2, '0')}s`;
}

/** `**running** · 12/31 trials · best HOTA 52.3 (trial 9) · ETA 0h 01m 10s`, then a line per optimizer. */
export function currentDetails(control: StudyControl, nowMs: number, running: number): string {
  const s = control.status(nowMs, running);
  const best = s.best
    ? `best ${s.metric} ${points(s.best.score)} (trial ${s.best.trial})`
    : `best ${s.metric || 'score'} –`;
  const head = [
    `**${s.state}**`,
    `${s.trialsDone}/${s.trialsTotal} trials`,
    `${running} running`,
    best,
    ...(s.baselineScore !== null ? [`baseline ${points(s.baselineScore)}`] : []),
    ...(s.pruned !== undefined ? [`${s.pruned} pruned`] : []),
    ...(s.etaMs !== null ? [`ETA ${duration(s.etaMs)}`] : []),
  ].join(' · ');
  const rows = s.optimizers.map(
    (o) => `- ${o.label} (${o.name}): ${o.done}/${o.total}, best ${o.best === null ? '–' : points(o.best)}`,
  );
  const notes = [
    ...(s.holdReason ? [`\n**paused by the study:** ${s.holdReason}`] : []),
    ...(s.failure ? [`\n**failure:** ${s.failure}`] : []),
  ];
  return [head, ...rows, ...notes].join('\n');
}
