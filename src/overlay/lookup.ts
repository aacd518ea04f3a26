import { printable, quoted } from '../errors.js';

/** The answer of a format reader to "what is at this location?", and the walk shared by YAML and JSON. */
export type Lookup =
  | {
      found: true;
      value: unknown;
      line?: number;
      /** Set when the value cannot be replaced in place (YAML: an alias `*name`), saying why. */
      notInPlace?: string;
      /** Other places that hold the same node (YAML aliases of an anchor on it), which a write changes too. */
      sharedWith?: string[];
    }
  /** `reason` names what is missing, e.g. `"StateEstimator" has no key "processNoiseVar4Loc"`. */
  | { found: false; reason: string };

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follow mapping keys from the document root. */
export function lookupPath(doc: unknown, location: string[]): Lookup {
  let node = doc;
  for (const [depth, key] of location.entries()) {
    const parent = printable(location.slice(0, depth).join('.'));
    if (!isMapping(node))
      return {
        found: false,
        reason: depth === 0 ? 'the file is not a mapping' : `"${parent}" is not a mapping`,
      };
    if (!Object.hasOwn(node, key))
      return {
        found: false,
        reason: depth === 0 ? `there is no ${quoted(key)}` : `"${parent}" has no key ${quoted(key)}`,
      };
    node = node[key];
  }
  return { found: true, value: node };
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
