/**
 * The few git queries and mutations the merge queue and the end-of-run guard make in one
 * worktree, run directly (never through the policy: these are the orchestrator's own operations,
 * not the model's). Output is parsed with `LC_ALL=C` so messages are stable.
 */
import { createCommandEnv } from '../command/command-env.js';
import { OrchestratorError } from '../errors.js';
import { type GitResult, runGit } from '../process/run-git.js';
import { retryOnGitLock } from '../worktree/repository-lock.js';

/** Git in one worktree; see `createRepositoryGit`. */
export interface RepositoryGit {
  readonly cwd: string;
  /** Runs git; never rejects for a non-zero exit. Retried while another process holds a git lock. */
  run(
    args: readonly string[],
    options?: { signal?: AbortSignal; env?: NodeJS.ProcessEnv },
  ): Promise<GitResult>;
  /** Like `run`, but throws an `OrchestratorError` naming the command when git fails. */
  check(args: readonly string[], options?: { signal?: AbortSignal }): Promise<string>;
  /** The commit `HEAD` points at. */
  head(options?: { signal?: AbortSignal }): Promise<string>;
  /** The commit of a local branch, or undefined when there is no such branch. */
  branchCommit(branch: string, options?: { signal?: AbortSignal }): Promise<string | undefined>;
  /** True when `ancestor` is reachable from `descendant`. */
  isAncestor(ancestor: string, descendant: string, options?: { signal?: AbortSignal }): Promise<boolean>;
  /** True while a merge is in progress (`MERGE_HEAD` exists). */
  mergeInProgress(options?: { signal?: AbortSignal }): Promise<boolean>;
  /** `git status --porcelain` lines (untracked files included, ignored ones not). */
  status(options?: { signal?: AbortSignal }): Promise<string[]>;
  /** Files with unresolved conflicts. */
  conflictedFiles(options?: { signal?: AbortSignal }): Promise<string[]>;
}

const gitEnv = () => ({ ...createCommandEnv(), LC_ALL: 'C', GIT_MERGE_AUTOEDIT: 'no', GIT_EDITOR: 'true' });

/** Creates git helpers for the worktree at `cwd`. */
export function createRepositoryGit(cwd: string): RepositoryGit {
  const run: RepositoryGit['run'] = (args, options = {}) =>
    retryOnGitLock(
      () =>
        runGit(args, {
          cwd,
          env: options.env ?? gitEnv(),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      options.signal ? { signal: options.signal } : {},
    );
  const check: RepositoryGit['check'] = async (args, options = {}) => {
    const result = await run(args, options);
    if (result.exitCode !== 0) {
      throw new OrchestratorError(
        `git ${args.join(' ')} failed in ${cwd} (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`,
        { code: 'git-failed' },
      );
    }
    return result.stdout;
  };
  const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');
  return {
    cwd,
    run,
    check,
    head: async (options) => (await check(['rev-parse', '--verify', 'HEAD^{commit}'], options)).trim(),
    async branchCommit(branch, options = {}) {
      const result = await run(
        ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`],
        options,
      );
      return result.exitCode === 0 ? result.stdout.trim() : undefined;
    },
    async isAncestor(ancestor, descendant, options = {}) {
      const result = await run(['merge-base', '--is-ancestor', ancestor, descendant], options);
      return result.exitCode === 0;
    },
    async mergeInProgress(options = {}) {
      const result = await run(['rev-parse', '--verify', '--quiet', 'MERGE_HEAD'], options);
      return result.exitCode === 0;
    },
    status: async (options) =>
      lines(await check(['status', '--porcelain', '--untracked-files=all'], options)),
    conflictedFiles: async (options) =>
      lines(await check(['diff', '--name-only', '--diff-filter=U'], options)),
  };
}
