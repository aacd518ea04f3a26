/**
 * Crash tests with real processes: kill -9 a GPU worker mid-PipeExec, kill -9 the Temporal server and
 * restart it on the same database, kill -9 the CLI then `pipetune resume`. Each time the study completes
 * and every trial is recorded exactly once, in trials.jsonl and in the CSV.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/temporal/devServer.js';
import { csvRows, duplicates, eventually, fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, runCli, startTestServer } from '../helpers/temporal.js';

const budget = (n: number) => (y: string) =>
  y.replace(/max_iteration: 5/g, `max_iteration: ${n}`).replace(/batch_size: 2/g, 'batch_size: 1');

/** True once some checkpoint's pipeline is running (its log shows progress but no scores yet). */
async function pipelineRunning(output: string): Promise<boolean> {
  const dir = path.join(output, 'checkpoints');
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const log = await readFile(path.join(dir, name, 'log.txt'), 'utf8').catch(() => '');
    const scored = await readFile(path.join(dir, name, 'scores.json'), 'utf8').catch(() => '');
    if (log.includes('working') && !scored) return true;
  }
  return false;
}

async function expectCompleteOnce(output: string, total: number) {
  const records = await readRecords(output);
  expect(duplicates(records)).toEqual([]);
  expect(records).toHaveLength(total);
  expect(records.every((r) => r.status === 'ok')).toBe(true);
  expect(await csvRows(output)).toHaveLength(total);
}

describe('crashes', () => {
  it('kill -9 of a GPU worker mid-PipeExec: another worker retries the trial', {
    timeout: 180_000,
  }, async () => {
    const server = await startTestServer();
    const env = {
      TEMPORAL_ADDRESS: server.address,
      PIPETUNE_HEARTBEAT_TIMEOUT_MS: '3000',
      FAKE_SLEEP_MS: '1500',
    };
    const procs: CliRun[] = [
      runCli(['worker', '--control'], env),
      runCli(['worker', '--gpu', '0', ...ALLOW_NODE], env),
    ];
    try {
      await Promise.all(procs.map((p) => p.waitFor(/polling on/)));
      const { config, root, output } = await fixtureRoot(budget(3), 'gpucrash');
      const tune = runCli(['tune', config, '--root', root, '--name', 'gpucrash'], env);
      await eventually(
        async () => (await readRecords(output)).length >= 2 && (await pipelineRunning(output)),
        90_000,
        'a running pipeline',
      );
      procs[1]!.child.kill('SIGKILL');
      procs.push(runCli(['worker', '--gpu', '1', ...ALLOW_NODE], env));
      const { code } = await tune.exit;
      expect(code, tune.output()).toBe(0);
      await expectCompleteOnce(output, 7);
    } finally {
      for (const p of procs) p.child.kill('SIGKILL');
      await server.stop();
    }
  });

  it('kill -9 of the Temporal server, restarted on the same database: the study carries on', {
    timeout: 180_000,
  }, async () => {
    let server = await startTestServer();
    const env = {
      TEMPORAL_ADDRESS: server.address,
      PIPETUNE_HEARTBEAT_TIMEOUT_MS: '5000',
      FAKE_SLEEP_MS: '500',
    };
    const procs: CliRun[] = [
      runCli(['worker', '--control'], env),
      runCli(['worker', '--gpu', '0', ...ALLOW_NODE], env),
    ];
    try {
      await Promise.all(procs.map((p) => p.waitFor(/polling on/)));
      const { config, root, output } = await fixtureRoot(budget(4), 'servercrash');
      const tune = runCli(['tune', config, '--root', root, '--name', 'servercrash'], env);
      await eventually(async () => (await readRecords(output)).length >= 3, 90_000, '3 trials');
      server.crash();
      await new Promise((r) => setTimeout(r, 2_000));
      server = await startTestServer({ port: server.port, dbFile: server.dbFile });
      const { code } = await tune.exit;
      expect(code, tune.output()).toBe(0);
      await expectCompleteOnce(output, 9);
    } finally {
      for (const p of procs) p.child.kill('SIGKILL');
      await server.stop();
    }
  });

  it('kill -9 of the CLI running the embedded default, then pipetune resume', {
    timeout: 240_000,
  }, async () => {
    const port = await freePort();
    const env = {
      TEMPORAL_ADDRESS: undefined,
      PIPETUNE_TEMPORAL_PORT: String(port),
      PIPETUNE_HEARTBEAT_TIMEOUT_MS: '3000',
      FAKE_SLEEP_MS: '500',
    };
    const { config, root, output } = await fixtureRoot(budget(4), 'clicrash');
    const tune = runCli(['tune', config, '--root', root, '--name', 'clicrash'], env);
    try {
      await eventually(async () => (await readRecords(output)).length >= 3, 120_000, '3 trials');
      tune.child.kill('SIGKILL');
      await tune.exit;
      const resume = runCli(['resume', 'clicrash', '--root', root], env);
      const { code } = await resume.exit;
      expect(code, resume.output()).toBe(0);
      await expectCompleteOnce(output, 9);
      // The resumed CLI adopted the orphaned embedded server and stopped it at the end.
      const record = JSON.parse(
        await readFile(path.join(root, '.pipetune', 'server.json'), 'utf8').catch(() => '{}'),
      );
      expect(record.pid).toBeUndefined();
    } finally {
      tune.child.kill('SIGKILL');
      const record = JSON.parse(
        await readFile(path.join(root, '.pipetune', 'server.json'), 'utf8').catch(() => '{}'),
      );
      if (record.pid) process.kill(record.pid, 'SIGKILL');
    }
  });
});
