import type { Dimension } from '../../space/types.js';
import type { StudyAnalysis } from '../analysis.js';
import { FAILED_COLOUR, PALETTE, points, shortName, title, type View } from './types.js';

const SLICES = 4;

/**
 * Score against the value of each of the most important parameters, one panel each: the shape of the
 * good region along that parameter (the best config marked in red).
 */
export function slicesView(a: StudyAnalysis): View | undefined {
  const scored = a.trials.filter((t) => t.score !== null);
  const names = (
    a.importance.length ? a.importance.map((p) => p.name) : a.dimensions.map((d) => d.name)
  ).slice(0, SLICES);
  const dims = names
    .map((n) => a.dimensions.find((d) => d.name === n))
    .filter((d): d is Dimension => d !== undefined);
  if (scored.length < 2 || dims.length === 0) return undefined;
  const columns = Math.min(2, dims.length);
  const rows = Math.ceil(dims.length / columns);
  const best = a.summary.best?.record.trial;
  const cell = (i: number) => ({
    left: `${6 + (i % columns) * (94 / columns)}%`,
    width: `${94 / columns - 8}%`,
    top: 60 + Math.floor(i / columns) * 250 + 30,
    height: 170,
  });
  const xAxis = dims.map((d, i) =>
    d.kind === 'choice'
      ? {
          gridIndex: i,
          type: 'category',
          data: d.choices.map(String),
          name: shortName(d.name),
          nameLocation: 'middle',
          nameGap: 28,
        }
      : {
          gridIndex: i,
          type: d.log ? 'log' : 'value',
          min: d.low,
          max: d.high,
          name: shortName(d.name),
          nameLocation: 'middle',
          nameGap: 28,
        },
  );
  const value = (d: Dimension, v: unknown) => (d.kind === 'choice' ? String(v) : Number(v));
  return {
    id: 'slices',
    title: 'Slices of the most important parameters',
    caption: `${a.metric} of every scored trial against the value of one parameter, for the ${dims.length} most important; the best configuration in red. A rising or falling cloud says which way to go, a peak where the optimum lies.`,
    size: { width: 1000, height: 70 + rows * 250 },
    option: {
      title: title('Slices', `${a.metric} against each of the ${dims.length} most important parameters`),
      grid: dims.map((_, i) => cell(i)),
      xAxis,
      yAxis: dims.map((_, i) => ({ gridIndex: i, type: 'value', scale: true, name: a.metric })),
      series: dims.flatMap((d, i) => [
        {
          type: 'scatter',
          xAxisIndex: i,
          yAxisIndex: i,
          symbolSize: 6,
          itemStyle: { color: PALETTE[0], opacity: 0.6 },
          data: scored
            .filter((t) => t.trial !== best)
            .map((t) => [value(d, t.params[d.name]), points(t.score!)]),
        },
        {
          type: 'scatter',
          xAxisIndex: i,
          yAxisIndex: i,
          symbolSize: 12,
          itemStyle: { color: FAILED_COLOUR },
          data: scored
            .filter((t) => t.trial === best)
            .map((t) => [value(d, t.params[d.name]), points(t.score!)]),
        },
      ]),
    },
  };
}
