import { type FunctionTool, tool } from '@openai/agents';
import { z } from 'zod';
import { errorMessage } from '../shared/error-message.js';
import type { CommandRunner } from './command-runner.js';
import { formatCommandResult } from './format-command-result.js';

/** The tool's parameters, as the model sends them. */
export const runRepoCommandParameters = z.object({
  worktree: z
    .string()
    .describe('Directory name under the base dir: "main" or a task worktree such as "task-users-search".'),
  command: z.string().describe('One shell command, run with bash in that worktree exactly as given.'),
});

/** The description the model reads. */
export const runRepoCommandDescription = [
  'Run one shell command in a git worktree of the target project and get its status, exit code and output.',
  'Every command is checked by a policy first; a denied command is not run and the result says why (rule id and reason): change the command, do not retry it as is.',
  'Rules: git push, changing remotes, git rebase and destructive resets are refused; no sudo, no deleting outside the worktree, no dependency installs unless the task asks.',
  'Create task worktrees from "main" with `git worktree add ../task-<name> <base>`; run `codex exec "<task>"` inside a task worktree to change code.',
  'Long output is cut to its head and tail.',
].join(' ');

/** Options of `createRunRepoCommandTool`. */
export interface RunRepoCommandToolOptions {
  /** Tool description shown to the model (default `runRepoCommandDescription`). */
  description?: string;
}

function contextTaskId(context: unknown): string | undefined {
  const value = (context as { context?: { taskId?: unknown } } | undefined)?.context?.taskId;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Wraps a command runner as the Agents SDK function tool `run_repo_command` with parameters
 * `{ worktree, command }`. The model receives `formatCommandResult(result)`; the run's abort
 * signal kills the command's process tree; a `taskId` in the run context (`{ taskId }`, as in
 * `OrchestratorContext`) goes to events and the audit log. Unexpected failures (for example a
 * misconfigured baseDir) reach the model with their real message through `errorFunction`, instead
 * of the SDK's generic "An error occurred".
 *
 * @example
 * const agent = new Agent({ name: 'orchestrator', tools: [createRunRepoCommandTool(createCommandRunner({ baseDir }))] });
 */
export function createRunRepoCommandTool(
  runner: CommandRunner,
  options: RunRepoCommandToolOptions = {},
): FunctionTool<unknown, typeof runRepoCommandParameters, string> {
  return tool({
    name: 'run_repo_command',
    description: options.description ?? runRepoCommandDescription,
    parameters: runRepoCommandParameters,
    async execute(input, runContext, details) {
      const taskId = contextTaskId(runContext);
      const result = await runner.run(input, {
        ...(details?.signal ? { signal: details.signal } : {}),
        ...(taskId === undefined ? {} : { taskId }),
      });
      return formatCommandResult(result);
    },
    errorFunction(_context, error) {
      const message = errorMessage(error);
      return `status: error\nreason: run_repo_command could not run the command: ${message}`;
    },
  });
}
