/**
 * Turning schema findings into messages a user can act on: the YAML path, what was found and what was
 * expected (`bbo.optimizers.type2.name: "tpx" is not one of pysot, tpe, …`), and the keys we do not
 * read (reported as warnings, since PipeTuner configs carry keys of their own).
 */
import type { z } from 'zod';
import { describeValue } from '../overlay/index.js';
import { nearestName } from './suggest.js';

export type YamlPath = (string | number)[];

/** `a.b."[class-attrs-all]".c`: segments that are not plain words are quoted. */
export function formatPath(path: YamlPath): string {
  return path
    .map((segment) =>
      typeof segment === 'number' || /^[\w-]+$/.test(segment) ? String(segment) : JSON.stringify(segment),
    )
    .join('.');
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

const EXPECTED_TYPE: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
};

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${EXPECTED_TYPE[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `is not one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `expected at least ${issue.minimum} item(s)`
        : `expected ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `expected at most ${issue.maximum} item(s)`
        : `expected ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    case 'invalid_union':
      return 'does not have any of the accepted shapes';
    default:
      return issue.message;
  }
}

/** One message per schema issue; `input` is the value that was validated, found at `base`. */
export function issueMessages(error: z.ZodError, input: unknown, base: YamlPath): string[] {
  return error.issues.map((issue) => {
    const found = valueAt(input, issue.path);
    const where = formatPath([...base, ...(issue.path as YamlPath)]);
    if (issue.code === 'custom') return `${where}: ${issue.message}`;
    if (found === undefined) return `${where}: missing, ${expectation(issue).replace(/^is not/, 'must be')}`;
    const text = expectation(issue);
    return text.startsWith('is ')
      ? `${where}: ${describeValue(found)} ${text}`
      : `${where}: found ${describeValue(found)}, ${text}`;
  });
}

/** Unwrap optional/default/nullable/pipe wrappers to the schema that describes the value's shape. */
function shapeOf(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (
      def.innerType &&
      ['optional', 'default', 'nullable', 'prefault', 'catch', 'readonly'].includes(def.type)
    )
      current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** A mapping key the schema does not name, and the known key of that mapping it is closest to. */
export interface UnknownKey {
  path: YamlPath;
  suggestion?: string;
}

/** Mapping keys in `value` that `schema` does not name (records accept any key). */
export function unknownKeys(schema: z.core.$ZodType, value: unknown, base: YamlPath): UnknownKey[] {
  const shape = shapeOf(schema);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const def = shape._zod.def as {
    type: string;
    shape?: Record<string, z.core.$ZodType>;
    valueType?: z.core.$ZodType;
  };
  const entries = Object.entries(value as Record<string, unknown>);
  if (def.type === 'object' && def.shape) {
    const known = def.shape;
    return entries.flatMap(([key, child]) =>
      Object.hasOwn(known, key)
        ? unknownKeys(known[key] as z.core.$ZodType, child, [...base, key])
        : [{ path: [...base, key], suggestion: nearestName(key, Object.keys(known)) }],
    );
  }
  if (def.type === 'record' && def.valueType) {
    const valueType = def.valueType;
    return entries.flatMap(([key, child]) => unknownKeys(valueType, child, [...base, key]));
  }
  return [];
}

/**
 * Unknown keys as warnings (`…max_iteraton: unknown key, ignored; did you mean "max_iteration"?`); a
 * problem that reports the suggested key missing is told which key was probably meant for it.
 */
export function reportUnknownKeys(keys: UnknownKey[], problems: string[], warnings: string[]): void {
  for (const { path, suggestion } of keys) {
    const where = formatPath(path);
    warnings.push(`${where}: unknown key, ignored${suggestion ? `; did you mean "${suggestion}"?` : ''}`);
    if (suggestion === undefined) continue;
    const missing = `${formatPath([...path.slice(0, -1), suggestion])}: missing`;
    const index = problems.findIndex((problem) => problem.startsWith(missing));
    if (index >= 0) problems[index] += ` (found ${JSON.stringify(path[path.length - 1])}, misspelt?)`;
  }
}

/** Loader warnings less those about a key a problem names too (a missing seqmap is reported once). */
export function withoutSuperseded(warnings: string[], problems: string[]): string[] {
  return warnings.filter((warning) => {
    const key = warning.slice(0, warning.indexOf(': ') + 2);
    return !(key.length > 2 && problems.some((problem) => problem.startsWith(key)));
  });
}
