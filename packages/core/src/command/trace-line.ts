import type { RunRepoCommandResult } from '../types.js';

/** What a trace line describes. */
export interface TraceLineInput {
  taskId?: string;
  worktree: string;
  command: string;
  result: RunRepoCommandResult;
  dryRun: boolean;
}

/**
 * Formats the one-line trace of a run_repo_command call (`ORCHESTRATOR_TRACE=1`), e.g.
 * `[run_repo_command] ok exit=0 12ms task=t1 worktree=main rule=git-inspect command="git status"`.
 * Strings are JSON-quoted, so a command with newlines still takes exactly one line.
 */
export function formatTraceLine(input: TraceLineInput): string {
  const { result } = input;
  const parts = [
    '[run_repo_command]',
    result.status,
    `exit=${result.exitCode ?? '-'}`,
    `${Math.round(result.durationMs)}ms`,
  ];
  if (input.taskId) parts.push(`task=${JSON.stringify(input.taskId)}`);
  parts.push(`worktree=${JSON.stringify(input.worktree)}`);
  if (result.ruleId) parts.push(`rule=${result.ruleId}`);
  if (result.handler) parts.push(`handler=${result.handler}`);
  if (result.truncated) parts.push('truncated');
  if (input.dryRun) parts.push('dry-run');
  parts.push(`command=${JSON.stringify(input.command)}`);
  if (result.reason) parts.push(`reason=${JSON.stringify(result.reason)}`);
  return parts.join(' ');
}
