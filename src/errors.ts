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

const NAMED_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** C0 controls, DEL, C1 controls and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;

/**
 * `text` with control characters escaped (`\r`, `\x00`, `\x1b`, …): text from an input file, printed in
 * an error, must not move the cursor, recolour or clear the terminal, or break the line.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return (
      NAMED_ESCAPES[c] ??
      (code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`)
    );
  });
}

const QUOTE_LIMIT = 80;

/** Input text quoted in an error message: in double quotes, printable, cut after 80 characters. */
export function quoted(text: string): string {
  return `"${printable(text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text)}"`;
}
