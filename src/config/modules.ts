/**
 * Module sections of `parameter_space`: which config file each one overlays, and the flattening of
 * its tree into leaves with full parameter names (`PGIE.class-attrs-all.pre-cluster-threshold`,
 * `NvDCF.StateEstimator.processNoiseVar4Loc`, `MTMC.clustering.spatioTemporalDistLambda`).
 */
import { printable } from '../errors.js';
import { isMapping } from '../overlay/index.js';
import type { ConfigRole } from '../space/limits.js';
import type { YamlPath } from './issues.js';

/** Section name → the file it overlays. Tracker sections are named after the tracker (PipeTuner: NvDCF). */
export const MODULE_ROLES: Record<string, ConfigRole> = {
  PGIE: 'pgie',
  NvDCF: 'tracker',
  NvSORT: 'tracker',
  NvDeepSORT: 'tracker',
  IOU: 'tracker',
  Tracker: 'tracker',
  MTMC: 'mtmc',
};

/** The `Init.Exec` key holding each role's file. */
export const ROLE_PATH_KEYS: Record<ConfigRole, 'pgiePath' | 'trackerPath' | 'mtmcPath'> = {
  pgie: 'pgiePath',
  tracker: 'trackerPath',
  mtmc: 'mtmcPath',
};

export interface RawLeaf {
  /** Full parameter name. */
  name: string;
  module: string;
  role: ConfigRole;
  /** Keys inside the target file. */
  location: string[];
  /** Where the leaf sits in the study config. */
  yamlPath: YamlPath;
  raw: unknown;
}

/** PipeTuner writes nvinfer groups as they appear in the file, brackets included: `"[class-attrs-all]"`. */
function fileKey(role: ConfigRole, depth: number, key: string): string {
  const group = role === 'pgie' && depth === 0 ? /^\[(.*)\]$/.exec(key) : null;
  return group ? (group[1] as string) : key;
}

/** Every leaf (non-mapping value) under a module section, depth first in file order. */
export function moduleLeaves(module: string, role: ConfigRole, tree: unknown, base: YamlPath): RawLeaf[] {
  const walk = (node: unknown, location: string[], yamlPath: YamlPath): RawLeaf[] => {
    if (!isMapping(node))
      // The name is shown in messages, tables and CSV headers: control characters in keys are escaped.
      return [
        { name: printable([module, ...location].join('.')), module, role, location, yamlPath, raw: node },
      ];
    return Object.entries(node).flatMap(([key, child]) =>
      walk(child, [...location, fileKey(role, location.length, key)], [...yamlPath, key]),
    );
  };
  // A module section that is itself a value has nowhere to go: report it as a leaf without location.
  return walk(tree, [], base);
}
