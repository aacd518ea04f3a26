import type { StudyAnalysis } from '../analysis.js';
import { points, title, type View } from './types.js';

/**
 * The best configs and the baseline × the sequences: each cell the config's score on that sequence,
 * coloured by its difference from the baseline there (blue: better, red: worse), so a config that wins
 * on average but loses a sequence shows it.
 */
export function sequencesView(a: StudyAnalysis): View | undefined {
  const ps = a.perSequence;
  if (!ps || ps.sequences.length === 0) return undefined;
  const baseline = ps.rows.find((r) => r.baseline);
  const sign = a.minimize ? -1 : 1;
  const rows = [...ps.rows].reverse(); // ECharts draws the first category at the bottom
  const data = rows.flatMap((row, y) =>
    row.scores.flatMap((score, x) => {
      if (score === null) return [];
      const reference = baseline?.scores[x];
      const delta = reference === null || reference === undefined ? 0 : sign * (score - reference);
      return [{ value: [x, y, points(delta)], label: { formatter: points(score).toFixed(1) } }];
    }),
  );
  const spread = Math.max(0.5, ...data.map((d) => Math.abs(d.value[2]!)));
  return {
    id: 'sequences',
    title: 'Per sequence',
    caption: baseline
      ? `${ps.metric} of the best configurations and the baseline on each sequence. Colour: difference from the baseline on that sequence, in points (blue better, red worse).`
      : `${ps.metric} of the best configurations on each sequence (the baseline has no per-sequence scores).`,
    size: { width: 1000, height: 140 + rows.length * 40 },
    option: {
      title: title(
        'Per-sequence scores',
        `${ps.metric} in points; colour = gain over the baseline on that sequence`,
      ),
      grid: { left: 180, right: 110, top: 70, bottom: 70 },
      xAxis: {
        type: 'category',
        data: ps.sequences,
        axisLabel: { rotate: ps.sequences.length > 6 ? 30 : 0 },
      },
      yAxis: { type: 'category', data: rows.map((r) => r.label) },
      visualMap: {
        type: 'continuous',
        min: -spread,
        max: spread,
        dimension: 2,
        right: 10,
        top: 70,
        itemHeight: 160,
        text: ['better', 'worse'],
        inRange: { color: ['#b2182b', '#f7f7f7', '#2166ac'] },
      },
      series: [
        {
          type: 'heatmap',
          data,
          label: { show: true },
        },
      ],
    },
  };
}
