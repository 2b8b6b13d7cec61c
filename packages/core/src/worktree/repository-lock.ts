import type { GitResult } from '../process/run-git.js';
import { retryWithBackoff } from '../shared/retry-with-backoff.js';

// One queue per repository (keyed by its real common git dir), shared by every manager and
// handler of this process.
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `action` after every earlier action for the same repository has settled, so this process
 * never runs two metadata mutations (`worktree add/remove/prune`, branch deletion) of one
 * repository at once.
 */
export function withRepositoryLock<T>(repository: string, action: () => Promise<T>): Promise<T> {
  const previous = queues.get(repository) ?? Promise.resolve();
  const run = previous.then(action, action);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(repository, settled);
  void settled.then(() => {
    if (queues.get(repository) === settled) queues.delete(repository);
  });
  return run;
}

/** True when git failed because another process holds one of its lock files. */
export function isGitLockError(stderr: string): boolean {
  return /\.lock'?: File exists|could not lock config file|Unable to create '[^']*\.lock'|another git process seems to be running/i.test(
    stderr,
  );
}

/** Options of `retryOnGitLock`. */
export interface GitLockRetryOptions {
  /** Attempts in total (default 8). */
  attempts?: number;
  /** First delay; doubled each time, with jitter (default 50 ms: at most about 6 s over 8 attempts). */
  delayMs?: number;
  signal?: AbortSignal;
}

/** Thrown inside the retry loop while git reports a held lock file. */
class GitLockHeld extends Error {}

/**
 * Runs a git call again, with exponential backoff and jitter (the shared `retryWithBackoff`),
 * while it fails on a lock file held by another process (`.git/config.lock`, `index.lock`, a ref
 * lock): this process's own calls are already serialised by `withRepositoryLock`, but a user's
 * shell or an IDE may hold the lock briefly. Returns the last result when the lock stays held.
 */
export async function retryOnGitLock(
  call: () => Promise<GitResult>,
  options: GitLockRetryOptions = {},
): Promise<GitResult> {
  let last: GitResult | undefined;
  try {
    return await retryWithBackoff(
      async () => {
        last = await call();
        if (last.exitCode !== 0 && isGitLockError(last.stderr)) throw new GitLockHeld();
        return last;
      },
      {
        retries: (options.attempts ?? 8) - 1,
        initialDelayMs: options.delayMs ?? 50,
        maxDelayMs: 5_000,
        shouldRetry: (error) => error instanceof GitLockHeld,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
  } catch (error) {
    if (error instanceof GitLockHeld && last !== undefined) return last;
    throw error;
  }
}
