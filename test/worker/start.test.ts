/**
 * A worker process never lingers without polling: while the server is down, starting, or dying under
 * it, the worker retries until it polls or its start timeout passes (exit 1), and SIGTERM always ends it.
 * Real processes and a real dev server.
 */
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/temporal/devServer.js';
import { runCli, startTestServer } from '../helpers/temporal.js';

const exitsWithin = (run: ReturnType<typeof runCli>, ms: number) =>
  Promise.race([
    run.exit,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms)),
  ]);

describe('worker start', () => {
  it('retries while the server is not up, then polls once it is', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const worker = runCli(['worker', '--control'], { TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
    await worker.waitFor(/cannot start yet on 127\.0\.0\.1:\d+ \(.+\); retrying in/, 30_000);
    const server = await startTestServer({ port });
    try {
      await worker.waitFor(/polling on/, 60_000);
      worker.child.kill('SIGTERM');
      expect(await exitsWithin(worker, 15_000)).toEqual({ code: 0, signal: null });
    } finally {
      worker.child.kill('SIGKILL');
      await server.stop();
    }
  });

  it('recovers when the server dies while the worker starts', { timeout: 180_000 }, async () => {
    const server = await startTestServer();
    // A stopped server takes the connection but never answers: the worker is stuck mid-start…
    process.kill(server.pid, 'SIGSTOP');
    const worker = runCli(['worker', '--gpu', '0'], { TEMPORAL_ADDRESS: server.address });
    await new Promise((r) => setTimeout(r, 1_500));
    // …when the server dies, and comes back on the same database.
    server.crash();
    try {
      const restarted = await startTestServer({ port: server.port, dbFile: server.dbFile });
      try {
        await worker.waitFor(/polling on/, 90_000);
        worker.child.kill('SIGTERM');
        expect(await exitsWithin(worker, 15_000)).toEqual({ code: 0, signal: null });
      } finally {
        await restarted.stop();
      }
    } finally {
      worker.child.kill('SIGKILL');
    }
  });

  it('gives up after --start-timeout with exit code 1 and says why', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const worker = runCli(['worker', '--control', '--start-timeout', '2', '--address', `127.0.0.1:${port}`]);
    const exit = await exitsWithin(worker, 20_000);
    expect(exit, worker.output()).toEqual({ code: 1, signal: null });
    expect(worker.output()).toMatch(/the worker could not start on 127\.0\.0\.1:\d+ within 2 s: /);
    expect(worker.output()).not.toMatch(/\n\s+at /);
  });

  it('ends on SIGTERM while its server does not answer', { timeout: 60_000 }, async () => {
    const server = await startTestServer();
    process.kill(server.pid, 'SIGSTOP');
    const worker = runCli(['worker', '--control'], { TEMPORAL_ADDRESS: server.address });
    try {
      // Its first attempt is under way (and hangs on the frozen server) before the signal comes.
      await worker.waitFor(/connecting to /, 30_000);
      await new Promise((r) => setTimeout(r, 1_000));
      worker.child.kill('SIGTERM');
      expect(await exitsWithin(worker, 5_000)).toEqual({ code: 143, signal: null });
    } finally {
      worker.child.kill('SIGKILL');
      process.kill(server.pid, 'SIGCONT');
      await server.stop();
    }
  });
});
