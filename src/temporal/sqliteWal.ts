/**
 * The embedded server keeps its SQLite database in WAL mode: committed pages may sit in `<db>-wal`
 * until a checkpoint copies them into the database file (always after a crash or kill -9 of the
 * server). To read the record while no server runs, the committed frames of the WAL are laid over an
 * in-memory copy of the file, as SQLite itself does when it next opens it. The format (sqlite.org,
 * "Write-Ahead Log File Format"): a 32-byte header, then frames of a 24-byte header and one page. A frame
 * counts only if its salts equal the header's and the running checksum verifies; a transaction counts
 * only up to its commit frame (the one that carries the database's size in pages).
 */

const WAL_HEADER = 32;
const FRAME_HEADER = 24;
const MAGIC_LITTLE_ENDIAN_SUMS = 0x377f0682;
const MAGIC_BIG_ENDIAN_SUMS = 0x377f0683;

/** SQLite's WAL checksum over `bytes` (a multiple of 8), continuing from `[s0, s1]`. */
function checksum(bytes: Uint8Array, bigEndian: boolean, s0: number, s1: number): [number, number] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < bytes.byteLength; i += 8) {
    s0 = (s0 + view.getUint32(i, !bigEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(i + 4, !bigEndian) + s0) >>> 0;
  }
  return [s0, s1];
}

/**
 * The database as of the WAL's last committed transaction: `db` with the WAL's committed pages written
 * over it, marked as a rollback-journal database (header bytes 18–19) so that an in-memory reader opens
 * it without looking for a WAL. A WAL that is empty, reset or torn adds what it validly holds, nothing
 * more; `db` is not changed.
 */
export function applyWal(db: Uint8Array, wal: Uint8Array): Uint8Array {
  const pages = committedPages(wal);
  let size = db.byteLength;
  if (pages) size = pages.sizeInPages * pages.pageSize;
  const out = new Uint8Array(size);
  out.set(db.subarray(0, Math.min(size, db.byteLength)));
  // A page past the last commit's size was cut off by that commit (a vacuum): it is not in the database.
  if (pages)
    for (const [page, data] of pages.latest)
      if (page <= pages.sizeInPages) out.set(data, (page - 1) * pages.pageSize);
  // Bytes 18 and 19 are the write and read format versions: 2 is WAL, 1 the rollback journal.
  if (out.byteLength > 19 && out[18] === 2 && out[19] === 2) out[18] = out[19] = 1;
  return out;
}

interface CommittedPages {
  pageSize: number;
  sizeInPages: number;
  /** Page number → its content at the last commit. */
  latest: Map<number, Uint8Array>;
}

function committedPages(wal: Uint8Array): CommittedPages | undefined {
  if (wal.byteLength < WAL_HEADER) return undefined;
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== MAGIC_LITTLE_ENDIAN_SUMS && magic !== MAGIC_BIG_ENDIAN_SUMS) return undefined;
  const bigEndian = magic === MAGIC_BIG_ENDIAN_SUMS;
  const pageSize = view.getUint32(8) === 1 ? 65536 : view.getUint32(8);
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);
  let sums = checksum(wal.subarray(0, 24), bigEndian, 0, 0);
  if (sums[0] !== view.getUint32(24) || sums[1] !== view.getUint32(28)) return undefined;

  const latest = new Map<number, Uint8Array>();
  const pending = new Map<number, Uint8Array>();
  let sizeInPages = 0;
  for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= wal.byteLength; at += FRAME_HEADER + pageSize) {
    if (view.getUint32(at + 8) !== salt1 || view.getUint32(at + 12) !== salt2) break;
    const page = wal.subarray(at + FRAME_HEADER, at + FRAME_HEADER + pageSize);
    sums = checksum(wal.subarray(at, at + 8), bigEndian, ...sums);
    sums = checksum(page, bigEndian, ...sums);
    if (sums[0] !== view.getUint32(at + 16) || sums[1] !== view.getUint32(at + 20)) break;
    pending.set(view.getUint32(at), page);
    const commitSize = view.getUint32(at + 4);
    if (commitSize > 0) {
      for (const [n, data] of pending) latest.set(n, data);
      pending.clear();
      sizeInPages = commitSize;
    }
  }
  return sizeInPages > 0 ? { pageSize, sizeInPages, latest } : undefined;
}
