import type { RunRepoCommandResult } from '../types.js';

/**
 * Renders a run_repo_command result as the compact text the model reads: a status line (status,
 * exit code, duration, rule, handler), the reason when there is one, then stdout and stderr (already
 * capped and redacted by the runner). Empty streams are left out.
 *
 * @example
 * formatCommandResult(result);
 * // status: denied (rule builtin:git-push)
 * // reason: git push is forbidden: ...
 * // no process was started
 */
export function formatCommandResult(result: RunRepoCommandResult): string {
  const facts: string[] = [];
  if (result.exitCode !== null) facts.push(`exit code ${result.exitCode}`);
  if (result.status !== 'denied' && result.status !== 'dry-run') {
    facts.push(`${(result.durationMs / 1000).toFixed(1)}s`);
  }
  if (result.ruleId) facts.push(`rule ${result.ruleId}`);
  if (result.handler) facts.push(`handled by ${result.handler}`);
  const lines = [`status: ${result.status}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`];
  if (result.reason) lines.push(`reason: ${result.reason}`);
  if (result.status === 'denied') lines.push('no process was started');
  if (result.status === 'dry-run') lines.push('dry run: the command was checked and logged, not executed');
  if (result.truncated) lines.push('output was cut to its head and tail');
  if (result.stdout !== '') lines.push(`stdout:\n${result.stdout.replace(/\n$/, '')}`);
  if (result.stderr !== '') lines.push(`stderr:\n${result.stderr.replace(/\n$/, '')}`);
  return lines.join('\n');
}
