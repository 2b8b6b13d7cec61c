import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../store/create-sqlite-store.js';
import type { OrchestratorStore, StoredApproval } from '../store/store-types.js';
import type { MergeApprovalRequest } from '../types.js';
import {
  approvalIdFor,
  createApprovalDecisions,
  createDurableApprover,
  decideApproval,
} from './durable-approver.js';

const folders: string[] = [];
const stores: OrchestratorStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
async function openStore(path?: string) {
  const file = path ?? join(mkdtempSync(join(tmpdir(), 'approver-')), 'store.db');
  if (!path) folders.push(join(file, '..'));
  const store = await createSqliteStore({ path: file, lockWaitMs: 0 });
  stores.push(store);
  return { store, file };
}
const request = (commit: string, signal?: AbortSignal): MergeApprovalRequest => ({
  branch: 'task-search',
  commit,
  worktree: 'task-search',
  diffStat: ' a.ts | 1 +',
  review: { verdict: 'approve', summary: 'fine' },
  ...(signal ? { signal } : {}),
});

describe('createDurableApprover', () => {
  it('asks once, waits, and merges on the decision for the reviewed commit', async () => {
    const { store } = await openStore();
    const decisions = createApprovalDecisions();
    const asked: StoredApproval[] = [];
    const approve = createDurableApprover({
      store,
      decisions,
      runId: 'run-1',
      taskId: 'task-1',
      project: 'shop',
      notify: async (approval) => void asked.push(approval),
    });
    const waiting = approve(request('c0ffee1'));
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatchObject({
      state: 'pending',
      commit: 'c0ffee1',
      branch: 'task-search',
      project: 'shop',
    });
    expect(asked[0]?.id).toBe(approvalIdFor('task-1', 'task-search', 'c0ffee1'));
    // A decision for another commit is refused and does not release the merge.
    expect(
      await decideApproval(store, decisions, asked[0]?.id ?? '', {
        approve: true,
        commit: 'deadbee',
        by: 't',
      }),
    ).toMatchObject({
      ok: false,
      reason: 'commit-mismatch',
    });
    const result = await decideApproval(store, decisions, asked[0]?.id ?? '', {
      approve: true,
      commit: 'c0ffee1',
      by: 'telegram:1',
    });
    expect(result.ok).toBe(true);
    expect(await waiting).toBe(true);
    // A second press is refused: the decision happened once.
    expect(
      (
        await decideApproval(store, decisions, asked[0]?.id ?? '', {
          approve: false,
          commit: 'c0ffee1',
          by: 'x',
        })
      ).ok,
    ).toBe(false);
  });

  it('survives a restart: the old request is still pending, not asked again, and its button still decides', async () => {
    const first = await openStore();
    const asked: string[] = [];
    const notify = async (approval: StoredApproval) => void asked.push(approval.id);
    const controller = new AbortController();
    const before = createDurableApprover({
      store: first.store,
      decisions: createApprovalDecisions(),
      runId: 'run-1',
      taskId: 'task-1',
      project: 'shop',
      notify,
    });
    const dying = before(request('c0ffee1', controller.signal));
    await expect.poll(() => asked.length).toBe(1);
    controller.abort(new Error('the process died'));
    await expect(dying).rejects.toThrow('the process died');
    await first.store.close();

    const { store } = await openStore(first.file);
    const decisions = createApprovalDecisions();
    const after = createDurableApprover({
      store,
      decisions,
      runId: 'run-2',
      taskId: 'task-1',
      project: 'shop',
      notify,
    });
    const waiting = after(request('c0ffee1'));
    expect((await store.getApproval(asked[0] ?? ''))?.state).toBe('pending');
    await decideApproval(store, decisions, asked[0] ?? '', {
      approve: true,
      commit: 'c0ffee1',
      by: 'telegram:1',
    });
    expect(await waiting).toBe(true);
    expect(asked).toHaveLength(1);
  });

  it('counts a decision made while nobody waited, and finds one written by another process by polling', async () => {
    const { store } = await openStore();
    const decisions = createApprovalDecisions();
    const asked: string[] = [];
    const options = {
      store,
      decisions,
      runId: 'r',
      taskId: 't',
      project: 'shop',
      pollMs: 50,
      notify: async (a: StoredApproval) => void asked.push(a.id),
    };
    const controller = new AbortController();
    const first = createDurableApprover(options)(request('aaaaaaa', controller.signal));
    await expect.poll(() => asked.length).toBe(1);
    controller.abort(new Error('stopped'));
    await expect(first).rejects.toThrow('stopped');
    // Pressed while the merge was not waiting (service down): the next request merges at once.
    await store.decideApproval(asked[0] ?? '', { approve: true, commit: 'aaaaaaa', by: 'api' });
    expect(await createDurableApprover(options)(request('aaaaaaa'))).toBe(true);
    // Written straight to the store (no announcement in this process): polling finds it.
    const second = createDurableApprover(options)(request('bbbbbbb'));
    await expect.poll(() => asked.length).toBe(2);
    await store.decideApproval(asked[1] ?? '', { approve: false, commit: 'bbbbbbb', by: 'api' });
    expect(await second).toBe(false);
  });

  it('never lets an approval of one commit cover a new commit of the same branch', async () => {
    const { store } = await openStore();
    const decisions = createApprovalDecisions();
    const asked: StoredApproval[] = [];
    const approve = createDurableApprover({
      store,
      decisions,
      runId: 'r',
      taskId: 't',
      project: 'shop',
      pollMs: 50,
      notify: async (a) => void asked.push(a),
    });
    const old = approve(request('1111111'));
    await expect.poll(() => asked.length).toBe(1);
    await decideApproval(store, decisions, asked[0]?.id ?? '', { approve: true, commit: '1111111', by: 'x' });
    expect(await old).toBe(true);
    const controller = new AbortController();
    const fresh = approve(request('2222222', controller.signal));
    await expect.poll(() => asked.length).toBe(2);
    expect(asked[1]?.id).not.toBe(asked[0]?.id);
    expect((await store.getApproval(asked[1]?.id ?? ''))?.state).toBe('pending');
    controller.abort(new Error('done'));
    await expect(fresh).rejects.toThrow('done');
  });
});
