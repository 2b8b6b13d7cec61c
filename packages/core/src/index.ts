/**
 * @codex-orchestrator/core: run a big coding task through an orchestrator agent that drives the
 * Codex CLI across git worktrees. Each section below is owned by one area of the package.
 */

export type { ErrorKind, OrchestratorErrorOptions } from './errors.js';
// --- errors ---
export { ConfigurationError, OrchestratorError } from './errors.js';
export type * from './events.js';
// --- contracts (types only) ---
export type {
  CommandHandler,
  CommandInvocation,
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

// --- events, run_repo_command, audit log, worktrees ---

// --- codex worker, prompt templates ---

// --- orchestrator agent, merge queue, review, report, budget ---

// --- dispatcher, built-in sources and sinks ---
