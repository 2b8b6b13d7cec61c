/**
 * @codex-orchestrator/core: run a big coding task through an orchestrator agent that drives the
 * Codex CLI across git worktrees. This root export is what applications use: run a task
 * (`runOrchestrator`), run many (`createTaskDispatcher` with sources, sinks and stores), watch
 * them (events and `reduceRunState`), and plug in workers, reviewers and command handlers.
 *
 * Other entry points: `@codex-orchestrator/core/testing` (fakes for tests),
 * `@codex-orchestrator/core/building-blocks` (the pieces `runOrchestrator` is assembled from, for
 * your own loop), `@codex-orchestrator/core/shared` (helpers adapters share) and
 * `@codex-orchestrator/core/service`. Each section below is owned by one area of the package.
 */

export type {
  ConfigurationErrorCode,
  ErrorKind,
  OrchestratorErrorCode,
  OrchestratorErrorOptions,
} from './errors.js';
// --- errors ---
export { ConfigurationError, OrchestratorError } from './errors.js';
export type * from './events.js';
// --- contracts (types only) ---
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

// --- events, run_repo_command, audit log, worktrees ---

export type { AuditEntry, AuditLog, AuditLogOptions } from './audit/audit-log.js';
export { createAuditLog } from './audit/audit-log.js';
export type { Redactor, RedactorOptions } from './audit/redact-secrets.js';
export { createRedactor, defaultSecretEnvNames } from './audit/redact-secrets.js';
export { createCommandRunner } from './command/command-runner.js';
export type {
  CommandRunner,
  CommandRunnerOptions,
  CommandRunOptions,
} from './command/command-runner-types.js';
export { formatCommandResult } from './command/format-command-result.js';
export type { RunRepoCommandContext } from './command/run-repo-command.js';
export { runRepoCommand } from './command/run-repo-command.js';
export type { RunRepoCommandToolOptions } from './command/run-repo-command-tool.js';
export { createRunRepoCommandTool } from './command/run-repo-command-tool.js';
export type {
  AnyEventListener,
  EventIterationOptions,
  EventListener,
  EventStream,
  EventStreamOptions,
} from './events/event-stream.js';
export { createEventStream } from './events/event-stream.js';
export type { WorktreeBootstrapOptions, WorktreeBootstrapResult } from './worktree/bootstrap-worktree.js';
export { bootstrapWorktree } from './worktree/bootstrap-worktree.js';
export { readWorktreeInclude, worktreeIncludeFile } from './worktree/copy-included-files.js';
export type { WorktreeInfo } from './worktree/parse-worktree-list.js';
export type { PruneReport } from './worktree/prune-worktrees.js';
export type { WorktreeSetupResult } from './worktree/run-worktree-setup.js';
export { slugifyTaskName } from './worktree/slugify-task-name.js';
export { createWorktreeCommandHandler } from './worktree/worktree-command-handler.js';
export type { WorktreeErrorCode } from './worktree/worktree-error.js';
export { WorktreeError } from './worktree/worktree-error.js';
export type {
  CreatedWorktree,
  CreateWorktreeOptions,
  WorktreeManager,
  WorktreeManagerOptions,
} from './worktree/worktree-manager.js';
export { createWorktreeManager } from './worktree/worktree-manager.js';
export type { WorktreePorts } from './worktree/worktree-ports.js';
export { worktreePorts } from './worktree/worktree-ports.js';

// (end of events, run_repo_command, audit log, worktrees: a detached comment keeps export sorting per section)

export type { NoPushEnvOptions } from './exec/no-push-env.js';
export { noPushEnv } from './exec/no-push-env.js';
// --- codex worker, prompt templates, sandbox ---
export type { ConfinedCommand, Sandbox, SandboxCommand, SandboxContext } from './sandbox/create-sandbox.js';
export { createSandbox } from './sandbox/create-sandbox.js';
export { SandboxUnavailableError, sandboxOptOut } from './sandbox/sandbox-error.js';
export type { SandboxOptions, SandboxSetting } from './sandbox/sandbox-options.js';
export { defaultHiddenPaths } from './sandbox/sandbox-options.js';
export type { CodexConfigValue } from './worker/codex-argv.js';
export type { CodexCommandHandlerOptions } from './worker/codex-command-handler.js';
export { createCodexCommandHandler } from './worker/codex-command-handler.js';
export { CodexExecArgsError, CodexNotFoundError, CodexSandboxError } from './worker/codex-errors.js';
export type { CodexExecRequest } from './worker/codex-exec-args.js';
export type { CodexPromptInput, CodexTaskKind } from './worker/codex-prompt.js';
export { buildCodexPrompt } from './worker/codex-prompt.js';
export type { CodexWorkerOptions } from './worker/codex-worker.js';
export { createCodexWorker } from './worker/codex-worker.js';
export type { CodexBinary, ResolveCodexBinaryOptions } from './worker/resolve-codex-binary.js';
export { resolveCodexBinary } from './worker/resolve-codex-binary.js';

// (end of codex worker, prompt templates)

// --- orchestrator agent, merge queue, review, report, budget ---
export type { AgentReviewerOptions } from './orchestrator/agent-reviewer.js';
export { createAgentReviewer } from './orchestrator/agent-reviewer.js';
export type { CodexReviewerOptions } from './orchestrator/codex-reviewer.js';
export { createCodexReviewer } from './orchestrator/codex-reviewer.js';
export { BudgetExceededError, RunCancelledError } from './orchestrator/orchestrator-errors.js';
export type {
  CodexOptions,
  ReviewMode,
  RunOrchestratorOptions,
} from './orchestrator/orchestrator-options.js';
export type { OrchestratorTaskRunnerOptions } from './orchestrator/orchestrator-task-runner.js';
export { createOrchestratorTaskRunner } from './orchestrator/orchestrator-task-runner.js';
export type { ModelPrice, PriceTable } from './orchestrator/price-table.js';
export { defaultPriceTable, estimateCostUsd, findModelPrice } from './orchestrator/price-table.js';
export type { RenderReportOptions } from './orchestrator/render-report-markdown.js';
export { renderReportMarkdown } from './orchestrator/render-report-markdown.js';
export type { OrchestratorReport } from './orchestrator/report-schema.js';
export { orchestratorReportSchema } from './orchestrator/report-schema.js';
export type {
  Reviewer,
  ReviewRequest,
  ReviewVerdict,
  ReviewVerdictOutput,
} from './orchestrator/review-verdict.js';
export { reviewVerdictSchema } from './orchestrator/review-verdict.js';
export type { OrchestratorRun } from './orchestrator/run-orchestrator.js';
export { runOrchestrator } from './orchestrator/run-orchestrator.js';
export type { BudgetOptions, UsageTotals } from './orchestrator/usage-meter.js';

// (end of orchestrator agent, merge queue, review, report, budget)

// --- run state: the one fold of the event stream behind every view of a run ---
export type {
  ApprovalRecord,
  BranchState,
  CommandRecord,
  ReviewRecord,
  RunActivity,
  RunMergeRecord,
  RunningCommand,
  RunState,
  RunStatus,
  RunUsage,
  SubtaskPhase,
  SubtaskState,
  TestRecord,
  WorkerRunState,
  WorktreeRecord,
} from './run-state/index.js';
export { createRunState, reduceRunState, runStateTokens } from './run-state/index.js';
// (end of run state)

// --- dispatcher, built-in sources and sinks ---
export type { ConsoleTaskSinkOptions } from './dispatcher/console-task-sink.js';
export { createConsoleTaskSink } from './dispatcher/console-task-sink.js';
export type {
  DispatcherConfigurationErrorCode,
  DispatcherStateErrorCode,
  TaskJournalErrorCode,
} from './dispatcher/dispatcher-errors.js';
export {
  DispatcherConfigurationError,
  DispatcherStateError,
  TaskJournalError,
  TaskSourceError,
} from './dispatcher/dispatcher-errors.js';
export type { DispatcherLogger } from './dispatcher/dispatcher-logger.js';
export { silentDispatcherLogger } from './dispatcher/dispatcher-logger.js';
export type {
  InterruptedTaskPolicy,
  SourceRetryOptions,
  TaskDispatcherOptions,
} from './dispatcher/dispatcher-options.js';
export type { EnvTaskSourceOptions } from './dispatcher/env-task-source.js';
export { createEnvTaskSource } from './dispatcher/env-task-source.js';
export type { FileTaskStoreOptions } from './dispatcher/file-task-store.js';
export { createFileTaskStore } from './dispatcher/file-task-store.js';
export type { InboxTaskSourceOptions } from './dispatcher/inbox-task-source.js';
export { createInboxTaskSource } from './dispatcher/inbox-task-source.js';
export { createJsonlTaskSink } from './dispatcher/jsonl-task-sink.js';
export type { MemoryTaskInput, MemoryTaskSource } from './dispatcher/memory-task-source.js';
export { createIterableTaskSource, createMemoryTaskSource } from './dispatcher/memory-task-source.js';
export type { TaskEndResult } from './dispatcher/sink-fanout.js';
export { createTaskDispatcher, TaskDispatcher } from './dispatcher/task-dispatcher.js';
export type { TaskInterruptAction, TaskJournalEntry, TaskJournalRecord } from './dispatcher/task-journal.js';
export type { TaskRunner, TaskRunnerOptions, TaskRunResult } from './dispatcher/task-runner.js';
export type { TaskStore } from './dispatcher/task-store.js';
export { createMemoryTaskStore } from './dispatcher/task-store.js';

// (end of dispatcher, built-in sources and sinks)

// --- model client (timeouts, retries, messages naming the endpoint) ---
export type { ModelRequestErrorCode } from './model/model-request-error.js';
export { ModelRequestError } from './model/model-request-error.js';
export type { ModelRequestOptions, ResolvedModelRequestOptions } from './model/model-request-options.js';
export { defaultModelRequestOptions, resolveModelRequestOptions } from './model/model-request-options.js';
export type { ModelRetryNotice, PatientModelProviderOptions } from './model/patient-model-provider.js';
export { createPatientModelProvider } from './model/patient-model-provider.js';

// (end of model client)

// --- shared infrastructure (also at the light `@codex-orchestrator/core/shared` subpath) ---
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
