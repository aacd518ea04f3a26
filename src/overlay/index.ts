/**
 * Config overlay: read values from, and write values into, the user's own config files without
 * disturbing anything else. The format follows the file name: `.json` → JSON, `.yml`/`.yaml` → YAML,
 * anything else → GLib key-file INI (nvinfer's `.txt`). Writing a value that is already there leaves
 * the file untouched, so writing back the original values gives a byte-identical file; every write is
 * verified by reading the result back.
 */
import { extname } from 'node:path';
import { inputError } from '../errors.js';
import type { ParamValue } from '../space/types.js';
import { iniValueText, parseIni, readIni, writeIni } from './ini.js';
import { parseJson, readJson, writeJson } from './json.js';
import type { Lookup } from './lookup.js';
import { describeValue, parseScalarText, sameScalar, storedForm } from './values.js';
import { loadYaml, readYaml, writeYaml } from './yaml.js';

export { isMapping, type Lookup } from './lookup.js';
export { describeValue, formatNumber } from './values.js';

export type FileFormat = 'ini' | 'yaml' | 'json';

interface FormatOps {
  /** Throws an InputError (with the line) when the text is not valid in this format. */
  check(text: string, file: string): void;
  read(text: string, file: string, location: string[]): Lookup;
  write(text: string, file: string, location: string[], value: ParamValue): string;
  /** DeepStream's INI and YAML readers take booleans as 1/0. */
  booleansAsNumbers: boolean;
  /** The value a reader of this format gets back for `value` (INI is untyped: "1.0" reads as 1). */
  readsAs(value: ParamValue, file: string, key: string): ParamValue;
}

const FORMATS: Record<FileFormat, FormatOps> = {
  ini: {
    check: parseIni,
    read: readIni,
    write: writeIni,
    booleansAsNumbers: true,
    readsAs: (v, file, key) => parseScalarText(iniValueText(v, file, key)),
  },
  yaml: { check: loadYaml, read: readYaml, write: writeYaml, booleansAsNumbers: true, readsAs: (v) => v },
  json: { check: parseJson, read: readJson, write: writeJson, booleansAsNumbers: false, readsAs: (v) => v },
};

export function formatOf(file: string): FileFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yml' || ext === '.yaml') return 'yaml';
  return 'ini';
}

/** Throws an InputError naming the file and line when `text` does not parse as `format`. */
export function checkSyntax(format: FileFormat, text: string, file: string): void {
  FORMATS[format].check(text, file);
}

/** What is at `location` (INI: [group, key]; YAML: [Section, key]; JSON: nested keys). */
export function lookup(format: FileFormat, text: string, file: string, location: string[]): Lookup {
  return FORMATS[format].read(text, file, location);
}

export function isScalar(value: unknown): value is ParamValue {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}

export interface Edit {
  location: string[];
  value: ParamValue;
  /** How messages name this value (e.g. the full parameter path); defaults to the location. */
  label?: string;
}

function labelOf(edit: Edit): string {
  return edit.label ?? edit.location.join('.');
}

/** The scalar currently at an edit's location, or an input error naming it and the file. */
function currentValue(ops: FormatOps, text: string, file: string, edit: Edit): ParamValue {
  const found = ops.read(text, file, edit.location);
  if (!found.found) throw inputError(file, undefined, `${labelOf(edit)}: not in the file (${found.reason})`);
  if (!isScalar(found.value))
    throw inputError(
      file,
      found.line,
      `${labelOf(edit)}: holds ${describeValue(found.value)}, not a single value`,
    );
  return found.value;
}

/**
 * `text` with every edit applied (later edits of one location win). Throws an InputError when a
 * location is missing or not a single value, and an Error if a value does not read back as written.
 */
export function applyEdits(format: FileFormat, text: string, file: string, edits: Edit[]): string {
  const ops = FORMATS[format];
  let result = text;
  const readsAs = (edit: Edit) => ops.readsAs(edit.value, file, labelOf(edit));
  for (const edit of edits) {
    const current = currentValue(ops, result, file, edit);
    if (!sameScalar(current, readsAs(edit), ops.booleansAsNumbers))
      result = ops.write(result, file, edit.location, edit.value);
  }
  const last = new Map(edits.map((edit) => [JSON.stringify(edit.location), edit]));
  for (const edit of last.values()) {
    const back = currentValue(ops, result, file, edit);
    if (!sameScalar(back, readsAs(edit), ops.booleansAsNumbers)) {
      const wrote = describeValue(storedForm(edit.value, ops.booleansAsNumbers));
      throw new Error(
        `overlay check failed in ${file}: ${labelOf(edit)} was written as ${wrote} but reads back as ${describeValue(back)}`,
      );
    }
  }
  return result;
}
