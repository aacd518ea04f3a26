/**
 * An error caused by the user's input (a file, a config key, a flag). The CLI prints its message on one
 * line and exits with code 2, never with a stack trace. The message must say where (file, line or config
 * path) and what was expected.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** `file:line: reason` (line is 1-based; omitted when unknown). */
export function inputError(file: string, line: number | undefined, reason: string): InputError {
  return new InputError(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
}
