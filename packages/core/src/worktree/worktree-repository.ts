import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { createCommandEnv } from '../command/command-env.js';
import { repositoryStateDir, withWriterLock } from '../durability/repository-state.js';
import { ConfigurationError } from '../errors.js';
import { type GitResult, runGit } from '../process/run-git.js';
import { parseWorktreeList, type WorktreeInfo } from './parse-worktree-list.js';
import { retryOnGitLock, withRepositoryLock } from './repository-lock.js';
import { WorktreeError } from './worktree-error.js';

/**
 * Internal: the git operations the worktree manager is built from, for the repository whose main
 * worktree is `<baseDir>/<mainWorktree>`. `locked` serialises metadata mutations per repository,
 * across processes too (the writer lock);
 * `mutate` runs one mutating git call in main with lock-file retries and throws on failure.
 */
export interface WorktreeRepository {
  readonly baseDir: string;
  readonly mainWorktree: string;
  readonly mainPath: string;
  /** The repository's durable state folder (writer lock, ownership records). */
  readonly stateDir: string;
  git(args: string[], cwd: string, signal?: AbortSignal): Promise<GitResult>;
  locked<T>(action: () => Promise<T>): Promise<T>;
  mutate(
    args: string[],
    what: { worktree: string; action: string },
    signal?: AbortSignal,
  ): Promise<GitResult>;
  list(signal?: AbortSignal): Promise<WorktreeInfo[]>;
  revisionExists(revision: string, signal?: AbortSignal): Promise<boolean>;
  /** `git status --porcelain` lines of a worktree (uncommitted and untracked files). */
  changes(path: string, signal?: AbortSignal): Promise<string[]>;
}

/** Creates the git access of a worktree manager; `baseDir` must be a real absolute path. */
export function createWorktreeRepository(baseDir: string, mainWorktree: string): WorktreeRepository {
  const mainPath = join(baseDir, mainWorktree);
  const stateDir = repositoryStateDir(baseDir);
  const env = createCommandEnv();
  let repositoryKey: Promise<string> | undefined;

  const git = (args: string[], cwd: string, signal?: AbortSignal) =>
    runGit(args, { cwd, env, ...(signal ? { signal } : {}) });
  const failure = (worktree: string, action: string, result: GitResult) =>
    new WorktreeError(`git could not ${action}: ${result.stderr.trim() || `exit ${result.exitCode}`}`, {
      code: 'worktree-git-failed',
      worktree,
    });

  function commonDir(): Promise<string> {
    repositoryKey ??= git(['rev-parse', '--path-format=absolute', '--git-common-dir'], mainPath).then(
      (result) => {
        if (result.exitCode !== 0) {
          repositoryKey = undefined;
          throw new ConfigurationError(
            `${JSON.stringify(mainPath)} is not a git worktree (${result.stderr.trim()}): baseDir must hold the main worktree as ${JSON.stringify(mainWorktree)}`,
            { code: 'main-worktree-missing' },
          );
        }
        return realpathSync(result.stdout.trim());
      },
      (error: unknown) => {
        repositoryKey = undefined;
        throw new ConfigurationError(`Cannot run git in ${JSON.stringify(mainPath)}`, {
          code: 'main-worktree-missing',
          cause: error,
        });
      },
    );
    return repositoryKey;
  }

  return {
    baseDir,
    mainWorktree,
    mainPath,
    stateDir,
    git,
    async locked(action) {
      // This process's holders queue in memory; other processes are kept out by the writer lock.
      return withRepositoryLock(await commonDir(), () =>
        withWriterLock(stateDir, 'worktree administration', action),
      );
    },
    async mutate(args, what, signal) {
      const result = await retryOnGitLock(() => git(args, mainPath, signal), signal ? { signal } : {});
      if (result.exitCode !== 0) throw failure(what.worktree, what.action, result);
      return result;
    },
    async list(signal) {
      const result = await git(['worktree', 'list', '--porcelain', '-z'], mainPath, signal);
      if (result.exitCode !== 0) throw failure(mainWorktree, 'list worktrees', result);
      return parseWorktreeList(result.stdout, mainPath);
    },
    async revisionExists(revision, signal) {
      const result = await git(
        ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`],
        mainPath,
        signal,
      );
      return result.exitCode === 0;
    },
    async changes(path, signal) {
      const result = await git(['status', '--porcelain'], path, signal);
      if (result.exitCode !== 0) throw failure(path, `read the status of ${path}`, result);
      return result.stdout.split('\n').filter((line) => line !== '');
    },
  };
}
