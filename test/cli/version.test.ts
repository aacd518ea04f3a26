// `pipetune --version`, `-V` and `version` (issue 18, item 3): the package version, the Temporal SDK
// version and the Temporal CLI's own answer, each taken here from its source, not from pipetune.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../src/temporal/install.js';
import { pipetuneSync } from '../helpers/cli.js';
import { REPO } from '../helpers/temporal.js';

const versionIn = (file: string) => JSON.parse(readFileSync(file, 'utf8')).version as string;

describe('pipetune version', () => {
  it('prints the package, SDK and CLI versions for --version, -V and version', async () => {
    const cli = await ensureTemporalCli();
    const own = execFileSync(cli, ['--version'], { encoding: 'utf8' })
      .trim()
      .replace('temporal version ', '');
    const expected = [
      `pipetune ${versionIn(join(REPO, 'package.json'))}`,
      `Temporal TypeScript SDK ${versionIn(join(REPO, 'node_modules/@temporalio/client/package.json'))}`,
      `Temporal CLI ${own} (PIPETUNE_TEMPORAL_CLI=${cli})`,
      '',
    ].join('\n');
    for (const flag of ['--version', '-V', 'version']) {
      const run = pipetuneSync([flag], undefined, { PIPETUNE_TEMPORAL_CLI: cli });
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
        code: 0,
        stdout: expected,
        stderr: '',
      });
    }
  });

  it('says when the Temporal CLI it would use is missing, without installing it', () => {
    const run = pipetuneSync(['version'], undefined, { PIPETUNE_TEMPORAL_CLI: '/nonexistent/temporal' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Temporal CLI missing (PIPETUNE_TEMPORAL_CLI=/nonexistent/temporal)\n');
  });

  it('takes no arguments', () => {
    const run = pipetuneSync(['version', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('pipetune version: takes no arguments, got "x"\n');
  });
});
