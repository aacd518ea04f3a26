import type { StudyAnalysis } from '../analysis.js';
import type { ParameterImportance } from '../importance.js';
import { PALETTE, shortName, title, type View } from './types.js';

/** How the report words a parameter's effect. */
export function effectText(p: ParameterImportance): string {
  if (p.direction === 'choice') return `best: ${String(p.bestChoice)}`;
  const [lo, hi] = p.topRange ?? [];
  const range =
    lo === undefined ? '' : ` (top trials ${Number(lo.toPrecision(4))}–${Number(hi!.toPrecision(4))})`;
  const word = { higher: 'higher is better', lower: 'lower is better', middle: 'best inside the range' }[
    p.direction
  ];
  return `${word}${range}`;
}

/** Importance of each parameter (PED-ANOVA share), most important on top, with its effect. */
export function importanceView(a: StudyAnalysis): View | undefined {
  if (a.importance.length === 0) return undefined;
  const rows = [...a.importance].reverse();
  return {
    id: 'importance',
    title: 'Parameter importance',
    caption:
      'PED-ANOVA: how differently each parameter is spread among the best 10 % of trials than among all trials, as a share of the total. Beside each bar, where the good values lie. It reads the trials the optimizers chose, so a parameter they never varied much can look less important than it is.',
    size: { width: 1000, height: Math.max(220, 90 + rows.length * 34) },
    option: {
      title: title(
        'Parameter importance',
        `${a.metric}, ${a.trials.filter((t) => t.score !== null).length} scored trials`,
      ),
      grid: { left: 300, right: 280, top: 70, bottom: 36 },
      xAxis: { type: 'value', name: 'share', max: 1, axisLabel: { formatter: '{value}' } },
      yAxis: {
        type: 'category',
        data: rows.map((p) => shortName(p.name)),
        axisLabel: { width: 280, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          // Labels are plain strings, so the option is JSON (the interactive report reuses it).
          data: rows.map((p) => ({
            value: Number(p.importance.toFixed(4)),
            label: {
              formatter: `${(p.importance * 100).toFixed(0)} % · ${effectText(p)}`.replace(/[{}]/g, ''),
            },
          })),
          itemStyle: { color: PALETTE[0] },
          label: { show: true, position: 'right' },
        },
      ],
    },
  };
}
