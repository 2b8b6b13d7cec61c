import { deepStrictEqual, ok, rejects, strictEqual } from 'node:assert/strict';
import type { StoreError } from '../store/store-errors.js';
import type { OrchestratorStore, StoredTask } from '../store/store-types.js';

/** How the contract cases get a store: a fresh one, and (for durable stores) the same one reopened. */
export interface StoreContractFactory {
  /** A new, empty store; `maxEventsPerRun` must be honoured when given. */
  open(limits?: { maxEventsPerRun?: number }): Promise<OrchestratorStore>;
  /** Closes `store` and opens the same data again; omit for stores that keep nothing. */
  reopen?(store: OrchestratorStore): Promise<OrchestratorStore>;
}

/** One contract case: throws (node:assert) when the store breaks the contract. */
export interface StoreContractCase {
  name: string;
  /** Needs `reopen` (skipped by stores without durability). */
  durable?: boolean;
  run(factory: StoreContractFactory): Promise<void>;
}

const task = (id: string, extra: Partial<StoredTask> = {}) => ({
  id,
  source: 'api',
  text: `task ${id}`,
  state: 'queued' as const,
  metadata: {},
  ...extra,
});

const storeCode = (code: StoreError['code']) => (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;

async function withStore(factory: StoreContractFactory, work: (store: OrchestratorStore) => Promise<void>) {
  const store = await factory.open();
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

/**
 * The cases every `OrchestratorStore` must pass: the embedded SQLite store, the memory store, and
 * the Postgres store to come. Register them with your test runner:
 *
 * @example
 * for (const contractCase of storeContractCases) {
 *   it(contractCase.name, () => contractCase.run({ open: () => createMyStore() }));
 * }
 */
export const storeContractCases: readonly StoreContractCase[] = [
  {
    name: 'createTask is idempotent by id and keeps the first text',
    run: (factory) =>
      withStore(factory, async (store) => {
        const first = await store.createTask(task('t1', { text: 'first' }));
        const second = await store.createTask(task('t1', { text: 'second' }));
        strictEqual(first.created, true);
        strictEqual(second.created, false);
        strictEqual(second.task.text, 'first');
        strictEqual(first.task.revision, 1);
      }),
  },
  {
    name: 'updateTask is a compare-and-set on the revision',
    run: (factory) =>
      withStore(factory, async (store) => {
        await store.createTask(task('t1'));
        const updated = await store.updateTask('t1', 1, { state: 'running', project: 'shop' });
        strictEqual(updated.revision, 2);
        strictEqual(updated.project, 'shop');
        await rejects(store.updateTask('t1', 1, { state: 'cancelled' }), storeCode('store-conflict'));
        strictEqual((await store.getTask('t1'))?.state, 'running');
        await rejects(store.updateTask('missing', 1, { state: 'running' }), storeCode('store-not-found'));
      }),
  },
  {
    name: 'concurrent updates of one revision: exactly one wins',
    run: (factory) =>
      withStore(factory, async (store) => {
        await store.createTask(task('t1'));
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, (_, index) => store.updateTask('t1', 1, { outcome: `o${index}` })),
        );
        strictEqual(results.filter((result) => result.status === 'fulfilled').length, 1);
        strictEqual((await store.getTask('t1'))?.revision, 2);
      }),
  },
  {
    name: 'listTasks filters by project, state and time, newest first, bounded',
    run: (factory) =>
      withStore(factory, async (store) => {
        for (let index = 0; index < 6; index++) {
          await store.createTask(task(`t${index}`, { project: index % 2 ? 'shop' : 'billing' }));
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        await store.updateTask('t1', 1, { state: 'finished', outcome: 'all-merged' });
        const shop = await store.listTasks({ project: 'shop' });
        deepStrictEqual(
          shop.map((entry) => entry.id),
          ['t5', 't3', 't1'],
        );
        deepStrictEqual(
          (await store.listTasks({ state: 'finished' })).map((entry) => entry.id),
          ['t1'],
        );
        strictEqual((await store.listTasks({ limit: 2 })).length, 2);
        const middle = (await store.getTask('t3'))?.createdAt ?? '';
        deepStrictEqual(
          (await store.listTasks({ since: middle })).map((entry) => entry.id),
          ['t5', 't4', 't3'],
        );
        deepStrictEqual(
          (await store.listTasks({ until: middle })).map((entry) => entry.id),
          ['t2', 't1', 't0'],
        );
      }),
  },
  {
    name: 'runs: create once, compare-and-set updates, queries by task and state',
    run: (factory) =>
      withStore(factory, async (store) => {
        const base = {
          taskId: 't1',
          project: 'shop',
          state: 'running' as const,
          startedAt: new Date().toISOString(),
        };
        await store.createRun({ id: 'r1', ...base });
        await rejects(store.createRun({ id: 'r1', ...base }), storeCode('store-duplicate'));
        await store.createRun({
          id: 'r2',
          ...base,
          taskId: 't2',
          startedAt: new Date(Date.now() + 1000).toISOString(),
        });
        const finished = await store.updateRun('r1', 1, {
          state: 'finished',
          outcome: 'all-merged',
          report: { merged: ['task-a'] },
        });
        deepStrictEqual(finished.report, { merged: ['task-a'] });
        await rejects(store.updateRun('r1', 1, { state: 'interrupted' }), storeCode('store-conflict'));
        deepStrictEqual(
          (await store.listRuns({ state: 'running' })).map((run) => run.id),
          ['r2'],
        );
        deepStrictEqual(
          (await store.listRuns({ taskId: 't1' })).map((run) => run.id),
          ['r1'],
        );
        deepStrictEqual(
          (await store.listRuns()).map((run) => run.id),
          ['r2', 'r1'],
        );
      }),
  },
  {
    name: 'event log: sequence numbers per run from 1, reads after a seq',
    run: (factory) =>
      withStore(factory, async (store) => {
        const first = await store.appendEvents('r1', [
          { type: 'run-start', data: { a: 1 } },
          { type: 'plan-update', data: { steps: ['x'] } },
        ]);
        deepStrictEqual(
          first.map((event) => event.seq),
          [1, 2],
        );
        await store.appendEvents('r2', [{ type: 'run-start', data: null }]);
        await store.appendEvents('r1', [{ type: 'run-end', data: { ok: true } }]);
        const after = await store.readEvents('r1', { afterSeq: 1 });
        deepStrictEqual(
          after.map((event) => [event.seq, event.type]),
          [
            [2, 'plan-update'],
            [3, 'run-end'],
          ],
        );
        deepStrictEqual(after[1]?.data, { ok: true });
        strictEqual((await store.readEvents('r1', { limit: 1 })).length, 1);
        strictEqual((await store.readEvents('r2')).length, 1);
        deepStrictEqual(await store.readEvents('none'), []);
      }),
  },
  {
    name: 'event log: only the newest maxEventsPerRun entries are kept; seq keeps growing',
    run: async (factory) => {
      const store = await factory.open({ maxEventsPerRun: 3 });
      try {
        for (let index = 0; index < 5; index++)
          await store.appendEvents('r1', [{ type: `e${index}`, data: index }]);
        deepStrictEqual(
          (await store.readEvents('r1')).map((event) => event.seq),
          [3, 4, 5],
        );
        deepStrictEqual(
          (await store.readEvents('r1', { afterSeq: 4 })).map((event) => event.type),
          ['e4'],
        );
      } finally {
        await store.close();
      }
    },
  },
  {
    name: 'approvals: decided once, only for the reviewed commit; a new request supersedes',
    run: (factory) =>
      withStore(factory, async (store) => {
        const request = {
          runId: 'r1',
          taskId: 't1',
          project: 'shop',
          branch: 'task-a',
          requestedAt: new Date().toISOString(),
        };
        await store.createApproval({ id: 'a1', ...request, commit: 'c1' });
        const wrong = await store.decideApproval('a1', { approve: true, by: 'telegram:1', commit: 'c2' });
        strictEqual(wrong.ok, false);
        strictEqual(!wrong.ok && wrong.reason, 'commit-mismatch');
        await store.createApproval({ id: 'a2', ...request, commit: 'c2' });
        strictEqual((await store.getApproval('a1'))?.state, 'superseded');
        const decisions = await Promise.all([
          store.decideApproval('a2', { approve: true, by: 'telegram:1', commit: 'c2' }),
          store.decideApproval('a2', { approve: false, by: 'api', commit: 'c2' }),
        ]);
        strictEqual(decisions.filter((decision) => decision.ok).length, 1);
        const stored = await store.getApproval('a2');
        ok(stored?.state === 'approved' || stored?.state === 'rejected');
        strictEqual((await store.decideApproval('nope', { approve: true, by: 'x', commit: 'c' })).ok, false);
        deepStrictEqual(
          (await store.listApprovals({ state: 'pending' })).map((approval) => approval.id),
          [],
        );
        strictEqual((await store.listApprovals({ runId: 'r1' })).length, 2);
      }),
  },
  {
    name: 'markOnce is true exactly once per key',
    run: (factory) =>
      withStore(factory, async (store) => {
        const results = await Promise.all([store.markOnce('k', 'a'), store.markOnce('k', 'b')]);
        deepStrictEqual(results.filter(Boolean).length, 1);
        strictEqual(await store.markOnce('other'), true);
        ok(['a', 'b'].includes((await store.getMark('k')) ?? ''));
        strictEqual(await store.getMark('never'), undefined);
      }),
  },
  {
    name: 'keyed records: last write wins, copies out, listed by prefix, deleted',
    run: (factory) =>
      withStore(factory, async (store) => {
        strictEqual(await store.getRecord('tracker:github:cursor'), undefined);
        await store.putRecord('tracker:github:cursor', { etag: 'a' });
        await store.putRecord('tracker:github:cursor', { etag: 'b' });
        deepStrictEqual(await store.getRecord('tracker:github:cursor'), { etag: 'b' });
        const copy = (await store.getRecord('tracker:github:cursor')) as { etag: string };
        copy.etag = 'changed';
        deepStrictEqual(await store.getRecord('tracker:github:cursor'), { etag: 'b' });
        await store.putRecord('tracker:github:issue:o/r#2', { phase: 'running' });
        await store.putRecord('tracker:github:issue:o/r#1', { phase: 'claimed' });
        await store.putRecord('tracker:linear:issue:ENG-1', 'other');
        await store.putRecord('tracker:github:issue_%', 'wildcards are literal');
        deepStrictEqual(await store.listRecords('tracker:github:issue:'), [
          { key: 'tracker:github:issue:o/r#1', value: { phase: 'claimed' } },
          { key: 'tracker:github:issue:o/r#2', value: { phase: 'running' } },
        ]);
        await store.deleteRecord('tracker:github:issue:o/r#1');
        await store.deleteRecord('never-there');
        deepStrictEqual(
          (await store.listRecords('tracker:github:issue:')).map((entry) => entry.key),
          ['tracker:github:issue:o/r#2'],
        );
      }),
  },
  {
    name: 'the journal keeps records in order',
    run: (factory) =>
      withStore(factory, async (store) => {
        await store.appendJournal([{ type: 'a', n: 1 }]);
        await store.appendJournal([
          { type: 'b', n: 2 },
          { type: 'c', n: 3 },
        ]);
        await store.appendJournal([]);
        deepStrictEqual(await store.readJournal(), [
          { type: 'a', n: 1 },
          { type: 'b', n: 2 },
          { type: 'c', n: 3 },
        ]);
      }),
  },
  {
    name: 'records are copies: changing a returned object changes nothing stored',
    run: (factory) =>
      withStore(factory, async (store) => {
        const { task: stored } = await store.createTask(task('t1', { metadata: { chat: '1' } }));
        stored.metadata.chat = 'changed';
        strictEqual((await store.getTask('t1'))?.metadata.chat, '1');
      }),
  },
  {
    name: 'a closed store refuses calls',
    run: async (factory) => {
      const store = await factory.open();
      await store.close();
      await rejects(store.getTask('t1'), storeCode('store-closed'));
    },
  },
  {
    name: 'everything survives a reopen',
    durable: true,
    run: async (factory) => {
      let store = await factory.open();
      await store.createTask(task('t1'));
      await store.updateTask('t1', 1, { state: 'running', project: 'shop' });
      await store.createRun({
        id: 'r1',
        taskId: 't1',
        project: 'shop',
        state: 'running',
        startedAt: new Date().toISOString(),
      });
      await store.appendEvents('r1', [{ type: 'run-start', data: {} }]);
      await store.createApproval({
        id: 'a1',
        runId: 'r1',
        taskId: 't1',
        project: 'shop',
        branch: 'task-a',
        commit: 'c1',
        requestedAt: new Date().toISOString(),
      });
      await store.markOnce('claimed:t1');
      await store.putRecord('tracker:cursor', { since: 'x' });
      await store.appendJournal([{ type: 'task-receive', id: 't1' }]);
      ok(factory.reopen);
      store = await factory.reopen(store);
      try {
        strictEqual((await store.getTask('t1'))?.revision, 2);
        strictEqual((await store.getRun('r1'))?.state, 'running');
        strictEqual((await store.getApproval('a1'))?.state, 'pending');
        strictEqual(await store.markOnce('claimed:t1'), false);
        deepStrictEqual(await store.getRecord('tracker:cursor'), { since: 'x' });
        deepStrictEqual(await store.readJournal(), [{ type: 'task-receive', id: 't1' }]);
        const next = await store.appendEvents('r1', [{ type: 'run-end', data: {} }]);
        strictEqual(next[0]?.seq, 2);
      } finally {
        await store.close();
      }
    },
  },
];
