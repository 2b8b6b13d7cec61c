import { basename, join } from 'node:path';
import { liveOwnerOf, removeWorktreeOwner } from '../durability/worktree-owners.js';
import type { OrchestratorEventInput } from '../events.js';
import { retryOnGitLock } from './repository-lock.js';
import type { WorktreeRepository } from './worktree-repository.js';

/** What `prune` did. */
export interface PruneReport {
  /** Paths of worktrees whose directory was gone; their metadata was pruned. */
  missing: string[];
  /** Task worktrees removed because their branch was merged into main and they were clean. */
  removed: string[];
  /** Branches deleted with `git branch -d` (git refuses that for unmerged branches). */
  deletedBranches: string[];
  /** Task worktrees left alone, with the reason. */
  kept: { name: string; reason: string }[];
}

/**
 * Start-up clean-up, run under the repository lock: `git worktree prune` when a worktree's
 * directory is gone, then every `task-*` worktree in baseDir whose branch is merged into main's
 * HEAD and which has no uncommitted or untracked files is removed and its branch deleted with
 * `git branch -d`. Worktrees another live run owns (ownership records), locked, detached, unmerged
 * and dirty worktrees are kept, with the reason; no
 * commit that is not in main is ever deleted. A task worktree that was created but never used is
 * "merged" (its branch is an ancestor of main) and is removed too.
 */
export async function pruneWorktrees(
  repository: WorktreeRepository,
  options: { emit: (event: OrchestratorEventInput) => void; taskId?: string; signal?: AbortSignal },
): Promise<PruneReport> {
  const { signal } = options;
  const taskId = options.taskId ? { taskId: options.taskId } : {};
  return repository.locked(async () => {
    const report: PruneReport = { missing: [], removed: [], deletedBranches: [], kept: [] };
    const before = await repository.list(signal);
    report.missing = before.filter((worktree) => worktree.prunable).map((worktree) => worktree.path);
    if (report.missing.length > 0) {
      await repository.mutate(
        ['worktree', 'prune'],
        { worktree: repository.mainWorktree, action: 'prune worktrees' },
        signal,
      );
      for (const path of report.missing) {
        options.emit({
          type: 'worktree-remove',
          worktree: basename(path),
          path,
          reason: 'pruned',
          ...taskId,
        });
      }
    }
    const tasks = before.filter(
      (worktree) =>
        !worktree.prunable &&
        worktree.name.startsWith('task-') &&
        worktree.path === join(repository.baseDir, worktree.name),
    );
    for (const worktree of tasks) {
      const keep = (reason: string) => report.kept.push({ name: worktree.name, reason });
      const branch = worktree.branch;
      const owner = await liveOwnerOf(repository.stateDir, worktree.name, options.taskId);
      if (owner !== undefined) keep(owner);
      else if (worktree.locked) keep('locked');
      else if (!branch) keep('detached HEAD');
      else if (
        (
          await repository.git(
            ['merge-base', '--is-ancestor', `refs/heads/${branch}`, 'HEAD'],
            repository.mainPath,
            signal,
          )
        ).exitCode !== 0
      ) {
        keep(`branch ${branch} has commits not merged into ${repository.mainWorktree}`);
      } else if ((await repository.changes(worktree.path, signal)).length > 0) keep('uncommitted changes');
      else {
        const what = { worktree: worktree.name, action: `remove worktree ${worktree.name}` };
        await repository.mutate(['worktree', 'remove', worktree.path], what, signal);
        report.removed.push(worktree.name);
        options.emit({
          type: 'worktree-remove',
          worktree: worktree.name,
          path: worktree.path,
          reason: 'pruned',
          ...taskId,
        });
        const deleted = await retryOnGitLock(() =>
          repository.git(['branch', '-d', branch], repository.mainPath, signal),
        );
        if (deleted.exitCode === 0) {
          report.deletedBranches.push(branch);
          await removeWorktreeOwner(repository.stateDir, worktree.name);
        }
      }
    }
    return report;
  });
}
