/**
 * @codex-orchestrator/core/building-blocks: the pieces `runOrchestrator` is assembled from, for
 * people who assemble their own loop (another agent framework, a custom review step). The root
 * export is enough to run, dispatch and watch tasks; these change more often.
 */

export { runRepoCommandDescription, runRepoCommandParameters } from './command/run-repo-command-tool.js';
export { checkWorktreeName } from './command/worktree-validator.js';
export type { AgentReviewerOptions } from './orchestrator/agent-reviewer.js';
export { buildReviewInput, reviewerInstructions } from './orchestrator/agent-reviewer.js';
export { parseVerdictMessage } from './orchestrator/codex-reviewer.js';
export type { MergeQueue, MergeQueueOptions, MergeRecord } from './orchestrator/merge-queue.js';
export { createMergeQueue } from './orchestrator/merge-queue.js';
export type { OrchestratorInstructionsOptions } from './orchestrator/orchestrator-instructions.js';
export { buildOrchestratorInstructions } from './orchestrator/orchestrator-instructions.js';
export type { ResolvedOrchestratorOptions } from './orchestrator/orchestrator-options.js';
export { isTestCommand } from './orchestrator/test-log-tracker.js';
export type { GitResult, RunGitOptions } from './process/run-git.js';
export { runGit } from './process/run-git.js';
export type { ProcessOutcome, StartedProcess, StartProcessOptions } from './process/start-process.js';
export { startProcess } from './process/start-process.js';
export { parseCodexExecArgs } from './worker/codex-exec-args.js';
export type { WorkerSummaryOptions } from './worker/format-worker-summary.js';
export { formatWorkerSummary } from './worker/format-worker-summary.js';
