import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InputError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into one-line input errors that name the command. */
export function parseCommandArgs<T extends Options>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new InputError(`pipetune ${command}: ${(err as Error).message} (see pipetune ${command} --help)`);
  }
}

/** A numeric flag value, or an input error naming the flag. */
export function numberFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  { integer = false, min = -Infinity } = {},
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    throw new InputError(
      `--${name}: expected ${integer ? 'an integer' : 'a number'} >= ${min}, got "${value}"`,
    );
  }
  return n;
}
