import { basename } from 'node:path';
import type { StudyManifest, TrialRecord } from '../study/records.js';
import { writeFileAtomic } from './atomic.js';
import { formatScore } from './format.js';
import { resultsLayout } from './paths.js';
import { compareScores, type Ranking, rankingFor, scoreOf, tuningRecords } from './ranking.js';
import { Raster, type Rgb } from './raster.js';
import { summarizeStudy } from './summary.js';

const WIDTH = 1000;
const HEIGHT = 560;
const AREA = { left: 80, top: 72, right: WIDTH - 210, bottom: HEIGHT - 56 };

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [34, 34, 34];
const GRID: Rgb = [232, 232, 232];
const MUTED: Rgb = [128, 128, 128];
const FAILED: Rgb = [200, 40, 40];
/** Colour of the baseline's points; other optimizers take the palette in order of appearance. */
const BASELINE: Rgb = [150, 150, 150];
const PALETTE: Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [188, 189, 34],
  [23, 190, 207],
];

interface Axis {
  min: number;
  max: number;
  step: number;
}

/** A 1-2-5 step giving about `target` intervals over `range`. */
function niceStep(range: number, target: number): number {
  const raw = range / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
}

/**
 * Axis bounds with a little room around the data; `snap` widens them to whole ticks (the score axis),
 * otherwise the data keep the full width (the trial axis).
 */
function axisFor(lo: number, hi: number, target: number, { snap = true, minStep = 0 } = {}): Axis {
  const span = hi - lo || Math.max(Math.abs(hi) * 0.1, 1);
  const pad = span * (snap ? 0.06 : 0.02);
  const step = Math.max(niceStep(span + 2 * pad, target), minStep);
  if (!snap) return { min: lo - pad, max: hi + pad, step };
  return { min: Math.floor((lo - pad) / step) * step, max: Math.ceil((hi + pad) / step) * step, step };
}

/** Multiples of the step inside the axis. */
function ticks(axis: Axis): number[] {
  const out: number[] = [];
  const first = Math.ceil(axis.min / axis.step - 1e-9);
  for (let i = first; i * axis.step <= axis.max + axis.step * 1e-9; i++) out.push(i * axis.step);
  return out;
}

function tickLabel(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(decimals);
}

/** Each optimizer's colour, in order of its first trial; the baseline is grey. */
export function optimizerColours(ordered: readonly TrialRecord[]): Map<string, Rgb> {
  const map = new Map<string, Rgb>();
  let next = 0;
  for (const r of ordered) {
    if (map.has(r.optimizer)) continue;
    map.set(r.optimizer, r.optimizer === 'baseline' ? BASELINE : PALETTE[next++ % PALETTE.length]!);
  }
  return map;
}

interface Point {
  trial: number;
  optimizer: string;
  /** In points (fraction × 100). */
  score: number;
}

/** Running best of the scored runs, as (trial, best) steps. */
function bestSoFar(points: readonly Point[], minimize: boolean) {
  const steps: Array<{ trial: number; best: number }> = [];
  for (const p of points) {
    const previous = steps.at(-1)?.best;
    steps.push({
      trial: p.trial,
      best: previous === undefined || compareScores(p.score, previous, minimize) < 0 ? p.score : previous,
    });
  }
  return steps;
}

/** Maps data to pixels inside the plot area. */
interface Frame {
  x: Axis;
  y: Axis;
  px(trial: number): number;
  py(score: number): number;
}

function frameFor(trials: number[], values: number[]): Frame {
  const y = values.length
    ? axisFor(Math.min(...values), Math.max(...values), 6)
    : { min: 0, max: 100, step: 20 };
  const x = axisFor(Math.min(...trials, 0), Math.max(...trials, 1), 10, { snap: false, minStep: 1 });
  return {
    x,
    y,
    px: (trial) => AREA.left + ((trial - x.min) / (x.max - x.min)) * (AREA.right - AREA.left),
    py: (score) => AREA.bottom - ((score - y.min) / (y.max - y.min)) * (AREA.bottom - AREA.top),
  };
}

const TEXT_HEIGHT = Raster.textHeight(2);

function drawGrid(canvas: Raster, frame: Frame, metric: string): void {
  for (const y of ticks(frame.y)) {
    canvas.line(AREA.left, frame.py(y), AREA.right, frame.py(y), GRID);
    const label = tickLabel(y, frame.y.step);
    canvas.text(AREA.left - 8 - Raster.textWidth(label, 2), frame.py(y) - TEXT_HEIGHT / 2, label, INK, 2);
  }
  for (const x of ticks(frame.x)) {
    canvas.line(frame.px(x), AREA.top, frame.px(x), AREA.bottom, GRID);
    const label = tickLabel(x, frame.x.step);
    canvas.text(frame.px(x) - Raster.textWidth(label, 2) / 2, AREA.bottom + 8, label, INK, 2);
  }
  canvas.line(AREA.left, AREA.top, AREA.left, AREA.bottom, INK);
  canvas.line(AREA.left, AREA.bottom, AREA.right, AREA.bottom, INK);
  canvas.text(AREA.left - 60, AREA.top - TEXT_HEIGHT - 8, metric, INK, 2);
  canvas.text((AREA.left + AREA.right) / 2 - Raster.textWidth('TRIAL', 2) / 2, HEIGHT - 22, 'TRIAL', INK, 2);
}

/** Running best as a step line: flat until a run improves on it, then straight to the new best. */
function drawBestSoFar(
  canvas: Raster,
  frame: Frame,
  points: Point[],
  minimize: boolean,
  colour: Rgb,
  width: number,
): void {
  const steps = bestSoFar(points, minimize);
  steps.forEach((s, i) => {
    const next = steps[i + 1];
    if (!next) return;
    canvas.line(frame.px(s.trial), frame.py(s.best), frame.px(next.trial), frame.py(s.best), colour, {
      width,
    });
    canvas.line(frame.px(next.trial), frame.py(s.best), frame.px(next.trial), frame.py(next.best), colour, {
      width,
    });
  });
}

function drawLegend(canvas: Raster, palette: Map<string, Rgb>, scored: boolean, failed: number): void {
  const lx = AREA.right + 24;
  let ly = AREA.top;
  const entry = (label: string, draw: (cx: number, cy: number) => void) => {
    draw(lx + 10, ly + TEXT_HEIGHT / 2);
    canvas.text(lx + 28, ly, label.slice(0, 18), INK, 2);
    ly += TEXT_HEIGHT + 12;
  };
  for (const [optimizer, colour] of palette) {
    entry(optimizer, (cx, cy) => {
      // The baseline's line is the dashed one; each optimizer's is its thin best-so-far.
      if (optimizer === 'baseline') canvas.line(cx - 10, cy, cx + 10, cy, MUTED, { width: 2, dash: [6, 3] });
      else canvas.line(cx - 10, cy, cx + 10, cy, colour);
      canvas.disc(cx, cy, 4, colour);
    });
  }
  if (scored) entry('BEST SO FAR', (cx, cy) => canvas.line(cx - 10, cy, cx + 10, cy, INK, { width: 3 }));
  if (failed) entry(`FAILED (${failed})`, (cx, cy) => canvas.cross(cx, cy, 4, FAILED));
}

/**
 * The convergence plot: every run's score (in points) against its trial number, coloured by the
 * optimizer that proposed it; the best-so-far of each optimizer (thin) and of the study (thick) as
 * step lines; the baseline as a dashed line; failed runs as crosses on the bottom axis. Held-out
 * validation runs are not tuning trials and are left out.
 */
export function renderConvergencePlot(
  records: readonly TrialRecord[],
  manifest: StudyManifest,
  ranking: Ranking = rankingFor(manifest),
): Buffer {
  const ordered = tuningRecords(records).sort((a, b) => a.trial - b.trial);
  const summary = summarizeStudy(manifest, ordered, ranking);
  const points: Point[] = ordered.flatMap((r) => {
    const score = scoreOf(r, ranking);
    return score === null ? [] : [{ trial: r.trial, optimizer: r.optimizer, score: score * 100 }];
  });
  const baseline = summary.baseline && summary.baseline.mean * 100;
  const frame = frameFor(
    ordered.map((r) => r.trial),
    [...points.map((p) => p.score), ...(baseline === undefined ? [] : [baseline])],
  );
  const canvas = new Raster(WIDTH, HEIGHT, WHITE);

  const { best } = summary;
  canvas.text(AREA.left, 14, `${summary.metric} VS TRIAL - ${basename(manifest.configPath)}`, INK, 3);
  const mean = best && best.count > 1 ? `, MEAN OF ${best.count}` : '';
  const reference = summary.baseline ? `   BASELINE ${formatScore(summary.baseline.mean)}` : '';
  const subtitle = best
    ? `BEST ${formatScore(best.mean)} AT TRIAL ${best.record.trial} (${best.record.optimizer}${mean})${reference}`
    : 'NO SUCCESSFUL TRIAL YET';
  canvas.text(AREA.left, 38, subtitle, MUTED, 2);
  drawGrid(canvas, frame, summary.metric);

  if (baseline !== undefined) {
    canvas.line(AREA.left, frame.py(baseline), AREA.right, frame.py(baseline), MUTED, {
      width: 2,
      dash: [8, 6],
    });
  }
  const palette = optimizerColours(ordered);
  for (const [optimizer, colour] of palette) {
    if (optimizer === 'baseline') continue;
    const own = points.filter((p) => p.optimizer === optimizer);
    drawBestSoFar(canvas, frame, own, ranking.minimize, colour, 1);
  }
  drawBestSoFar(canvas, frame, points, ranking.minimize, INK, 3);
  for (const p of points) canvas.disc(frame.px(p.trial), frame.py(p.score), 4, palette.get(p.optimizer)!);
  const failed = ordered.filter((r) => r.status === 'failed');
  for (const r of failed) canvas.cross(frame.px(r.trial), AREA.bottom - 6, 4, FAILED);
  drawLegend(canvas, palette, points.length > 0, failed.length);

  return canvas.toPng();
}

/** Writes `results/accuracy_plot.png`; returns its path. */
export async function writeConvergencePlot(
  outputDir: string,
  manifest: StudyManifest,
  records: readonly TrialRecord[],
  ranking: Ranking = rankingFor(manifest),
): Promise<string> {
  const path = resultsLayout(outputDir, manifest).plot;
  await writeFileAtomic(path, renderConvergencePlot(records, manifest, ranking));
  return path;
}
