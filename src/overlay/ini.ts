/**
 * GLib key-file INI (nvinfer, deepstream-app), read and edited line by line so that comments, order,
 * spacing and line endings survive. Parsing follows `g_key_file_parse_line`: leading whitespace is
 * skipped; `#` lines are comments; `[name]` starts a group; otherwise the line must hold `key=value`,
 * split at the first `=`, with whitespace trimmed around the `=`, the value's trailing whitespace kept
 * and a CR before the LF dropped. There are no inline comments. Lookups are case-sensitive and the last
 * of duplicate keys wins, as in GLib.
 */
import { inputError, printable, quoted } from '../errors.js';
import type { ParamValue } from '../space/types.js';
import type { Lookup } from './lookup.js';
import { formatNumber, parseScalarText } from './values.js';

interface IniLine {
  /** Line content without its end of line. */
  content: string;
  /** `\r\n`, `\n` or '' (last line without newline). */
  eol: string;
  /** Set on `[name]` lines. */
  header?: string;
  /** Set on key=value lines: the group they belong to and their key. */
  group?: string;
  key?: string;
  /** Offset in `content` where the value starts (after `=` and its following whitespace). */
  valueStart?: number;
}

function splitLines(text: string): { content: string; eol: string }[] {
  return text
    .split(/(?<=\n)/)
    .filter((piece) => piece !== '')
    .map((piece) => {
      const eol = piece.endsWith('\r\n') ? '\r\n' : piece.endsWith('\n') ? '\n' : '';
      return { content: piece.slice(0, piece.length - eol.length), eol };
    });
}

export function parseIni(text: string, file: string): IniLine[] {
  let group: string | undefined;
  return splitLines(text).map(({ content, eol }, index) => {
    const body = content.replace(/^\s+/, '');
    if (body === '' || body.startsWith('#')) return { content, eol };
    const header = /^\[([^\][]*)\][ \t]*$/.exec(body);
    if (header) {
      group = header[1] as string;
      return { content, eol, header: group };
    }
    const eq = content.indexOf('=');
    if (eq < 0)
      throw inputError(
        file,
        index + 1,
        `"${content.trim()}" is not a key=value pair, a [group] or a # comment`,
      );
    const key = content.slice(0, eq).trim();
    if (key === '') throw inputError(file, index + 1, 'a key=value line has no key');
    if (group === undefined) throw inputError(file, index + 1, `key "${key}" comes before the first [group]`);
    let valueStart = eq + 1;
    while (valueStart < content.length && /\s/.test(content[valueStart] as string)) valueStart++;
    return { content, eol, group, key, valueStart };
  });
}

/** Index of the line GLib reads for `group`/`key` (the last duplicate), or -1. */
function findEntry(lines: IniLine[], group: string, key: string): number {
  for (let i = lines.length - 1; i >= 0; i--)
    if (lines[i]?.group === group && lines[i]?.key === key) return i;
  return -1;
}

function checkLocation(location: string[], file: string): [string, string] {
  if (location.length !== 2)
    throw inputError(file, undefined, `an INI value is addressed as group.key, not "${location.join('.')}"`);
  return location as [string, string];
}

/** The typed value of `[group] key` (numbers and true/false parsed, other text as is). */
export function readIni(text: string, file: string, location: string[]): Lookup {
  const [group, key] = checkLocation(location, file);
  const lines = parseIni(text, file);
  const index = findEntry(lines, group, key);
  if (index < 0) {
    const hasGroup = lines.some((line) => line.header === group);
    return {
      found: false,
      reason: hasGroup
        ? `group [${printable(group)}] has no key ${quoted(key)}`
        : `there is no group [${printable(group)}]`,
    };
  }
  const line = lines[index] as IniLine;
  return { found: true, value: parseScalarText(line.content.slice(line.valueStart)), line: index + 1 };
}

/**
 * INI text of a value: numbers as plain decimals (integers without a point), booleans as 1/0 — or as
 * true/false when the file spells the current value that way (`current`, GLib reads both).
 */
export function iniValueText(value: ParamValue, file: string, key: string, current = ''): string {
  const words = /^(true|false)$/.test(current.trim());
  if (words && (typeof value === 'boolean' || value === 0 || value === 1)) return String(Boolean(value));
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  // GLib would trim leading whitespace and has no way to continue a value on the next line.
  if (/[\r\n]/.test(value) || value !== value.trimStart()) {
    throw inputError(
      file,
      undefined,
      `${key}: ${JSON.stringify(value)} cannot be written as a key-file value`,
    );
  }
  return value;
}

/** `text` with the value of `[group] key` replaced; every other byte is kept. */
export function writeIni(text: string, file: string, location: string[], value: ParamValue): string {
  const [group, key] = checkLocation(location, file);
  const lines = parseIni(text, file);
  const index = findEntry(lines, group, key);
  if (index < 0) throw inputError(file, undefined, `[${group}] ${key} is not in the file`);
  const line = lines[index] as IniLine;
  const current = line.content.slice(line.valueStart);
  // Readers of numbers and booleans skip trailing whitespace, so it is kept; in a string it would be
  // part of the value, so a new string ends where it ends.
  const trailing = typeof value === 'string' ? '' : (/\s*$/.exec(current)?.[0] ?? '');
  const updated = {
    ...line,
    content: line.content.slice(0, line.valueStart) + iniValueText(value, file, key, current) + trailing,
  };
  return lines
    .map((l, i) => (i === index ? updated : l))
    .map((l) => l.content + l.eol)
    .join('');
}

/** Keys set in `[groupName]`, in file order (for precedence checks across class-attrs groups). */
export function iniGroupKeys(text: string, file: string): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const line of parseIni(text, file)) {
    if (line.group === undefined || line.key === undefined) continue;
    const keys = groups.get(line.group) ?? new Set<string>();
    keys.add(line.key);
    groups.set(line.group, keys);
  }
  return groups;
}
