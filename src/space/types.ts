/**
 * The search space shared by config loading, optimizers and the study workflow.
 * Parameter names are full config paths: `<Module>.<section>.<key>`, e.g.
 * `PGIE.class-attrs-all.pre-cluster-threshold`, `NvDCF.StateEstimator.processNoiseVar4Loc`,
 * `MTMC.clustering.clusteringThreshold` (nested JSON keys joined by dots).
 */

export type ParamValue = number | string | boolean;
/** One point of the space: a value for every dimension, keyed by parameter name. */
export type Params = Record<string, ParamValue>;

export interface RealDimension {
  kind: 'real';
  name: string;
  low: number;
  high: number;
  log: boolean;
}

export interface IntDimension {
  kind: 'int';
  name: string;
  low: number;
  high: number;
  log: boolean;
}

/** Our extension `[choice, a, b, …]`: an unordered categorical. */
export interface ChoiceDimension {
  kind: 'choice';
  name: string;
  choices: ParamValue[];
}

export type Dimension = RealDimension | IntDimension | ChoiceDimension;

export interface Space {
  dimensions: Dimension[];
}

/**
 * A finished evaluation of one point. `score` is the objective as configured (HOTA, MOTA or IDF1, a
 * fraction); `null` means the run failed (no score). Repeats of one candidate (redundancy) are separate
 * trials with equal params.
 */
export interface Trial {
  params: Params;
  score: number | null;
  /** The optimizer that proposed it ('baseline' for the user's original config). */
  optimizer?: string;
  /** The pruner stopped it after stage `reached` of `of`: `score` covers those stages only. */
  pruned?: { reached: number; of: number };
  /** Two-objective studies: the value of each objective, in the order of `SuggestRequest.objectives`. */
  values?: readonly number[];
  /** Constrained studies: how far the trial misses its constraints, relative to their bounds (0: feasible). */
  violation?: number;
}
