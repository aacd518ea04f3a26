import type { EChartsCoreOption } from 'echarts';
import type { ChartSize } from '../charts/render.js';

/** One chart of the results: its ECharts option and what the report says about it. */
export interface View {
  /** File name under results/plots/ (without extension) and the report's anchor. */
  id: string;
  title: string;
  /** One or two sentences under the chart: how to read it. */
  caption: string;
  option: EChartsCoreOption;
  size: ChartSize;
}

/** Colours of the optimizers in order of their first trial; the baseline is grey. */
export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#bcbd22',
  '#17becf',
];
export const BASELINE_COLOUR = '#969696';
export const FAILED_COLOUR = '#d62728';
export const PRUNED_COLOUR = '#ff9f1c';
export const INK = '#222222';

/** Scores are fractions; charts show points, as everything else does. */
export const points = (fraction: number) => Math.round(fraction * 100 * 1000) / 1000;

/** `PGIE.class-attrs-all.topk` → `class-attrs-all.topk`: the module is clear from the rest. */
export function shortName(name: string): string {
  const parts = name.split('.');
  return parts.length > 2 ? parts.slice(-2).join('.') : name;
}

export function title(text: string, subtext?: string) {
  return { text, ...(subtext ? { subtext } : {}), left: 16, top: 8, textStyle: { fontSize: 16 } };
}
