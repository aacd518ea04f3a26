import { open, readFile, stat, truncate } from 'node:fs/promises';
import { storageErrorOf } from '../storageErrors.js';

/** Serialises appends per file inside this process (several PipeEval activities run at once). */
const queues = new Map<string, Promise<unknown>>();
/** Keys already in each store, valid while the file still has the size we last saw. */
const indexes = new Map<string, { size: number; keys: Set<string> }>();

/**
 * Append a trial (or stage) record to a store unless its key is already there (a retried PipeEval writes nothing twice).
 * A torn last line left by a crash mid-write is cut off first, so the store stays one record per line.
 * Returns false when the key was already present.
 */
export function appendTrialRecord(file: string, record: { key: string }): Promise<boolean> {
  const previous = queues.get(file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => appendOnce(file, record));
  queues.set(file, next);
  return next;
}

async function appendOnce(file: string, record: { key: string }): Promise<boolean> {
  const index = await currentIndex(file);
  if (index.keys.has(record.key)) return false;
  const line = `${JSON.stringify(record)}\n`;
  try {
    const handle = await open(file, 'a');
    try {
      // writeFile loops until every byte is written (write() may take part of the line and return).
      await handle.writeFile(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    // A full disk can take part of the line: cut it off now, so the store never keeps a torn record.
    await truncate(file, index.size).catch(() => undefined);
    throw storageErrorOf(err, file) ?? err;
  }
  index.keys.add(record.key);
  index.size += Buffer.byteLength(line);
  return true;
}

/** The cached key index, rebuilt from the file when it changed behind our back (another process, a crash). */
async function currentIndex(file: string): Promise<{ size: number; keys: Set<string> }> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  const cached = indexes.get(file);
  if (cached && cached.size === size) return cached;
  const text = size === 0 ? '' : await readFile(file, 'utf8');
  const complete = text === '' || text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  if (complete.length !== text.length) await truncate(file, Buffer.byteLength(complete));
  const keys = new Set<string>();
  for (const line of complete.split('\n')) if (line) keys.add((JSON.parse(line) as { key: string }).key);
  const index = { size: Buffer.byteLength(complete), keys };
  indexes.set(file, index);
  return index;
}

export function trialKey(ticket: { optimizer: string; iteration: number; repeat: number }): string {
  return `${ticket.optimizer}/${ticket.iteration}/${ticket.repeat}`;
}
