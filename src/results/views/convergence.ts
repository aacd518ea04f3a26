import type { AnalysedTrial, StudyAnalysis } from '../analysis.js';
import { formatScore } from '../format.js';
import {
  BASELINE_COLOUR,
  FAILED_COLOUR,
  INK,
  PALETTE,
  PRUNED_COLOUR,
  points,
  title,
  type View,
} from './types.js';

/** A 1, 2 or 5 times a power of ten at least `raw`. */
function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
}

/** Running best of the scored trials, as [trial, best] points of a step line. */
export function bestSoFar(trials: readonly AnalysedTrial[], minimize: boolean): Array<[number, number]> {
  const steps: Array<[number, number]> = [];
  let best: number | undefined;
  for (const t of trials) {
    if (t.score === null) continue;
    if (best === undefined || (minimize ? t.score < best : t.score > best)) best = t.score;
    steps.push([t.trial, points(best)]);
  }
  return steps;
}

/**
 * Every trial's score against its trial number, one colour per optimizer, with each optimizer's
 * best-so-far (thin) and the study's (thick), the baseline as a dashed line, failed and pruned trials
 * marked on the bottom edge.
 */
export function convergenceView(a: StudyAnalysis): View {
  const optimizers = [...new Set(a.trials.map((t) => t.optimizer))];
  let next = 0;
  const colour = new Map(
    optimizers.map((o) => [o, o === 'baseline' ? BASELINE_COLOUR : PALETTE[next++ % PALETTE.length]!]),
  );
  const scores = a.trials.flatMap((t) => (t.score === null ? [] : [points(t.score)]));
  const baseline = a.summary.baseline && points(a.summary.baseline.mean);
  const all = baseline === undefined ? scores : [...scores, baseline];
  const low = all.length ? Math.min(...all) : 0;
  const high = all.length ? Math.max(...all) : 100;
  // Axis ends on whole ticks of a 1-2-5 step, the bottom one a little below the data for the failure marks.
  const step = niceStep(Math.max(high - low, 1) / 6);
  const bottom = Math.floor((low - step / 2) / step) * step;
  const top = Math.ceil((high + step / 4) / step) * step;
  const series: object[] = [];
  for (const o of optimizers) {
    const own = a.trials.filter((t) => t.optimizer === o);
    series.push({
      name: o,
      type: 'scatter',
      symbolSize: 7,
      itemStyle: { color: colour.get(o) },
      data: own.flatMap((t) => (t.score === null ? [] : [[t.trial, points(t.score)]])),
    });
    if (o !== 'baseline')
      series.push({
        name: o,
        type: 'line',
        step: 'end',
        symbol: 'none',
        lineStyle: { width: 1, color: colour.get(o) },
        data: bestSoFar(own, a.minimize),
      });
  }
  series.push({
    name: 'best so far',
    type: 'line',
    step: 'end',
    symbol: 'none',
    lineStyle: { width: 3, color: INK },
    itemStyle: { color: INK },
    data: bestSoFar(a.trials, a.minimize),
    ...(baseline === undefined
      ? {}
      : {
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { type: 'dashed', color: BASELINE_COLOUR, width: 2 },
            label: { formatter: `baseline ${baseline.toFixed(3)}`, position: 'insideEndTop', color: '#555' },
            data: [{ yAxis: baseline }],
          },
        }),
  });
  for (const [status, name, symbol, color] of [
    ['failed', 'failed', 'triangle', FAILED_COLOUR],
    ['pruned', 'pruned', 'diamond', PRUNED_COLOUR],
  ] as const) {
    const marked = a.trials.filter((t) => t.status === status);
    if (marked.length)
      series.push({
        name: `${name} (${marked.length})`,
        type: 'scatter',
        symbol,
        symbolSize: 9,
        itemStyle: { color },
        data: marked.map((t) => [t.trial, bottom]),
      });
  }
  const best = a.summary.best;
  const subtitle = best
    ? `best ${formatScore(best.mean)} at trial ${best.record.trial} (${best.record.optimizer})${a.summary.baseline ? ` · baseline ${formatScore(a.summary.baseline.mean)}` : ''}`
    : 'no successful trial yet';
  return {
    id: 'convergence',
    title: 'Convergence',
    caption: `${a.metric} of every trial by trial number, coloured by the optimizer that proposed it; thin steps are each optimizer's best so far, the thick black step the study's; the dashed line is the baseline (your original config). Failed trials are red triangles on the bottom edge.`,
    size: { width: 1000, height: 480 },
    option: {
      title: title(`${a.metric} vs trial · ${a.name}`, subtitle),
      legend: { top: 10, right: 16 },
      grid: { left: 64, right: 32, top: 80, bottom: 56 },
      xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 30, min: 0, minInterval: 1 },
      yAxis: { type: 'value', name: a.metric, min: bottom, max: top, interval: step },
      series,
    },
  };
}
