/**
 * DeepStream YAML configs (NvMultiObjectTracker `ll-config-file`, nvinfer `.yml`): values are replaced
 * in place, character range by character range, so the `%YAML:1.0` first line, every comment and the
 * key order stay as the user wrote them. Values are addressed by `Section.key` (any depth of mapping
 * keys). Booleans are written as 1/0 and numbers as plain decimals, which DeepStream's yaml-cpp reads.
 */
import { load } from 'js-yaml';
import { inputError } from '../errors.js';
import type { ParamValue } from '../space/types.js';
import { type Lookup, lineAt, lookupPath } from './lookup.js';
import { scalarSpans, spanKey } from './spans.js';
import { formatNumber } from './values.js';

/**
 * The text handed to the YAML parser: a leading OpenCV-style `%YAML:1.0` line, which YAML parsers
 * reject, is blanked with spaces so that offsets and line numbers still match the file.
 */
function parsableText(text: string): string {
  const directive = /^%YAML[^\r\n]*/.exec(text);
  return directive ? ' '.repeat(directive[0].length) + text.slice(directive[0].length) : text;
}

/** The document in `text`, or an InputError naming the file and line (also used for study configs). */
export function loadYaml(text: string, file: string): unknown {
  try {
    return load(parsableText(text), { filename: file });
  } catch (err) {
    const { reason, mark } = err as { reason?: string; mark?: { line: number } };
    throw inputError(
      file,
      mark ? mark.line + 1 : undefined,
      `not valid YAML: ${reason ?? (err as Error).message}`,
    );
  }
}

export function readYaml(text: string, file: string, location: string[]): Lookup {
  const result = lookupPath(loadYaml(text, file), location);
  if (!result.found) return result;
  const span = scalarSpans(parsableText(text)).get(spanKey(location));
  return span ? { ...result, line: lineAt(text, span.start) } : result;
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

function yamlValueText(value: ParamValue): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return yamlStringText(value);
}

/** `text` with the scalar at `location` replaced; every other byte is kept. */
export function writeYaml(text: string, file: string, location: string[], value: ParamValue): string {
  const found = lookupPath(loadYaml(text, file), location);
  if (!found.found) throw inputError(file, undefined, `${location.join('.')}: ${found.reason}`);
  const span = scalarSpans(parsableText(text)).get(spanKey(location));
  if (!span || span.multiline) {
    throw inputError(
      file,
      undefined,
      `${location.join('.')}: not a one-line value that can be replaced in place`,
    );
  }
  return text.slice(0, span.start) + yamlValueText(value) + text.slice(span.end);
}
