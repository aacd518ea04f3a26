import type { StudyAnalysis } from '../analysis.js';
import { BASELINE_COLOUR, PALETTE, title, type View } from './types.js';

const round = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Two-objective studies: every complete feasible config by its two objective values, the Pareto set
 * joined as a staircase (the region it dominates lies behind it), the picked config ringed.
 */
export function paretoView(a: StudyAnalysis): View | undefined {
  const pareto = a.summary.pareto;
  if (!pareto || pareto.configs.length === 0) return undefined;
  const [x, y] = pareto.objectives as [(typeof pareto.objectives)[0], (typeof pareto.objectives)[0]];
  const onFront = new Set(pareto.points.map((p) => p.record.trial));
  const point = (p: (typeof pareto.configs)[number]) => ({
    value: [round(p.values[0]!), round(p.values[1]!)],
    name: `trial ${p.record.trial}`,
  });
  const staircase = [...pareto.points].sort((p, q) => p.values[0]! - q.values[0]!).map(point);
  const picked = a.summary.best && pareto.points.find((p) => p.record.trial === a.summary.best!.record.trial);
  return {
    id: 'pareto',
    title: 'Pareto front',
    caption: `Every complete feasible config by ${x.metric} (${x.goal}) and ${y.metric} (${y.goal}). The Pareto configs (joined) are those no other config beats on both; best/pareto/ holds each of them, best/ the ringed one. Hypervolume ${pareto.hypervolume.toFixed(3)} from (${pareto.reference.map((v) => v.toFixed(2)).join(', ')}).`,
    size: { width: 1000, height: 520 },
    option: {
      title: title('Pareto front', `${pareto.points.length} of ${pareto.configs.length} configs`),
      legend: { top: 10, right: 16 },
      grid: { left: 72, right: 32, top: 80, bottom: 64 },
      xAxis: { type: 'value', name: x.metric, nameLocation: 'middle', nameGap: 32, scale: true },
      yAxis: { type: 'value', name: y.metric, scale: true },
      tooltip: { trigger: 'item' },
      series: [
        {
          name: 'configs',
          type: 'scatter',
          symbolSize: 7,
          itemStyle: { color: BASELINE_COLOUR },
          data: pareto.configs.filter((c) => !onFront.has(c.record.trial)).map(point),
        },
        {
          name: 'Pareto set',
          type: 'line',
          // The boundary of the dominated region: it turns at the better-x end of each step.
          step: x.goal === 'max' ? 'start' : 'end',
          symbolSize: 9,
          itemStyle: { color: PALETTE[0] },
          data: staircase,
        },
        ...(picked
          ? [
              {
                name: 'best/ (picked)',
                type: 'scatter',
                symbolSize: 18,
                itemStyle: { color: 'transparent', borderColor: PALETTE[1], borderWidth: 3 },
                data: [point(picked)],
              },
            ]
          : []),
      ],
    },
  };
}
