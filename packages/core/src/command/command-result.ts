import type { RunRepoCommandResult } from '../types.js';
import type { ShellCommandOutcome } from './run-shell-command.js';

const maxCommandLength = 100_000;

/** The fields of a result for a command that did not run. */
export const notRun = { exitCode: null, stdout: '', stderr: '', truncated: false, durationMs: 0 };

/** Why a command string is refused before the policy sees it (empty, overlong, NUL), if it is. */
export function refuseCommand(command: unknown): { reason: string; ruleId: string } | undefined {
  if (typeof command !== 'string' || command.trim() === '')
    return { reason: 'the command is empty', ruleId: 'command.empty' };
  if (command.length > maxCommandLength) {
    return {
      reason: `the command is ${command.length} characters long (at most ${maxCommandLength})`,
      ruleId: 'command.too-long',
    };
  }
  if (command.includes('\0'))
    return { reason: 'the command contains a NUL character', ruleId: 'command.invalid' };
  return undefined;
}

/** The run_repo_command result of a finished bash process. */
export function resultOf(
  outcome: ShellCommandOutcome,
  timeoutMs: number,
  ruleId: { ruleId?: string },
): RunRepoCommandResult {
  const output = {
    exitCode: outcome.exitCode,
    stdout: outcome.stdout.text,
    stderr: outcome.stderr.text,
    truncated: outcome.stdout.truncated || outcome.stderr.truncated,
    durationMs: 0,
    ...ruleId,
  };
  if (outcome.spawnError)
    return { status: 'failed', ...output, reason: `could not start the command: ${outcome.spawnError}` };
  if (outcome.timedOut) {
    return {
      status: 'timed-out',
      ...output,
      reason: `timed out after ${Math.round(timeoutMs / 1000)} s; the whole process tree was killed`,
    };
  }
  if (outcome.cancelled)
    return { status: 'cancelled', ...output, reason: 'cancelled; the whole process tree was killed' };
  if (outcome.exitCode === 0) return { status: 'ok', ...output };
  return {
    status: 'failed',
    ...output,
    ...(outcome.signal ? { reason: `bash was killed by ${outcome.signal}` } : {}),
  };
}
