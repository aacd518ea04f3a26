/**
 * Leaves of a study config's module sections. PipeTuner's leaf is either a constant (written as is)
 * or `[lower, upper, linear|log, real|int]` (bounds included); our extension `[choice, a, b, …]` is an
 * unordered categorical. Parsing is pure and deterministic; problems come back as reasons (without
 * the YAML path, which the caller knows).
 */
import type { Dimension, ParamValue } from './types.js';

export type Leaf =
  | { kind: 'constant'; value: ParamValue }
  | { kind: 'dimension'; dimension: Dimension }
  | { kind: 'invalid'; reason: string };

export type ValidLeaf = Exclude<Leaf, { kind: 'invalid' }>;

const LEAF_SHAPES = 'a constant, [lower, upper, linear|log, real|int] or [choice, a, b, …]';

function isScalar(value: unknown): value is ParamValue {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  return typeof value === 'object' && value !== null ? 'a mapping' : String(value);
}

function parseChoice(name: string, options: unknown[]): Leaf {
  if (options.length < 2)
    return { kind: 'invalid', reason: `[choice, …] needs at least two options, found ${options.length}` };
  const bad = options.find((option) => !isScalar(option));
  if (bad !== undefined)
    return {
      kind: 'invalid',
      reason: `choice options must be numbers, strings or booleans, found ${show(bad)}`,
    };
  const choices = options as ParamValue[];
  const twice = choices.find((option, i) => choices.indexOf(option) !== i);
  if (twice !== undefined) return { kind: 'invalid', reason: `choice option ${show(twice)} is listed twice` };
  return { kind: 'dimension', dimension: { kind: 'choice', name, choices } };
}

function parseRange(name: string, [lower, upper, scale, type]: unknown[]): Leaf {
  const shape = `expected [lower, upper, linear|log, real|int], found ${show([lower, upper, scale, type])}`;
  if (typeof lower !== 'number' || !Number.isFinite(lower))
    return { kind: 'invalid', reason: `lower bound ${show(lower)} is not a number; ${shape}` };
  if (typeof upper !== 'number' || !Number.isFinite(upper))
    return { kind: 'invalid', reason: `upper bound ${show(upper)} is not a number; ${shape}` };
  const scaleName = typeof scale === 'string' ? scale.toLowerCase() : scale;
  if (scaleName !== 'linear' && scaleName !== 'log')
    return { kind: 'invalid', reason: `scale ${show(scale)} is not one of linear, log` };
  const typeName = typeof type === 'string' ? type.toLowerCase() : type;
  if (typeName !== 'real' && typeName !== 'int')
    return { kind: 'invalid', reason: `type ${show(type)} is not one of real, int` };
  if (!(lower < upper))
    return { kind: 'invalid', reason: `lower bound ${lower} must be below upper bound ${upper}` };
  const log = scaleName === 'log';
  if (log && !(lower > 0))
    return { kind: 'invalid', reason: `log scale needs a lower bound above 0, found ${lower}` };
  if (typeName === 'int' && !(Number.isInteger(lower) && Number.isInteger(upper))) {
    return { kind: 'invalid', reason: `int bounds must be integers, found [${lower}, ${upper}]` };
  }
  return { kind: 'dimension', dimension: { kind: typeName, name, low: lower, high: upper, log } };
}

/** The meaning of one leaf value of a module section; `name` is the full parameter path. */
export function parseLeaf(name: string, raw: unknown): Leaf {
  if (isScalar(raw)) return { kind: 'constant', value: raw };
  if (!Array.isArray(raw))
    return {
      kind: 'invalid',
      reason: `found ${raw === null || raw === undefined ? 'no value' : show(raw)}; expected ${LEAF_SHAPES}`,
    };
  const [head, ...rest] = raw;
  if (typeof head === 'string' && head.toLowerCase() === 'choice') return parseChoice(name, rest);
  if (raw.length !== 4)
    return {
      kind: 'invalid',
      reason: `found a list of ${raw.length} items ${show(raw)}; expected ${LEAF_SHAPES}`,
    };
  return parseRange(name, raw);
}

/** How a dimension's range reads in tables and messages: `[0.3, 0.8]` or `{a, b, c}`. */
export function describeRange(dimension: Dimension): string {
  return dimension.kind === 'choice'
    ? `{${dimension.choices.map(show).join(', ')}}`
    : `[${dimension.low}, ${dimension.high}]`;
}
