import { StoreConflictError, StoreError } from './store-errors.js';
import { defaultMaxEventsPerRun, eventLimit, inWindow, jsonCopy, listLimit, nowIso } from './store-query.js';
import type {
  ApprovalDecisionResult,
  OrchestratorStore,
  StoredApproval,
  StoredEvent,
  StoredRun,
  StoredTask,
  StoreLimits,
} from './store-types.js';

/**
 * An `OrchestratorStore` in memory: the reference implementation of the contract, for tests and
 * for embedding where nothing must survive the process. Records are copied in and out.
 *
 * @example
 * const store = createMemoryStore();
 * await store.createTask({ id: 't1', source: 'api', text: 'Add search', state: 'queued', metadata: {} });
 */
export function createMemoryStore(limits: StoreLimits = {}): OrchestratorStore {
  const maxEvents = limits.maxEventsPerRun ?? defaultMaxEventsPerRun;
  const tasks = new Map<string, StoredTask>();
  const runs = new Map<string, StoredRun>();
  const approvals = new Map<string, StoredApproval>();
  const events = new Map<string, { next: number; list: StoredEvent[] }>();
  const marks = new Map<string, string>();
  const records = new Map<string, unknown>();
  const journal: unknown[] = [];
  let closed = false;

  const open = () => {
    if (closed) throw new StoreError('the store is closed; open a new one', { code: 'store-closed' });
  };
  const newestFirst = <T extends { createdAt?: string; startedAt?: string; id: string }>(a: T, b: T) => {
    const left = a.createdAt ?? a.startedAt ?? '';
    const right = b.createdAt ?? b.startedAt ?? '';
    return left === right ? (a.id < b.id ? 1 : -1) : left < right ? 1 : -1;
  };

  return {
    async createTask(task) {
      open();
      const existing = tasks.get(task.id);
      if (existing) return { created: false, task: jsonCopy(existing) };
      const now = nowIso();
      const stored: StoredTask = { ...jsonCopy(task), createdAt: now, updatedAt: now, revision: 1 };
      tasks.set(task.id, stored);
      return { created: true, task: jsonCopy(stored) };
    },
    async getTask(id) {
      open();
      return jsonCopy(tasks.get(id));
    },
    async updateTask(id, expectedRevision, patch) {
      open();
      const current = tasks.get(id);
      if (!current) throw new StoreError(`no task "${id}" in the store`, { code: 'store-not-found' });
      if (current.revision !== expectedRevision)
        throw new StoreConflictError(`task "${id}"`, expectedRevision, current.revision);
      const next: StoredTask = {
        ...current,
        ...jsonCopy(patch),
        updatedAt: nowIso(),
        revision: current.revision + 1,
      };
      tasks.set(id, next);
      return jsonCopy(next);
    },
    async listTasks(query = {}) {
      open();
      return [...tasks.values()]
        .filter(
          (task) =>
            (query.project === undefined || task.project === query.project) &&
            (query.state === undefined || task.state === query.state) &&
            inWindow(task.createdAt, query),
        )
        .sort(newestFirst)
        .slice(0, listLimit(query.limit))
        .map(jsonCopy);
    },

    async createRun(run) {
      open();
      if (runs.has(run.id))
        throw new StoreError(`run "${run.id}" exists already`, { code: 'store-duplicate' });
      const stored: StoredRun = { ...jsonCopy(run), updatedAt: nowIso(), revision: 1 };
      runs.set(run.id, stored);
      return jsonCopy(stored);
    },
    async getRun(id) {
      open();
      return jsonCopy(runs.get(id));
    },
    async updateRun(id, expectedRevision, patch) {
      open();
      const current = runs.get(id);
      if (!current) throw new StoreError(`no run "${id}" in the store`, { code: 'store-not-found' });
      if (current.revision !== expectedRevision)
        throw new StoreConflictError(`run "${id}"`, expectedRevision, current.revision);
      const next: StoredRun = {
        ...current,
        ...jsonCopy(patch),
        updatedAt: nowIso(),
        revision: current.revision + 1,
      };
      runs.set(id, next);
      return jsonCopy(next);
    },
    async listRuns(query = {}) {
      open();
      return [...runs.values()]
        .filter(
          (run) =>
            (query.project === undefined || run.project === query.project) &&
            (query.taskId === undefined || run.taskId === query.taskId) &&
            (query.state === undefined || run.state === query.state) &&
            inWindow(run.startedAt, query),
        )
        .sort(newestFirst)
        .slice(0, listLimit(query.limit))
        .map(jsonCopy);
    },

    async appendEvents(runId, batch) {
      open();
      const log = events.get(runId) ?? { next: 1, list: [] };
      events.set(runId, log);
      const added = batch.map((event) => ({
        runId,
        seq: log.next++,
        type: event.type,
        at: event.at ?? nowIso(),
        data: jsonCopy(event.data),
      }));
      log.list.push(...added);
      if (log.list.length > maxEvents) log.list.splice(0, log.list.length - maxEvents);
      return jsonCopy(added);
    },
    async readEvents(runId, options = {}) {
      open();
      const after = options.afterSeq ?? 0;
      const list = events.get(runId)?.list ?? [];
      return jsonCopy(list.filter((event) => event.seq > after).slice(0, eventLimit(options.limit)));
    },

    async createApproval(approval) {
      open();
      if (approvals.has(approval.id))
        throw new StoreError(`approval "${approval.id}" exists already`, { code: 'store-duplicate' });
      for (const [id, other] of approvals) {
        if (other.state === 'pending' && other.runId === approval.runId && other.branch === approval.branch)
          approvals.set(id, { ...other, state: 'superseded', revision: other.revision + 1 });
      }
      const stored: StoredApproval = { ...jsonCopy(approval), state: 'pending', revision: 1 };
      approvals.set(approval.id, stored);
      return jsonCopy(stored);
    },
    async getApproval(id) {
      open();
      return jsonCopy(approvals.get(id));
    },
    async decideApproval(id, decision): Promise<ApprovalDecisionResult> {
      open();
      const current = approvals.get(id);
      if (!current) return { ok: false, reason: 'not-found' };
      if (current.state !== 'pending')
        return { ok: false, reason: 'already-decided', approval: jsonCopy(current) };
      if (current.commit !== decision.commit)
        return { ok: false, reason: 'commit-mismatch', approval: jsonCopy(current) };
      const next: StoredApproval = {
        ...current,
        state: decision.approve ? 'approved' : 'rejected',
        decidedAt: nowIso(),
        decidedBy: decision.by,
        revision: current.revision + 1,
      };
      approvals.set(id, next);
      return { ok: true, approval: jsonCopy(next) };
    },
    async listApprovals(query = {}) {
      open();
      return [...approvals.values()]
        .filter(
          (approval) =>
            (query.state === undefined || approval.state === query.state) &&
            (query.runId === undefined || approval.runId === query.runId) &&
            (query.project === undefined || approval.project === query.project),
        )
        .sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : a.requestedAt > b.requestedAt ? -1 : 0))
        .map(jsonCopy);
    },

    async markOnce(key, value = '') {
      open();
      if (marks.has(key)) return false;
      marks.set(key, value);
      return true;
    },
    async getMark(key) {
      open();
      return marks.get(key);
    },
    async putRecord(key, value) {
      open();
      records.set(key, jsonCopy(value ?? null));
    },
    async getRecord(key) {
      open();
      return records.has(key) ? jsonCopy(records.get(key)) : undefined;
    },
    async listRecords(prefix) {
      open();
      return [...records.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([left], [right]) => (left < right ? -1 : 1))
        .map(([key, value]) => ({ key, value: jsonCopy(value) }));
    },
    async deleteRecord(key) {
      open();
      records.delete(key);
    },
    async appendJournal(entries) {
      open();
      journal.push(...entries.map(jsonCopy));
    },
    async readJournal() {
      open();
      return journal.map(jsonCopy);
    },
    async close() {
      closed = true;
    },
  };
}
