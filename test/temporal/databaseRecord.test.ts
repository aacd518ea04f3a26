import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_TYPE } from '../../src/study/types.js';
import { readStudyRuns } from '../../src/temporal/databaseRecord.js';
import { applyWal } from '../../src/temporal/sqliteWal.js';
import { startTestServer } from '../helpers/temporal.js';

/** The study runs a copy of the database file alone shows, without its WAL (none if it has no tables yet). */
async function runsWithoutWal(dbFile: string) {
  const copy = `${dbFile}.alone`;
  await writeFile(copy, await readFile(dbFile));
  return readStudyRuns(copy).catch(() => []);
}

describe('the embedded server database record, read while no server runs', () => {
  it('holds what a killed server committed only to its WAL', { timeout: 90_000 }, async () => {
    const server = await startTestServer();
    const study = { name: 'wal', configPath: '/s/wal.yml', rootDir: '/s', outputDir: '/s/out' };
    try {
      // No worker polls this queue: the run stays RUNNING, recorded with its memo.
      await server.client.workflow.start(WORKFLOW_TYPE, {
        taskQueue: 'nobody-polls-this',
        workflowId: 'pipetune-wal',
        args: [{ study }],
        memo: { study },
      });
      // Visibility is written after the start returns.
      for (
        let i = 0;
        i < 50 && (await server.client.workflow.count('WorkflowId = "pipetune-wal"')).count === 0;
        i++
      )
        await sleep(100);
    } finally {
      server.crash();
      await server.client.connection.close();
    }
    await sleep(500);
    const wal = `${server.dbFile}-wal`;
    // The server left its last commits in the WAL, not yet in the database file.
    expect(existsSync(wal) && (await stat(wal)).size > 32).toBe(true);
    expect((await runsWithoutWal(server.dbFile)).map((r) => r.workflowId)).not.toContain('pipetune-wal');

    const runs = await readStudyRuns(server.dbFile);
    expect(runs).toEqual([expect.objectContaining({ workflowId: 'pipetune-wal', status: 'RUNNING', study })]);
  });

  it('ignores a torn or corrupt last frame: the transactions before it count, not its page', {
    timeout: 90_000,
  }, async () => {
    const server = await startTestServer();
    try {
      await server.client.workflow.start(WORKFLOW_TYPE, {
        taskQueue: 'nobody-polls-this',
        workflowId: 'pipetune-torn',
        args: [{ study: { name: 'torn', configPath: '/t.yml', rootDir: '/', outputDir: '/o' } }],
      });
      await sleep(1000);
    } finally {
      server.crash();
      await server.client.connection.close();
    }
    await sleep(500);
    const db = await readFile(server.dbFile);
    const wal = await readFile(`${server.dbFile}-wal`);
    const frame = 24 + wal.readUInt32BE(8);
    const frames = (wal.byteLength - 32) / frame;
    expect(frames).toBeGreaterThan(1);
    const withoutLast = wal.subarray(0, wal.byteLength - frame);
    // A crash in the middle of writing the last frame: its page half there, or garbage in it.
    const torn = wal.subarray(0, wal.byteLength - frame / 2);
    const corrupt = Buffer.from(wal);
    corrupt.fill(0xa5, corrupt.byteLength - 200);
    const expected = applyWal(db, withoutLast);
    expect(applyWal(db, torn)).toEqual(expected);
    expect(applyWal(db, corrupt)).toEqual(expected);
    // …and the last transaction did change the database.
    expect(applyWal(db, wal)).not.toEqual(expected);
  });
});
