/**
 * `loadStudyConfig`: read a study YAML, validate it, resolve its paths against the study root, read
 * the user's config files and tie every search dimension to the value it overlays. All problems found
 * are reported together (a StudyConfigError lists them); keys we do not read become warnings.
 */

import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InputError, inputError } from '../errors.js';
import { CONFIG_LIMIT, type InputScope, inputScope, outsideProblem, readInputText } from '../inputFiles.js';
import { checkSyntax, describeValue, formatOf, isMapping, isScalar, lookup } from '../overlay/index.js';
import { iniGroupKeys } from '../overlay/ini.js';
import { loadYaml } from '../overlay/yaml.js';
import { parseLeaf, type ValidLeaf } from '../space/dimensions.js';
import { type ConfigRole, dimensionProblem, valueProblem } from '../space/limits.js';
import type { ParamValue } from '../space/types.js';
import { formatPath, issueMessages, reportUnknownKeys, unknownKeys, type YamlPath } from './issues.js';
import { MODULE_ROLES, moduleLeaves, type RawLeaf, ROLE_PATH_KEYS } from './modules.js';
import { displayPath } from './paths.js';
import { pruningConfig } from './pruning.js';
import { initSchema, type RawExec, type RawStudy, studySchema } from './schema.js';
import { didYouMean } from './suggest.js';
import type {
  ConfigFile,
  ExecConfig,
  FixedSetting,
  LoadResult,
  Metric,
  ParamTarget,
  StudyConfig,
  TunedParameter,
} from './types.js';

/** Every problem of a study config; the message carries the first, `problems` all of them. */
export class StudyConfigError extends InputError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    const more =
      problems.length > 1 ? ` (and ${problems.length - 1} more; \`pipetune check\` lists them all)` : '';
    super(`${file}: ${problems[0]}${more}`);
  }
}

/** The base configs of the built-in pipeline, used when a builtin study names none. */
export const BUILTIN_CONFIGS = {
  pgiePath: 'configs/config_PGIE/config_infer_primary_builtin.txt',
  trackerPath: 'configs/config_Tracker/config_tracker_builtin.yml',
  mtmcPath: 'configs/config_MTMC/config_mtmc_builtin.json',
} as const;

function readStudyYaml(file: string): unknown {
  if (!existsSync(file)) throw inputError(file, undefined, 'cannot read the study config (no such file?)');
  return loadYaml(readInputText(file, { what: 'the study config', limit: CONFIG_LIMIT }), file);
}

/** The parameter space and where it is: top level, or under `processing` as in NVIDIA's samples. */
function findParameterSpace(
  raw: Record<string, unknown>,
  problems: string[],
): { tree: Record<string, unknown>; base: YamlPath } | undefined {
  const processing = isMapping(raw.processing) ? raw.processing : {};
  if (raw.parameter_space !== undefined && processing.parameter_space !== undefined) {
    problems.push('parameter_space and processing.parameter_space are both set; keep one');
    return undefined;
  }
  const base = raw.parameter_space !== undefined ? ['parameter_space'] : ['processing', 'parameter_space'];
  const tree = raw.parameter_space ?? processing.parameter_space;
  if (tree === undefined)
    problems.push('parameter_space: missing (it may also sit under processing.parameter_space)');
  return isMapping(tree) ? { tree, base } : undefined;
}

interface Sections {
  leaves: RawLeaf[];
  /** Module names present, by role. */
  modules: Map<ConfigRole, string>;
}

function collectSections(
  space: Record<string, unknown>,
  base: YamlPath,
  problems: string[],
  warnings: string[],
): Sections {
  const leaves: RawLeaf[] = [];
  const modules = new Map<ConfigRole, string>();
  for (const [key, tree] of Object.entries(space)) {
    if (key === 'Init') continue;
    const where = formatPath([...base, key]);
    const role = Object.hasOwn(MODULE_ROLES, key) ? MODULE_ROLES[key] : undefined;
    if (!role) {
      warnings.push(
        `${where}: not a module section (PGIE, NvDCF, NvSORT, NvDeepSORT, IOU, Tracker, MTMC); ignored`,
      );
      continue;
    }
    const other = modules.get(role);
    if (other)
      problems.push(`${where}: ${other} already describes the ${role} config; keep one section per file`);
    modules.set(role, other ?? key);
    if (tree === null || tree === undefined) warnings.push(`${where}: empty section`);
    else if (!isMapping(tree))
      problems.push(`${where}: found ${describeValue(tree)}, expected a mapping of sections and keys`);
    else leaves.push(...moduleLeaves(key, role, tree, [...base, key]));
  }
  return { leaves, modules };
}

function parseLeaves(leaves: RawLeaf[], problems: string[]): Map<RawLeaf, ValidLeaf> {
  const parsed = new Map<RawLeaf, ValidLeaf>();
  const seen = new Set<string>();
  for (const leaf of leaves) {
    const where = formatPath(leaf.yamlPath);
    if (seen.has(leaf.name)) problems.push(`${where}: ${leaf.name} is defined twice`);
    seen.add(leaf.name);
    const result = parseLeaf(leaf.name, leaf.raw);
    if (result.kind === 'invalid') problems.push(`${where}: ${result.reason}`);
    else parsed.set(leaf, result);
  }
  return parsed;
}

function resolveExec(raw: RawExec, root: string, modules: Map<ConfigRole, string>): ExecConfig {
  const abs = (path: string | undefined) => (path === undefined ? undefined : resolve(root, path));
  const builtin = raw.pipeline === 'builtin';
  return {
    rootPath: root,
    datasetPath: resolve(root, raw.datasetPath),
    seqmapPath: resolve(root, raw.seqmapPath),
    // The built-in pipeline always runs a detector and a tracker; MTMC only when the study has an MTMC section.
    pgiePath: abs(raw.pgiePath ?? (builtin ? BUILTIN_CONFIGS.pgiePath : undefined)),
    trackerPath: abs(raw.trackerPath ?? (builtin ? BUILTIN_CONFIGS.trackerPath : undefined)),
    mtmcPath: abs(raw.mtmcPath ?? (builtin && modules.has('mtmc') ? BUILTIN_CONFIGS.mtmcPath : undefined)),
    mtmcCalibrationPath: abs(raw.mtmcCalibrationPath),
    mtmcGroundTruthPath: abs(raw.mtmcGroundTruthPath),
    mtmcPlaybackPath: abs(raw.mtmcPlaybackPath),
    validationSeqmapPath: abs(raw.validationSeqmapPath),
    pipeline: raw.pipeline,
    command: raw.command,
    ...(raw.perfRegex === undefined ? {} : { perfRegex: raw.perfRegex }),
    docker: raw.docker,
    deepstream: { image: raw.deepstream.image, appConfig: abs(raw.deepstream.appConfig) },
    benchmark: raw.benchmark,
    seed: raw.seed,
    deterministic: raw.deterministic,
    baseline: raw.baseline,
    trialTimeoutMs: raw.trialTimeout,
    reevaluateTop: raw.reevaluateTop,
    augmentation: raw.augmentation && { ...raw.augmentation, occluders: abs(raw.augmentation.occluders) },
    pipeTuner: {
      streamRes: raw.streamRes,
      containerImageID: raw.containerImageID,
      dsAppPath: abs(raw.dsAppPath),
    },
  };
}

function checkPipeline(exec: ExecConfig, execPath: string, problems: string[], warnings: string[]): void {
  if (exec.pipeline === 'command' && !exec.command)
    problems.push(`${execPath}.command: missing; pipeline: command needs [program, arg, …]`);
  if (exec.pipeline !== 'command' && exec.command)
    warnings.push(`${execPath}.command: only used by pipeline: command; ignored`);
  if (exec.pipeline !== 'command' && exec.perfRegex !== undefined)
    warnings.push(`${execPath}.perfRegex: only used by pipeline: command; ignored`);
  if (exec.pipeline === 'deepstream' && !exec.deepstream.image && !exec.docker) {
    warnings.push(
      `${execPath}.deepstream.image: not set; the deepstream pipeline needs a DeepStream container image to run`,
    );
  }
}

/**
 * Every path the study names must resolve inside the study root (after following symlinks), used or
 * not: a worker reads and mounts nothing else. Inputs that trials read but we do not overlay may be
 * missing (synth may make them later): a warning. Returns the keys refused.
 */
function checkPaths(
  exec: ExecConfig,
  execPath: string,
  scope: InputScope,
  label: (path: string) => string,
  problems: string[],
  warnings: string[],
): Set<string> {
  const refused = new Set<string>();
  const overlaid: [string, string | undefined][] = [
    ['pgiePath', exec.pgiePath],
    ['trackerPath', exec.trackerPath],
    ['mtmcPath', exec.mtmcPath],
  ];
  const inputs: [string, string | undefined][] = [
    ['datasetPath', exec.datasetPath],
    ['seqmapPath', exec.seqmapPath],
    ['mtmcCalibrationPath', exec.mtmcCalibrationPath],
    ['mtmcGroundTruthPath', exec.mtmcGroundTruthPath],
    ['mtmcPlaybackPath', exec.mtmcPlaybackPath],
    ['validationSeqmapPath', exec.validationSeqmapPath],
    ['deepstream.appConfig', exec.deepstream.appConfig],
    ['dsAppPath', exec.pipeTuner.dsAppPath],
  ];
  for (const [key, path] of [...overlaid, ...inputs]) {
    if (path === undefined) continue;
    const outside = outsideProblem(path, scope);
    if (outside) {
      problems.push(`${execPath}.${key}: ${label(path)} ${outside}`);
      refused.add(key);
    } else if (!overlaid.some(([k]) => k === key) && !existsSync(path))
      warnings.push(`${execPath}.${key}: ${label(path)} does not exist`);
  }
  return refused;
}

function readConfigFiles(
  exec: ExecConfig,
  sections: Sections,
  psPath: YamlPath,
  label: (path: string) => string,
  refused: Set<string>,
  problems: string[],
): { files: Partial<Record<ConfigRole, ConfigFile>>; texts: Map<ConfigRole, string> } {
  const files: Partial<Record<ConfigRole, ConfigFile>> = {};
  const texts = new Map<ConfigRole, string>();
  for (const [role, key] of Object.entries(ROLE_PATH_KEYS) as [
    ConfigRole,
    (typeof ROLE_PATH_KEYS)[ConfigRole],
  ][]) {
    const path = exec[key];
    const where = formatPath([...psPath, 'Init', 'Exec', key]);
    const module = sections.modules.get(role);
    if (path === undefined) {
      if (module) problems.push(`${formatPath([...psPath, module])}: needs ${where}, the file it overlays`);
      continue;
    }
    if (refused.has(key)) continue;
    files[role] = { role, path, format: formatOf(path) };
    if (!existsSync(path)) {
      problems.push(`${where}: cannot read ${label(path)} (no such file?)`);
      continue;
    }
    let text: string;
    try {
      text = readInputText(path, { what: label(path), limit: CONFIG_LIMIT });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(`${where}: ${err.message.slice(path.length + 2)}`);
      continue;
    }
    try {
      checkSyntax(formatOf(path), text, label(path));
      texts.set(role, text);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(err.message);
    }
  }
  return { files, texts };
}

/**
 * PipeTuner's MTMC examples group keys under `default` although the MTMC JSON has no such object; such
 * a key is looked up among the file's top-level objects and must be found in exactly one of them.
 */
function mtmcDefaultLocation(
  file: ConfigFile,
  text: string,
  display: string,
  location: string[],
): string[] | undefined {
  if (file.role !== 'mtmc' || location.length !== 2 || location[0] !== 'default') return undefined;
  const doc = lookup(file.format, text, display, []);
  if (!doc.found || !isMapping(doc.value)) return undefined;
  const holders = Object.keys(doc.value).filter(
    (section) => lookup(file.format, text, display, [section, location[1] as string]).found,
  );
  return holders.length === 1 ? [holders[0] as string, location[1] as string] : undefined;
}

/** The keys next to `location` in the file (its group, or its parent mapping), for "did you mean". */
function siblingKeys(file: ConfigFile, text: string, display: string, location: string[]): string[] {
  if (file.format === 'ini') return [...(iniGroupKeys(text, display).get(location[0] as string) ?? [])];
  const parent = lookup(file.format, text, display, location.slice(0, -1));
  return parent.found && isMapping(parent.value) ? Object.keys(parent.value) : [];
}

function targetOf(
  leaf: RawLeaf,
  file: ConfigFile,
  text: string,
  display: string,
  problems: string[],
  warnings: string[],
): ParamTarget | undefined {
  if (file.format === 'ini' && leaf.location.length !== 2) {
    problems.push(`${formatPath(leaf.yamlPath)}: an INI parameter is written ${leaf.module}."[group]".key`);
    return undefined;
  }
  let location = leaf.location;
  let found = lookup(file.format, text, display, location);
  const fallback = found.found ? undefined : mtmcDefaultLocation(file, text, display, location);
  if (fallback) {
    location = fallback;
    found = lookup(file.format, text, display, location);
  }
  if (!found.found) {
    const near = didYouMean(
      location[location.length - 1] as string,
      siblingKeys(file, text, display, location),
    );
    problems.push(`${leaf.name}: not in ${display} (${found.reason}${near})`);
    return undefined;
  }
  const at = found.line === undefined ? display : `${display}:${found.line}`;
  if (found.notInPlace) {
    problems.push(`${leaf.name}: ${display} ${found.notInPlace}; tune the anchored value instead`);
    return undefined;
  }
  if (found.sharedWith)
    warnings.push(
      `${leaf.name}: ${at} is anchored, so tuning it also changes ${found.sharedWith.join(', ')}`,
    );
  if (!isScalar(found.value)) {
    problems.push(`${leaf.name}: ${at} holds ${describeValue(found.value)}, not a single value`);
    return undefined;
  }
  return {
    name: leaf.name,
    module: leaf.module,
    role: leaf.role,
    file: file.path,
    format: file.format,
    location,
    section: location.slice(0, -1).join('.'),
    key: location[location.length - 1] as string,
    original: found.value,
    line: found.line,
    yamlPath: formatPath(leaf.yamlPath),
  };
}

/** nvinfer applies [class-attrs-<id>] after [class-attrs-all]: a per-class key silently wins over the tuned one. */
function classOverrideWarnings(
  targets: ParamTarget[],
  texts: Map<ConfigRole, string>,
  label: (path: string) => string,
): string[] {
  const pgie = targets.filter(
    (t) => t.role === 'pgie' && t.format === 'ini' && t.section === 'class-attrs-all',
  );
  const text = texts.get('pgie');
  if (pgie.length === 0 || text === undefined) return [];
  const groups = iniGroupKeys(text, label(pgie[0]?.file as string));
  return pgie.flatMap((target) =>
    [...groups.entries()]
      .filter(([group, keys]) => /^class-attrs-\d+$/.test(group) && keys.has(target.key))
      .map(
        ([group]) =>
          `${target.name}: [${group}] in ${label(target.file)} also sets ${target.key}, so the tuned value does not apply to that class`,
      ),
  );
}

/**
 * The file's value as a baseline for `leaf`, or why it cannot be one: a numeric range needs a number
 * in the file (INI/YAML booleans count as the 1/0 DeepStream reads them as).
 */
function baselineValue(target: ParamTarget, leaf: ValidLeaf): { original: ParamValue } | { problem: string } {
  const { original } = target;
  if (leaf.kind !== 'dimension' || leaf.dimension.kind === 'choice' || typeof original === 'number')
    return { original };
  if (typeof original === 'boolean' && target.format !== 'json') return { original: Number(original) };
  return {
    problem: `${target.name}: the file holds ${describeValue(original)}, not a number, so it cannot take values in a ${leaf.dimension.kind} range`,
  };
}

export interface LoadOptions {
  /** The study root every relative path is resolved against (PipeTuner's rootPath); default: the working directory. */
  root?: string;
}

export async function loadStudyConfig(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const studyFile = resolve(file);
  const raw = readStudyYaml(studyFile);
  if (!isMapping(raw))
    throw inputError(
      studyFile,
      undefined,
      `found ${describeValue(raw)}, expected a mapping (parameter_space, bbo, …)`,
    );
  const problems: string[] = [];
  const warnings: string[] = [];
  const fail = () => new StudyConfigError(studyFile, problems);

  const study = studySchema.safeParse(raw);
  if (!study.success) problems.push(...issueMessages(study.error, raw, []));
  reportUnknownKeys(unknownKeys(studySchema, raw, []), problems, warnings);

  const space = findParameterSpace(raw, problems);
  const psPath = space?.base ?? ['parameter_space'];
  const initRaw = space?.tree.Init ?? {};
  const init = initSchema.safeParse(initRaw);
  if (!init.success) problems.push(...issueMessages(init.error, initRaw, [...psPath, 'Init']));
  reportUnknownKeys(unknownKeys(initSchema, initRaw, [...psPath, 'Init']), problems, warnings);

  const sections = space
    ? collectSections(space.tree, psPath, problems, warnings)
    : { leaves: [], modules: new Map<ConfigRole, string>() };
  const leaves = parseLeaves(sections.leaves, problems);
  if (problems.length > 0 || !study.success || !init.success) throw fail();

  const root = resolve(options.root ?? process.cwd());
  const label = (path: string) => displayPath(root, path);
  const execPath = formatPath([...psPath, 'Init', 'Exec']);
  const exec = resolveExec(init.data.Exec, root, sections.modules);
  checkPipeline(exec, execPath, problems, warnings);
  const scope = inputScope(`the study root ${root}`, root);
  const refused = checkPaths(exec, execPath, scope, label, problems, warnings);
  const { files, texts } = readConfigFiles(exec, sections, psPath, label, refused, problems);

  const parameters: TunedParameter[] = [];
  const fixed: FixedSetting[] = [];
  for (const [rawLeaf, leaf] of leaves) {
    const file = files[rawLeaf.role];
    const text = texts.get(rawLeaf.role);
    if (!file || text === undefined) continue;
    const target = targetOf(rawLeaf, file, text, label(file.path), problems, warnings);
    if (!target) continue;
    const baseline = baselineValue(target, leaf);
    if ('problem' in baseline) {
      problems.push(baseline.problem);
      continue;
    }
    const problem =
      leaf.kind === 'dimension'
        ? dimensionProblem(target.role, target.key, leaf.dimension)
        : valueProblem(target.role, target.key, leaf.value);
    if (problem) problems.push(`${target.yamlPath}: ${problem}`);
    else if (leaf.kind === 'dimension')
      parameters.push({ ...target, original: baseline.original, dimension: leaf.dimension });
    else fixed.push({ ...target, value: leaf.value });
  }
  if (problems.length === 0 && parameters.length === 0) {
    problems.push(
      `${formatPath(psPath)}: no search range ([lower, upper, linear|log, real|int] or [choice, …]) in any module section; nothing to tune`,
    );
  }
  if (problems.length > 0) throw fail();
  warnings.push(...classOverrideWarnings([...parameters, ...fixed], texts, label));

  const bbo = (study.data as RawStudy).bbo;
  const optimizers = Object.entries(bbo.optimizers).map(([id, o]) => ({
    id,
    name: o.name,
    maxIteration: o.max_iteration,
    redundancy: o.redundancy,
    batchSize: o.batch_size,
  }));
  const servers = Object.entries((study.data as RawStudy).servers).map(([name, s]) => ({
    name,
    workerNumber: s.worker_number,
  }));
  const declaredWorkers = servers.reduce((sum, s) => sum + (s.workerNumber ?? 0), 0);
  const { optim_manager: manager, pruning } = study.data as RawStudy;
  if (pruning && files.mtmc)
    throw new StudyConfigError(studyFile, [
      'pruning: stages split the cameras into groups, but an MTMC study clusters across all cameras at once; remove the pruning block',
    ]);
  const { objectives, constraints } = init.data.Eval;
  const evalPath = formatPath([...psPath, 'Init', 'Eval']);
  if (objectives && pruning)
    throw new StudyConfigError(studyFile, [
      `pruning: a pruner judges one score, but ${evalPath}.objectives has two: a trial behind on ${objectives[0]!.metric} may still be on the Pareto front; remove the pruning block, or keep one objective and bound the other with constraints`,
    ]);
  if (objectives && bbo.problem_type_is_min)
    throw new StudyConfigError(studyFile, [
      `bbo.problem_type_is_min: with ${evalPath}.objectives each objective has its own goal (goal: min); remove problem_type_is_min`,
    ]);
  const config: StudyConfig = {
    file: studyFile,
    name: basename(studyFile),
    exec,
    execYamlPath: execPath,
    metric: init.data.Eval.metric ?? (objectives?.[0]?.metric as Metric | undefined) ?? 'HOTA',
    objective: init.data.Eval.objective,
    ...(objectives ? { objectives } : {}),
    ...(constraints?.length ? { constraints } : {}),
    files,
    space: { dimensions: parameters.map((p) => p.dimension) },
    parameters,
    fixed,
    bbo: { problemTypeIsMin: bbo.problem_type_is_min, jobBatchSize: bbo.job_batch_size, optimizers },
    servers,
    workers: declaredWorkers > 0 ? declaredWorkers : optimizers.length,
    optimManager: {
      thresholdZeroScores: manager.threshold_zero_scores,
      thresholdDsAppFails: manager.threshold_ds_app_fails,
    },
    ...(pruning ? { pruning: pruningConfig(pruning) } : {}),
  };
  return { config, warnings };
}
