/**
 * The service store contract: what `orchestrator serve` keeps across restarts (tasks, runs,
 * approvals, each run's bounded event log, idempotency markers). Types only. The embedded SQLite
 * store and the in-memory store implement it today; a Postgres store must pass the same contract
 * cases (`storeContractCases` in `@codex-orchestrator/core/testing`).
 *
 * Every write that must happen at most once is a compare-and-set on a record's `revision`, so two
 * processes (or a restart racing a late callback) cannot both win.
 */

/** Where a task is in its life. `finished` tasks carry an `outcome`. */
export type StoredTaskState = 'queued' | 'awaiting-project' | 'running' | 'finished' | 'cancelled';

/** A task as the service received it, with where it went. */
export interface StoredTask {
  /** Stable id; a source's own key (`github:owner/repo#12`) makes intake idempotent. */
  id: string;
  /** The project it runs in, once known. */
  project?: string;
  /** Name of the source it came from (`telegram`, `inbox`, `github`...). */
  source: string;
  /** The task text as received (hostile: never rendered unsanitised). */
  text: string;
  state: StoredTaskState;
  /** How it ended (`all-merged`, `partly-merged`, `nothing-merged`, `failed`...), when finished. */
  outcome?: string;
  /** Source metadata (chat id, issue number...), strings only. */
  metadata: Record<string, string>;
  /** ISO timestamps. */
  createdAt: string;
  updatedAt: string;
  /** Starts at 1; every update increments it. */
  revision: number;
}

/** Where a run is. A run found `running` at start-up belonged to a process that died. */
export type StoredRunState = 'running' | 'finished' | 'interrupted';

/** One orchestration of a task. */
export interface StoredRun {
  id: string;
  taskId: string;
  project: string;
  state: StoredRunState;
  outcome?: string;
  startedAt: string;
  endedAt?: string;
  updatedAt: string;
  /** The run-state reducer's latest state, as JSON-safe data. */
  snapshot?: unknown;
  /** The final report, as JSON-safe data. */
  report?: unknown;
  revision: number;
}

/** A merge waiting for a person, tied to the commit that was reviewed. */
export type StoredApprovalState = 'pending' | 'approved' | 'rejected' | 'superseded';

export interface StoredApproval {
  id: string;
  runId: string;
  taskId: string;
  project: string;
  branch: string;
  /** The reviewed commit: an approval never covers another commit. */
  commit: string;
  state: StoredApprovalState;
  requestedAt: string;
  decidedAt?: string;
  /** Who decided (`telegram:12345`, `api`, `github:octocat`). */
  decidedBy?: string;
  /** Free text shown with the request (review summary), JSON-safe. */
  details?: unknown;
  revision: number;
}

/** One entry of a run's event log. `seq` grows by one per run, from 1; it is the SSE event id. */
export interface StoredEvent {
  runId: string;
  seq: number;
  type: string;
  at: string;
  data: unknown;
}

/** Newest first, at most `limit` (default 50, max 500). */
export interface TaskQuery {
  project?: string | undefined;
  state?: StoredTaskState | undefined;
  /** ISO time: only records created at or after it. */
  since?: string | undefined;
  /** ISO time: only records created before it. */
  until?: string | undefined;
  limit?: number | undefined;
}

export interface RunQuery {
  project?: string | undefined;
  taskId?: string | undefined;
  state?: StoredRunState | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit?: number | undefined;
}

export interface ApprovalQuery {
  state?: StoredApprovalState | undefined;
  runId?: string | undefined;
  project?: string | undefined;
}

/** What a compare-and-set update may change. `id`, timestamps and `revision` are the store's. */
export type TaskPatch = Partial<Pick<StoredTask, 'project' | 'state' | 'outcome' | 'metadata'>>;
export type RunPatch = Partial<Pick<StoredRun, 'state' | 'outcome' | 'endedAt' | 'snapshot' | 'report'>>;

/** The answer to a decision on an approval. */
export type ApprovalDecisionResult =
  | { ok: true; approval: StoredApproval }
  | { ok: false; reason: 'not-found' | 'already-decided' | 'commit-mismatch'; approval?: StoredApproval };

/** The durable store of the service. Every method may reject with a `StoreError`. */
export interface OrchestratorStore {
  /** Inserts a task; when `id` exists already, returns the stored one with `created: false`. */
  createTask(
    task: Omit<StoredTask, 'createdAt' | 'updatedAt' | 'revision'>,
  ): Promise<{ created: boolean; task: StoredTask }>;
  getTask(id: string): Promise<StoredTask | undefined>;
  /** Applies `patch` when the stored revision equals `expectedRevision`; else `StoreConflictError`. */
  updateTask(id: string, expectedRevision: number, patch: TaskPatch): Promise<StoredTask>;
  listTasks(query?: TaskQuery): Promise<StoredTask[]>;

  createRun(run: Omit<StoredRun, 'updatedAt' | 'revision'>): Promise<StoredRun>;
  getRun(id: string): Promise<StoredRun | undefined>;
  updateRun(id: string, expectedRevision: number, patch: RunPatch): Promise<StoredRun>;
  listRuns(query?: RunQuery): Promise<StoredRun[]>;

  /** Appends events to a run's log and returns them with their `seq`. Older entries past the cap are dropped. */
  appendEvents(
    runId: string,
    events: ReadonlyArray<{ type: string; at?: string; data: unknown }>,
  ): Promise<StoredEvent[]>;
  /** Events with `seq > afterSeq` (default 0), oldest first, at most `limit` (default 1,000). */
  readEvents(runId: string, options?: { afterSeq?: number; limit?: number }): Promise<StoredEvent[]>;

  /** Inserts a pending approval; an older pending one for the same run and branch becomes `superseded`. */
  createApproval(
    approval: Omit<StoredApproval, 'state' | 'decidedAt' | 'decidedBy' | 'revision'>,
  ): Promise<StoredApproval>;
  getApproval(id: string): Promise<StoredApproval | undefined>;
  /**
   * Decides a pending approval exactly once, and only for the commit it was requested for.
   * Two concurrent decisions: one gets `ok: true`, the other `already-decided`.
   */
  decideApproval(
    id: string,
    decision: { approve: boolean; by: string; commit: string },
  ): Promise<ApprovalDecisionResult>;
  listApprovals(query?: ApprovalQuery): Promise<StoredApproval[]>;

  /**
   * Records that a keyed step happened (a tracker comment posted, a claim made). Returns `true`
   * only for the first call with that key, so a step guarded by it runs at most once.
   */
  markOnce(key: string, value?: string): Promise<boolean>;
  /** The value stored by `markOnce`, or undefined. */
  getMark(key: string): Promise<string | undefined>;

  /**
   * Keyed records of long-lived components (a tracker's poll cursor, the ids of the comments it
   * posted on an issue): JSON-safe values, last write wins. Use `markOnce` for at-most-once steps.
   */
  putRecord(key: string, value: unknown): Promise<void>;
  /** The record stored under `key` (a copy), or undefined. */
  getRecord(key: string): Promise<unknown>;
  /** Every record whose key starts with `prefix`, by key. */
  listRecords(prefix: string): Promise<{ key: string; value: unknown }[]>;
  /** Removes a record (nothing happens when there is none). */
  deleteRecord(key: string): Promise<void>;

  /**
   * Appends records to the dispatcher's journal (JSON-safe), durably and in order: the dispatcher
   * acts on a record only after this resolves.
   */
  appendJournal(records: readonly unknown[]): Promise<void>;
  /** Every journal record, in the order appended. */
  readJournal(): Promise<unknown[]>;

  /** Releases files and locks. Further calls reject. */
  close(): Promise<void>;
}

/** Settings shared by the built-in stores. */
export interface StoreLimits {
  /** Events kept per run; older ones are dropped (default 2,000). */
  maxEventsPerRun?: number;
}
