/** The public part of `orchestrator/` (the orchestrator agent, merge queue, review, report and budget), re-exported by the package root. */
export type { AgentReviewerOptions } from './agent-reviewer.js';
export { createAgentReviewer } from './agent-reviewer.js';
export type { CodexReviewerOptions } from './codex-reviewer.js';
export { createCodexReviewer } from './codex-reviewer.js';
export { BudgetExceededError, RunCancelledError } from './orchestrator-errors.js';
export type {
  CodexOptions,
  ReviewMode,
  RunOrchestratorOptions,
} from './orchestrator-options.js';
export type { OrchestratorTaskRunnerOptions } from './orchestrator-task-runner.js';
export { createOrchestratorTaskRunner } from './orchestrator-task-runner.js';
export type { ModelPrice, PriceTable } from './price-table.js';
export { defaultPriceTable, estimateCostUsd, findModelPrice } from './price-table.js';
export type { RenderReportAppendixOptions } from './render-report-appendix.js';
export { renderReportAppendix } from './render-report-appendix.js';
export type { RenderReportOptions } from './render-report-markdown.js';
export { renderReportMarkdown } from './render-report-markdown.js';
export type { OrchestratorReport } from './report-schema.js';
export { orchestratorReportSchema } from './report-schema.js';
export type {
  Reviewer,
  ReviewRequest,
  ReviewVerdict,
  ReviewVerdictOutput,
} from './review-verdict.js';
export { reviewVerdictSchema } from './review-verdict.js';
export type { OrchestratorRun } from './run-orchestrator.js';
export { runOrchestrator } from './run-orchestrator.js';
export type { BudgetOptions, UsageTotals } from './usage-meter.js';
