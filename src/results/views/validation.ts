import type { StudyAnalysis } from '../analysis.js';
import { BASELINE_COLOUR, PALETTE, points, title, type View } from './types.js';

/** Tuning score beside held-out score for every validated config (`validationSeqmapPath`). */
export function validationView(a: StudyAnalysis): View | undefined {
  const configs = a.summary.validation?.configs.filter((c) => c.tuning || c.heldOut !== undefined) ?? [];
  if (configs.length === 0) return undefined;
  const shown = configs
    .flatMap((c) => [c.tuning?.mean, c.heldOut])
    .filter((v): v is number => v !== undefined);
  const label = (c: (typeof configs)[number]) =>
    c.baseline ? `baseline (trial ${c.trial})` : `#${c.rank ?? '?'} trial ${c.trial}`;
  return {
    id: 'validation',
    title: 'Held-out validation',
    caption: `Each validated configuration's ${a.metric} on the tuning sequences (mean over its runs) and on the held-out sequences no optimizer saw. A held-out bar well below its tuning bar means the config fits the tuning sequences more than the task.`,
    size: { width: 1000, height: 380 },
    option: {
      title: title('Held-out vs tuning score', a.metric),
      legend: { top: 10, right: 16 },
      grid: { left: 64, right: 32, top: 80, bottom: 56 },
      xAxis: { type: 'category', data: configs.map(label) },
      // Bars start a little below the lowest score, so the smallest bar still shows.
      yAxis: {
        type: 'value',
        name: a.metric,
        min: Math.max(0, Math.floor(points(Math.min(...shown))) - 2),
      },
      series: [
        {
          name: 'tuning',
          type: 'bar',
          itemStyle: { color: PALETTE[0] },
          label: { show: true, position: 'top' },
          data: configs.map((c) => (c.tuning ? points(c.tuning.mean) : null)),
        },
        {
          name: 'held-out',
          type: 'bar',
          itemStyle: { color: PALETTE[1] },
          label: { show: true, position: 'top' },
          data: configs.map((c) => (c.heldOut === undefined ? null : points(c.heldOut))),
        },
      ],
      color: [PALETTE[0], PALETTE[1], BASELINE_COLOUR],
    },
  };
}
