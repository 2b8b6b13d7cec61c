import type { RunRepoCommandResult } from '../types.js';

/** A merge queue answer as run_repo_command returns it (exit code 0 for `ok`, 1 otherwise). */
export function mergeResult(
  status: RunRepoCommandResult['status'],
  stdout: string,
  reason: string | undefined,
  startedAt: number,
): RunRepoCommandResult {
  return {
    status,
    exitCode: status === 'ok' ? 0 : 1,
    stdout,
    stderr: '',
    truncated: false,
    durationMs: Math.round(performance.now() - startedAt),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** The first 10 characters of a commit id. */
export function shortCommit(commit: string): string {
  return commit.slice(0, 10);
}
