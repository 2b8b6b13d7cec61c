/** The public part of `command/` (run_repo_command: the command runner, its handlers and the policy chokepoint), re-exported by the package root. */
export { createCommandRunner } from './command-runner.js';
export type {
  CommandRunner,
  CommandRunnerOptions,
  CommandRunOptions,
} from './command-runner-types.js';
export { formatCommandResult } from './format-command-result.js';
export type { RunRepoCommandContext } from './run-repo-command.js';
export { runRepoCommand } from './run-repo-command.js';
export type { RunRepoCommandToolOptions } from './run-repo-command-tool.js';
export { createRunRepoCommandTool } from './run-repo-command-tool.js';
