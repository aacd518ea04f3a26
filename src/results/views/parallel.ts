import type { Dimension } from '../../space/types.js';
import type { StudyAnalysis } from '../analysis.js';
import { paramsKey } from '../ranking.js';
import { points, title, type View } from './types.js';

/** Axes: the most important parameters (all of them when there are few), then the score. */
const MAX_AXES = 8;

function axisFor(dim: Dimension, index: number) {
  // The key alone: axis names sit side by side over ~110 px each.
  const name = dim.name.split('.').at(-1)!;
  if (dim.kind === 'choice') return { dim: index, name, type: 'category', data: dim.choices.map(String) };
  return { dim: index, name, type: dim.log ? 'log' : 'value', min: dim.low, max: dim.high };
}

/**
 * Every scored trial as a line across the parameter axes and the score axis, coloured by score; the
 * top configurations drawn bold on top.
 */
export function parallelView(a: StudyAnalysis): View | undefined {
  const scored = a.trials.filter((t) => t.score !== null);
  if (scored.length < 2 || a.dimensions.length === 0) return undefined;
  const order = a.importance.length ? a.importance.map((p) => p.name) : a.dimensions.map((d) => d.name);
  const dims = order
    .slice(0, MAX_AXES)
    .map((name) => a.dimensions.find((d) => d.name === name))
    .filter((d): d is Dimension => d !== undefined);
  const row = (t: (typeof scored)[number]) => [
    ...dims.map((d) => (d.kind === 'choice' ? String(t.params[d.name]) : Number(t.params[d.name]))),
    points(t.score!),
  ];
  const topKeys = new Set(a.top.map((c) => paramsKey(c.record.params)));
  const isTop = (t: (typeof scored)[number]) => topKeys.has(paramsKey(t.params));
  const values = scored.map((t) => points(t.score!));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return {
    id: 'parallel',
    title: 'Parallel coordinates',
    caption: `Each line is a trial: its value on each parameter axis (the ${dims.length} most important, left to right) and its ${a.metric} on the last axis, coloured by ${a.metric}. The ${a.top.length} best configurations are drawn bold: where their lines bunch up is the good region.`,
    size: { width: 1000, height: 460 },
    option: {
      title: title('Parallel coordinates', `${scored.length} scored trials, top ${a.top.length} bold`),
      parallel: {
        left: 60,
        right: 110,
        top: 100,
        bottom: 40,
        parallelAxisDefault: {
          nameTextStyle: { fontSize: 11 },
          nameTruncate: { maxWidth: 120 },
          nameGap: 12,
        },
      },
      parallelAxis: [
        ...dims.map(axisFor),
        { dim: dims.length, name: a.metric, type: 'value', min: Math.floor(lo), max: Math.ceil(hi) },
      ],
      visualMap: {
        type: 'continuous',
        dimension: dims.length,
        min: Math.floor(lo),
        max: Math.ceil(hi) === Math.floor(lo) ? Math.floor(lo) + 1 : Math.ceil(hi),
        right: 10,
        top: 90,
        itemHeight: 260,
        text: [a.metric, ''],
        inRange: { color: ['#cfd8e3', '#8fb3d9', '#3b75b9', '#0b2e6b'] },
      },
      series: [
        {
          name: 'trials',
          type: 'parallel',
          lineStyle: { width: 1, opacity: 0.35 },
          data: scored.filter((t) => !isTop(t)).map(row),
        },
        {
          name: 'top configurations',
          type: 'parallel',
          lineStyle: { width: 3, opacity: 1 },
          data: scored.filter(isTop).map(row),
        },
      ],
    },
  };
}
