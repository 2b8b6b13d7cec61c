/**
 * Builds the `OrchestratorReport` from the run's events: the event stream is the one source of
 * truth, so the report says exactly what subscribers saw.
 */
import type { EventStream } from '../events/event-stream.js';
import type { OrchestratorEvent, PlanStep, RunEndEvent, RunStartEvent, UsageUpdateEvent } from '../events.js';
import { findModelPrice, type PriceTable } from './price-table.js';
import type { OrchestratorReport } from './report-schema.js';
import { isTestCommand } from './test-log-tracker.js';
import { addTokenUsage, emptyTokenUsage } from './token-usage.js';

/** Options of `createReportBuilder`. */
export interface ReportBuilderOptions {
  events: EventStream;
  prices: PriceTable;
  /** Model used to price worker tokens (checked for a price). */
  workerModel: string;
}

/** See `createReportBuilder`. */
export interface ReportBuilder {
  /** The report of what was seen so far (complete after `run-end`). */
  build(): OrchestratorReport;
  dispose(): void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Report = Mutable<OrchestratorReport>;

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Starts collecting events of one run. */
export function createReportBuilder(options: ReportBuilderOptions): ReportBuilder {
  let start: RunStartEvent | undefined;
  let end: RunEndEvent | undefined;
  let usage: UsageUpdateEvent | undefined;
  let plan: PlanStep[] = [];
  let modelCalls = 0;
  const models = new Set<string>([options.workerModel]);
  const worktrees = new Map<string, Report['worktrees'][number]>();
  const commands = new Map<string, Report['commands'][number]>();
  const codexRuns = new Map<string, Report['codexRuns'][number]>();
  const tests: Report['tests'] = [];
  const reviews: Report['reviews'] = [];
  const approvals: Report['approvals'] = [];
  const merges: Report['merges'] = [];
  const restores: Report['main']['restores'] = [];
  const errors: Report['errors'] = [];
  const conflicts = new Map<string, string[]>();
  let budget: Report['budget'] = { exceeded: false };

  const onEvent = (event: OrchestratorEvent) => {
    switch (event.type) {
      case 'run-start':
        start = event;
        models.add(event.model);
        return;
      case 'run-end':
        end = event;
        return;
      case 'plan-update':
        plan = event.steps;
        return;
      case 'model-call-end':
        modelCalls += 1;
        models.add(event.model);
        return;
      case 'usage-update':
        usage = event;
        return;
      case 'budget-exceed':
        budget = {
          exceeded: true,
          limit: event.limit,
          cap: event.cap,
          used: event.used,
          action: event.action,
        };
        return;
      case 'worktree-create':
        worktrees.set(event.worktree, {
          name: event.worktree,
          path: event.path,
          branch: event.branch,
          reused: event.reused,
          removed: false,
        });
        return;
      case 'worktree-remove': {
        const known = worktrees.get(event.worktree);
        worktrees.set(event.worktree, {
          ...(known ?? { name: event.worktree, path: event.path, reused: true }),
          removed: true,
        });
        return;
      }
      case 'command-start':
        commands.set(event.callId, {
          callId: event.callId,
          time: event.time,
          worktree: event.worktree,
          command: event.command,
          decision: 'allow',
          ...(event.ruleId === undefined ? {} : { ruleId: event.ruleId }),
          status: event.dryRun ? 'dry-run' : 'running',
          exitCode: null,
        });
        return;
      case 'command-end': {
        const known = commands.get(event.callId);
        const status = event.status;
        commands.set(event.callId, {
          ...(known ?? {
            callId: event.callId,
            time: event.time,
            worktree: event.worktree,
            command: event.command,
            decision: 'allow' as const,
          }),
          status,
          exitCode: event.exitCode,
          durationMs: Math.round(event.durationMs),
          ...(event.reason === undefined ? {} : { reason: event.reason }),
        });
        if (!event.dryRun && isTestCommand(event.command)) {
          tests.push({
            worktree: event.worktree,
            command: event.command,
            source: 'orchestrator',
            exitCode: event.exitCode,
            passed: event.exitCode === 0,
          });
        }
        return;
      }
      case 'command-denied':
        commands.set(event.callId, {
          callId: event.callId,
          time: event.time,
          worktree: event.worktree,
          command: event.command,
          decision: 'deny',
          ...(event.ruleId === undefined ? {} : { ruleId: event.ruleId }),
          reason: event.reason,
          status: 'denied',
          exitCode: null,
        });
        return;
      case 'worker-start':
        codexRuns.set(event.workerRunId, {
          workerRunId: event.workerRunId,
          worker: event.worker,
          worktree: event.worktree,
          status: 'running',
          filesChanged: [],
          tokens: emptyTokenUsage(),
          exitCode: null,
          finalMessage: '',
        });
        return;
      case 'worker-command-end':
        if (isTestCommand(event.command)) {
          tests.push({
            worktree: event.worktree,
            command: cut(event.command, 300),
            source: 'worker',
            exitCode: event.exitCode,
            passed: event.exitCode === 0,
          });
        }
        return;
      case 'worker-end': {
        const { result } = event;
        const known = codexRuns.get(event.workerRunId);
        codexRuns.set(event.workerRunId, {
          workerRunId: event.workerRunId,
          worker: known?.worker ?? 'worker',
          worktree: event.worktree,
          status: result.status,
          filesChanged: [...new Set(result.filesChanged.map((file) => file.path))],
          tokens: { ...result.usage },
          durationMs: result.durationMs,
          exitCode: result.exitCode,
          ...(result.threadId === undefined ? {} : { threadId: result.threadId }),
          ...(result.errors.length > 0 ? { error: cut(result.errors.at(-1) ?? '', 500) } : {}),
          ...(result.refusals?.length ? { refusals: result.refusals.map((line) => cut(line, 300)) } : {}),
          finalMessage: cut(result.finalMessage.trim(), 600),
        });
        return;
      }
      case 'review-end':
        reviews.push({
          branch: event.branch,
          ...(event.worktree === undefined ? {} : { worktree: event.worktree }),
          commit: event.commit,
          mode: event.mode,
          verdict: event.verdict,
          summary: event.summary,
          comments: event.comments,
          ...(event.error === undefined ? {} : { error: event.error }),
        });
        return;
      case 'approval-end':
        approvals.push({
          branch: event.branch,
          approved: event.approved,
          ...(event.error === undefined ? {} : { error: event.error }),
        });
        return;
      case 'merge-conflict':
        conflicts.set(event.branch, event.files);
        return;
      case 'merge-end': {
        const conflictFiles = event.outcome === 'conflict' ? conflicts.get(event.branch) : undefined;
        merges.push({
          branch: event.branch,
          ...(event.worktree === undefined ? {} : { worktree: event.worktree }),
          outcome: event.outcome,
          ...(event.branchCommit === undefined ? {} : { branchCommit: event.branchCommit }),
          mainCommit: event.mainCommit,
          ...(event.reason === undefined ? {} : { reason: cut(event.reason, 1500) }),
          ...(conflictFiles ? { conflictFiles } : {}),
        });
        return;
      }
      case 'smoke-test-end':
        tests.push({
          worktree: 'main',
          command: event.command,
          source: 'smoke-test',
          exitCode: event.exitCode,
          passed: event.passed,
        });
        return;
      case 'main-restore':
        restores.push({
          from: event.from,
          to: event.to,
          reason: event.reason,
          ...(event.rescueBranch ? { rescueBranch: event.rescueBranch } : {}),
        });
        return;
      case 'error':
        errors.push({ code: event.code, message: cut(event.message, 1000) });
        return;
      default:
        return;
    }
  };
  const unsubscribe = options.events.onAny(onEvent);

  return {
    build() {
      const now = new Date().toISOString();
      const orchestrator = usage?.orchestrator ?? emptyTokenUsage();
      const workers = usage?.workers ?? emptyTokenUsage();
      const startedAt = start?.time ?? now;
      const endedAt = end?.time ?? now;
      return {
        version: 1,
        runId: start?.runId ?? end?.runId ?? 'unknown',
        ...(start?.taskId === undefined ? {} : { taskId: start.taskId }),
        task: start?.task ?? '',
        status: end?.status ?? 'failed',
        summary: end?.summary ?? '',
        ...(end?.error === undefined ? (end ? {} : { error: 'the run did not end' }) : { error: end.error }),
        model: start?.model ?? '',
        baseDir: start?.baseDir ?? '',
        ...(start?.sandbox === undefined ? {} : { sandbox: start.sandbox }),
        startedAt,
        endedAt,
        durationMs: end?.durationMs ?? Date.parse(endedAt) - Date.parse(startedAt),
        plan,
        worktrees: [...worktrees.values()],
        commands: [...commands.values()],
        codexRuns: [...codexRuns.values()],
        tests,
        reviews,
        approvals,
        merges,
        main: {
          startCommit: start?.startCommit ?? '',
          endCommit: end?.mainCommit ?? '',
          state: end?.mainState ?? 'unsafe',
          repairs: end?.mainRepairs ?? [],
          restores,
        },
        budget,
        usage: {
          orchestrator,
          workers,
          total: addTokenUsage(addTokenUsage(emptyTokenUsage(), orchestrator), workers),
          costUsd: usage?.costUsd ?? 0,
          unpricedModels: [...models].filter(
            (model) => model !== '' && !findModelPrice(model, options.prices),
          ),
          modelCalls,
        },
        errors,
      };
    },
    dispose: unsubscribe,
  };
}
