/**
 * DeepStream YAML configs (NvMultiObjectTracker `ll-config-file`, nvinfer `.yml`): values are replaced
 * in place, character range by character range, so the `%YAML:1.0` first line, every comment and the
 * key order stay as the user wrote them. Values are addressed by `Section.key` (any depth of mapping
 * keys). Numbers are written as plain decimals; booleans keep the file's spelling (`true`/`false` where
 * the file has them, since yaml-cpp's boolean reader refuses 0/1, and 1/0 where the file has numbers).
 * Aliases (`*name`) cannot be replaced in place; a value under an anchor (`&name`) changes every alias.
 */
import { load } from 'js-yaml';
import { inputError } from '../errors.js';
import type { ParamValue } from '../space/types.js';
import { unclosedBracket } from './flowBrackets.js';
import { type Lookup, lineAt, lookupPath } from './lookup.js';
import { aliasAt, aliasesSharing, type SpanIndex, scalarSpans, spanKey } from './spans.js';
import { formatNumber } from './values.js';

/** A blank, comment or directive line: what may come before a document's first node. */
const PRELUDE_LINE = /^(?:[ \t]*(?:#.*)?|%.*)\r?\n?$/;

/**
 * The text handed to the YAML parser: `%YAML` directive lines before the first node (OpenCV writes
 * `%YAML:1.0`, which YAML parsers reject; NVIDIA's samples put it after a licence comment, or after a
 * UTF-8 byte order mark) are blanked with spaces, so offsets and line numbers still match the file.
 * The parser itself skips the byte order mark and counts it in its offsets.
 */
function parsableText(text: string): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  let inPrelude = true;
  const lines = text
    .slice(bom.length)
    .split(/(?<=\n)/)
    .map((line) => {
      inPrelude &&= PRELUDE_LINE.test(line);
      return inPrelude && line.startsWith('%YAML') ? line.replace(/[^\r\n]/g, ' ') : line;
    });
  return bom + lines.join('');
}

/** The document in `text`, or an InputError naming the file and line (also used for study configs). */
export function loadYaml(text: string, file: string): unknown {
  try {
    return load(parsableText(text), { filename: file });
  } catch (err) {
    const { reason, mark } = err as { reason?: string; mark?: { line: number; position: number } };
    const message = reason ?? (err as Error).message;
    const bracket = mark ? unclosedBracket(text, mark.position) : undefined;
    if (bracket !== undefined && mark && lineAt(text, bracket) !== mark.line + 1) {
      throw inputError(
        file,
        lineAt(text, bracket),
        `not valid YAML: the "${text[bracket]}" here is not closed (the parser stopped at line ${mark.line + 1}: ${message})`,
      );
    }
    throw inputError(file, mark ? mark.line + 1 : undefined, `not valid YAML: ${message}`);
  }
}

function isScalarValue(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}

function aliasProblem(text: string, index: SpanIndex, location: string[]): string | undefined {
  const alias = aliasAt(index, location);
  if (!alias) return undefined;
  const anchored = index.anchors.get(alias.anchor);
  const target = anchored ? index.scalars.get(spanKey(anchored)) : undefined;
  const where = anchored
    ? ` (${anchored.join('.') || 'the root'}${target ? `, line ${lineAt(text, target.start)}` : ''})`
    : '';
  return `line ${lineAt(text, alias.offset)} is an alias *${alias.anchor} of &${alias.anchor}${where}, not a value of its own`;
}

export function readYaml(text: string, file: string, location: string[]): Lookup {
  const result = lookupPath(loadYaml(text, file), location);
  if (!result.found) return result;
  const index = scalarSpans(parsableText(text));
  const notInPlace = aliasProblem(text, index, location);
  if (notInPlace) {
    const alias = aliasAt(index, location);
    return { ...result, line: alias ? lineAt(text, alias.offset) : undefined, notInPlace };
  }
  // An alias of an anchored mapping shares the value under the same keys below it.
  const shared = aliasesSharing(index, location).map((alias) => {
    const below = location.slice(index.anchors.get(alias.anchor)?.length ?? location.length);
    return `${[...alias.path, ...below].join('.')} (line ${lineAt(text, alias.offset)})`;
  });
  const span = index.scalars.get(spanKey(location));
  if (!span && isScalarValue(result.value))
    return { ...result, notInPlace: 'has no text of its own in the file (merged in with `<<`?)' };
  const withShared = shared.length > 0 ? { ...result, sharedWith: shared } : result;
  return span ? { ...withShared, line: lineAt(text, span.start) } : withShared;
}

/** A plain scalar when YAML reads it back as the same string, else a double-quoted (JSON) string. */
function yamlStringText(value: string): string {
  try {
    const back = load(`k: ${value}\n`) as { k?: unknown } | null;
    if (back?.k === value && !value.includes('#') && !/^\s|\s$/.test(value)) return value;
  } catch {
    // not usable as a plain scalar
  }
  return JSON.stringify(value);
}

/** `true`/`false` in the case of the file's own spelling (`True`, `TRUE` stay so). */
function booleanText(value: boolean, spelled: string): string {
  const word = value ? 'true' : 'false';
  if (spelled === spelled.toUpperCase()) return word.toUpperCase();
  return spelled[0] === spelled[0]?.toUpperCase() ? word[0]?.toUpperCase() + word.slice(1) : word;
}

/**
 * The text written for `value` where the file holds `current` (spelled `spelled`): a boolean key keeps
 * boolean words — also for a 0/1 from a numeric range — and a numeric key takes 1/0 for a boolean.
 */
function yamlValueText(value: ParamValue, current: unknown, spelled: string): string {
  if (typeof current === 'boolean' && (typeof value === 'boolean' || value === 0 || value === 1))
    return booleanText(Boolean(value), spelled);
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return yamlStringText(value);
}

/** `text` with the scalar at `location` replaced; every other byte is kept. */
export function writeYaml(text: string, file: string, location: string[], value: ParamValue): string {
  const found = lookupPath(loadYaml(text, file), location);
  if (!found.found) throw inputError(file, undefined, `${location.join('.')}: ${found.reason}`);
  const index = scalarSpans(parsableText(text));
  const alias = aliasProblem(text, index, location);
  if (alias) throw inputError(file, undefined, `${location.join('.')}: ${alias}`);
  const span = index.scalars.get(spanKey(location));
  if (!span || span.multiline) {
    throw inputError(
      file,
      undefined,
      `${location.join('.')}: not a one-line value that can be replaced in place`,
    );
  }
  const spelled = text.slice(span.start, span.end);
  return text.slice(0, span.start) + yamlValueText(value, found.value, spelled) + text.slice(span.end);
}
