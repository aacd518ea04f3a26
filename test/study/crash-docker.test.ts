/**
 * kill -9 of a GPU worker while its trial runs in a container, the worker never restarted: the trial is
 * retried on another worker, and no container of the study is left. (Before, the retry killed the dead
 * worker's pipeline process but left its container, exited, until a worker on that GPU started again.)
 */
import Docker from 'dockerode';
import { expect, it } from 'vitest';
import { inContainers } from '../../bench/chaos/chaos.js';
import { containersLeft } from '../../bench/chaos/containers.js';
import { LABELS } from '../../src/pipelines/docker.js';
import { csvRows, duplicates, eventually, fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, runCli, startTestServer } from '../helpers/temporal.js';
import { describeWithDocker, dockerProblem, TEST_IMAGES } from '../pipelines/dockerTestEnv.js';

const problem = await dockerProblem();

describeWithDocker('crashes on Docker', problem, () => {
  it('kill -9 of a GPU worker mid-trial, never restarted: the retry removes its container', {
    timeout: 180_000,
  }, async () => {
    const docker = new Docker();
    const server = await startTestServer();
    const env = { TEMPORAL_ADDRESS: server.address, PIPETUNE_HEARTBEAT_TIMEOUT_MS: '3000' };
    const allow = [...ALLOW_NODE, '--allow-image', TEST_IMAGES.node];
    const procs: CliRun[] = [
      runCli(['worker', '--control'], env),
      runCli(['worker', '--gpu', '0', ...allow], env),
    ];
    try {
      await Promise.all(procs.map((p) => p.waitFor(/polling on/)));
      // Baseline + 2 × 2 iterations, one trial at a time, 4 s each.
      const { config, root, output } = await fixtureRoot(
        (y) =>
          inContainers(
            y.replace(/max_iteration: 5/g, 'max_iteration: 2').replace(/batch_size: 2/g, 'batch_size: 1'),
            TEST_IMAGES.node,
            4_000,
          ),
        'dockercrash',
      );
      const tune = runCli(['tune', config, '--root', root, '--name', 'dockercrash'], env);
      const running = { label: [`${LABELS.studyRoot}=${root}`], status: ['running'] };
      await eventually(
        async () => (await docker.listContainers({ filters: running })).length > 0,
        90_000,
        'a running container',
      );
      procs[1]!.child.kill('SIGKILL');
      procs.push(runCli(['worker', '--gpu', '1', ...allow], env));
      const { code } = await tune.exit;
      expect(code, tune.output()).toBe(0);
      const records = await readRecords(output);
      expect(duplicates(records)).toEqual([]);
      expect(records).toHaveLength(5);
      expect(await csvRows(output)).toHaveLength(5);
      expect(await containersLeft(docker, root)).toEqual([]);
    } finally {
      for (const p of procs) p.child.kill('SIGKILL');
      await server.stop();
    }
  });
});
