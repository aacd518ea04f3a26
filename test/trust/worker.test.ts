/**
 * With real processes: a GPU worker refuses a study whose program its operator did not allow, and the
 * CLI and workers meet in the namespace Temporal's settings name (TEMPORAL_NAMESPACE).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SEARCH_ATTRIBUTES } from '../../src/study/searchAttributes.js';
import { ensureTemporalCli } from '../../src/temporal/install.js';
import { fixtureRoot, readRecords } from '../helpers/study.js';
import { type CliRun, runCli, startTestServer } from '../helpers/temporal.js';

const small = (y: string) =>
  y.replace(/max_iteration: 5/g, 'max_iteration: 1').replace(/batch_size: 2/g, 'batch_size: 1');

describe('worker policy and namespace, end to end', () => {
  it("a GPU worker with --allow-program python3 refuses the study's `node` program, naming the key", {
    timeout: 180_000,
  }, async () => {
    const server = await startTestServer();
    const env = { TEMPORAL_ADDRESS: server.address };
    const procs: CliRun[] = [
      runCli(['worker', '--control'], env),
      runCli(['worker', '--gpu', '0', '--allow-program', 'python3'], env),
    ];
    try {
      await Promise.all(procs.map((p) => p.waitFor(/polling on/)));
      const { config, root, output } = await fixtureRoot(small, 'refused');
      const tune = runCli(['tune', config, '--root', root, '--name', 'refused'], env);
      const { code } = await tune.exit;
      expect(code).not.toBe(0);
      expect(tune.output()).toContain(
        'parameter_space.Init.Exec.command: program "node" is not allowed on this worker (allowed: python3; pipetune worker --allow-program)',
      );
      expect((await readRecords(output)).filter((r) => r.status === 'ok')).toEqual([]);
    } finally {
      for (const p of procs) p.child.kill('SIGKILL');
      await server.stop();
    }
  });

  it('TEMPORAL_NAMESPACE: workers and the CLI run the study in that namespace', {
    timeout: 180_000,
  }, async () => {
    const server = await startTestServer();
    const cli = await ensureTemporalCli();
    const created = spawnSync(
      cli,
      ['operator', 'namespace', 'create', '--namespace', 'perception', '--address', server.address],
      {
        encoding: 'utf8',
      },
    );
    expect(created.status, created.stderr).toBe(0);
    // A new namespace needs the search attributes studies are started with (docs/trust.md).
    for (const a of SEARCH_ATTRIBUTES) {
      const made = spawnSync(
        cli,
        [
          'operator',
          'search-attribute',
          'create',
          '--namespace',
          'perception',
          '--name',
          a.name,
          '--type',
          a.cliType,
          '--address',
          server.address,
        ],
        { encoding: 'utf8' },
      );
      expect(made.status, made.stderr).toBe(0);
    }
    const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'perception' };
    const procs: CliRun[] = [runCli(['worker', '--control'], env), runCli(['worker', '--gpu', '0'], env)];
    try {
      await Promise.all(procs.map((p) => p.waitFor(/polling on/, 60_000)));
      const { config, root, output } = await fixtureRoot(small, 'ns');
      const tune = runCli(['tune', config, '--root', root, '--name', 'ns'], env);
      const { code } = await tune.exit;
      expect(code, tune.output()).toBe(0);
      expect((await readRecords(output)).length).toBeGreaterThan(0);
      const inDefault = spawnSync(
        cli,
        ['workflow', 'list', '--namespace', 'default', '--address', server.address],
        { encoding: 'utf8' },
      );
      const inPerception = spawnSync(
        cli,
        ['workflow', 'list', '--namespace', 'perception', '--address', server.address],
        { encoding: 'utf8' },
      );
      expect(inPerception.stdout).toContain('pipetune-ns');
      expect(inDefault.stdout).not.toContain('pipetune-ns');
    } finally {
      for (const p of procs) p.child.kill('SIGKILL');
      await server.stop();
    }
  });
});
