import { InputError } from '../errors.js';

/**
 * Run a command body and turn its outcome into an exit code: input errors print one line and exit 2;
 * internal failures print one line too, with the stack only when PIPETUNE_DEBUG is set.
 */
export function runCli(body: () => Promise<number>): void {
  body().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof InputError) {
        process.stderr.write(`pipetune: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`pipetune: internal error: ${(err as Error)?.message ?? String(err)}\n`);
      if (process.env.PIPETUNE_DEBUG) process.stderr.write(`${(err as Error)?.stack}\n`);
      else process.stderr.write('pipetune: set PIPETUNE_DEBUG=1 for the stack trace\n');
      process.exitCode = 1;
    },
  );
}
