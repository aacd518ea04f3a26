/**
 * Where a study's orchestration time goes, read from its workflow history: for each activity type the
 * median wait from scheduled to started (dispatch: matching, polling, or none when eager) and from started
 * to completed (the activity's own run, its result's trip back included); for workflow tasks the same.
 */
import type { temporal } from '@temporalio/proto';
import proto from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
// The package is CommonJS: its namespace comes through the default export at run time.
const EventType = proto.temporal.api.enums.v1.EventType;

export interface PhaseTimes {
  name: string;
  count: number;
  /** Medians in ms. */
  dispatchMs: number;
  runMs: number;
}

const ms = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
const id = (value: unknown) => Number(value ?? 0);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export function historyBreakdown(events: readonly HistoryEvent[]): PhaseTimes[] {
  const byId = new Map(events.map((e) => [id(e.eventId), e]));
  const phases = new Map<string, { dispatch: number[]; run: number[] }>();
  const add = (name: string, scheduled: HistoryEvent, started: HistoryEvent, done: HistoryEvent) => {
    const phase = phases.get(name) ?? { dispatch: [], run: [] };
    phase.dispatch.push(ms(started) - ms(scheduled));
    phase.run.push(ms(done) - ms(started));
    phases.set(name, phase);
  };
  for (const e of events) {
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
      const a = e.activityTaskCompletedEventAttributes!;
      const scheduled = byId.get(id(a.scheduledEventId));
      const started = byId.get(id(a.startedEventId));
      const name = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name;
      if (scheduled && started && name) add(`activity ${name}`, scheduled, started, e);
    } else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      const a = e.workflowTaskCompletedEventAttributes!;
      const scheduled = byId.get(id(a.scheduledEventId));
      const started = byId.get(id(a.startedEventId));
      if (scheduled && started) add('workflow task', scheduled, started, e);
    }
  }
  return [...phases].map(([name, p]) => ({
    name,
    count: p.dispatch.length,
    dispatchMs: median(p.dispatch),
    runMs: median(p.run),
  }));
}

export function formatBreakdown(phases: readonly PhaseTimes[]): string {
  const rows = phases.map(
    (p) => `  | ${p.name} | ${p.count} | ${p.dispatchMs.toFixed(1)} | ${p.runMs.toFixed(1)} |`,
  );
  return [
    '  | phase | count | scheduled → started (ms) | started → completed (ms) |',
    '  |---|---|---|---|',
    ...rows,
  ].join('\n');
}
