// `stop` and `pause` while the server runs but no control worker does (issue 18, item 1): they answer at
// once, the server keeps the request, a later `resume` is not ended by a stale stop, and no command
// crashes with a gRPC error when the server goes away under it. Real server, CLI and workers as processes.
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
  it('are kept by the server; a later resume lets the stop end that run and continues the study', {
    timeout: 240_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(shrink, 'nowork');
    // Started with no worker anywhere: the workflow waits on the server.
    const tune = runCli(['tune', config, '--root', root, '--name', 'nowork'], env);
    children.push(tune);
    await tune.waitFor(/workflow pipetune-nowork on/);

    for (const [args, what] of [
      [['pause', 'nowork'], 'pause'],
      [['stop', 'nowork', '--now'], 'stop --now'],
    ] as const) {
      const started = Date.now();
      const run = runCli([...args], env);
      const { code } = await run.exit;
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(code, run.output()).toBe(0);
      expect(run.output()).toBe(
        `${what} requested for study nowork; no control worker is running, so it takes effect when one does (pipetune worker --control); pipetune resume nowork continues the study instead\n`,
      );
    }

    // `resume` sees the pending stop: the stop ends the first run (the original `tune` sees it stop),
    // then the study continues in a new run and completes every trial.
    const resume = runCli(['resume', 'nowork'], env);
    children.push(resume);
    await resume.waitFor(/a stop requested earlier takes effect first/);
    for (const args of [['--control'], ['--gpu', '0', ...ALLOW_NODE]]) {
      const worker = runCli(['worker', ...args], env);
      children.push(worker);
      await worker.waitFor(/polling on/);
    }
    await tune.exit;
    expect(tune.output()).toMatch(/stopped/);
    expect((await resume.exit).code, resume.output()).toBe(0);
    expect(resume.output()).toMatch(/completed/);
    expect(resume.output()).not.toMatch(/paused/);
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
