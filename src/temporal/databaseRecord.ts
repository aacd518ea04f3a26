/**
 * The embedded dev server's own record of its studies, read from its SQLite file while no server runs:
 * what `status` and `list` add to the study folders when the server is down. Read-only: the file is
 * loaded into memory (sql.js, SQLite compiled to WebAssembly) and never written.
 *
 * The record of a run is Temporal's visibility row (status, start and close time, search attributes,
 * memo) and, for a failed run, the failure of its last history event. Custom search attributes are
 * stored under column aliases (`Keyword01`); the namespace's record maps them to their names.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import proto from '@temporalio/proto';
import type { Database } from 'sql.js';
import { rootMessage } from '../study/failures.js';
import { STUDY_BEST, STUDY_NAME, STUDY_STATUS, STUDY_TRIALS } from '../study/searchAttributes.js';
import type { StudyRef } from '../study/types.js';
import { WORKFLOW_TYPE } from '../study/types.js';
import { messageStrings } from './protoWire.js';
import { applyWal } from './sqliteWal.js';

// CommonJS: its namespaces are properties of the default export.
const { temporal } = proto;

export interface StudyRunRecord {
  workflowId: string;
  runId: string;
  /** Temporal's execution status: RUNNING (when the server stopped), COMPLETED, FAILED, … */
  status: string;
  startTime: string;
  closeTime: string | null;
  /** The study the run was started with (its memo), when it has one. */
  study: StudyRef | null;
  name: string | null;
  state: string | null;
  trials: number | null;
  /** A fraction, like the stored scores. */
  best: number | null;
  /** A failed run's reason: the innermost message of its failure. */
  failure: string | null;
}

/** Why the database could not be read, as one line, instead of a record. */
export class DatabaseUnreadable extends Error {}

const STATUS_PREFIX = 'WORKFLOW_EXECUTION_STATUS_';
const statusName = (code: number) =>
  (temporal.api.enums.v1.WorkflowExecutionStatus[code] ?? `status ${code}`).replace(STATUS_PREFIX, '');

/** `2026-12-03 13:53:46.541373+00:00` (SQLite's text) as ISO 8601. */
const isoTime = (text: string) => new Date(text.replace(' ', 'T')).toISOString();

/** Every run of a study workflow the database records, newest first; none when there is no database. */
export async function readStudyRuns(dbFile: string, namespace = 'default'): Promise<StudyRunRecord[]> {
  if (!existsSync(dbFile)) return [];
  const db = await openReadOnly(dbFile);
  try {
    const aliases = searchAttributeAliases(db, namespace);
    // Visibility rows name the namespace by its id as text; the namespace table keeps it as 16 bytes.
    const rows = db.exec(
      `SELECT workflow_id, run_id, status, start_time, close_time, search_attributes, memo
       FROM executions_visibility
       WHERE replace(upper(namespace_id), '-', '') = (SELECT hex(id) FROM namespaces WHERE name = ?)
         AND workflow_type_name = ? ORDER BY start_time DESC`,
      [namespace, WORKFLOW_TYPE],
    )[0];
    return (rows?.values ?? []).map(([workflowId, runId, status, start, close, attributes, memo]) => {
      const named = renamed(JSON.parse(String(attributes ?? '{}')) as Record<string, unknown>, aliases);
      const code = Number(status);
      return {
        workflowId: String(workflowId),
        runId: String(runId),
        status: statusName(code),
        startTime: isoTime(String(start)),
        closeTime: close ? isoTime(String(close)) : null,
        study: memoStudy(memo as Uint8Array | null) ?? inputStudy(db, String(runId)),
        name: stringOrNull(named[STUDY_NAME.name]),
        state: stringOrNull(named[STUDY_STATUS.name]),
        trials: numberOrNull(named[STUDY_TRIALS.name]),
        best: numberOrNull(named[STUDY_BEST.name]),
        failure: statusName(code) === 'FAILED' ? lastFailure(db, String(runId)) : null,
      };
    });
  } finally {
    db.close();
  }
}

async function openReadOnly(dbFile: string): Promise<Database> {
  try {
    // sql.js is CommonJS; its WebAssembly file sits beside it and is found by its own loader.
    const initSqlJs = createRequire(import.meta.url)('sql.js') as typeof import('sql.js').default;
    const SQL = await initSqlJs();
    // The server keeps the file in WAL mode: what it committed last may still be in the WAL.
    const wal = `${dbFile}-wal`;
    const file = await readFile(dbFile);
    return new SQL.Database(applyWal(file, existsSync(wal) ? await readFile(wal) : new Uint8Array()));
  } catch (err) {
    throw new DatabaseUnreadable(`${dbFile}: cannot read the server's database (${(err as Error).message})`);
  }
}

/** Column alias → search attribute name, from the namespace's record (a map of string pairs). */
function searchAttributeAliases(db: Database, namespace: string): Map<string, string> {
  const data = db.exec('SELECT data FROM namespaces WHERE name = ?', [namespace])[0]?.values[0]?.[0];
  const aliases = new Map<string, string>();
  if (!(data instanceof Uint8Array)) return aliases;
  for (const [a, b] of messageStrings(data))
    if (/^(Keyword|Double|Int|Bool|Datetime|Text|KeywordList)\d\d$/.test(a)) aliases.set(a, b);
  return aliases;
}

function renamed(attributes: Record<string, unknown>, aliases: Map<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [aliases.get(k) ?? k, v]));
}

const stringOrNull = (v: unknown) => (typeof v === 'string' ? v : null);
const numberOrNull = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The `study` entry of a run's memo (a JSON payload), as pipetune's CLI sets it. */
function memoStudy(memo: Uint8Array | null): StudyRef | null {
  if (!memo?.length) return null;
  const payload = temporal.api.common.v1.Memo.decode(memo).fields?.study;
  if (!payload?.data) return null;
  try {
    return JSON.parse(Buffer.from(payload.data).toString('utf8')) as StudyRef;
  } catch {
    return null;
  }
}

/** The study of a run started without pipetune's memo (by another system): its workflow input. */
function inputStudy(db: Database, runId: string): StudyRef | null {
  const payload = historyNode(db, runId, 'ASC')?.events?.[0]?.workflowExecutionStartedEventAttributes?.input
    ?.payloads?.[0];
  if (!payload?.data) return null;
  try {
    return (
      (JSON.parse(Buffer.from(payload.data).toString('utf8')) as { study?: StudyRef } | null)?.study ?? null
    );
  } catch {
    return null;
  }
}

/** A run's first or last batch of history events. */
function historyNode(db: Database, runId: string, order: 'ASC' | 'DESC') {
  // A run's history tree is named by its run id; the valid copy of a node has the greatest transaction id,
  // which the SQL store keeps negated.
  const row = db.exec(
    `SELECT data FROM history_node WHERE hex(tree_id) = ? ORDER BY node_id ${order}, txn_id ASC LIMIT 1`,
    [runId.replaceAll('-', '').toUpperCase()],
  )[0]?.values[0];
  return row?.[0] instanceof Uint8Array ? temporal.api.history.v1.History.decode(row[0]) : undefined;
}

/** The innermost message of a failed run's failure (its last history event), as `status` prints it. */
function lastFailure(db: Database, runId: string): string | null {
  const failure = historyNode(db, runId, 'DESC')?.events?.at(-1)?.workflowExecutionFailedEventAttributes
    ?.failure;
  return failure ? rootMessage(failure) : null;
}
