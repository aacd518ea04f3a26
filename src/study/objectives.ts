/**
 * Two objectives and constraints: what a trial's values are, how far it misses its constraints, and how
 * the study talks about them. Pure and without Node imports: the workflow bundle, the activities and
 * the results all read trials through it.
 */
import type { Goal } from '../objectives/pareto.js';

/** Accuracy metrics (fractions in the trial record, points on screen and in constraints) and throughput. */
export const ACCURACY_METRICS = ['HOTA', 'DetA', 'AssA', 'MOTA', 'IDF1'] as const;
export const OBJECTIVE_METRICS = [...ACCURACY_METRICS, 'fps'] as const;
export type ObjectiveMetric = (typeof OBJECTIVE_METRICS)[number];
export type { Goal };

export interface ObjectiveSpec {
  metric: ObjectiveMetric;
  goal: Goal;
}

/** A bound on one metric, in display units: points for accuracy metrics, frames per second for `fps`. */
export interface ConstraintSpec {
  metric: ObjectiveMetric;
  min?: number;
  max?: number;
}

/** What a trial offers: its headline metrics (fractions) and its measured throughput. */
export interface MeasuredTrial {
  metrics: Record<string, number>;
  fps?: number;
}

const isAccuracy = (metric: ObjectiveMetric) => metric !== 'fps';

/** The metric in display units (points or fps); undefined when the trial did not measure it. */
export function displayValue(trial: MeasuredTrial, metric: ObjectiveMetric): number | undefined {
  const value = metric === 'fps' ? trial.fps : trial.metrics[metric];
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return isAccuracy(metric) ? value * 100 : value;
}

/** The trial's objective values in display units, in the study's order; undefined when one is missing. */
export function objectiveValues(
  trial: MeasuredTrial,
  objectives: readonly ObjectiveSpec[],
): number[] | undefined {
  const values = objectives.map((o) => displayValue(trial, o.metric));
  return values.every((v) => v !== undefined) ? (values as number[]) : undefined;
}

/**
 * How far the trial misses its constraints: the sum of each shortfall relative to its bound (a trial
 * at 27 fps under `min: 30` has 0.1), so metrics of different units add up. 0 is feasible; undefined
 * when a constrained metric was not measured.
 */
export function violation(trial: MeasuredTrial, constraints: readonly ConstraintSpec[]): number | undefined {
  let total = 0;
  for (const c of constraints) {
    const value = displayValue(trial, c.metric);
    if (value === undefined) return undefined;
    if (c.min !== undefined && value < c.min) total += (c.min - value) / Math.max(Math.abs(c.min), 1e-9);
    if (c.max !== undefined && value > c.max) total += (value - c.max) / Math.max(Math.abs(c.max), 1e-9);
  }
  return total;
}

/** `fps ≥ 30`, `IDF1 ≥ 60 and ≤ 90`. */
export function describeConstraint(c: ConstraintSpec): string {
  const bounds = [c.min !== undefined ? `≥ ${c.min}` : '', c.max !== undefined ? `≤ ${c.max}` : ''];
  return `${c.metric} ${bounds.filter(Boolean).join(' and ')}`;
}

/** `HOTA (max) × fps (max)`. */
export function describeObjectives(objectives: readonly ObjectiveSpec[]): string {
  return objectives.map((o) => `${o.metric} (${o.goal})`).join(' × ');
}

/** The metrics a trial must measure for these objectives and constraints. */
export function neededMetrics(
  objectives: readonly ObjectiveSpec[] = [],
  constraints: readonly ConstraintSpec[] = [],
): ObjectiveMetric[] {
  return [...new Set([...objectives.map((o) => o.metric), ...constraints.map((c) => c.metric)])];
}
