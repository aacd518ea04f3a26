// `stop` and `pause` while the server runs but no control worker does (issue 18, item 1): they answer
// at once, send nothing that a later worker would apply, and no command crashes with a gRPC error when
// the server goes away under it. Real server, CLI and workers as separate processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, runCli, startTestServer } from '../helpers/temporal.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let env: Record<string, string>;
const children: CliRun[] = [];

beforeAll(async () => {
  server = await startTestServer();
  env = { TEMPORAL_ADDRESS: server.address };
});

afterAll(async () => {
  for (const c of children) c.child.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exit));
  await server.stop();
});

const shrink = (yaml: string) => yaml.replaceAll('max_iteration: 5', 'max_iteration: 1');

describe('stop and pause without a control worker', () => {
  it('return at once saying nothing was sent, and the study later runs to its end', {
    timeout: 180_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(shrink, 'nowork');
    // Started with no worker anywhere: the workflow waits on the server.
    const tune = runCli(['tune', config, '--root', root, '--name', 'nowork'], env);
    children.push(tune);
    await tune.waitFor(/workflow pipetune-nowork on/);

    for (const args of [
      ['stop', 'nowork'],
      ['stop', 'nowork', '--now'],
      ['pause', 'nowork'],
    ]) {
      const started = Date.now();
      const run = runCli(args, env);
      const { code } = await run.exit;
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(code).toBe(3);
      expect(run.output()).toBe(
        `pipetune ${args[0]}: no control worker is running for study nowork, so nothing was sent; start one (pipetune resume nowork, or pipetune worker --control) and run pipetune ${args[0]} again\n`,
      );
    }

    // Workers come: nothing stale stops or pauses the study; it runs all its trials.
    for (const args of [['--control'], ['--gpu', '0', ...ALLOW_NODE]]) {
      const worker = runCli(['worker', ...args], env);
      children.push(worker);
      await worker.waitFor(/polling on/);
    }
    expect((await tune.exit).code, tune.output()).toBe(0);
    expect(tune.output()).not.toMatch(/stopped|paused/);
    expect(await readRecords(output)).toHaveLength(3);
  });

  it('status against a server killed mid-command ends with one line, no stack trace', {
    timeout: 120_000,
  }, async () => {
    const own = await startTestServer();
    try {
      const { config, root } = await fixtureRoot(shrink, 'gone');
      const tune = runCli(['tune', config, '--root', root, '--name', 'gone'], {
        TEMPORAL_ADDRESS: own.address,
      });
      children.push(tune);
      await tune.waitFor(/workflow pipetune-gone on/);
      // No control worker: the status query waits for one, and the server dies meanwhile.
      const status = runCli(['status', 'gone'], { TEMPORAL_ADDRESS: own.address });
      await new Promise((r) => setTimeout(r, 1_500));
      own.crash();
      const { code, signal } = await status.exit;
      expect(signal).toBeNull();
      expect(code === 0 || code === 1, status.output()).toBe(true);
      expect(status.output()).not.toMatch(/\n\s+at |Channel has been shut down|internal error/);
    } finally {
      await own.stop();
    }
  });
});
