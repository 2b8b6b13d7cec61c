/**
 * The final report of a `runOrchestrator` run, as data: a zod schema (so adapters can validate a
 * report read back from disk or a queue) and its TypeScript type. Built from the run's events by
 * `createReportBuilder`; rendered by `renderReportMarkdown`.
 */
import { z } from 'zod';

const tokenUsageSchema = z.object({
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  outputTokens: z.number(),
  reasoningOutputTokens: z.number(),
  totalTokens: z.number(),
});

const reportCommandSchema = z.object({
  callId: z.string(),
  time: z.string(),
  worktree: z.string(),
  command: z.string(),
  decision: z.enum(['allow', 'deny']),
  ruleId: z.string().optional(),
  reason: z.string().optional(),
  status: z.enum(['ok', 'failed', 'denied', 'timed-out', 'cancelled', 'dry-run', 'running']),
  exitCode: z.number().nullable(),
  durationMs: z.number().optional(),
});

const reportCodexRunSchema = z.object({
  workerRunId: z.string(),
  worker: z.string(),
  worktree: z.string(),
  status: z.enum(['running', 'completed', 'failed', 'timed-out', 'cancelled', 'sandbox-failure']),
  filesChanged: z.array(z.string()),
  tokens: tokenUsageSchema,
  durationMs: z.number().optional(),
  exitCode: z.number().nullable(),
  threadId: z.string().optional(),
  error: z.string().optional(),
  /** Commands refused (push) or denied by the sandbox inside the run. */
  refusals: z.array(z.string()).optional(),
  finalMessage: z.string(),
});

const reviewCommentSchema = z.object({
  file: z.string().optional(),
  line: z.number().optional(),
  comment: z.string(),
});

/** Schema of `OrchestratorReport`. */
export const orchestratorReportSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  taskId: z.string().optional(),
  task: z.string(),
  status: z.enum(['completed', 'partly-merged', 'nothing-merged', 'failed', 'cancelled', 'budget-exceeded']),
  /** The orchestrator's closing summary. */
  summary: z.string(),
  error: z.string().optional(),
  model: z.string(),
  baseDir: z.string(),
  /** `off`: the run used the opt-out `sandbox: 'off'` and worktree code ran unconfined. */
  sandbox: z.enum(['on', 'off']).optional(),
  startedAt: z.string(),
  endedAt: z.string(),
  durationMs: z.number(),
  plan: z.array(
    z.object({
      title: z.string(),
      status: z.enum(['pending', 'in-progress', 'done', 'blocked']),
      worktree: z.string().optional(),
    }),
  ),
  worktrees: z.array(
    z.object({
      name: z.string(),
      path: z.string().optional(),
      branch: z.string().optional(),
      reused: z.boolean(),
      removed: z.boolean(),
    }),
  ),
  commands: z.array(reportCommandSchema),
  codexRuns: z.array(reportCodexRunSchema),
  tests: z.array(
    z.object({
      worktree: z.string(),
      command: z.string(),
      source: z.enum(['orchestrator', 'worker', 'smoke-test']),
      exitCode: z.number().nullable(),
      passed: z.boolean(),
    }),
  ),
  reviews: z.array(
    z.object({
      branch: z.string(),
      worktree: z.string().optional(),
      commit: z.string(),
      mode: z.enum(['agent', 'codex']),
      verdict: z.enum(['approve', 'request-changes']),
      summary: z.string(),
      comments: z.array(reviewCommentSchema),
      error: z.string().optional(),
    }),
  ),
  approvals: z.array(z.object({ branch: z.string(), approved: z.boolean(), error: z.string().optional() })),
  merges: z.array(
    z.object({
      branch: z.string(),
      worktree: z.string().optional(),
      outcome: z.enum(['merged', 'already-merged', 'refused', 'conflict', 'reverted', 'failed']),
      branchCommit: z.string().optional(),
      mainCommit: z.string(),
      reason: z.string().optional(),
      conflictFiles: z.array(z.string()).optional(),
    }),
  ),
  main: z.object({
    startCommit: z.string(),
    endCommit: z.string(),
    state: z.enum(['start', 'merged', 'restored', 'unsafe']),
    repairs: z.array(z.string()),
    restores: z.array(
      z.object({ from: z.string(), to: z.string(), reason: z.string(), rescueBranch: z.string().optional() }),
    ),
  }),
  budget: z.object({
    exceeded: z.boolean(),
    limit: z.enum(['tokens', 'cost-usd']).optional(),
    cap: z.number().optional(),
    used: z.number().optional(),
    action: z.enum(['finish-running', 'cancel-running']).optional(),
  }),
  usage: z.object({
    orchestrator: tokenUsageSchema,
    workers: tokenUsageSchema,
    total: tokenUsageSchema,
    /** Estimated from the price table; not a bill. */
    costUsd: z.number(),
    /** Models that had no price in the table (their tokens count as $0). */
    unpricedModels: z.array(z.string()),
    modelCalls: z.number(),
  }),
  errors: z.array(z.object({ code: z.string(), message: z.string() })),
  /** Absolute path of the audit log (every command and the policy's decision). */
  auditLogPath: z.string().optional(),
  /**
   * Files each task branch changed, from git (`git diff --name-only <main's start>...<branch>`,
   * paths relative to the repository): codex also writes through shell commands, which its own
   * file events miss.
   */
  branchFiles: z
    .array(z.object({ branch: z.string(), worktree: z.string().optional(), files: z.array(z.string()) }))
    .optional(),
});

/** The final report of a run. */
export type OrchestratorReport = z.infer<typeof orchestratorReportSchema>;
