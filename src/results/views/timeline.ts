import type { StudyAnalysis } from '../analysis.js';
import { FAILED_COLOUR, PALETTE, PRUNED_COLOUR, title, type View } from './types.js';

const UNRECORDED = 'worker not recorded';
const COLOURS = { ok: PALETTE[0]!, failed: FAILED_COLOUR, pruned: PRUNED_COLOUR };

interface RenderApi {
  value(dim: number): number;
  coord(point: [number, number]): [number, number];
  size(value: [number, number]): [number, number];
  visual(key: 'color'): string;
}

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
      xAxis: { type: 'value', name: 'minutes', nameLocation: 'middle', nameGap: 28, min: 0 },
      yAxis: { type: 'category', data: lanes },
      series: [
        {
          type: 'custom',
          encode: { x: [1, 2], y: 0 },
          data: timed.map((t) => ({
            value: [
              lanes.indexOf(t.worker ?? UNRECORDED),
              minutes(t.startedAt),
              minutes(t.finishedAt),
              t.trial,
            ],
            itemStyle: { color: COLOURS[t.status] },
          })),
          renderItem: (_params: unknown, api: RenderApi) => {
            const lane = api.value(0);
            const [x0, y] = api.coord([api.value(1), lane]);
            const [x1] = api.coord([api.value(2), lane]);
            const height = api.size([0, 1])[1] * 0.6;
            return {
              type: 'rect',
              shape: { x: x0, y: y - height / 2, width: Math.max(1, x1 - x0), height },
              style: { fill: api.visual('color'), stroke: '#ffffff', lineWidth: 0.5 },
            };
          },
        },
      ],
    },
  };
}
