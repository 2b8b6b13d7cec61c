/**
 * @codex-orchestrator/core: run a big coding task through an orchestrator agent that drives the
 * Codex CLI across git worktrees. This root export is what applications use: run a task
 * (`runOrchestrator`), run many (`createTaskDispatcher` with sources, sinks and stores), watch
 * them (events and `reduceRunState`), and plug in workers, reviewers and command handlers.
 *
 * Other entry points: `@codex-orchestrator/core/testing` (fakes for tests),
 * `@codex-orchestrator/core/building-blocks` (the pieces `runOrchestrator` is assembled from, for
 * your own loop), `@codex-orchestrator/core/shared` (helpers adapters share) and
 * `@codex-orchestrator/core/service`. Each folder lists its public part in its own `index.ts`;
 * this file re-exports those and the top-level modules.
 */

export * from './audit/index.js';
export * from './command/index.js';
export * from './dispatcher/index.js';
export type {
  ConfigurationErrorCode,
  ErrorKind,
  OrchestratorErrorCode,
  OrchestratorErrorOptions,
} from './errors.js';
export { ConfigurationError, OrchestratorError } from './errors.js';
export * from './events/index.js';
export type * from './events.js';
export * from './exec/index.js';
export * from './model/index.js';
export * from './orchestrator/index.js';
export * from './run-state/index.js';
export * from './sandbox/index.js';
export type {
  BackoffOptions,
  RetryDecision,
  RetryNotice,
  RetryOptions,
  TerminalTextOptions,
} from './shared/index.js';
export {
  backoffDelay,
  errorMessage,
  retryWithBackoff,
  sanitizeTerminalText,
  sleepUnlessAborted,
  stringifyForTerminal,
  truncateText,
} from './shared/index.js';
export type {
  CommandHandler,
  CommandInvocation,
  Logger,
  MergeApprovalRequest,
  MergeApprover,
  OrchestratorContext,
  RunRepoCommandInput,
  RunRepoCommandResult,
  RunRepoCommandStatus,
  SandboxMode,
  Task,
  TaskControl,
  TaskOutcome,
  TaskSink,
  TaskSource,
  TaskState,
  TaskStatusEntry,
  TokenUsage,
  Worker,
  WorkerCommand,
  WorkerFileChange,
  WorkerRequest,
  WorkerResult,
  WorkerStatus,
} from './types.js';
export { taskOutcomeExitCodes, taskOutcomes } from './types.js';
export * from './worker/index.js';
export * from './worktree/index.js';
