/**
 * A two-objective study's results: the Pareto set of distinct configs (mean objective values over their
 * complete feasible runs), the hypervolume the study had reached after each trial, and the pick rule
 * that names the one config to deploy. Pure: best/, the CSV, the report and `results` render from it.
 */
import { InputError } from '../errors.js';
import { hypervolume2d, paretoSet, toLosses } from '../objectives/pareto.js';
import { type ObjectiveSpec, objectiveValues } from '../study/objectives.js';
import type { TrialRecord } from '../study/records.js';
import { paramsKey, tuningRecords } from './ranking.js';

/** One distinct config on the front. */
export interface ParetoPoint {
  /** Its earliest complete feasible run: the checkpoint to deploy. */
  record: TrialRecord;
  /** Objective values in display units (points, fps), mean over the runs. */
  values: number[];
  trials: number[];
}

export interface ParetoSummary {
  objectives: ObjectiveSpec[];
  /** Best first objective first. */
  points: ParetoPoint[];
  /** Every complete feasible config, for the chart (the Pareto points among them). */
  configs: ParetoPoint[];
  /** The worst value of each objective over the study's complete runs (see `referencePoint`). */
  reference: number[];
  hypervolume: number;
}

/** A run that counts: complete, feasible, with every objective measured. */
function countedValues(record: TrialRecord, objectives: readonly ObjectiveSpec[]): number[] | undefined {
  if (record.status !== 'ok' || (record.violation ?? 0) > 0) return undefined;
  return objectiveValues(record, objectives);
}

/** Distinct complete feasible configs, each with its mean values, in the order of their first run. */
export function feasibleConfigs(
  records: readonly TrialRecord[],
  objectives: readonly ObjectiveSpec[],
): ParetoPoint[] {
  const groups = new Map<string, { runs: TrialRecord[]; sums: number[] }>();
  for (const record of tuningRecords(records).sort((a, b) => a.trial - b.trial)) {
    const values = countedValues(record, objectives);
    if (!values) continue;
    const key = paramsKey(record.params);
    const group = groups.get(key) ?? { runs: [], sums: values.map(() => 0) };
    group.runs.push(record);
    for (const [i, v] of values.entries()) group.sums[i]! += v;
    groups.set(key, group);
  }
  return [...groups.values()].map(({ runs, sums }) => ({
    record: runs[0]!,
    values: sums.map((s) => s / runs.length),
    trials: runs.map((r) => r.trial),
  }));
}

/**
 * The hypervolume's reference point: the worst value of each objective over the study's complete tuning
 * runs, feasible or not (a point there adds nothing, every better one does). Fixed by the study's own
 * data, so the CSV's column and the report agree; it moves only when a worse run comes in.
 */
export function referencePoint(
  records: readonly TrialRecord[],
  objectives: readonly ObjectiveSpec[],
): number[] {
  const all = tuningRecords(records).flatMap((r) => {
    const values = r.status === 'ok' ? objectiveValues(r, objectives) : undefined;
    return values ? [values] : [];
  });
  return objectives.map((o, i) => {
    const column = all.map((v) => v[i]!);
    if (column.length === 0) return 0;
    return o.goal === 'max' ? Math.min(...column) : Math.max(...column);
  });
}

const goals = (objectives: readonly ObjectiveSpec[]) => objectives.map((o) => o.goal);

function volume(points: readonly ParetoPoint[], reference: number[], objectives: readonly ObjectiveSpec[]) {
  const g = goals(objectives);
  return hypervolume2d(
    points.map((p) => toLosses(g, p.values)),
    toLosses(g, reference),
  );
}

export function summarizePareto(
  records: readonly TrialRecord[],
  objectives: readonly ObjectiveSpec[],
): ParetoSummary {
  const configs = feasibleConfigs(records, objectives);
  const front = paretoSet(
    goals(objectives),
    configs.map((c) => ({ values: c.values })),
  ).map((i) => configs[i]!);
  const first = objectives[0]!;
  const points = front.sort((a, b) =>
    first.goal === 'max' ? b.values[0]! - a.values[0]! : a.values[0]! - b.values[0]!,
  );
  const reference = referencePoint(records, objectives);
  return {
    objectives: [...objectives],
    points,
    configs,
    reference,
    hypervolume: volume(points, reference, objectives),
  };
}

/**
 * The hypervolume after each tuning trial (by trial number), against the study's reference point: what
 * the CSV's `hypervolume` column shows. Single runs, not means: the column follows the study as it went.
 */
export function hypervolumeByTrial(
  records: readonly TrialRecord[],
  objectives: readonly ObjectiveSpec[],
): Map<number, number> {
  const reference = toLosses(goals(objectives), referencePoint(records, objectives));
  const seen: number[][] = [];
  const byTrial = new Map<number, number>();
  for (const record of tuningRecords(records).sort((a, b) => a.trial - b.trial)) {
    const values = countedValues(record, objectives);
    if (values) seen.push(toLosses(goals(objectives), values));
    byTrial.set(record.trial, hypervolume2d(seen, reference));
  }
  return byTrial;
}

/** One condition of a pick rule: `fps>=30`, `IDF1 >= 60`. */
export interface PickCondition {
  index: number;
  op: '>=' | '<=';
  bound: number;
}

/**
 * Parses `--pick`: comma-separated conditions on the objectives (`fps>=30,HOTA>=50`); the config picked
 * is the Pareto config best on the first objective among those meeting them all.
 */
export function parsePick(rule: string, objectives: readonly ObjectiveSpec[]): PickCondition[] {
  return rule.split(',').map((part) => {
    const match = /^\s*([A-Za-z0-9]+)\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(part);
    const names = objectives.map((o) => o.metric).join(', ');
    if (!match)
      throw new InputError(
        `--pick "${part.trim()}": expected METRIC>=NUMBER or METRIC<=NUMBER with METRIC one of ${names}`,
      );
    const index = objectives.findIndex((o) => o.metric.toLowerCase() === match[1]!.toLowerCase());
    if (index < 0)
      throw new InputError(
        `--pick "${part.trim()}": ${match[1]} is not an objective of this study (${names})`,
      );
    return { index, op: match[2] as '>=' | '<=', bound: Number(match[3]) };
  });
}

/** The Pareto config best on the first objective among those meeting every condition (points are best-first). */
export function pickPoint(
  points: readonly ParetoPoint[],
  conditions: readonly PickCondition[],
): ParetoPoint | undefined {
  return points.find((p) =>
    conditions.every((c) => (c.op === '>=' ? p.values[c.index]! >= c.bound : p.values[c.index]! <= c.bound)),
  );
}
