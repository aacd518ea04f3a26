/**
 * A GLib key file as ordered groups of key=value entries, for generating a deepstream-app config from
 * the user's template: groups can be added, replaced and removed, keys set whether present or not.
 * Parsing is the overlay's (GLib rules); comments are not kept, because the result is a generated file.
 * As in GLib, a group that appears twice is one group, and a repeated key keeps its last value.
 */
import { InputError } from '../errors.js';
import { parseIni } from '../overlay/ini.js';

export class KeyFile {
  private readonly groups = new Map<string, Map<string, string>>();

  static parse(text: string, file: string): KeyFile {
    const keyFile = new KeyFile();
    for (const line of parseIni(text, file)) {
      if (line.header !== undefined) keyFile.group(line.header);
      if (line.group !== undefined && line.key !== undefined) {
        keyFile.group(line.group).set(line.key, line.content.slice(line.valueStart));
      }
    }
    return keyFile;
  }

  /** The group's entries, created empty if missing. */
  private group(name: string): Map<string, string> {
    let entries = this.groups.get(name);
    if (!entries) {
      entries = new Map();
      this.groups.set(name, entries);
    }
    return entries;
  }

  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  has(group: string): boolean {
    return this.groups.has(group);
  }

  get(group: string, key: string): string | undefined {
    return this.groups.get(group)?.get(key);
  }

  /** Every entry of a group, in file order. */
  entries(group: string): [string, string][] {
    return [...(this.groups.get(group) ?? [])];
  }

  set(group: string, key: string, value: string | number): void {
    const text = String(value);
    // A key file value is one line; GLib would also drop leading whitespace.
    if (/[\r\n]/.test(text) || text !== text.trimStart()) {
      throw new InputError(`[${group}] ${key}: ${JSON.stringify(text)} cannot be written to a key file`);
    }
    this.group(group).set(key, text);
  }

  removeGroup(name: string): void {
    this.groups.delete(name);
  }

  toString(): string {
    return [...this.groups]
      .map(([name, entries]) =>
        [`[${name}]`, ...[...entries].map(([key, value]) => `${key}=${value}`)].join('\n'),
      )
      .join('\n\n')
      .concat('\n');
  }
}
