import { createHash } from 'node:crypto';
import type { OrchestratorStore, StoredApproval } from '../store/store-types.js';
import type { MergeApprovalRequest, MergeApprover } from '../types.js';

/**
 * Where decisions on approvals are announced inside one process, so a waiting merge wakes at
 * once; decisions written by another process are found by polling the store.
 */
export interface ApprovalDecisions {
  /** Calls `listener` with the id of every approval decided from now on; returns the unsubscribe. */
  subscribe(listener: (approvalId: string) => void): () => void;
  /** Announces a decision (after it was written to the store). */
  announce(approvalId: string): void;
}

/** A process-local `ApprovalDecisions`. */
export function createApprovalDecisions(): ApprovalDecisions {
  const listeners = new Set<(approvalId: string) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    announce(approvalId) {
      for (const listener of [...listeners]) listener(approvalId);
    },
  };
}

/**
 * The id of the approval for one branch head of one task: the same after a restart, so a button
 * sent before it still decides the merge waiting after it; another commit gets another id.
 */
export function approvalIdFor(taskId: string, branch: string, commit: string): string {
  return `approval-${createHash('sha256').update(`${taskId}\0${branch}\0${commit}`).digest('hex').slice(0, 20)}`;
}

/** Settings of `createDurableApprover`. */
export interface DurableApproverOptions {
  store: OrchestratorStore;
  decisions: ApprovalDecisions;
  /** The run, task and project the merges belong to. */
  runId: string;
  taskId: string;
  project: string;
  /**
   * Asks a person (a chat message with buttons, a tracker comment), naming `approval.id`. Called
   * once per approval record: a restart that finds the record pending waits without asking again,
   * and the earlier message keeps working.
   */
  notify(approval: StoredApproval, request: MergeApprovalRequest): Promise<void>;
  /** How often to look for decisions written by another process (default 2,000 ms). */
  pollMs?: number;
}

/**
 * A `MergeApprover` whose approvals are durable records tied to the reviewed commit: the request
 * survives a restart, a decision made while the service was down counts when it comes back, and
 * an approval never covers a commit other than the one reviewed.
 *
 * @example
 * const approveMerge = createDurableApprover({ store, decisions, runId, taskId, project: 'shop', notify });
 */
export function createDurableApprover(options: DurableApproverOptions): MergeApprover {
  const pollMs = options.pollMs ?? 2_000;
  return async (request) => {
    if (!request.commit) throw new TypeError('a merge approval needs the reviewed commit');
    const id = approvalIdFor(options.taskId, request.branch, request.commit);
    let approval = await options.store.getApproval(id);
    if (approval === undefined) {
      approval = await options.store.createApproval({
        id,
        runId: options.runId,
        taskId: options.taskId,
        project: options.project,
        branch: request.branch,
        commit: request.commit,
        requestedAt: new Date().toISOString(),
        details: { diffStat: request.diffStat, ...(request.review ? { review: request.review } : {}) },
      });
      await options.notify(approval, request);
    }
    for (;;) {
      if (approval?.state === 'approved') return true;
      if (approval?.state === 'rejected' || approval?.state === 'superseded') return false;
      request.signal?.throwIfAborted();
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          unsubscribe();
          request.signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, pollMs);
        const unsubscribe = options.decisions.subscribe((decided) => {
          if (decided === id) done();
        });
        request.signal?.addEventListener('abort', done, { once: true });
      });
      approval = await options.store.getApproval(id);
    }
  };
}

/**
 * Decides an approval (a button, an API call, a tracker comment) and wakes the merge waiting for
 * it. Exactly one decision wins; the commit must be the one that was reviewed.
 */
export async function decideApproval(
  store: OrchestratorStore,
  decisions: ApprovalDecisions,
  approvalId: string,
  decision: { approve: boolean; commit: string; by: string },
) {
  const result = await store.decideApproval(approvalId, decision);
  if (result.ok) decisions.announce(approvalId);
  return result;
}
