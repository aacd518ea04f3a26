/**
 * Scalar helpers shared by the INI, YAML and JSON overlays: number text that every target parser reads
 * back exactly, and the comparison used to decide whether a value changed.
 */
import type { ParamValue } from '../space/types.js';

/**
 * Shortest round-tripping decimal text of a finite number, never in exponent form: GLib's
 * `g_ascii_strtod` would accept `1e-7`, but YAML 1.1 readers take `1e-7` for a string, so plain
 * decimals are the one spelling all three formats agree on.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x} into a config file`);
  if (Object.is(x, -0)) return '0';
  const text = String(x);
  const exp = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exp) return text;
  const [, sign, lead, frac = '', expText] = exp;
  const shift = Number(expText);
  const digits = lead + frac;
  // JS switches to exponent form only below 1e-6 or at 1e21 and above, so `shift` is far from 0.
  return shift < 0
    ? `${sign}0.${'0'.repeat(-shift - 1)}${digits}`
    : `${sign}${digits}${'0'.repeat(shift - frac.length)}`;
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The typed value of an untyped config text (INI values): a number, `true`/`false`, or the text. */
export function parseScalarText(text: string): ParamValue {
  const trimmed = text.trim();
  if (NUMBER_TEXT.test(trimmed)) return Number(trimmed);
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  return text;
}

/**
 * DeepStream's INI and tracker YAML readers take booleans as 0/1 (`maintain-aspect-ratio=1`,
 * `enableReAssoc: 1`), so those formats store `true` as 1; JSON keeps real booleans.
 */
export function storedForm(value: ParamValue, booleansAsNumbers: boolean): ParamValue {
  return booleansAsNumbers && typeof value === 'boolean' ? Number(value) : value;
}

/** Whether a value read from a file is the value we would write (so the file can stay untouched). */
export function sameScalar(a: unknown, b: ParamValue, booleansAsNumbers: boolean): boolean {
  const left = typeof a === 'boolean' ? storedForm(a, booleansAsNumbers) : a;
  return left === storedForm(b, booleansAsNumbers);
}

/** Longer strings are cut: a message quotes a value, it does not echo a 5 MB one. */
const DESCRIBED_LENGTH = 80;

/** A short human description of a found value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return value.length > DESCRIBED_LENGTH
      ? `${JSON.stringify(value.slice(0, DESCRIBED_LENGTH)).slice(0, -1)}…"`
      : JSON.stringify(value);
  return String(value).slice(0, DESCRIBED_LENGTH);
}
