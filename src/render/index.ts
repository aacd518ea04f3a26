/**
 * One trial's config set: the user's files with the trial's values (and the study's fixed settings)
 * overlaid, written into a folder so every checkpoint is deployable as is.
 */
import { basename, join, resolve } from 'node:path';
import { didYouMean } from '../config/suggest.js';
import type { ConfigFile, ConfigRole, StudyConfig } from '../config/types.js';
import { InputError, printable, quoted } from '../errors.js';
import { CONFIG_LIMIT, inputScope, readInputText } from '../inputFiles.js';
import { makeDirectory, writeOutputFile } from '../outputFiles.js';
import { applyEdits, type Edit } from '../overlay/index.js';
import type { RenderedConfigs } from '../pipelines/types.js';
import type { Params, ParamValue } from '../space/types.js';

/** The values in the user's files: trial 0 (the baseline) of every study. */
export function originalParams(config: StudyConfig): Params {
  return Object.fromEntries(config.parameters.map((p) => [p.name, p.original]));
}

function valueProblem(name: string, value: ParamValue, config: StudyConfig): string | undefined {
  const parameter = config.parameters.find((p) => p.name === name);
  if (!parameter)
    return `unknown parameter ${quoted(name)}${didYouMean(
      name,
      config.parameters.map((p) => p.name),
    )}`;
  const { dimension, original } = parameter;
  const shown = printable(JSON.stringify(value));
  if (dimension.kind === 'choice') {
    return dimension.choices.includes(value) || value === original
      ? undefined
      : `${name}: ${shown} is not one of its choices`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${name}: ${shown} is not a number`;
  return dimension.kind === 'int' && !Number.isInteger(value)
    ? `${name}: ${shown} is not an integer`
    : undefined;
}

/**
 * Why `params` cannot be rendered: unknown names, or values of the wrong type for their dimension.
 * Values outside the search range are allowed (a baseline often is); absent parameters keep the
 * file's value.
 */
export function paramsProblems(config: StudyConfig, params: Params): string[] {
  return Object.entries(params).flatMap(([name, value]) => valueProblem(name, value, config) ?? []);
}

/**
 * Values outside their search range (the file's own value excepted): a hand-written `render --params`
 * is checked against the study's ranges; trials are not, since a value decoded from a log scale may
 * sit a rounding error past its bound.
 */
export function rangeProblems(config: StudyConfig, params: Params): string[] {
  return config.parameters.flatMap(({ name, dimension, original }) => {
    const value = params[name];
    if (dimension.kind === 'choice' || typeof value !== 'number' || value === original) return [];
    return value >= dimension.low && value <= dimension.high
      ? []
      : [`${name}: ${value} is outside its range [${dimension.low}, ${dimension.high}]`];
  });
}

/** The edits one file receives: fixed settings first, then the trial's values. */
function editsFor(config: StudyConfig, role: ConfigRole, params: Params): Edit[] {
  const fixed = config.fixed
    .filter((f) => f.role === role)
    .map((f) => ({ location: f.location, value: f.value, label: f.name }));
  const tuned = config.parameters
    .filter((p) => p.role === role)
    .map((p) => ({ location: p.location, value: params[p.name] ?? p.original, label: p.name }));
  return [...fixed, ...tuned];
}

/** The rendered text of one config file (pure: `text` is the original's content). */
function renderText(config: StudyConfig, file: ConfigFile, text: string, params: Params): string {
  return applyEdits(file.format, text, file.path, editsFor(config, file.role, params));
}

/** Output names keep the originals' names, prefixed with the role only if two would collide. */
function outputNames(files: ConfigFile[]): Map<ConfigRole, string> {
  const names = files.map((f) => basename(f.path));
  return new Map(
    files.map((f, i) => [
      f.role,
      names.indexOf(names[i] as string) === i && names.lastIndexOf(names[i] as string) === i
        ? (names[i] as string)
        : `${f.role}_${names[i]}`,
    ]),
  );
}

/**
 * Write the trial's full config set into `outDir` (created if needed) and return the absolute paths
 * of the written files by role. With `originalParams(config)` and no fixed settings, every file is
 * byte-identical to its original.
 */
export async function render(config: StudyConfig, params: Params, outDir: string): Promise<RenderedConfigs> {
  const problems = paramsProblems(config, params);
  if (problems.length > 0) throw new InputError(`parameters: ${problems.join('; ')}`);
  const dir = resolve(outDir);
  makeDirectory(dir);
  const files = Object.values(config.files);
  const names = outputNames(files);
  const scope = inputScope(`the study root ${config.exec.rootPath}`, config.exec.rootPath);
  const rendered: RenderedConfigs = {};
  for (const file of files) {
    const text = renderText(
      config,
      file,
      readInputText(file.path, {
        what: file.role === 'pgie' ? 'PGIE config' : `${file.role} config`,
        scope,
        limit: CONFIG_LIMIT,
      }),
      params,
    );
    const out = join(dir, names.get(file.role) as string);
    writeOutputFile(out, text);
    rendered[file.role] = out;
  }
  return rendered;
}
