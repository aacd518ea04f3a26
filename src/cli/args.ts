import { type ParseArgsConfig, parseArgs } from 'node:util';
import { nearestName } from '../config/suggest.js';
import { InputError, quoted } from '../errors.js';

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
    const help = `(see pipetune ${command} --help)`;
    // Node's text for this one leaves a quote open and suggests '--'; name the option and its near miss.
    const unknown = /^Unknown option '([^']*)'/.exec((err as Error).message);
    if (unknown) {
      const flag = unknown[1] as string;
      const near = nearestName(
        flag,
        Object.keys(options).map((name) => `--${name}`),
      );
      const hint = near ? `; did you mean ${near}?` : '';
      throw new InputError(`pipetune ${command}: unknown option ${quoted(flag)}${hint} ${help}`);
    }
    throw new InputError(`pipetune ${command}: ${(err as Error).message} ${help}`);
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
