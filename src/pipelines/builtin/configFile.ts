/**
 * Typed, range-checked reads of the pipeline's config files (nvinfer INI, tracker YAML, MTMC JSON)
 * through the config overlay's readers. Every error names the file, the line when known, and the key.
 */
import { inputError, printable } from '../../errors.js';
import { CONFIG_LIMIT, type InputScope, readInputText } from '../../inputFiles.js';
import { checkSyntax, describeValue, type FileFormat, formatOf, lookup } from '../../overlay/index.js';
import { parseJson } from '../../overlay/json.js';
import { lookupPath } from '../../overlay/lookup.js';
import { loadYaml } from '../../overlay/yaml.js';

export interface Range {
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  integer?: boolean;
}

function describeRange(r: Range): string {
  const kind = r.integer ? 'an integer' : 'a number';
  const parts: string[] = [];
  if (r.above !== undefined) parts.push(`> ${r.above}`);
  if (r.min !== undefined) parts.push(`>= ${r.min}`);
  if (r.max !== undefined) parts.push(`<= ${r.max}`);
  return parts.length ? `${kind} ${parts.join(' and ')}` : kind;
}

export class ConfigFile {
  private constructor(
    readonly file: string,
    private readonly format: FileFormat,
    private readonly text: string,
    /** The parsed YAML/JSON document, so that each key is not parsed again (INI is looked up by line). */
    private readonly doc: unknown,
  ) {}

  /** Reads `file` through the input checks: a regular file of bounded size, inside `scope` when given. */
  static read(file: string, what: string, scope?: InputScope): ConfigFile {
    const text = readInputText(file, { what, scope, limit: CONFIG_LIMIT });
    const format = formatOf(file);
    if (format === 'ini') {
      checkSyntax(format, text, file);
      return new ConfigFile(file, format, text, null);
    }
    return new ConfigFile(
      file,
      format,
      text,
      format === 'yaml' ? loadYaml(text, file) : parseJson(text, file),
    );
  }

  /** Whether the file has a value at `location` (optional sections). */
  has(location: string[]): boolean {
    return this.find(location).found;
  }

  private find(location: string[]) {
    return this.doc === null
      ? lookup(this.format, this.text, this.file, location)
      : lookupPath(this.doc, location);
  }

  private value(location: string[]): { value: unknown } {
    const found = this.find(location);
    if (!found.found)
      throw inputError(this.file, undefined, `${location.join('.')} is missing (${found.reason})`);
    return found;
  }

  /** The key's line, for errors (looked up only then: it costs a second parse). */
  line(location: string[]): number | undefined {
    const found = lookup(this.format, this.text, this.file, location);
    return found.found ? found.line : undefined;
  }

  private fail(location: string[], expected: string, value: unknown): never {
    throw inputError(
      this.file,
      this.line(location),
      `${location.join('.')}: expected ${expected}, got ${printable(describeValue(value))}`,
    );
  }

  number(location: string[], range: Range = {}): number {
    const { value } = this.value(location);
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!range.integer || Number.isInteger(value)) &&
      (range.min === undefined || value >= range.min) &&
      (range.max === undefined || value <= range.max) &&
      (range.above === undefined || value > range.above);
    if (!ok) this.fail(location, describeRange(range), value);
    return value as number;
  }

  /** A 0/1 flag (DeepStream writes booleans as integers); true/false is accepted too. */
  flag(location: string[]): boolean {
    const { value } = this.value(location);
    if (value === 0 || value === 1 || typeof value === 'boolean') return Boolean(value);
    return this.fail(location, '0 or 1', value);
  }

  /** One of a fixed set of values (strings or integer codes). */
  choice<T extends string | number>(location: string[], options: readonly T[], names?: readonly string[]): T {
    const { value } = this.value(location);
    const found = options.find((o) => o === value);
    if (found === undefined) {
      const listed = options.map((o, i) => (names ? `${o} (${names[i]})` : JSON.stringify(o)));
      this.fail(location, `one of ${listed.join(', ')}`, value);
    }
    return found as T;
  }

  /** A number, or null (JSON) when the setting is off. */
  optionalNumber(location: string[], range: Range = {}): number | null {
    return this.value(location).value === null ? null : this.number(location, range);
  }
}
