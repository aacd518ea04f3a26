/**
 * With real processes: a GPU worker refuses a study its operator did not allow (no allow-list, a policy
 * file), and the
 * CLI and workers meet in the namespace Temporal's settings name (TEMPORAL_NAMESPACE).
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEARCH_ATTRIBUTES } from '../../src/study/searchAttributes.js';
import { ensureTemporalCli } from '../../src/temporal/install.js';
import { fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, runCli, startTestServer } from '../helpers/temporal.js';
import { TEST_IMAGES } from '../pipelines/dockerTestEnv.js';

const small = (y: string) =>
  y.replace(/max_iteration: 5/g, 'max_iteration: 1').replace(/batch_size: 2/g, 'batch_size: 1');

describe('worker policy and namespace, end to end', () => {
  it("a GPU worker started without an allow-list refuses the study's `node` program, naming the key and the flag", {
    timeout: 180_000,
  }, async () => {
    const server = await startTestServer();
    const env = { TEMPORAL_ADDRESS: server.address };
    const procs: CliRun[] = [runCli(['worker', '--control'], env), runCli(['worker', '--gpu', '0'], env)];
    try {
      await Promise.all(procs.map((p) => p.waitFor(/polling on/)));
      const { config, root, output } = await fixtureRoot(small, 'refused');
      const tune = runCli(['tune', config, '--root', root, '--name', 'refused'], env);
      const { code } = await tune.exit;
      expect(code).not.toBe(0);
      expect(tune.output()).toContain(
        'parameter_space.Init.Exec.command: program "node" is not allowed on this worker (allowed: none; pipetune worker --allow-program node, or programs: in its --policy file)',
      );
      expect((await readRecords(output)).filter((r) => r.status === 'ok')).toEqual([]);
      expect(procs[1]!.output()).toContain(
        "pipetune worker gpu 0 runs: programs none; images none; study root each study's own; container network none; extra binds none; root containers no\n",
      );
    } finally {
      for (const p of procs) p.child.kill('SIGKILL');
      await server.stop();
    }
  });

  it('a GPU worker with a --policy file runs the studies it allows and refuses a docker bind outside the study root', {
    timeout: 240_000,
  }, async () => {
    const allowed = await fixtureRoot(small, 'allowed');
    const binds = await fixtureRoot(
      (y) =>
        small(y).replace(
          'pipeline: command',
          `pipeline: command\n      docker: { image: ${TEST_IMAGES.busybox}, gpus: false, binds: ["/etc:/host-etc:ro"] }`,
        ),
      'binds',
    );
    const policyFile = path.join(allowed.root, 'worker-policy.yml');
    await writeFile(
      policyFile,
      `programs: [node]\nimages: [${TEST_IMAGES.busybox}]\nstudyRoot: ${path.dirname(allowed.root)}\n`,
    );
    const server = await startTestServer();
    const env = { TEMPORAL_ADDRESS: server.address };
    const procs: CliRun[] = [
      runCli(['worker', '--control'], env),
      runCli(['worker', '--gpu', '0', '--policy', policyFile], env),
    ];
    try {
      await Promise.all(procs.map((p) => p.waitFor(/polling on/)));
      const ok = runCli(['tune', allowed.config, '--root', allowed.root, '--name', 'allowed'], env);
      expect((await ok.exit).code, ok.output()).toBe(0);
      expect((await readRecords(allowed.output)).filter((r) => r.status === 'ok').length).toBeGreaterThan(0);

      const refused = runCli(['tune', binds.config, '--root', binds.root, '--name', 'binds'], env);
      expect((await refused.exit).code).not.toBe(0);
      expect(refused.output()).toContain(
        `parameter_space.Init.Exec.docker.binds[0]: "/etc:/host-etc:ro" resolves outside the study root ${binds.root} and the folders this worker allows (after following symlinks); refused (pipetune worker --allow-bind DIR[:ro], or binds: in its --policy file)`,
      );
      expect((await readRecords(binds.output)).filter((r) => r.status === 'ok')).toEqual([]);
    } finally {
      for (const p of procs) p.child.kill('SIGKILL');
      await server.stop();
    }
  });

  it('a bad --policy file stops the worker with one line naming the file and the key', async () => {
    const { root } = await fixtureRoot();
    const policyFile = path.join(root, 'worker-policy.yml');
    await writeFile(policyFile, 'programs: [node]\nnetwork: yes please\n');
    const worker = runCli(['worker', '--gpu', '0', '--policy', policyFile], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect((await worker.exit).code).toBe(2);
    expect(worker.output()).toBe(
      `pipetune: ${policyFile}: network: Invalid input: expected boolean, received string; expected programs, images (lists or "any"), studyRoot, network, binds, rootUser (docs/trust.md)\n`,
    );
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
    const procs: CliRun[] = [
      runCli(['worker', '--control'], env),
      runCli(['worker', '--gpu', '0', ...ALLOW_NODE], env),
    ];
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
