/**
 * CI's short form of the chaos benchmark on Docker (bench/chaos/run.ts --docker): one study whose
 * trials run in containers of the local node test image while the server, workers and CLI are killed
 * with SIGKILL at random and restarted. Besides the checks of the plain chaos test: no container of the
 * study left in any state, and never two containers of one trial running at once.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { expect, it } from 'vitest';
import { runChaos } from '../../bench/chaos/chaos.js';
import { containersLeft, watchContainers } from '../../bench/chaos/containers.js';
import { LABELS } from '../../src/pipelines/docker.js';
import { describeWithDocker, dockerProblem, TEST_IMAGES } from '../pipelines/dockerTestEnv.js';

const problem = await dockerProblem();

describeWithDocker('chaos on Docker', problem, () => {
  it('sees two containers of one trial running at once, and containers left', async () => {
    const docker = new Docker();
    const root = await mkdtemp(path.join(tmpdir(), 'pipetune-chaos-check-'));
    const labels = { [LABELS.studyRoot]: root, [LABELS.trial]: path.join(root, 'trial-0001') };
    const watch = await watchContainers(docker, root);
    for (let i = 0; i < 2; i++) {
      const container = await docker.createContainer({
        Image: TEST_IMAGES.busybox,
        Cmd: ['sleep', '300'],
        Labels: labels,
        HostConfig: { NetworkMode: 'none' },
      });
      await container.start();
    }
    // Events arrive within milliseconds; give them ample time.
    await new Promise((r) => setTimeout(r, 1_000));
    const seen = await watch.stop();
    expect(seen.started).toBe(2);
    expect(seen.overlaps).toEqual([expect.stringContaining(`both running for ${labels[LABELS.trial]}`)]);
    const left = await containersLeft(docker, root);
    expect(left).toEqual([expect.stringContaining('running'), expect.stringContaining('running')]);
    // Listed once, then removed.
    expect(await containersLeft(docker, root)).toEqual([]);
  });

  it('survives SIGKILL of each component while trials run in containers', { timeout: 360_000 }, async () => {
    const seed = Number(process.env.PIPETUNE_CHAOS_SEED ?? Date.now() % 100_000);
    const report = await runChaos({
      kills: 6,
      iterations: 6,
      gapMs: [1_000, 3_000],
      stuckAfterMs: 120_000,
      seed,
      dockerImage: TEST_IMAGES.node,
    });
    // PIPETUNE_CHAOS_SEED=<seed> repeats the kill schedule.
    expect(report.problems, `seed ${seed}, study root ${report.root}`).toEqual([]);
    expect(report.completed).toBe(true);
    expect(report.trialsRecorded).toBe(report.trialsExpected);
    // Every trial ran in a container.
    expect(report.containers).toBeGreaterThanOrEqual(report.trialsExpected);
    expect(Object.values(report.kills).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
