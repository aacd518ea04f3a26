import type { StudyAnalysis } from '../analysis.js';
import { FAILED_COLOUR, PALETTE, PRUNED_COLOUR, title, type View } from './types.js';

const UNRECORDED = 'worker not recorded';
const COLOURS = { ok: PALETTE[0]!, failed: FAILED_COLOUR, pruned: PRUNED_COLOUR };

/**
 * When each trial ran, one lane per GPU worker: a bar from its start to its end (evaluation included),
 * blue when it scored, red when it failed, orange when it was pruned. Gaps are idle GPUs; long bars
 * stragglers.
 */
export function timelineView(a: StudyAnalysis): View | undefined {
  const timed = a.trials.filter(
    (t) => Number.isFinite(Date.parse(t.startedAt)) && Number.isFinite(Date.parse(t.finishedAt)),
  );
  if (timed.length === 0) return undefined;
  const lanes = [...new Set(timed.map((t) => t.worker ?? UNRECORDED))].sort();
  const t0 = Math.min(...timed.map((t) => Date.parse(t.startedAt)));
  const minutes = (iso: string) => (Date.parse(iso) - t0) / 60_000;
  const last = Math.max(...timed.map((t) => minutes(t.finishedAt)));
  const end = last > 0 ? Number((last * 1.02).toPrecision(2)) : 1;
  const counts = { ok: 0, failed: 0, pruned: 0 };
  for (const t of timed) counts[t.status]++;
  return {
    id: 'timeline',
    title: 'Timeline',
    caption: `When each trial ran, one lane per GPU worker, in minutes from the first trial's start: blue scored, red failed, orange pruned. Gaps are idle GPUs.${lanes.includes(UNRECORDED) ? ' Trials run before workers recorded their GPU sit in one lane.' : ''}`,
    size: { width: 1000, height: 120 + lanes.length * 44 },
    option: {
      title: title(
        'Trials per GPU worker',
        `${counts.ok} scored, ${counts.failed} failed, ${counts.pruned} pruned`,
      ),
      grid: { left: 180, right: 32, top: 70, bottom: 50 },
      // A lines series does not stretch the axis: its extent is set here.
      xAxis: { type: 'value', name: 'minutes', nameLocation: 'middle', nameGap: 28, min: 0, max: end },
      yAxis: { type: 'category', data: lanes },
      // Each trial a thick line segment on its lane: plain data, no render function, so the option is JSON.
      series: [
        {
          type: 'lines',
          coordinateSystem: 'cartesian2d',
          polyline: false,
          data: timed.map((t) => {
            const lane = t.worker ?? UNRECORDED;
            return {
              coords: [
                [minutes(t.startedAt), lane],
                [minutes(t.finishedAt), lane],
              ],
              lineStyle: {
                color: COLOURS[t.status],
                width: Math.max(6, Math.min(22, 200 / lanes.length)),
                opacity: 1,
              },
            };
          }),
        },
      ],
    },
  };
}
