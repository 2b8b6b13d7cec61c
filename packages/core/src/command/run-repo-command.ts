import type { OrchestratorContext, RunRepoCommandInput, RunRepoCommandResult } from '../types.js';
import { type CommandRunner, type CommandRunnerOptions, createCommandRunner } from './command-runner.js';

/** Context of `runRepoCommand`: where to run, plus any runner option, or a ready runner. */
export type RunRepoCommandContext = OrchestratorContext &
  Omit<CommandRunnerOptions, 'baseDir' | 'taskId'> & {
    signal?: AbortSignal;
    /** Use this runner instead of the default one (its own baseDir and options apply). */
    runner?: CommandRunner;
  };

// Default runners (policy, audit log in process.cwd(), env flags) per baseDir, so repeated calls
// share the worktree check cache. A context carrying any other option gets a runner of its own.
const defaultRunners = new Map<string, CommandRunner>();
const plainContextKeys = new Set(['baseDir', 'taskId', 'signal']);

/**
 * Runs one command through the run_repo_command chokepoint (see `createCommandRunner`).
 * With only `baseDir` (and `taskId`, `signal`) in the context, a default runner per baseDir is
 * created once and reused; any runner option in the context makes a new runner for this call.
 *
 * @example
 * const result = await runRepoCommand(
 *   { worktree: 'main', command: 'git status --short' },
 *   { baseDir: '/srv/project', taskId: 'task-42' },
 * );
 * if (result.status === 'denied') console.log(result.reason);
 */
export async function runRepoCommand(
  input: RunRepoCommandInput,
  context: RunRepoCommandContext,
): Promise<RunRepoCommandResult> {
  const { signal, runner: givenRunner, taskId, ...options } = context;
  let runner = givenRunner;
  if (!runner) {
    const plain = Object.keys(context).every((key) => plainContextKeys.has(key));
    runner = plain ? defaultRunners.get(context.baseDir) : undefined;
    if (!runner) {
      runner = createCommandRunner(options);
      if (plain) defaultRunners.set(context.baseDir, runner);
    }
  }
  return runner.run(input, { ...(signal ? { signal } : {}), ...(taskId === undefined ? {} : { taskId }) });
}
