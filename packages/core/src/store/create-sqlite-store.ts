import { mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import sqlite from 'node-sqlite3-wasm';
import { acquireLock } from '../durability/exclusive-lock.js';
import { StoreConflictError, StoreError } from './store-errors.js';
import { defaultMaxEventsPerRun, eventLimit, listLimit, nowIso } from './store-query.js';
import type {
  ApprovalDecisionResult,
  OrchestratorStore,
  StoredApproval,
  StoredEvent,
  StoredRun,
  StoredTask,
  StoreLimits,
} from './store-types.js';

/** Settings of the embedded store. */
export interface SqliteStoreOptions extends StoreLimits {
  /** The database file (created with its folder when missing), e.g. `~/.orchestrator/store.db`. */
  path: string;
  /** How long to wait for another live process to release the file (default 8,000 ms). */
  lockWaitMs?: number;
}

const schemaVersion = 1;

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY, project TEXT, state TEXT NOT NULL, created_at TEXT NOT NULL,
  revision INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tasks_by_time ON tasks (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS tasks_by_project ON tasks (project, created_at DESC);
CREATE INDEX IF NOT EXISTS tasks_by_state ON tasks (state, created_at DESC);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, task_id TEXT NOT NULL, project TEXT NOT NULL, state TEXT NOT NULL,
  started_at TEXT NOT NULL, revision INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS runs_by_time ON runs (started_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS runs_by_task ON runs (task_id);
CREATE INDEX IF NOT EXISTS runs_by_project ON runs (project, started_at DESC);
CREATE TABLE IF NOT EXISTS approvals (
  id TEXT PRIMARY KEY, run_id TEXT NOT NULL, project TEXT NOT NULL, branch TEXT NOT NULL,
  state TEXT NOT NULL, requested_at TEXT NOT NULL, revision INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS approvals_by_run ON approvals (run_id, branch, state);
CREATE TABLE IF NOT EXISTS events (
  run_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (run_id, seq));
CREATE TABLE IF NOT EXISTS event_heads (run_id TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS marks (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
`;

/**
 * The embedded `OrchestratorStore`: one SQLite file, no server, no native compilation at install
 * (SQLite compiled to WebAssembly by `node-sqlite3-wasm`, reading and writing the file through
 * Node's fs with fsync). One process owns a store file at a time: opening takes an exclusive lock
 * beside it and fails with `store-locked` while another live process holds it.
 *
 * Why this and not the alternatives (measured on these 2-core machines, Node 20): better-sqlite3
 * compiles from source at install (minutes, needs a C toolchain); `node:sqlite` needs Node 22.5;
 * PGlite used about 800 MB of RSS; this store used about 105 MB with 1,000 runs of 2 KB each,
 * answered a run by id in 0.14 ms (p50) and committed a durable write in about 2 ms.
 *
 * @example
 * const store = await createSqliteStore({ path: '/var/lib/orchestrator/store.db' });
 * const runs = await store.listRuns({ project: 'shop', state: 'running' });
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<OrchestratorStore> {
  const file = resolve(options.path);
  const maxEvents = options.maxEventsPerRun ?? defaultMaxEventsPerRun;
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create the store's folder ${dirname(file)}: ${String(error)}`, {
      code: 'store-unavailable',
      cause: error,
    });
  }
  let release: () => Promise<void>;
  try {
    // The owner lock names its pid and start time: a SIGKILLed owner is known dead at once.
    release = await acquireLock(`${file}.owner`, {
      label: 'codex-orchestrator store',
      timeoutMs: options.lockWaitMs ?? 8_000,
    });
  } catch (error) {
    throw new StoreError(
      `the store ${file} is in use by another process (lock ${file}.owner); stop the other "orchestrator serve" or give this one another store path`,
      { code: 'store-locked', cause: error },
    );
  }
  // node-sqlite3-wasm locks with a `<file>.lock` folder that a killed process leaves behind.
  // We hold the owner lock, so a leftover one can only be stale.
  rmSync(`${file}.lock`, { recursive: true, force: true });

  let db: InstanceType<typeof sqlite.Database>;
  try {
    db = new sqlite.Database(file);
    db.exec(schema);
    const version = db.get('SELECT value FROM meta WHERE key = ?', ['schema']) as { value: string } | null;
    if (!version) db.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['schema', String(schemaVersion)]);
    else if (Number(version.value) > schemaVersion)
      throw new StoreError(
        `the store ${file} was written by a newer version (schema ${version.value}, this one reads ${schemaVersion}); upgrade codex-orchestrator`,
        { code: 'store-unavailable' },
      );
  } catch (error) {
    await release().catch(() => undefined);
    if (StoreError.isInstance(error)) throw error;
    throw new StoreError(`cannot open the store ${file}: ${String(error)}`, {
      code: 'store-unavailable',
      cause: error,
    });
  }

  let closed = false;
  const open = () => {
    if (closed) throw new StoreError('the store is closed; open a new one', { code: 'store-closed' });
  };
  const transaction = <T>(work: () => T): T => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };
  const docs = <T>(rows: unknown[]): T[] => rows.map((row) => JSON.parse((row as { doc: string }).doc) as T);
  const one = <T>(sql: string, values: (string | number)[]): T | undefined => {
    const row = db.get(sql, values) as { doc: string } | null;
    return row ? (JSON.parse(row.doc) as T) : undefined;
  };
  /** Builds `WHERE a = ? AND b >= ?` from the conditions whose value is defined. */
  const where = (conditions: ReadonlyArray<readonly [clause: string, value: string | undefined]>) => {
    const used = conditions.filter(
      (condition): condition is readonly [string, string] => condition[1] !== undefined,
    );
    return {
      sql: used.length ? `WHERE ${used.map(([clause]) => clause).join(' AND ')}` : '',
      values: used.map(([, value]) => value),
    };
  };

  const writeTask = (task: StoredTask, insert: boolean) =>
    insert
      ? db.run(
          'INSERT INTO tasks (id, project, state, created_at, revision, doc) VALUES (?, ?, ?, ?, ?, ?)',
          [task.id, task.project ?? null, task.state, task.createdAt, task.revision, JSON.stringify(task)],
        )
      : db.run(
          'UPDATE tasks SET project = ?, state = ?, revision = ?, doc = ? WHERE id = ? AND revision = ?',
          [task.project ?? null, task.state, task.revision, JSON.stringify(task), task.id, task.revision - 1],
        );
  const writeRun = (run: StoredRun, insert: boolean) =>
    insert
      ? db.run(
          'INSERT INTO runs (id, task_id, project, state, started_at, revision, doc) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [run.id, run.taskId, run.project, run.state, run.startedAt, run.revision, JSON.stringify(run)],
        )
      : db.run('UPDATE runs SET state = ?, revision = ?, doc = ? WHERE id = ? AND revision = ?', [
          run.state,
          run.revision,
          JSON.stringify(run),
          run.id,
          run.revision - 1,
        ]);
  const writeApproval = (approval: StoredApproval, insert: boolean) =>
    insert
      ? db.run(
          'INSERT INTO approvals (id, run_id, project, branch, state, requested_at, revision, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [
            approval.id,
            approval.runId,
            approval.project,
            approval.branch,
            approval.state,
            approval.requestedAt,
            approval.revision,
            JSON.stringify(approval),
          ],
        )
      : db.run('UPDATE approvals SET state = ?, revision = ?, doc = ? WHERE id = ? AND revision = ?', [
          approval.state,
          approval.revision,
          JSON.stringify(approval),
          approval.id,
          approval.revision - 1,
        ]);

  return {
    async createTask(task) {
      open();
      return transaction(() => {
        const existing = one<StoredTask>('SELECT doc FROM tasks WHERE id = ?', [task.id]);
        if (existing) return { created: false, task: existing };
        const now = nowIso();
        const stored: StoredTask = { ...task, createdAt: now, updatedAt: now, revision: 1 };
        writeTask(stored, true);
        return { created: true, task: stored };
      });
    },
    async getTask(id) {
      open();
      return one<StoredTask>('SELECT doc FROM tasks WHERE id = ?', [id]);
    },
    async updateTask(id, expectedRevision, patch) {
      open();
      return transaction(() => {
        const current = one<StoredTask>('SELECT doc FROM tasks WHERE id = ?', [id]);
        if (!current) throw new StoreError(`no task "${id}" in the store`, { code: 'store-not-found' });
        if (current.revision !== expectedRevision)
          throw new StoreConflictError(`task "${id}"`, expectedRevision, current.revision);
        const next: StoredTask = {
          ...current,
          ...patch,
          updatedAt: nowIso(),
          revision: current.revision + 1,
        };
        writeTask(next, false);
        return next;
      });
    },
    async listTasks(query = {}) {
      open();
      const filter = where([
        ['project = ?', query.project],
        ['state = ?', query.state],
        ['created_at >= ?', query.since],
        ['created_at < ?', query.until],
      ]);
      return docs<StoredTask>(
        db.all(
          `SELECT doc FROM tasks ${filter.sql} ORDER BY created_at DESC, id DESC LIMIT ${listLimit(query.limit)}`,
          filter.values,
        ),
      );
    },

    async createRun(run) {
      open();
      return transaction(() => {
        if (db.get('SELECT 1 AS found FROM runs WHERE id = ?', [run.id]))
          throw new StoreError(`run "${run.id}" exists already`, { code: 'store-duplicate' });
        const stored: StoredRun = { ...run, updatedAt: nowIso(), revision: 1 };
        writeRun(stored, true);
        return stored;
      });
    },
    async getRun(id) {
      open();
      return one<StoredRun>('SELECT doc FROM runs WHERE id = ?', [id]);
    },
    async updateRun(id, expectedRevision, patch) {
      open();
      return transaction(() => {
        const current = one<StoredRun>('SELECT doc FROM runs WHERE id = ?', [id]);
        if (!current) throw new StoreError(`no run "${id}" in the store`, { code: 'store-not-found' });
        if (current.revision !== expectedRevision)
          throw new StoreConflictError(`run "${id}"`, expectedRevision, current.revision);
        const next: StoredRun = { ...current, ...patch, updatedAt: nowIso(), revision: current.revision + 1 };
        writeRun(next, false);
        return next;
      });
    },
    async listRuns(query = {}) {
      open();
      const filter = where([
        ['project = ?', query.project],
        ['task_id = ?', query.taskId],
        ['state = ?', query.state],
        ['started_at >= ?', query.since],
        ['started_at < ?', query.until],
      ]);
      return docs<StoredRun>(
        db.all(
          `SELECT doc FROM runs ${filter.sql} ORDER BY started_at DESC, id DESC LIMIT ${listLimit(query.limit)}`,
          filter.values,
        ),
      );
    },

    async appendEvents(runId, batch) {
      open();
      if (batch.length === 0) return [];
      return transaction(() => {
        const head = db.get('SELECT next FROM event_heads WHERE run_id = ?', [runId]) as {
          next: number;
        } | null;
        let next = head?.next ?? 1;
        const added: StoredEvent[] = [];
        for (const event of batch) {
          const stored: StoredEvent = {
            runId,
            seq: next++,
            type: event.type,
            at: event.at ?? nowIso(),
            data: event.data ?? null,
          };
          db.run('INSERT INTO events (run_id, seq, type, at, data) VALUES (?, ?, ?, ?, ?)', [
            runId,
            stored.seq,
            stored.type,
            stored.at,
            JSON.stringify(stored.data),
          ]);
          added.push(stored);
        }
        db.run(
          'INSERT INTO event_heads (run_id, next) VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET next = excluded.next',
          [runId, next],
        );
        db.run('DELETE FROM events WHERE run_id = ? AND seq < ?', [runId, next - maxEvents]);
        return JSON.parse(JSON.stringify(added)) as StoredEvent[];
      });
    },
    async readEvents(runId, options = {}) {
      open();
      const rows = db.all(
        `SELECT seq, type, at, data FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ${eventLimit(options.limit)}`,
        [runId, options.afterSeq ?? 0],
      ) as { seq: number; type: string; at: string; data: string }[];
      return rows.map((row) => ({
        runId,
        seq: row.seq,
        type: row.type,
        at: row.at,
        data: JSON.parse(row.data),
      }));
    },

    async createApproval(approval) {
      open();
      return transaction(() => {
        if (db.get('SELECT 1 AS found FROM approvals WHERE id = ?', [approval.id]))
          throw new StoreError(`approval "${approval.id}" exists already`, { code: 'store-duplicate' });
        const pending = docs<StoredApproval>(
          db.all("SELECT doc FROM approvals WHERE run_id = ? AND branch = ? AND state = 'pending'", [
            approval.runId,
            approval.branch,
          ]),
        );
        for (const other of pending)
          writeApproval({ ...other, state: 'superseded', revision: other.revision + 1 }, false);
        const stored: StoredApproval = { ...approval, state: 'pending', revision: 1 };
        writeApproval(stored, true);
        return stored;
      });
    },
    async getApproval(id) {
      open();
      return one<StoredApproval>('SELECT doc FROM approvals WHERE id = ?', [id]);
    },
    async decideApproval(id, decision): Promise<ApprovalDecisionResult> {
      open();
      return transaction((): ApprovalDecisionResult => {
        const current = one<StoredApproval>('SELECT doc FROM approvals WHERE id = ?', [id]);
        if (!current) return { ok: false, reason: 'not-found' };
        if (current.state !== 'pending') return { ok: false, reason: 'already-decided', approval: current };
        if (current.commit !== decision.commit)
          return { ok: false, reason: 'commit-mismatch', approval: current };
        const next: StoredApproval = {
          ...current,
          state: decision.approve ? 'approved' : 'rejected',
          decidedAt: nowIso(),
          decidedBy: decision.by,
          revision: current.revision + 1,
        };
        if (writeApproval(next, false).changes !== 1)
          return { ok: false, reason: 'already-decided', approval: current };
        return { ok: true, approval: next };
      });
    },
    async listApprovals(query = {}) {
      open();
      const filter = where([
        ['state = ?', query.state],
        ['run_id = ?', query.runId],
        ['project = ?', query.project],
      ]);
      return docs<StoredApproval>(
        db.all(`SELECT doc FROM approvals ${filter.sql} ORDER BY requested_at DESC, id DESC`, filter.values),
      );
    },

    async markOnce(key, value = '') {
      open();
      return (
        db.run('INSERT INTO marks (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value])
          .changes === 1
      );
    },
    async getMark(key) {
      open();
      const row = db.get('SELECT value FROM marks WHERE key = ?', [key]) as { value: string } | null;
      return row?.value;
    },
    async putRecord(key, value) {
      open();
      db.run(
        'INSERT INTO records (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, JSON.stringify(value ?? null)],
      );
    },
    async getRecord(key) {
      open();
      const row = db.get('SELECT value FROM records WHERE key = ?', [key]) as { value: string } | null;
      return row ? (JSON.parse(row.value) as unknown) : undefined;
    },
    async listRecords(prefix) {
      open();
      // A range on the primary key rather than LIKE: `%` and `_` in a prefix stay literal.
      const rows = db.all('SELECT key, value FROM records WHERE key >= ? AND key < ? ORDER BY key', [
        prefix,
        `${prefix}\uffff`,
      ]) as { key: string; value: string }[];
      return rows
        .filter((row) => row.key.startsWith(prefix))
        .map((row) => ({ key: row.key, value: JSON.parse(row.value) as unknown }));
    },
    async deleteRecord(key) {
      open();
      db.run('DELETE FROM records WHERE key = ?', [key]);
    },
    async appendJournal(records) {
      open();
      if (records.length === 0) return;
      transaction(() => {
        for (const record of records)
          db.run('INSERT INTO journal (record) VALUES (?)', [JSON.stringify(record)]);
      });
    },
    async readJournal() {
      open();
      return (db.all('SELECT record FROM journal ORDER BY seq') as { record: string }[]).map(
        (row) => JSON.parse(row.record) as unknown,
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
      await release();
    },
  };
}
