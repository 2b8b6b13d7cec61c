/**
 * What must hold before the merge queue even asks the gates: main clean, a task branch that
 * exists, not already in main, and every change committed in its worktree.
 */
import { parseWorktreeList } from '../worktree/parse-worktree-list.js';
import { shortCommit } from './merge-result.js';
import { mergeCommandUsage } from './parse-merge-command.js';
import { createRepositoryGit, type RepositoryGit } from './repository-git.js';

/** The outcome of the checks. */
export type MergePrecondition =
  | { kind: 'refuse'; reason: string; branchCommit?: string; worktree?: { name: string; path: string } }
  | { kind: 'already-merged'; text: string; branchCommit: string; worktree?: { name: string; path: string } }
  | { kind: 'ready'; branchCommit: string; worktree?: { name: string; path: string } };

/** Checks `branch` against main at `mainCommit`. */
export async function checkMergePreconditions(input: {
  mainGit: RepositoryGit;
  mainPath: string;
  mainCommit: string;
  branch: string;
  taskBranch: RegExp;
  /** True when this queue merged the branch earlier in the run. */
  mergedHere: boolean;
  signal?: AbortSignal;
}): Promise<MergePrecondition> {
  const { mainGit, branch } = input;
  const gitOptions = input.signal ? { signal: input.signal } : {};
  const validName = input.taskBranch.test(branch);
  // Independent reads run together (each git call is a process start).
  const [dirty, branchCommit, listed] = await Promise.all([
    mainGit.status(gitOptions),
    validName ? mainGit.branchCommit(branch, gitOptions) : Promise.resolve(undefined),
    mainGit.run(['worktree', 'list', '--porcelain', '-z'], gitOptions),
  ]);
  if (dirty.length > 0) {
    return {
      kind: 'refuse',
      reason:
        `main has uncommitted changes, so nothing is merged into it:\n${dirty.slice(0, 10).join('\n')}\n` +
        'Never change files in main: work happens in task worktrees.',
    };
  }
  if (!validName) {
    return {
      kind: 'refuse',
      reason: `${JSON.stringify(branch)} is not a task branch: only branches named like task-<name> are merged into main (${mergeCommandUsage}).`,
    };
  }
  if (branchCommit === undefined) {
    return {
      kind: 'refuse',
      reason: `there is no local branch ${branch}. List branches with \`git branch\` in main.`,
    };
  }
  const found =
    listed.exitCode === 0
      ? parseWorktreeList(listed.stdout, input.mainPath).find((worktree) => worktree.branch === branch)
      : undefined;
  const worktree = found ? { name: found.name, path: found.path } : undefined;
  const where = worktree ? { worktree } : {};
  if (await mainGit.isAncestor(branchCommit, input.mainCommit, gitOptions)) {
    // On main's first-parent line: the branch never got a commit of its own. Elsewhere: it was
    // merged (by this run or an earlier, interrupted one).
    const firstParents = await mainGit.run(
      ['rev-list', '--first-parent', '--max-count=5000', input.mainCommit],
      gitOptions,
    );
    const ownCommits = !firstParents.stdout.split('\n').includes(branchCommit);
    const text =
      input.mergedHere || ownCommits
        ? `${branch} is already merged into main (nothing to do).`
        : `${branch} (${shortCommit(branchCommit)}) has no commits that main lacks, so there is nothing to merge. ` +
          'If codex changed files, they are not committed: check `git status` in its worktree and commit there.';
    return { kind: 'already-merged', text, branchCommit, ...where };
  }
  if (worktree) {
    const changes = await createRepositoryGit(worktree.path).status(gitOptions);
    if (changes.length > 0) {
      return {
        kind: 'refuse',
        branchCommit,
        ...where,
        reason:
          `worktree ${worktree.name} has uncommitted changes on ${branch}:\n${changes.slice(0, 10).join('\n')}\n` +
          `Commit them there first (in worktree ${worktree.name}: git add -A && git commit -m "<summary>"), then merge again.`,
      };
    }
  }
  return { kind: 'ready', branchCommit, ...where };
}
