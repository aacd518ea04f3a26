/**
 * JSON configs (Metropolis MTMC `config_mtmc_app.json`): nested keys addressed as `object.key`, each
 * value replaced in its exact character range so indentation and the spelling of other numbers
 * (`0.0`, `1e-3`) stay as they were.
 */
import { inputError, printable } from '../errors.js';
import type { ParamValue } from '../space/types.js';
import { type Lookup, lineAt, lookupPath } from './lookup.js';
import { type SpanIndex, scalarSpans, spanKey } from './spans.js';
import { formatNumber } from './values.js';

export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const position = /position (\d+)/.exec((err as Error).message);
    throw inputError(
      file,
      position ? lineAt(text, Number(position[1])) : undefined,
      // V8 quotes the text around the fault, newlines included: escaped, so the message stays one line.
      `not valid JSON: ${printable((err as Error).message)}`,
    );
  }
}

/** YAML's parser reads JSON too and reports where each scalar sits. */
function jsonSpans(text: string, file: string): SpanIndex {
  try {
    return scalarSpans(text);
  } catch (err) {
    throw inputError(file, undefined, `cannot locate values in this JSON: ${(err as Error).message}`);
  }
}

export function readJson(text: string, file: string, location: string[]): Lookup {
  const result = lookupPath(parseJson(text, file), location);
  if (!result.found) return result;
  const span = jsonSpans(text, file).scalars.get(spanKey(location));
  return span ? { ...result, line: lineAt(text, span.start) } : result;
}

function jsonValueText(value: ParamValue): string {
  return typeof value === 'number' ? formatNumber(value) : JSON.stringify(value);
}

/** `text` with the value at `location` replaced; every other byte is kept. */
export function writeJson(text: string, file: string, location: string[], value: ParamValue): string {
  const found = lookupPath(parseJson(text, file), location);
  if (!found.found) throw inputError(file, undefined, `${location.join('.')}: ${found.reason}`);
  const span = jsonSpans(text, file).scalars.get(spanKey(location));
  if (!span)
    throw inputError(file, undefined, `${location.join('.')}: not a single value that can be replaced`);
  return text.slice(0, span.start) + jsonValueText(value) + text.slice(span.end);
}
