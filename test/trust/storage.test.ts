/** A full disk under the trial store (a 64 KB tmpfs, mounted when this runs as root). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunLog } from '../../src/pipelines/runLog.js';
import { diskRefusal, printedRefusal, StorageError } from '../../src/storageErrors.js';
import type { TrialRecord } from '../../src/study/records.js';
import { appendTrialRecord } from '../../src/study/trialStore.js';

function tryMount(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'pipetune-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}
const mount = process.getuid?.() === 0 ? tryMount() : undefined;
afterAll(() => {
  if (!mount) return;
  execFileSync('umount', [mount]);
  rmSync(mount, { recursive: true, force: true });
});

const record = (key: string, note = '') => ({ key, status: 'ok', note }) as unknown as TrialRecord;

/** Fills the file system with a filler file until it refuses more. */
function fill(dir: string): string {
  const filler = join(dir, 'filler');
  const chunk = Buffer.alloc(1024, 'x');
  for (let i = 0; ; i++) {
    try {
      writeFileSync(filler, chunk, { flag: 'a' });
    } catch {
      return filler;
    }
    if (i > 1000) throw new Error('the tmpfs did not fill up');
  }
}

describe.skipIf(!mount)('the trial store on a full disk', () => {
  it('refuses with a StorageError naming the folder, keeps no torn line, and appends once space is back', async () => {
    const dir = mount as string;
    const store = join(dir, 'trials.jsonl');
    expect(await appendTrialRecord(store, record('tpe/1/0'))).toBe(true);
    const before = readFileSync(store, 'utf8');
    const filler = fill(dir);
    // 8 KB: the store's last 4 KB page takes part of the line, the next page is refused.
    const big = record('tpe/2/0', 'y'.repeat(8192));
    const error = await appendTrialRecord(store, big).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toBe(
      `${dir}: cannot write: no space left on its device (ENOSPC); the study can resume once it is fixed`,
    );
    expect(readFileSync(store, 'utf8')).toBe(before);
    rmSync(filler);
    expect(await appendTrialRecord(store, big)).toBe(true);
    const lines = readFileSync(store, 'utf8').split('\n').filter(Boolean);
    expect(lines.map((line) => (JSON.parse(line) as TrialRecord).key)).toEqual(['tpe/1/0', 'tpe/2/0']);
  });
});

describe.skipIf(!mount)('the disk of a folder a pipeline program failed in', () => {
  it('is refusing writes when full or read-only, and not once space is back and it is writable', async () => {
    const dir = mount as string;
    expect(await diskRefusal(dir)).toBeUndefined();
    const filler = fill(dir);
    expect((await diskRefusal(dir))?.message).toBe(
      `${dir}: cannot write: no space left on its device (ENOSPC); the study can resume once it is fixed`,
    );
    rmSync(filler);
    expect(await diskRefusal(dir)).toBeUndefined();
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    try {
      expect((await diskRefusal(dir))?.message).toBe(
        `${dir}: cannot write: it is read-only (EROFS); the study can resume once it is fixed`,
      );
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', dir]);
    }
    expect(await diskRefusal(dir)).toBeUndefined();
  });
});

describe.skipIf(!mount)("a run's log on a disk its pipeline filled", () => {
  it('closes with a StorageError naming the folder instead of ending the worker or hanging', async () => {
    const dir = mount as string;
    const logs = join(dir, 'trial');
    const log = await RunLog.open(join(logs, 'log.txt'));
    const filler = fill(dir);
    try {
      // More than the stream buffers: the refused write reaches the disk before close.
      const output = log.output();
      for (let i = 0; i < 64; i++) output.write(`${'z'.repeat(1023)}\n`);
      log.note('exit code 1');
      // The pipeline runs on for a while after the refused write: the stream has errored and closed
      // by the time the run ends (before, an unhandled 'error' event that ended the worker process).
      await new Promise((r) => setTimeout(r, 200));
      const error = await log.close().catch((err: unknown) => err);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toBe(
        `${logs}: cannot write: no space left on its device (ENOSPC); the study can resume once it is fixed`,
      );
    } finally {
      rmSync(filler);
      rmSync(logs, { recursive: true, force: true });
    }
  });
});

describe('what a failed pipeline program printed', () => {
  it('is a disk refusal when one of its last lines is the C library text of one, naming it', () => {
    const said = ['frame 120', 'write /out/video.mp4: No space left on device', 'pipeline failed'];
    expect(printedRefusal('/out', said)?.message).toBe(
      '/out: cannot write: no space left on its device (ENOSPC); the pipeline printed "write /out/video.mp4: No space left on device"; the study can resume once it is fixed',
    );
    expect(printedRefusal('/out', ['open: Read-only file system'])?.code).toBe('EROFS');
    expect(printedRefusal('/out', ['fwrite failed: Disk quota exceeded'])?.code).toBe('EDQUOT');
  });

  it('is not one for other failures, a permission error on a device included', () => {
    expect(printedRefusal('/out', [])).toBeUndefined();
    expect(
      printedRefusal('/out', ['cudaErrorNoDevice', 'open /dev/nvidia0: Permission denied']),
    ).toBeUndefined();
  });
});
