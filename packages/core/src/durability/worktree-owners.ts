/**
 * Ownership records of task worktrees: which run (process and task id) created or last took over
 * each one, and which branch the orchestrator created for it. Start-up clean-up never touches a
 * worktree a live run owns, and an existing branch is reused only when the orchestrator created
 * it for that same worktree (a user's branch of the same name is never taken silently).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readDurableJson, writeDurableJson } from './durable-json.js';
import { currentProcess, isProcessAlive, type ProcessIdentity } from './process-identity.js';

/** One worktree's record. */
export interface WorktreeOwner extends ProcessIdentity {
  worktree: string;
  branch: string;
  taskId?: string;
  /** True when the orchestrator created the branch (with `worktree add -b`). */
  createdBranch: boolean;
  at: string;
}

// Task ids of the runs alive in this process (a dispatcher runs several at once).
const liveTasks = new Map<string, number>();

/** Marks a run of this process alive until the returned function is called. */
export function registerLiveTask(taskId: string): () => void {
  liveTasks.set(taskId, (liveTasks.get(taskId) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const count = (liveTasks.get(taskId) ?? 1) - 1;
    if (count <= 0) liveTasks.delete(taskId);
    else liveTasks.set(taskId, count);
  };
}

const folder = (stateDir: string) => join(stateDir, 'worktrees');
const recordPath = (stateDir: string, worktree: string) => join(folder(stateDir), `${worktree}.json`);

/** The record of `worktree`, if any. */
export function readWorktreeOwner(stateDir: string, worktree: string): Promise<WorktreeOwner | undefined> {
  return readDurableJson<WorktreeOwner>(recordPath(stateDir, worktree)).catch(() => undefined);
}

/** Records this process (and `taskId`) as the owner of `worktree`. */
export async function writeWorktreeOwner(
  stateDir: string,
  record: { worktree: string; branch: string; taskId?: string; createdBranch: boolean },
): Promise<void> {
  const owner: WorktreeOwner = { ...currentProcess(), ...record, at: new Date().toISOString() };
  await writeDurableJson(recordPath(stateDir, record.worktree), owner);
}

/** Forgets `worktree` (after its branch was deleted). */
export async function removeWorktreeOwner(stateDir: string, worktree: string): Promise<void> {
  await rm(recordPath(stateDir, worktree), { force: true });
}

/**
 * Why `worktree` belongs to another live run, or undefined when `taskId` may clean it up: its
 * owner process is gone, or it is this process and the owning run is `taskId` or no longer alive.
 */
export async function liveOwnerOf(
  stateDir: string,
  worktree: string,
  taskId: string | undefined,
): Promise<string | undefined> {
  const owner = await readWorktreeOwner(stateDir, worktree);
  if (owner === undefined || !isProcessAlive(owner)) return undefined;
  const self = currentProcess();
  if (owner.pid === self.pid && owner.start === self.start) {
    if (owner.taskId === undefined || owner.taskId === taskId || !liveTasks.has(owner.taskId))
      return undefined;
    return `in use by run ${owner.taskId} of this process`;
  }
  return `in use by process ${owner.pid}${owner.taskId === undefined ? '' : ` (run ${owner.taskId})`}`;
}

/** Names of every recorded worktree. */
export async function recordedWorktrees(stateDir: string): Promise<string[]> {
  const names = await readdir(folder(stateDir)).catch(() => []);
  return names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length));
}
