import { InputError, printable } from '../errors.js';
import { serverUnreachable } from '../temporal/unreachable.js';

/**
 * A message as the CLI prints it: control bytes escaped, whatever quoted them (the last line of defence
 * against input text that would rewrite the terminal); line breaks of usage texts are kept.
 */
const shown = (message: string) => message.split('\n').map(printable).join('\n');

/**
 * Run a command body and turn its outcome into an exit code: input errors print one line and exit 2;
 * internal failures print one line too, with the stack only when PIPETUNE_DEBUG is set.
 */
export function runCli(body: () => Promise<number>): void {
  // A gRPC call that fails after its command moved on (e.g. the server went away) ends the CLI with one line.
  process.on('unhandledRejection', (err) => {
    process.stderr.write(
      `pipetune: lost the Temporal server: ${shown((err as Error)?.message ?? String(err))}\n`,
    );
    process.exit(1);
  });
  body().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof InputError) {
        // Messages of a command already start with `pipetune <command>:`.
        const prefix = err.message.startsWith('pipetune ') ? '' : 'pipetune: ';
        process.stderr.write(`${prefix}${shown(err.message)}\n`);
        process.exitCode = 2;
        return;
      }
      if (serverUnreachable(err)) {
        process.stderr.write(
          `pipetune: the Temporal server does not answer: ${shown((err as Error).message)}\n`,
        );
        process.exitCode = 1;
        return;
      }
      process.stderr.write(`pipetune: internal error: ${shown((err as Error)?.message ?? String(err))}\n`);
      if (process.env.PIPETUNE_DEBUG) process.stderr.write(`${shown(String((err as Error)?.stack))}\n`);
      else process.stderr.write('pipetune: set PIPETUNE_DEBUG=1 for the stack trace\n');
      process.exitCode = 1;
    },
  );
}
